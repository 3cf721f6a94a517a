// Windows inspection: the systemroot, the SOFTWARE and SYSTEM hives (version,
// product, hostname, drive letters) and the applications of the Uninstall
// keys, as libguestfs 1.48 finds them.  Each hive is copied to the host
// once and read there with libhivex (a daemon round trip per key and value
// made a Windows guest cost about 150 of them); whatever the registry lacks
// or holds malformed is left unknown.
#include "inspect_windows.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <map>
#include <regex>

#include "errors.hpp"
#include "handle.hpp"
#include "hive.hpp"
#include "inspect.hpp"
#include "process.hpp"

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
  // Leading digits (at most 9, so the number fits an int) at `pos`.
  auto number = [&text](size_t& pos) -> std::optional<int> {
    size_t start = pos;
    while (pos < text.size() && pos - start < 10 && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
    return std::stoi(text.substr(start, pos - start));
  };
  size_t pos = 0;
  auto major = number(pos);
  if (!major || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  auto minor = number(pos);
  if (!minor) return std::nullopt;
  return std::make_pair(*major, *minor);
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
    // std::regex recurses per character: a hostile line must stay short.
    constexpr size_t kLongestLine = 1024;
    std::smatch m;
    if (line.size() > kLongestLine || !std::regex_search(line, m, kOsLine)) continue;
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

std::optional<std::string> try_case_sensitive_path(Handle& h, const std::string& path) {
  try {
    return h.case_sensitive_path(path);
  } catch (const CallError&) {
    return std::nullopt;
  }
}

namespace {

using namespace windows;

// A hive of the guest, copied to the host and read there with libhivex:
// one download instead of a daemon round trip for every key and value.
class GuestHive {
 public:
  GuestHive(Handle& h, const std::string& guest_path)
      : dir_("vt-hive-"),
        hive_(download_guest_file(h, guest_path, winreg::kMaxHiveBytes, dir_, "hive"), guest_path,
              /*writable=*/false) {}

  const winreg::Hive& hive() const { return hive_; }

  // The key at `path` from the root (names compared without regard to
  // case), or nullopt if some key on the way is missing.
  std::optional<hive_node_h> node(const std::vector<std::string>& path) const {
    std::string joined;
    for (const auto& name : path) joined += "\\" + name;
    return hive_.lookup(joined);
  }

  // A string value of the key; nullopt if missing, damaged or not a string,
  // so that one bad value costs only its own fact.
  std::optional<std::string> string_value(hive_node_h node, const std::string& name) const {
    try {
      auto value = hive_.find_value(node, name);
      return value ? hive_.string_value(*value) : std::nullopt;
    } catch (const Error&) {
      return std::nullopt;
    }
  }

  std::optional<uint32_t> dword_value(hive_node_h node, const std::string& name) const {
    try {
      auto value = hive_.find_value(node, name);
      if (!value) return std::nullopt;
      auto v = hive_.value(*value);
      return registry_dword(v.type, v.data);
    } catch (const Error&) {
      return std::nullopt;
    }
  }

 private:
  TempDir dir_;
  winreg::Hive hive_;
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

// What a systemroot candidate holds: libguestfs wants system32,
// system32/config and system32/cmd.exe.
struct Systemroot {
  std::string path;      // "/Windows"
  std::string cmd_exe;   // "/Windows/System32/cmd.exe"
  std::string software;  // "/Windows/System32/config/SOFTWARE", existing or not
};

std::optional<Systemroot> check_systemroot(Handle& h, const std::string& candidate) {
  // Each case_sensitive_path resolves every directory on the way and fails
  // if one is missing (or is not a directory), so two calls find the true
  // case of the systemroot, system32 and config.
  auto cmd_exe = try_case_sensitive_path(h, candidate + "/system32/cmd.exe");
  if (!cmd_exe || !h.is_file(*cmd_exe)) return std::nullopt;
  std::string system32 = cmd_exe->substr(0, cmd_exe->rfind('/'));
  auto software = try_case_sensitive_path(h, system32 + "/config/software");
  if (!software) return std::nullopt;
  return Systemroot{system32.substr(0, system32.rfind('/')), *cmd_exe, *software};
}

std::optional<Systemroot> find_systemroot(Handle& h) {
  // One listing of "/" rules out nearly every non-Windows filesystem.
  std::vector<std::string> top;
  try {
    top = h.ls("/");
  } catch (const CallError&) {
    return std::nullopt;
  }
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

// The architecture of cmd.exe, as file(1) names it ("x86_64", "i386").
std::string cmd_exe_architecture(Handle& h, const std::string& path) {
  try {
    return h.file_architecture(path);
  } catch (const ApplianceError&) {
    throw;
  } catch (const Error&) {
    // Not a PE binary of a known machine: a damaged or hostile cmd.exe.
    return "unknown";
  }
}

// The hive's path if it is a regular file, else "".
std::string find_hive(Handle& h, const std::optional<std::string>& path) {
  if (!path || !h.is_file(*path)) return "";
  return *path;
}

// HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion: product and version.
void read_software_hive(Handle& h, OsFacts& facts) {
  GuestHive hive(h, facts.windows_software_hive);
  auto found = hive.node({"Microsoft", "Windows NT", "CurrentVersion"});
  if (!found) return;
  hive_node_h node = *found;
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
    try {
      return m.gpt ? by_gpt_guid(m.gpt_guid) : by_mbr(m.mbr_signature, m.mbr_offset);
    } catch (const CallError&) {
      return std::nullopt;
    }
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
  GuestHive hive(h, facts.windows_system_hive);

  if (auto mounted = hive.node({"MountedDevices"})) {
    DriveResolver resolver(h);
    for (hive_value_h v : hive.hive().value_handles(*mounted)) {
      std::optional<MountedDevice> parsed;
      try {
        winreg::HiveValue value = hive.hive().value(v);
        parsed = parse_mounted_device(value.name, value.type, value.data);
      } catch (const Error&) {
        continue;  // a malformed value: the next one may be fine
      }
      if (!parsed) continue;
      if (auto dev = resolver.device_of(*parsed)) facts.drive_mappings.emplace_back(parsed->drive_letter, *dev);
    }
    std::stable_sort(facts.drive_mappings.begin(), facts.drive_mappings.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  auto select = hive.node({"Select"});
  auto current = select ? hive.dword_value(*select, "Current") : std::nullopt;
  if (!current) return;
  char control_set[32];
  std::snprintf(control_set, sizeof control_set, "ControlSet%03u", *current);
  facts.windows_current_control_set = control_set;

  if (auto params = hive.node({control_set, "Services", "Tcpip", "Parameters"}))
    if (auto hostname = hive.string_value(*params, "Hostname")) facts.hostname = *hostname;
}

// Runs one hive reader; a hive libhivex refuses (corrupt, truncated, too
// large) leaves its facts unknown rather than failing the whole inspection.
// An appliance that died is still an error.
void read_hive(Handle& h, OsFacts& facts, const std::function<void(Handle&, OsFacts&)>& reader) {
  try {
    reader(h, facts);
  } catch (const ApplianceError&) {
    throw;
  } catch (const Error&) {
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
  facts.arch = cmd_exe_architecture(h, sr->cmd_exe);
  facts.windows_software_hive = find_hive(h, sr->software);
  std::string config = sr->software.substr(0, sr->software.rfind('/'));
  facts.windows_system_hive = find_hive(h, try_case_sensitive_path(h, config + "/system"));
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
void uninstall_entries(const GuestHive& hive, const std::vector<std::string>& path, std::vector<Application>& apps) {
  auto uninstall = hive.node(path);
  if (!uninstall) return;
  for (hive_node_h node : hive.hive().children(*uninstall)) {
    try {
      Application app;
      // The key name stands for the package name: DisplayName is translated.
      app.name = hive.hive().node_name(node);
      auto display_name = hive.string_value(node, "DisplayName");
      if (!display_name) continue;
      app.display_name = *display_name;
      app.version = hive.string_value(node, "DisplayVersion").value_or("");
      app.publisher = hive.string_value(node, "Publisher").value_or("");
      app.install_path = hive.string_value(node, "InstallLocation").value_or("");
      app.description = hive.string_value(node, "Comments").value_or("");
      app.url = hive.string_value(node, "URLInfoAbout").value_or("");
      apps.push_back(std::move(app));
    } catch (const Error&) {
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
    GuestHive hive(h, hive_path);
    // Native applications, then 32-bit ones on 64-bit Windows (WOW64).
    uninstall_entries(hive, {"Microsoft", "Windows", "CurrentVersion", "Uninstall"}, apps);
    uninstall_entries(hive, {"WOW6432Node", "Microsoft", "Windows", "CurrentVersion", "Uninstall"}, apps);
  } catch (const ApplianceError&) {
    throw;
  } catch (const Error&) {
    // A hive libhivex refuses holds no applications we can list.
  }
  return apps;
}

}  // namespace vt::inspect
