// Linux and BSD roots: release files, hostname, architecture, package
// manager, osinfo id; the same files and precedence as libguestfs 1.48.
#include "inspect_linux.hpp"

#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <vector>

#include "errors.hpp"
#include "handle.hpp"

namespace vt::inspect {

namespace {

// The daemon can leave no symlink out of the guest, so the only failures
// are the guest's (missing, a directory, a loop, too large): all "no".
// An appliance failure is not the guest's and is let through.
//
// Identification asks about the same few dozen paths many times, and each
// question is a round trip: answers are remembered, and /etc is listed once
// so the many absent release files under it cost nothing.
class HandleView : public GuestView {
 public:
  explicit HandleView(Handle& h) : h_(h) {}

  bool is_file(const std::string& path, bool follow) const override {
    if (absent_from_etc(path)) return false;
    auto key = std::make_pair(path, follow);
    if (auto it = is_file_.find(key); it != is_file_.end()) return it->second;
    bool answer = guarded(false, [&] { return h_.is_file(path, {follow}); });
    is_file_.emplace(key, answer);
    return answer;
  }
  bool is_dir(const std::string& path) const override {
    if (absent_from_etc(path)) return false;
    if (auto it = is_dir_.find(path); it != is_dir_.end()) return it->second;
    bool answer = guarded(false, [&] { return h_.is_dir(path, {false}); });
    is_dir_.emplace(path, answer);
    return answer;
  }
  std::optional<std::string> symlink_target(const std::string& path) const override {
    if (absent_from_etc(path)) return std::nullopt;
    // readlink of anything but a symbolic link fails: that is the "no".
    return guarded(std::optional<std::string>(), [&]() -> std::optional<std::string> { return h_.readlink(path); });
  }
  std::optional<std::string> read_small_file(const std::string& path) const override {
    if (!is_file(path, true)) return std::nullopt;
    return guarded(std::optional<std::string>(), [&]() -> std::optional<std::string> {
      if (h_.filesize(path) > static_cast<int64_t>(kSmallFileLimit)) return std::nullopt;
      std::string data = h_.read_file(path);
      // The file can grow between the two calls.
      if (data.size() > kSmallFileLimit) return std::nullopt;
      return data;
    });
  }
  std::optional<std::string> architecture(const std::string& path) const override {
    try {
      return h_.file_architecture(h_.realpath(path));
    } catch (const ApplianceError&) {
      throw;
    } catch (const Error&) {
      // Not a binary of a known architecture (file_architecture's own
      // error), or any daemon error: try the next binary.
      return std::nullopt;
    }
  }

 private:
  template <typename T, typename F>
  static T guarded(T fallback, F&& f) {
    try {
      return f();
    } catch (const CallError&) {
      return fallback;
    }
  }
  // True only when /etc could be listed and has no entry of that name.
  bool absent_from_etc(const std::string& path) const {
    const std::string etc = "/etc/";
    if (path.size() <= etc.size() || path.compare(0, etc.size(), etc) != 0 || path.find('/', etc.size()) != std::string::npos)
      return false;
    if (!etc_names_) {
      etc_names_.emplace();
      try {
        for (auto& name : h_.ls("/etc")) etc_names_->insert(std::move(name));
        etc_listed_ = true;
      } catch (const CallError&) {
        // Not listable (too large, not a directory): ask about each path.
      }
    }
    return etc_listed_ && !etc_names_->contains(path.substr(etc.size()));
  }

