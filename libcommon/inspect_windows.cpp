// Windows inspection: the systemroot, the SOFTWARE and SYSTEM hives (version,
// product, hostname, drive letters) and the applications of the Uninstall
// keys, as libguestfs 1.48 finds them.  Every registry read goes through the
// daemon's hivex calls (the hive stays in the appliance), a few round trips
// per fact; whatever the registry lacks or holds malformed is left unknown.
#include "inspect_windows.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <regex>

#include "errors.hpp"
#include "handle.hpp"

namespace vt::inspect {

namespace windows {

std::optional<uint32_t> registry_dword(int64_t type, const std::string& data) {
  if (data.size() != 4 || (type != kRegDword && type != kRegDwordBigEndian)) return std::nullopt;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    size_t at = type == kRegDword ? static_cast<size_t>(3 - i) : static_cast<size_t>(i);
    v = (v << 8) | static_cast<uint8_t>(data[at]);
  }
  return v;
}

namespace {

uint64_t little_endian(const std::string& data, size_t offset, size_t size) {
  uint64_t v = 0;
  for (size_t i = size; i-- > 0;) v = (v << 8) | static_cast<uint8_t>(data[offset + i]);
  return v;
}

uint64_t big_endian(const std::string& data, size_t offset, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) v = (v << 8) | static_cast<uint8_t>(data[offset + i]);
  return v;
}

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<MountedDevice> parse_mounted_device(const std::string& key, int64_t type, const std::string& data) {
  static const std::string kPrefix = "\\dosdevices\\";
  if (key.size() < kPrefix.size() + 2 || !iequals(key.substr(0, kPrefix.size()), kPrefix) ||
      !std::isalpha(static_cast<unsigned char>(key[kPrefix.size()])) || key[kPrefix.size() + 1] != ':')
    return std::nullopt;
  if (type != kRegBinary) return std::nullopt;
  MountedDevice dev;
  dev.drive_letter = key.substr(kPrefix.size(), 1);
  if (data.size() >= 24 && data.compare(0, 8, "DMIO:ID:") == 0) {
    // The partition GUID in Microsoft's mixed-endian layout.
    char text[40];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                  static_cast<unsigned long long>(little_endian(data, 8, 4)),
                  static_cast<unsigned long long>(little_endian(data, 12, 2)),
                  static_cast<unsigned long long>(little_endian(data, 14, 2)),
                  static_cast<unsigned long long>(big_endian(data, 16, 2)),
                  static_cast<unsigned long long>(big_endian(data, 18, 6)));
    dev.gpt = true;
    dev.gpt_guid = text;
    return dev;
  }
  if (data.size() == 12) {
    dev.mbr_signature = static_cast<uint32_t>(little_endian(data, 0, 4));
    dev.mbr_offset = little_endian(data, 4, 8);
    return dev;
  }
  return std::nullopt;
}

std::string mbr_signature_ptuuid(uint32_t signature) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", signature);
  return text;
}

std::optional<std::pair<int, int>> parse_windows_version(const std::string& text) {
  static const std::regex kMajorMinor(R"(^(\d{1,9})\.(\d{1,9}))");
  std::smatch m;
  if (!std::regex_search(text, m, kMajorMinor)) return std::nullopt;
  return std::make_pair(std::stoi(m[1].str()), std::stoi(m[2].str()));
}

std::vector<std::string> boot_ini_systemroots(const std::string& text) {
  static const std::regex kOsLine(R"(^(multi|scsi)\((\d+)\)disk\((\d+)\)rdisk\((\d+)\)partition\((\d+)\)([^=]+)=)");
  std::vector<std::string> roots;
  bool in_section = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!in_section) {
      in_section = line.compare(0, 19, "[operating systems]") == 0;
      continue;
    }
    std::smatch m;
    if (!std::regex_search(line, m, kOsLine)) continue;
    std::string path = m[6].str();
    std::replace(path.begin(), path.end(), '\\', '/');
    if (path.empty() || path[0] != '/') path.insert(0, "/");
    roots.push_back(path);
  }
  return roots;
}

std::string windows_osinfo(const OsFacts& facts) {
  const std::string& name = facts.product_name;
  bool server = facts.product_variant.find("Server") != std::string::npos;
  auto has = [&name](const char* s) { return name.find(s) != std::string::npos; };
  switch (facts.major_version) {
    case 5:
      if (facts.minor_version == 1) return "winxp";
      if (facts.minor_version == 2) return has("XP") ? "winxp" : has("R2") ? "win2k3r2" : "win2k3";
      break;
    case 6:
      switch (facts.minor_version) {
        case 0: return server ? "win2k8" : "winvista";
        case 1: return server ? "win2k8r2" : "win7";
        case 2: return server ? "win2k12" : "win8";
        case 3: return server ? "win2k12r2" : "win8.1";
      }
      break;
    case 10:
      if (facts.minor_version != 0) break;
      if (!server) return "win10";
      return has("2022") ? "win2k22" : has("2019") ? "win2k19" : "win2k16";
  }
  return "unknown";
}

}  // namespace windows

