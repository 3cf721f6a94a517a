// inspect_os: which filesystems are roots, their fstab, collation.
#include "inspect.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <regex>

#include "errors.hpp"
#include "handle.hpp"
#include "inspect_fstab.hpp"

namespace vt::inspect {

std::vector<std::pair<std::string, std::string>> Root::mountpoints() const {
  std::vector<std::pair<std::string, std::string>> result{{"/", device}};
  // Swap and the like have no mountpoint ("none").
  for (const auto& entry : facts.fstab)
    if (entry.first != "/" && !entry.first.empty() && entry.first[0] == '/') result.push_back(entry);
  return result;
}

std::vector<std::string> Root::filesystems() const {
  std::vector<std::string> result{device};
  for (const auto& entry : facts.fstab)
    if (std::find(result.begin(), result.end(), entry.second) == result.end()) result.push_back(entry.second);
  return result;
}

const Root* Inspection::find(const std::string& device) const {
  for (const auto& r : roots)
    if (r.device == device) return &r;
  return nullptr;
}

// --- pure helpers (inspect_fstab.hpp) --------------------------------------

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string lowercase(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> lookup(const std::map<std::string, std::string>& table, const std::string& key) {
  auto it = table.find(key);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

// OpenBSD names a partition by its disklabel's unique id and letter:
// "0123456789abcdef.a".
bool is_openbsd_duid(const std::string& spec) {
  static const std::regex duid(R"(^[0-9a-f]{16}\.[a-z]$)");
  return std::regex_match(spec, duid);
}

bool is_bsd(const std::string& os_type) { return os_type == "freebsd" || os_type == "netbsd" || os_type == "openbsd"; }

}  // namespace

bool fstab_entry_wanted(const std::string& spec, const std::string& mountpoint, const std::string& vfstype) {
  if (spec.empty() || spec == "none") return false;
  // Swap is one of the OS's filesystems, though mounted nowhere.
  if (vfstype != "swap" && (mountpoint.empty() || mountpoint[0] != '/')) return false;
  // Floppies and CD-ROMs are not the OS's.
  if (spec == "/dev/cdrom" || spec == "/dev/floppy" || starts_with(spec, "/dev/fd") || starts_with(spec, "/dev/cd") ||
      starts_with(spec, "/dev/sr") || starts_with(spec, "/dev/iso9660/"))
    return false;
  // A filesystem on a local device is named by a device path or a tag; proc,
  // tmpfs, nfs ("host:/path") and the like are not.
  return starts_with(spec, "/dev/") || starts_with(spec, "UUID=") || starts_with(spec, "LABEL=") ||
         starts_with(spec, "PARTUUID=") || starts_with(spec, "PARTLABEL=") || is_openbsd_duid(spec);
}

std::string canonical_mountpoint(const std::string& mountpoint) {
  if (mountpoint.empty() || mountpoint[0] != '/') return mountpoint;
  std::string out;
  for (char c : mountpoint)
    if (c != '/' || out.empty() || out.back() != '/') out += c;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string appliance_device_name(const std::string& guest_device) {
  // /dev/ + (h|s|v|xv) + d + letters + digits
  for (const char* prefix : {"/dev/hd", "/dev/sd", "/dev/vd", "/dev/xvd"}) {
    std::string p = prefix;
    if (!starts_with(guest_device, p)) continue;
    size_t i = p.size(), letters = i;
    while (i < guest_device.size() && std::islower(static_cast<unsigned char>(guest_device[i]))) ++i;
    if (i == letters) return guest_device;
    size_t digits = i;
    while (i < guest_device.size() && std::isdigit(static_cast<unsigned char>(guest_device[i]))) ++i;
    if (i != guest_device.size()) return guest_device;
    return "/dev/sd" + guest_device.substr(letters, digits - letters) + guest_device.substr(digits);
  }
  return guest_device;
}

std::optional<std::string> mapper_to_lv(const std::string& device) {
  const std::string prefix = "/dev/mapper/";
  if (!starts_with(device, prefix)) return std::nullopt;
  std::string name = device.substr(prefix.size());
  // device-mapper doubles each '-' inside the VG and LV names; the single
  // one separates them.
  std::string vg, lv;
  bool in_lv = false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '-') {
      if (i + 1 < name.size() && name[i + 1] == '-') {
        (in_lv ? lv : vg) += '-';
        ++i;
        continue;
      }
      if (in_lv) return std::nullopt;
      in_lv = true;
      continue;
    }
    if (name[i] == '/') return std::nullopt;
    (in_lv ? lv : vg) += name[i];
  }
  if (!in_lv || vg.empty() || lv.empty()) return std::nullopt;
  return "/dev/" + vg + "/" + lv;
}

std::string unescape_udev(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '\\' && i + 3 < name.size() && name[i + 1] == 'x' &&
        std::isxdigit(static_cast<unsigned char>(name[i + 2])) && std::isxdigit(static_cast<unsigned char>(name[i + 3]))) {
      out += static_cast<char>(std::stoi(name.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += name[i];
    }
  }
  return out;
}

int by_id_partition(const std::string& name) {
  auto pos = name.rfind("-part");
  if (pos == std::string::npos || pos + 5 == name.size()) return 0;
  std::string digits = name.substr(pos + 5);
  if (digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
    return 0;
  return std::stoi(digits);
}

std::optional<std::string> bsd_device_name(const std::string& spec, const std::string& os_type) {
  static const std::regex freebsd_gpt(R"(^/dev/(?:ada?|vtbd)(\d{1,3})p(\d{1,3})$)");
  static const std::regex freebsd_mbr(R"(^/dev/(?:ada?|vtbd)(\d{1,3})s(\d{1,3})([a-z])$)");
  static const std::regex netbsd(R"(^/dev/[ls]d([0-9])([a-z])$)");
  static const std::regex openbsd(R"(^/dev/[sw]d([0-9])([a-z])$)");
  auto device = [](int disk, int partition) -> std::optional<std::string> {
    if (disk < 0 || disk >= 26) return std::nullopt;
    return "/dev/sd" + std::string(1, char('a' + disk)) + std::to_string(partition);
  };
  std::smatch m;
  if (std::regex_match(spec, m, freebsd_gpt)) {
    int part = std::stoi(m[2]);
    if (part > 128) return std::nullopt;
    return device(std::stoi(m[1]), part);
  }
  if (std::regex_match(spec, m, freebsd_mbr)) {
    // Only the first slice: Linux numbers every slice's label partitions
    // on from 5, so beyond the first the numbers depend on the others.
    int slice = std::stoi(m[2]), part = m[3].str()[0] - 'a';
    if (slice != 1 || part == 2) return std::nullopt;  // 'c' is the whole slice
    if (part > 2) --part;
    return device(std::stoi(m[1]), part + 5);
  }
  if (os_type == "netbsd" && std::regex_match(spec, m, netbsd)) {
    int part = m[2].str()[0] - 'a';
    if (part == 2 || part == 3) return std::nullopt;  // 'c' the NetBSD partition, 'd' the whole disk
    if (part > 3) part -= 2;
    return device(std::stoi(m[1]), part + 5);
  }
  if (os_type == "openbsd") {
    if (is_openbsd_duid(spec)) return bsd_device_name("/dev/sd0" + spec.substr(17), os_type);
    if (std::regex_match(spec, m, openbsd)) {
      int part = m[2].str()[0] - 'a';
      if (part == 2) return std::nullopt;  // 'c' is the whole disk
      if (part > 2) --part;
      if (part >= 15) return std::nullopt;
      return device(std::stoi(m[1]), part + 5);
    }
  }
  return std::nullopt;
}

std::optional<std::string> resolve_fstab_spec(const std::string& spec, const DeviceTables& t,
                                              const std::string& os_type) {
  auto existing = [&](const std::string& dev) -> std::optional<std::string> {
    if (t.mountables.count(dev)) return dev;
    return std::nullopt;
  };
  auto tag = [&](const std::string& prefix) { return spec.substr(prefix.size()); };
  if (starts_with(spec, "UUID=")) return lookup(t.by_uuid, lowercase(tag("UUID=")));
  if (starts_with(spec, "LABEL=")) return lookup(t.by_label, tag("LABEL="));
  if (starts_with(spec, "PARTUUID=")) return lookup(t.by_partuuid, lowercase(tag("PARTUUID=")));
  if (starts_with(spec, "PARTLABEL=")) return lookup(t.by_partlabel, tag("PARTLABEL="));
  const std::string by = "/dev/disk/by-";
  if (starts_with(spec, by)) {
    auto slash = spec.find('/', by.size());
    if (slash == std::string::npos) return std::nullopt;
    std::string kind = spec.substr(by.size(), slash - by.size()), name = unescape_udev(spec.substr(slash + 1));
    if (kind == "uuid") return lookup(t.by_uuid, lowercase(name));
    if (kind == "label") return lookup(t.by_label, name);
    if (kind == "partuuid") return lookup(t.by_partuuid, lowercase(name));
    if (kind == "partlabel") return lookup(t.by_partlabel, name);
    if (kind == "id" || kind == "path") {
      // The guest's disk serials and bus paths mean nothing here; with one
      // disk there is only one thing they can name.
      if (t.disks.size() != 1) return std::nullopt;
      int part = by_id_partition(name);
      return existing(part ? t.disks[0] + std::to_string(part) : t.disks[0]);
    }
    return std::nullopt;
  }
  if (auto lv = mapper_to_lv(spec)) return existing(*lv);
  if (auto bsd = bsd_device_name(spec, os_type)) return bsd;  // renamed only, as disk names below
  if (is_openbsd_duid(spec)) return std::nullopt;
  // A disk name (/dev/vdb1) is only renamed, as libguestfs does: an entry
  // for a disk this guest was not given still shows where it would go.
  std::string renamed = appliance_device_name(spec);
  if (starts_with(renamed, "/dev/sd") && renamed.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789", 7) == std::string::npos &&
      renamed.size() > 7 && std::islower(static_cast<unsigned char>(renamed[7])))
    return renamed;
  return existing(renamed);
}

std::string btrfs_subvolume_mountable(const std::string& device, const std::string& subvol) {
  size_t start = subvol.find_first_not_of('/');
  if (start == std::string::npos) return device;
  return "btrfsvol:" + device + "/" + subvol.substr(start);
}

bool inspectable_fs_type(const std::string& vfs_type) {
  static const std::set<std::string> kSkipped = {
      "swap",       "unknown",          "crypto_LUKS", "LVM2_member", "linux_raid_member",
      "zfs_member", "BitLocker",        "ddf_raid_member", "isw_raid_member", "bcache",
      "drbd",       "VMFS_volume_member", "",
  };
  return kSkipped.count(vfs_type) == 0;
}

std::vector<std::pair<std::string, std::string>> mount_order(std::vector<std::pair<std::string, std::string>> mps) {
  std::stable_sort(mps.begin(), mps.end(), [](const auto& a, const auto& b) {
    if (a.first.size() != b.first.size()) return a.first.size() < b.first.size();
    return a.first < b.first;
  });
  return mps;
}

// --- inspection on the appliance ---------------------------------------------

namespace {

// The appliance's devices and their tags, read the first time an fstab needs
// them and then kept for the rest of inspect_os.
class Devices {
 public:
  Devices(Handle& h, std::vector<std::pair<std::string, std::string>> filesystems)
      : h_(h), filesystems_(std::move(filesystems)) {
    for (const auto& [dev, type] : filesystems_) tables_.mountables.insert(dev);
  }
  const std::vector<std::pair<std::string, std::string>>& filesystems() const { return filesystems_; }
  const std::set<std::string>& mountables() const { return tables_.mountables; }
  // The tables without the blkid tags (maybe not read yet).
  const DeviceTables& untagged() const { return tables_; }

  const DeviceTables& tables() {
    if (!tagged_) {
      tagged_ = true;
      tables_.disks = h_.list_devices();
      for (const auto& [dev, type] : filesystems_) {
        if (starts_with(dev, "btrfsvol:")) continue;
        std::vector<std::pair<std::string, std::string>> attrs;
        try {
          attrs = h_.blkid(dev);
        } catch (const CallError&) {
          continue;
        }
        for (const auto& [key, value] : attrs) {
          if (value.empty()) continue;
          if (key == "UUID") tables_.by_uuid.emplace(lowercase(value), dev);
          else if (key == "LABEL") tables_.by_label.emplace(value, dev);
          else if (key == "PART_ENTRY_UUID") tables_.by_partuuid.emplace(lowercase(value), dev);
          else if (key == "PART_ENTRY_NAME") tables_.by_partlabel.emplace(value, dev);
        }
      }
    }
    return tables_;
  }

  // The subvolume of a btrfs device with this id, for subvolid= options.
  std::optional<std::string> subvolume_path(const std::string& device, int64_t id) {
    if (id == 5) return std::string("/");
    auto it = subvolumes_.find(device);
    if (it == subvolumes_.end()) {
      std::vector<api::btrfssubvolume> list;
      try {
        list = h_.btrfs_subvolume_list(device);
      } catch (const CallError&) {
      }
      it = subvolumes_.emplace(device, std::move(list)).first;
    }
    for (const auto& sv : it->second)
      if (sv.btrfssubvolume_id == id) return sv.btrfssubvolume_path;
    return std::nullopt;
  }

 private:
  Handle& h_;
  std::vector<std::pair<std::string, std::string>> filesystems_;
  DeviceTables tables_;
  bool tagged_ = false;
  std::map<std::string, std::vector<api::btrfssubvolume>> subvolumes_;
};

Devices* g_devices = nullptr;  // set while inspect_os runs, for read_fstab

// Mounts a mountable (a device or btrfsvol:DEV/PATH).
void mount_mountable(Handle& h, const std::string& mountable, const std::string& mountpoint, bool readonly) {
  // The daemon takes btrfsvol:DEV/PATH as it is.
  if (readonly)
    h.mount_ro(mountable, mountpoint);
  else
    h.mount(mountable, mountpoint);
}

// The candidates to mount and look at: every filesystem list_filesystems
// gives, which includes each btrfs subvolume as btrfsvol:DEV/PATH.
std::vector<std::string> candidates(const Devices& devices) {
  std::vector<std::string> out;
  for (const auto& [dev, type] : devices.filesystems())
    if (inspectable_fs_type(type)) out.push_back(dev);
  return out;
}

const std::string& vfs_type_of(const Devices& devices, const std::string& mountable) {
  static const std::string btrfs = "btrfs", none;
  if (starts_with(mountable, "btrfsvol:")) return btrfs;
  for (const auto& [dev, type] : devices.filesystems())
    if (dev == mountable) return type;
  return none;
}

// Looks at the filesystem mounted on "/"; true (facts filled) if it is a root.
bool identify(Handle& h, const std::string& mountable, const std::string& vfs_type, OsFacts& facts) {
  // Windows lives on NTFS (or FAT, long ago); Linux and BSD never on NTFS.
  bool windows_fs = vfs_type == "ntfs" || vfs_type == "vfat" || vfs_type == "exfat" || vfs_type == "fuseblk";
  if (vfs_type != "ntfs") {
    if (identify_unix(h, facts)) return true;
    facts = OsFacts{};
  }
  if (windows_fs) {
    if (identify_windows(h, mountable, facts)) return true;
    facts = OsFacts{};
  }
  return false;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> read_fstab(Handle& h, const std::string& fstab_path,
                                                            const std::string& os_type, const std::string& root) {
  std::vector<std::pair<std::string, std::string>> result;
  // Outside inspect_os (no gathered tables): gather them for this one call.
  std::optional<Devices> own;
  Devices* devices = g_devices;
  if (!devices) devices = &own.emplace(h, h.list_filesystems());

  // One round trip: spec, file, vfstype, subvol= and subvolid= of each entry.
  auto fields = h.internal_read_fstab(fstab_path);
  if (fields.size() % 5 != 0) throw Error("internal_read_fstab: " + fstab_path + ": not five fields an entry");
  for (size_t i = 0; i + 5 <= fields.size(); i += 5) {
    const std::string &spec = fields[i], &mountpoint = fields[i + 1], &vfstype = fields[i + 2];
    const std::string &subvol = fields[i + 3], &subvolid = fields[i + 4];
    if (!fstab_entry_wanted(spec, mountpoint, vfstype)) continue;
    std::optional<std::string> mountable;
    if (is_bsd(os_type) && canonical_mountpoint(mountpoint) == "/") {
      mountable = root;
    } else {
      // Only UUID=, LABEL= and /dev/disk/by-* need tags (blkid on every device).
      bool needs_tags = spec.find('=') != std::string::npos || starts_with(spec, "/dev/disk/");
      mountable = resolve_fstab_spec(spec, needs_tags ? devices->tables() : devices->untagged(), os_type);
    }
    if (!mountable) continue;
    if (vfstype == "btrfs") {
      if (!subvol.empty()) {
        mountable = btrfs_subvolume_mountable(*mountable, subvol);
      } else if (!subvolid.empty()) {
        try {
          if (auto path = devices->subvolume_path(*mountable, std::stoll(subvolid)))
            mountable = btrfs_subvolume_mountable(*mountable, *path);
        } catch (const std::logic_error&) {
        }
      }
    }
    result.emplace_back(canonical_mountpoint(mountpoint), *mountable);
  }
  return result;
}

std::vector<std::string> inspect_os(Handle& h) {
  h.umount_all();
  Devices devices(h, h.list_filesystems());
  struct DevicesScope {
    explicit DevicesScope(Devices* d) { g_devices = d; }
    ~DevicesScope() { g_devices = nullptr; }
  } scope(&devices);

  std::vector<Root> roots;
  for (const auto& mountable : candidates(devices)) {
    const std::string& type = vfs_type_of(devices, mountable);
    try {
      mount_mountable(h, mountable, "/", true);
    } catch (const CallError&) {
      continue;  // not mountable here: still a filesystem, but not a root we can see
    }
    OsFacts facts;
    bool is_root = false;
    try {
      is_root = identify(h, mountable, type, facts);
      if (is_root && facts.type != "windows") {
        facts.fstab = read_fstab(h, "/etc/fstab", facts.type, mountable);
        // A separate /usr holds os-release and the binaries: look again with
        // it mounted, as libguestfs merges what /usr says into a Linux root.
        for (const auto& [mp, dev] : facts.fstab) {
          if (facts.type != "linux" || mp != "/usr" || dev == mountable) continue;
          try {
            mount_mountable(h, dev, "/usr", true);
            OsFacts merged;
            if (identify_linux(h, merged)) {
              merged.fstab = std::move(facts.fstab);
              facts = std::move(merged);
            }
          } catch (const CallError&) {
          }
          break;
        }
      }
    } catch (...) {
      h.umount_all();
      throw;
    }
    h.umount_all();
    if (is_root) roots.push_back(Root{mountable, std::move(facts)});
  }
  std::sort(roots.begin(), roots.end(), [](const Root& a, const Root& b) { return a.device < b.device; });

  auto& state = h.inspection();
  state.roots = std::move(roots);
  state.done = true;
  std::vector<std::string> out;
  for (const auto& r : state.roots) out.push_back(r.device);
  return out;
}

void mount_root(Handle& h, const Root& root, bool readonly) {
  // A hostile fstab can name a thousand missing devices: a few warnings
  // tell the story, the count tells the rest.
  constexpr size_t kMaxMountWarnings = 5;
  size_t failures = 0;
  for (const auto& [mountpoint, mountable] : mount_order(root.mountpoints())) {
    try {
      mount_mountable(h, mountable, mountpoint, readonly);
    } catch (const CallError& e) {
      if (mountpoint == "/") throw;
      if (++failures <= kMaxMountWarnings)
        std::cerr << h.program_name() << ": warning: " << mountable << " could not be mounted on " << mountpoint
                  << " (ignored): " << e.what() << "\n";
    }
  }
  if (failures > kMaxMountWarnings)
    std::cerr << h.program_name() << ": warning: " << failures - kMaxMountWarnings
              << " more filesystems in the guest's fstab could not be mounted (ignored)\n";
}

}  // namespace vt::inspect