  Handle& h_;
  mutable std::map<std::pair<std::string, bool>, bool> is_file_;
  mutable std::map<std::string, bool> is_dir_;
  mutable std::optional<std::set<std::string>> etc_names_;
  mutable bool etc_listed_ = false;
};

// What the release files have said so far: each test may fill some fields
// and still give way to the next (as libguestfs's inspection_data).
struct Release {
  std::optional<std::string> distro;
  std::optional<std::string> product_name;
  std::optional<std::pair<int, int>> version;
  std::optional<std::string> build_id;
};

// Regular expressions run on one line of a release file; the line is cut
// short first so a hostile file cannot make the matcher recurse deeply.
constexpr size_t kMatchLimit = 1024;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::optional<int> to_int(const std::string& digits) {
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// Up to two numbered groups of `re` in `line`, searched (not anchored).
std::optional<std::smatch> search(const std::string& line, const std::regex& re, std::string& storage) {
  storage = line.substr(0, kMatchLimit);
  std::smatch m;
  if (!std::regex_search(storage, m, re)) return std::nullopt;
  return m;
}

// "12.5" anywhere -> (12, 5); else "12" -> (12, 0); else unchanged.
void parse_version_from_major_minor(const std::string& text, Release& r) {
  static const std::regex major_minor(R"((\d+)\.(\d+))");
  static const std::regex major_only(R"((\d+))");
  std::string s;
  if (auto m = search(text, major_minor, s)) {
    auto major = to_int((*m)[1]), minor = to_int((*m)[2]);
    if (major && minor) r.version = {*major, *minor};
  } else if (auto m1 = search(text, major_only, s)) {
    if (auto major = to_int((*m1)[1])) r.version = {*major, 0};
  }
}

std::string unquote_simple(const std::string& v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return v.substr(1, v.size() - 2);
  return v;
}

// KEY=value lines (blank and # lines skipped); `shell` removes shell quoting
// as os-release specifies, otherwise one pair of quotes is dropped.
std::vector<std::pair<std::string, std::string>> parse_key_values(const std::string& text, bool shell) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& line : split_lines(text)) {
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    std::string key = line.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : line.substr(eq + 1);
    if (!shell) {
      out.emplace_back(key, unquote_simple(value));
      continue;
    }
    std::string v;
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      v = value.substr(1, value.size() - 2);
    } else if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      for (size_t i = 1; i + 1 < value.size(); ++i) {
        char c = value[i];
        if (c == '\\' && i + 2 < value.size() && std::string("\\$\"`").find(value[i + 1]) != std::string::npos)
          c = value[++i];
        v += c;
      }
    } else {
      v = value;
    }
    out.emplace_back(key, v);
  }
  return out;
}

std::optional<std::string> distro_of_os_release_id(const std::string& id) {
  static const std::vector<std::pair<std::string, std::string>> ids = {
      {"alpine", "alpinelinux"}, {"altlinux", "altlinux"}, {"arch", "archlinux"},   {"centos", "centos"},
      {"coreos", "coreos"},      {"debian", "debian"},     {"fedora", "fedora"},    {"frugalware", "frugalware"},
      {"gentoo", "gentoo"},      {"kali", "kalilinux"},    {"kylin", "kylin"},      {"mageia", "mageia"},
      {"neokylin", "neokylin"},  {"opensuse", "opensuse"}, {"pardus", "pardus"},    {"pld", "pldlinux"},
      {"rhel", "rhel"},          {"rocky", "rocky"},       {"sles", "sles"},        {"sled", "sles"},
      {"ubuntu", "ubuntu"},      {"void", "voidlinux"},
  };
  for (const auto& [key, distro] : ids)
    if (id == key) return distro;
  if (id.rfind("opensuse-", 0) == 0) return "opensuse";
  return std::nullopt;
}

bool is_rolling(const std::optional<std::string>& distro) {
  return distro == "archlinux" || distro == "gentoo" || distro == "voidlinux";
}

// A release-file test: given the file's contents, true if the answer is
// final, false to go on with the next test (possibly having filled fields).
using ParseFn = std::function<bool(const std::string& contents, Release&)>;

bool parse_os_release_text(const std::string& text, Release& r) {
  static const std::regex neokylin(R"(^V(\d+)Update(\d+)$)");
  for (const auto& [key, value] : parse_key_values(text, true)) {
    if (key == "ID") {
      if (auto d = distro_of_os_release_id(value)) r.distro = d;
    } else if (key == "PRETTY_NAME") {
      r.product_name = value;
    } else if (key == "VERSION_ID") {
      std::string s;
      if (auto m = search(value, neokylin, s)) {
        auto major = to_int((*m)[1]), minor = to_int((*m)[2]);
        if (major && minor) r.version = {*major, *minor};
      } else {
        parse_version_from_major_minor(value, r);
      }
    } else if (key == "BUILD_ID") {
      r.build_id = value;
    }
  }
  if (!r.distro || !r.product_name) return false;
  // Their VERSION_ID is only the major number: the release file has more.
  if ((r.distro == "debian" || r.distro == "centos" || r.distro == "rocky") && r.version && r.version->second == 0)
    return false;
  if (!r.version && is_rolling(r.distro)) {
    r.version = {0, 0};
    return true;
  }
  return r.version.has_value();
}