namespace {

using namespace windows;

// The hive open in the daemon, closed on every way out.
class OpenHive {
 public:
  OpenHive(Handle& h, const std::string& path) : h_(h) {
    h_.hivex_open(path);
    root_ = h_.hivex_root();
  }
  ~OpenHive() {
    try {
      h_.hivex_close();
    } catch (const Error&) {
      // Closing cannot fail in a way that matters to a read-only reader.
    }
  }
  OpenHive(const OpenHive&) = delete;
  OpenHive& operator=(const OpenHive&) = delete;

  int64_t root() const { return root_; }

  // The node at `path` below `from` (names compared without regard to
  // case), or 0 if some key on the way is missing.
  int64_t node(int64_t from, const std::vector<std::string>& path) {
    int64_t node = from;
    for (const auto& name : path) {
      node = h_.hivex_node_get_child(node, name);
      if (node == 0) return 0;
    }
    return node;
  }

  // A string value of the node; nullopt if missing or not a valid string.
  std::optional<std::string> string_value(int64_t node, const std::string& name) {
    int64_t value = h_.hivex_node_get_value(node, name);
    if (value == 0) return std::nullopt;
    try {
      return h_.hivex_value_string(value);
    } catch (const CallError&) {
      return std::nullopt;
    }
  }

  std::optional<uint32_t> dword_value(int64_t node, const std::string& name) {
    int64_t value = h_.hivex_node_get_value(node, name);
    if (value == 0) return std::nullopt;
    try {
      return registry_dword(h_.hivex_value_type(value), h_.hivex_value_value(value));
    } catch (const CallError&) {
      return std::nullopt;
    }
  }

 private:
  Handle& h_;
  int64_t root_ = 0;
};

// The entry of `names` equal to `wanted` but for case: an exact match
// first, else the first in byte order (as case_sensitive_path picks).
std::optional<std::string> find_nocase(const std::vector<std::string>& names, const std::string& wanted) {
  std::optional<std::string> found;
  for (const auto& n : names) {
    if (n == wanted) return n;
    if (iequals(n, wanted) && (!found || n < *found)) found = n;
  }
  return found;
}

std::optional<std::string> try_case_sensitive_path(Handle& h, const std::string& path) {
  try {
    return h.case_sensitive_path(path);
  } catch (const CallError&) {
    return std::nullopt;
  }
}

// What a systemroot candidate holds: libguestfs wants system32,
// system32/config and system32/cmd.exe.
struct Systemroot {
  std::string path;     // "/Windows"
  std::string cmd_exe;  // "/Windows/System32/cmd.exe"
  std::string config;   // "/Windows/System32/config"
};

std::optional<Systemroot> check_systemroot(Handle& h, const std::string& candidate) {
  // One call resolves the case of the root and of system32, and fails if
  // either is missing.
  auto cmd_exe = try_case_sensitive_path(h, candidate + "/system32/cmd.exe");
  if (!cmd_exe || !h.is_file(*cmd_exe)) return std::nullopt;
  std::string system32 = cmd_exe->substr(0, cmd_exe->rfind('/'));
  auto config = try_case_sensitive_path(h, system32 + "/config");
  if (!config || !h.is_dir(*config)) return std::nullopt;
  return Systemroot{system32.substr(0, system32.rfind('/')), *cmd_exe, *config};
}

std::optional<Systemroot> find_systemroot(Handle& h) {
  // One listing of "/" rules out nearly every non-Windows filesystem.
  std::vector<std::string> top = h.ls("/");
  for (const char* name : {"windows", "winnt", "win32", "win", "reactos"}) {
    auto dir = find_nocase(top, name);
    if (!dir) continue;
    if (auto sr = check_systemroot(h, "/" + *dir)) return sr;
  }
  // A systemroot in an unusual place is named by boot.ini (XP and older).
  auto boot_ini = find_nocase(top, "boot.ini");
  if (!boot_ini || !h.is_file("/" + *boot_ini)) return std::nullopt;
  constexpr size_t kBootIniLimit = 1024 * 1024;
  std::string text;
  try {
    text = h.read_file("/" + *boot_ini);
  } catch (const CallError&) {
    return std::nullopt;
  }
  if (text.size() > kBootIniLimit) return std::nullopt;
  for (const auto& path : boot_ini_systemroots(text)) {
    auto real = try_case_sensitive_path(h, path);
    if (!real) continue;
    if (auto sr = check_systemroot(h, *real)) return sr;
  }
  return std::nullopt;
}

// The architecture of cmd.exe from its PE header, as file(1) names it.
// TODO(h-linux): Handle::file_architecture once merged.
std::string pe_architecture(Handle& h, const std::string& path) {
  std::string header;
  try {
    header = h.read_file(path);
  } catch (const CallError&) {
    return "unknown";
  }
  if (header.size() < 0x40 || header.compare(0, 2, "MZ") != 0) return "unknown";
  uint64_t pe = little_endian(header, 0x3c, 4);
  if (pe > header.size() || header.size() - pe < 6 || header.compare(pe, 4, std::string("PE\0\0", 4)) != 0)
    return "unknown";
  switch (little_endian(header, pe + 4, 2)) {
    case 0x014c: return "i386";
    case 0x8664: return "x86_64";
    case 0xaa64: return "aarch64";
    case 0x0200: return "ia64";
    case 0x01c0:
    case 0x01c4: return "arm";
    default: return "unknown";
  }
}

// The hive at config/NAME if it is a regular file, else "".
std::string find_hive(Handle& h, const std::string& config, const std::string& name) {
  auto path = try_case_sensitive_path(h, config + "/" + name);
  if (!path || !h.is_file(*path)) return "";
  return *path;
}

// HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion: product and version.
void read_software_hive(Handle& h, OsFacts& facts) {
  OpenHive hive(h, facts.windows_software_hive);
  int64_t node = hive.node(hive.root(), {"Microsoft", "Windows NT", "CurrentVersion"});
  if (node == 0) return;
  if (auto name = hive.string_value(node, "ProductName")) facts.product_name = *name;
  // Windows 10 and later keep "6.3" in CurrentVersion for old programs'
  // sake and the true version in two DWORDs.
  auto major = hive.dword_value(node, "CurrentMajorVersionNumber");
  auto minor = major ? hive.dword_value(node, "CurrentMinorVersionNumber") : std::nullopt;
  if (major && minor) {
    facts.major_version = static_cast<int32_t>(*major);
    facts.minor_version = static_cast<int32_t>(*minor);
  } else if (auto text = hive.string_value(node, "CurrentVersion")) {
    if (auto version = parse_windows_version(*text)) std::tie(facts.major_version, facts.minor_version) = *version;
  }
  if (auto variant = hive.string_value(node, "InstallationType")) facts.product_variant = *variant;
  // Not CurrentBuild: on XP that held something else.
  if (auto build = hive.string_value(node, "CurrentBuildNumber")) facts.build_id = *build;
}

// Finds the appliance device of each drive letter's partition.  The
// devices' partition tables are probed once, only when a blob needs them.
class DriveResolver {
 public:
  explicit DriveResolver(Handle& h) : h_(h) {}