bool parse_lsb_release_text(const std::string& text, Release& r) {
  bool ok = false;
  for (const auto& [key, value] : parse_key_values(text, false)) {
    if (key == "DISTRIB_ID") {
      std::optional<std::string> d;
      if (value == "CoreOS") d = "coreos";
      else if (value == "LinuxMint") d = "linuxmint";
      else if (value == "Mageia") d = "mageia";
      else if (value == "Ubuntu") d = "ubuntu";
      if (d) {
        ok = true;
        r.distro = d;
      }
    } else if (key == "DISTRIB_RELEASE") {
      parse_version_from_major_minor(value, r);
    } else if (key == "DISTRIB_DESCRIPTION") {
      ok = true;
      r.product_name = value;
    }
  }
  return ok;
}

bool parse_suse_release_text(const std::string& text, Release& r) {
  static const std::regex sles(R"(^SUSE (Linux|LINUX) Enterprise )");
  static const std::regex nld(R"(^Novell Linux Desktop )");
  static const std::regex opensuse(R"(^(openSUSE|SuSE Linux|SUSE LINUX) )");
  static const std::regex sles_version(R"(^VERSION = (\d+))");
  static const std::regex sles_patchlevel(R"(^PATCHLEVEL = (\d+))");
  auto lines = split_lines(text);
  if (lines.empty()) return false;
  r.product_name = lines[0];
  std::string s;
  if (search(lines[0], sles, s) || search(lines[0], nld, s)) {
    std::optional<int> major, minor;
    if (lines.size() >= 2)
      if (auto m = search(lines[1], sles_version, s)) major = to_int((*m)[1]);
    if (lines.size() >= 3)
      if (auto m = search(lines[2], sles_patchlevel, s)) minor = to_int((*m)[1]);
    r.distro = "sles";
    if (major) r.version = {*major, minor.value_or(0)};
    else r.version.reset();
  } else if (search(lines[0], opensuse, s)) {
    if (lines.size() >= 2) parse_version_from_major_minor(lines[1], r);
    r.distro = "opensuse";
  }
  return true;
}

// The first line names the product; with `rex`, it must match and its
// groups are the version, else a version is looked for anywhere.
ParseFn generic(const std::string& distro, const char* rex = nullptr) {
  std::shared_ptr<std::regex> re;
  if (rex) re = std::make_shared<std::regex>(rex);
  return [distro, re](const std::string& contents, Release& r) {
    std::string product = first_line(contents);
    if (product.empty()) return false;
    r.product_name = product;
    r.distro = distro;
    if (!re) {
      parse_version_from_major_minor(product, r);
      return true;
    }
    std::string s;
    auto m = search(product, *re, s);
    if (!m) return false;
    std::optional<int> major, minor;
    if (m->size() > 1 && (*m)[1].matched) major = to_int((*m)[1]);
    if (m->size() > 2 && (*m)[2].matched) minor = to_int((*m)[2]);
    if (major) r.version = {*major, minor.value_or(0)};
    return true;
  };
}

ParseFn set_distro(const std::string& distro) {
  return [distro](const std::string&, Release& r) {
    r.distro = distro;
    return true;
  };
}

struct ReleaseTest {
  std::string path;
  ParseFn parse;
};