  std::optional<std::string> device_of(const MountedDevice& m) {
    return m.gpt ? by_gpt_guid(m.gpt_guid) : by_mbr(m.mbr_signature, m.mbr_offset);
  }

 private:
  std::optional<std::string> by_mbr(uint32_t signature, uint64_t offset) {
    if (!mbr_disks_) {
      mbr_disks_.emplace();
      for (const auto& dev : h_.list_devices()) {
        try {
          std::map<std::string, std::string> tags;
          for (auto& [k, v] : h_.blkid(dev)) tags.emplace(k, v);
          if (tags["PTTYPE"] == "dos" && !tags["PTUUID"].empty()) mbr_disks_->emplace_back(tags["PTUUID"], dev);
        } catch (const CallError&) {
          // Nothing blkid recognises: not a partitioned disk.
        }
      }
    }
    std::string ptuuid = mbr_signature_ptuuid(signature);
    for (const auto& [id, dev] : *mbr_disks_) {
      if (id != ptuuid) continue;
      for (const auto& part : h_.part_list(dev))
        if (static_cast<uint64_t>(part.part_start) == offset) return dev + std::to_string(part.part_num);
    }
    return std::nullopt;
  }

  std::optional<std::string> by_gpt_guid(const std::string& guid) {
    if (!gpt_partitions_) {
      gpt_partitions_.emplace();
      for (const auto& part : h_.list_partitions()) {
        try {
          std::map<std::string, std::string> tags;
          for (auto& [k, v] : h_.blkid(part)) tags.emplace(k, v);
          if (tags["PART_ENTRY_SCHEME"] == "gpt") {
            std::string id = tags["PART_ENTRY_UUID"];
            std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
            gpt_partitions_->emplace_back(id, part);
          }
        } catch (const CallError&) {
        }
      }
    }
    for (const auto& [id, part] : *gpt_partitions_)
      if (id == guid) return part;
    return std::nullopt;
  }

  Handle& h_;
  std::optional<std::vector<std::pair<std::string, std::string>>> mbr_disks_;
  std::optional<std::vector<std::pair<std::string, std::string>>> gpt_partitions_;
};

// HKLM\SYSTEM: drive letters, the current control set, the hostname.
void read_system_hive(Handle& h, OsFacts& facts) {
  OpenHive hive(h, facts.windows_system_hive);

  if (int64_t mounted = hive.node(hive.root(), {"MountedDevices"})) {
    DriveResolver resolver(h);
    for (const auto& v : h.hivex_node_values(mounted)) {
      std::string key = h.hivex_value_key(v.hivex_value_h);
      // Cheap test on the name before fetching type and data.
      if (key.size() < 14 || !iequals(key.substr(0, 12), "\\dosdevices\\")) continue;
      std::optional<MountedDevice> parsed;
      try {
        parsed = parse_mounted_device(key, h.hivex_value_type(v.hivex_value_h), h.hivex_value_value(v.hivex_value_h));
      } catch (const CallError&) {
        continue;
      }
      if (!parsed) continue;
      if (auto dev = resolver.device_of(*parsed)) facts.drive_mappings.emplace_back(parsed->drive_letter, *dev);
    }
    std::stable_sort(facts.drive_mappings.begin(), facts.drive_mappings.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  int64_t select = hive.node(hive.root(), {"Select"});
  auto current = select ? hive.dword_value(select, "Current") : std::nullopt;
  if (!current) return;
  char control_set[32];
  std::snprintf(control_set, sizeof control_set, "ControlSet%03u", *current);
  facts.windows_current_control_set = control_set;

  if (int64_t params = hive.node(hive.root(), {control_set, "Services", "Tcpip", "Parameters"}))
    if (auto hostname = hive.string_value(params, "Hostname")) facts.hostname = *hostname;
}

// Runs one hive reader; a hive libhivex refuses (corrupt, truncated) leaves
// its facts unknown rather than failing the whole inspection.
void read_hive(Handle& h, OsFacts& facts, const std::function<void(Handle&, OsFacts&)>& reader) {
  try {
    reader(h, facts);
  } catch (const CallError&) {
  }
}

}  // namespace

bool identify_windows(Handle& h, const std::string& device, OsFacts& facts) {
  (void)device;
  auto sr = find_systemroot(h);
  if (!sr) return false;
  facts.type = "windows";
  facts.distro = "windows";
  facts.windows_systemroot = sr->path;
  facts.arch = pe_architecture(h, sr->cmd_exe);
  facts.windows_software_hive = find_hive(h, sr->config, "software");
  facts.windows_system_hive = find_hive(h, sr->config, "system");
  // libguestfs reads the registry only when both hives are there.
  if (!facts.windows_software_hive.empty() && !facts.windows_system_hive.empty()) {
    read_hive(h, facts, read_software_hive);
    read_hive(h, facts, read_system_hive);
  }
  facts.osinfo = windows_osinfo(facts);
  return true;
}

namespace {

// The applications of one Uninstall key: each subkey with a DisplayName.
void uninstall_entries(Handle& h, OpenHive& hive, const std::vector<std::string>& path,
                       std::vector<Application>& apps) {
  int64_t uninstall = hive.node(hive.root(), path);
  if (uninstall == 0) return;
  for (const auto& child : h.hivex_node_children(uninstall)) {
    int64_t node = child.hivex_node_h;
    try {
      Application app;
      // The key name stands for the package name: DisplayName is translated.
      app.name = h.hivex_node_name(node);
      auto display_name = hive.string_value(node, "DisplayName");
      if (!display_name) continue;
      app.display_name = *display_name;
      app.version = hive.string_value(node, "DisplayVersion").value_or("");
      app.publisher = hive.string_value(node, "Publisher").value_or("");
      app.install_path = hive.string_value(node, "InstallLocation").value_or("");
      app.description = hive.string_value(node, "Comments").value_or("");
      app.url = hive.string_value(node, "URLInfoAbout").value_or("");
      apps.push_back(std::move(app));
    } catch (const CallError&) {
      // A malformed entry is skipped; the others are still listed.
    }
  }
}

}  // namespace

std::vector<Application> list_windows_applications(Handle& h, const Root& root) {
  std::vector<Application> apps;
  const std::string& hive_path = root.facts.windows_software_hive;
  if (hive_path.empty()) return apps;
  try {
    OpenHive hive(h, hive_path);
    // Native applications, then 32-bit ones on 64-bit Windows (WOW64).
    uninstall_entries(h, hive, {"Microsoft", "Windows", "CurrentVersion", "Uninstall"}, apps);
    uninstall_entries(h, hive, {"WOW6432Node", "Microsoft", "Windows", "CurrentVersion", "Uninstall"}, apps);
  } catch (const CallError&) {
    // A hive libhivex refuses holds no applications we can list.
  }
  return apps;
}

}  // namespace vt::inspect