// In order; the first test that returns true ends the search.
const std::vector<ReleaseTest>& linux_release_tests() {
  static const std::vector<ReleaseTest> tests = {
      {"/etc/os-release", parse_os_release_text},
      {"/etc/lsb-release", parse_lsb_release_text},
      // Derivatives carry a redhat-release too, so they come first.
      {"/etc/oracle-release", generic("oraclelinux", R"(Oracle Linux.*release (\d+).*Update (\d+))")},
      {"/etc/oracle-release", generic("oraclelinux", R"(Oracle Linux.*release (\d+)\.(\d+))")},
      {"/etc/oracle-release", generic("oraclelinux", R"(Oracle Linux.*release (\d+))")},
      {"/etc/centos-release", generic("centos", R"(CentOS.*release (\d+).*Update (\d+))")},
      {"/etc/centos-release", generic("centos", R"(CentOS.*release (\d+)\.(\d+))")},
      {"/etc/centos-release", generic("centos", R"(CentOS.*release (\d+))")},
      {"/etc/rocky-release", generic("rocky", R"(Rocky Linux.*release (\d+)\.(\d+))")},
      {"/etc/rocky-release", generic("rocky", R"(Rocky Linux.*release (\d+))")},
      {"/etc/altlinux-release", generic("altlinux")},
      {"/etc/redhat-release", generic("fedora", R"(Fedora release (\d+))")},
      {"/etc/redhat-release", generic("rhel", R"(Red Hat.*release (\d+).*Update (\d+))")},
      {"/etc/redhat-release", generic("rhel", R"(Red Hat.*release (\d+)\.(\d+))")},
      {"/etc/redhat-release", generic("rhel", R"(Red Hat.*release (\d+))")},
      {"/etc/redhat-release", generic("centos", R"(CentOS.*release (\d+).*Update (\d+))")},
      {"/etc/redhat-release", generic("centos", R"(CentOS.*release (\d+)\.(\d+))")},
      {"/etc/redhat-release", generic("centos", R"(CentOS.*release (\d+))")},
      {"/etc/redhat-release", generic("rocky", R"(Rocky Linux.*release (\d+)\.(\d+))")},
      {"/etc/redhat-release", generic("rocky", R"(Rocky Linux.*release (\d+))")},
      {"/etc/redhat-release", generic("scientificlinux", R"(Scientific Linux.*release (\d+).*Update (\d+))")},
      {"/etc/redhat-release", generic("scientificlinux", R"(Scientific Linux.*release (\d+)\.(\d+))")},
      {"/etc/redhat-release", generic("scientificlinux", R"(Scientific Linux.*release (\d+))")},
      {"/etc/redhat-release", generic("redhat-based")},
      {"/etc/redhat-release", set_distro("redhat-based")},
      {"/etc/debian_version", generic("debian")},
      {"/etc/pardus-release", generic("pardus")},
      // arch-release is empty: nothing but the distro.
      {"/etc/arch-release", set_distro("archlinux")},
      {"/etc/gentoo-release", generic("gentoo")},
      {"/etc/meego-release", generic("meego")},
      {"/etc/slackware-version", generic("slackware")},
      {"/etc/ttylinux-target", generic("ttylinux")},
      {"/etc/SuSE-release", parse_suse_release_text},
      {"/etc/SuSE-release", set_distro("suse-based")},
      {"/etc/cirros/version", generic("cirros")},
      {"/etc/br-version", generic("buildroot")},  // cirros when /usr/share/cirros/logo: see below
      {"/etc/alpine-release", generic("alpinelinux")},
      {"/etc/frugalware-release", generic("frugalware", R"(Frugalware (\d+)\.(\d+))")},
      {"/etc/pld-release", generic("pldlinux", R"((\d+)\.(\d+) PLD Linux)")},
  };
  return tests;
}

void run_release_tests(const GuestView& guest, Release& r) {
  for (const auto& test : linux_release_tests()) {
    if (!guest.is_file(test.path, true)) continue;
    // A file that is there but unreadable or too large parses as empty,
    // as libguestfs's is_small_file check makes it.
    std::string contents = guest.read_small_file(test.path).value_or("");
    if (test.path == "/etc/br-version" && guest.is_file("/usr/share/cirros/logo", true)) {
      if (generic("cirros")(contents, r)) return;
      continue;
    }
    if (test.parse(contents, r)) return;
  }
}

void apply_release(const Release& r, OsFacts& facts) {
  if (r.distro) facts.distro = *r.distro;
  if (r.product_name) facts.product_name = *r.product_name;
  if (r.version) {
    facts.major_version = r.version->first;
    facts.minor_version = r.version->second;
  }
  if (r.build_id) facts.build_id = *r.build_id;
}

// The first line of the first hostname file that has one.
std::optional<std::string> hostname_from_file(const GuestView& guest, const std::string& path) {
  auto text = guest.read_small_file(path);
  if (!text) return std::nullopt;
  std::string line = first_line(*text);
  if (line.empty()) return std::nullopt;
  return line;
}

std::optional<std::string> linux_hostname(const GuestView& guest) {
  for (const char* path : {"/etc/HOSTNAME", "/etc/hostname"})
    if (auto name = hostname_from_file(guest, path)) return name;
  // RHEL 6 and older: HOSTNAME= in the shell variables of sysconfig/network.
  if (guest.is_file("/etc/sysconfig/network", false))
    if (auto text = guest.read_small_file("/etc/sysconfig/network"))
      for (const auto& [key, value] : parse_key_values(*text, true))
        if (key == "HOSTNAME") return value;
  return std::nullopt;
}

// hostname="..." in /etc/rc.conf (FreeBSD, NetBSD).
std::optional<std::string> rc_conf_hostname(const GuestView& guest) {
  auto text = guest.read_small_file("/etc/rc.conf");
  if (!text) return std::nullopt;
  for (const auto& line : split_lines(*text))
    if (line.rfind("hostname=", 0) == 0) return unquote_simple(line.substr(9));
  return std::nullopt;
}

std::optional<std::string> architecture_of_binaries(const GuestView& guest) {
  for (const char* bin : {"/bin/bash", "/bin/ls", "/bin/echo", "/bin/rm", "/bin/sh"})
    if (guest.is_file(bin, true))
      if (auto arch = guest.architecture(bin)) return arch;
  return std::nullopt;
}

void finish(const GuestView& guest, OsFacts& facts) {
  if (auto arch = architecture_of_binaries(guest)) facts.arch = *arch;
  set_package_facts(guest, facts);
  facts.osinfo = unix_osinfo(facts);
}

bool is_symlink_to(const GuestView& guest, const std::string& path, const std::string& target) {
  auto t = guest.symlink_target(path);
  return t && *t == target;
}

// FreeBSD's version, when /etc/motd did not carry one: the userland
// version freebsd-version was installed with ("13.2-RELEASE-p4").
void freebsd_version_fallback(const GuestView& guest, Release& r) {
  auto script = guest.read_small_file("/bin/freebsd-version");
  if (!script) return;
  for (const auto& line : split_lines(*script)) {
    if (line.rfind("USERLAND_VERSION=", 0) != 0) continue;
    std::string version = unquote_simple(line.substr(17));
    Release found;
    parse_version_from_major_minor(version, found);
    if (!found.version) return;
    r.version = found.version;
    r.product_name = "FreeBSD " + version;
    return;
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_os_release(const std::string& text) {
  return parse_key_values(text, true);
}

bool identify_linux(const GuestView& guest, OsFacts& facts) {
  if (!guest.is_dir("/etc")) return false;
  if (!guest.is_dir("/bin") && !is_symlink_to(guest, "/bin", "usr/bin")) return false;
  if (!guest.is_file("/etc/fstab", false) && !guest.is_file("/etc/hosts", false)) return false;
  facts.type = "linux";
  Release r;
  run_release_tests(guest, r);
  apply_release(r, facts);
  if (auto name = linux_hostname(guest)) facts.hostname = *name;
  finish(guest, facts);
  return true;
}

bool identify_bsd(const GuestView& guest, OsFacts& facts) {
  if (!guest.is_dir("/etc") || !guest.is_dir("/bin") || !guest.is_file("/etc/fstab", false)) return false;
  Release r;
  auto from_first_line = [&](const std::string& path, const char* rex) {
    if (!guest.is_file(path, true)) return;
    generic(*r.distro, rex)(guest.read_small_file(path).value_or(""), r);
  };
  if (guest.is_file("/etc/freebsd-update.conf", false)) {
    facts.type = "freebsd";
    r.distro = "freebsd";
    // No authoritative version file: the first line of motd, which
    // FreeBSD < 13 writes at boot; else the userland's version.
    from_first_line("/etc/motd", nullptr);
    if (!r.version) freebsd_version_fallback(guest, r);
    if (auto name = rc_conf_hostname(guest)) facts.hostname = *name;
  } else if (guest.is_file("/netbsd", false) && guest.is_file("/etc/release", false)) {
    facts.type = "netbsd";
    r.distro = "netbsd";
    from_first_line("/etc/release", R"(^NetBSD (\d+)\.(\d+))");
    if (auto name = rc_conf_hostname(guest)) facts.hostname = *name;
  } else if (guest.is_file("/bsd", false) && guest.is_file("/etc/motd", false)) {
    facts.type = "openbsd";
    r.distro = "openbsd";
    // Rewritten at every boot: "OpenBSD 7.3 (GENERIC) #1072: ...".
    from_first_line("/etc/motd", R"(^OpenBSD (\d+|\?)\.(\d+|\?))");
    if (auto name = hostname_from_file(guest, "/etc/myname")) facts.hostname = *name;
  } else {
    return false;
  }
  apply_release(r, facts);
  finish(guest, facts);
  return true;
}

bool identify_linux(Handle& h, OsFacts& facts) { return identify_linux(HandleView(h), facts); }

bool identify_unix(Handle& h, OsFacts& facts) {
  HandleView view(h);
  // The BSDs first: a BSD root has all a Linux one needs (/etc, /bin, fstab).
  if (identify_bsd(view, facts)) return true;
  facts = OsFacts{};
  return identify_linux(view, facts);
}

void set_package_facts(const GuestView& guest, OsFacts& facts) {
  const std::string& d = facts.distro;
  int major = facts.major_version;
  auto in = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (d == n) return true;
    return false;
  };
  if (in({"altlinux", "centos", "rocky", "fedora", "mageia", "mandriva", "meego", "neokylin", "openmandriva",
          "opensuse", "oraclelinux", "redhat-based", "rhel", "scientificlinux", "sles", "suse-based"}))
    facts.package_format = "rpm";
  else if (in({"debian", "kalilinux", "kylin", "linuxmint", "ubuntu"}))
    facts.package_format = "deb";
  else if (d == "archlinux")
    facts.package_format = "pacman";
  else if (d == "gentoo")
    facts.package_format = "ebuild";
  else if (d == "pardus")
    facts.package_format = "pisi";
  else if (d == "alpinelinux")
    facts.package_format = "apk";
  else if (d == "voidlinux")
    facts.package_format = "xbps";

  std::string pm;
  if (d == "meego") {
    pm = "yum";
  } else if (d == "fedora") {
    if (major >= 22 && guest.is_file("/usr/bin/dnf", true)) pm = "dnf";
    else if (major >= 1) pm = "yum";
  } else if (d == "neokylin" || d == "openmandriva") {
    pm = "dnf";
  } else if (in({"centos", "rocky", "oraclelinux", "redhat-based", "rhel", "scientificlinux"})) {
    if (major >= 8) pm = "dnf";
    else if (major >= 5) pm = "yum";
    else if (major >= 2) pm = "up2date";
  } else if (in({"altlinux", "debian", "kalilinux", "kylin", "linuxmint", "ubuntu"})) {
    pm = "apt";
  } else if (d == "archlinux") {
    pm = "pacman";
  } else if (d == "gentoo") {
    pm = "portage";
  } else if (d == "pardus") {
    pm = "pisi";
  } else if (d == "mageia" || d == "mandriva") {
    pm = "urpmi";
  } else if (in({"opensuse", "sles", "suse-based"})) {
    pm = "zypper";
  } else if (d == "alpinelinux") {
    pm = "apk";
  } else if (d == "voidlinux") {
    pm = "xbps";
  }
  if (!pm.empty()) facts.package_management = pm;
}

std::string unix_osinfo(const OsFacts& facts) {
  const std::string& d = facts.distro;
  int major = facts.major_version, minor = facts.minor_version;
  auto num = [](int n) { return std::to_string(n); };
  if (facts.type == "linux") {
    if (d == "centos") {
      if (major >= 8) return d + num(major);
      if (major == 7) return d + num(major) + ".0";
      if (major == 6) return d + num(major) + "." + num(minor);
    } else if (d == "circle" || d == "rocky") {
      if (major >= 8) return d + num(major);
    } else if (d == "debian") {
      if (major >= 4) return d + num(major);
    } else if (d == "fedora" || d == "mageia") {
      return d + num(major);
    } else if (d == "sles") {
      return minor == 0 ? d + num(major) : d + num(major) + "sp" + num(minor);
    } else if (d == "ubuntu") {
      std::string m = num(minor);
      if (minor >= 0 && minor < 10) m = "0" + m;
      return d + num(major) + "." + m;
    } else if (d == "archlinux" || d == "gentoo" || d == "voidlinux") {
      return d;
    } else if (d == "altlinux") {
      return (major >= 8 ? "alt" : d) + num(major) + "." + num(minor);
    }
    if (d != "unknown" && (major > 0 || minor > 0)) return d + num(major) + "." + num(minor);
  } else if (facts.type == "freebsd" || facts.type == "netbsd" || facts.type == "openbsd") {
    return d + num(major) + "." + num(minor);
  }
  return "unknown";
}

}  // namespace vt::inspect
