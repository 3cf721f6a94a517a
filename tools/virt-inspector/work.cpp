// What virt-inspector gathers about each operating system: the inspection
// result, type/label/UUID of its filesystems, and its applications.
#include <algorithm>
#include <map>

#include "errors.hpp"
#include "handle.hpp"
#include "inspector.hpp"

namespace vt::inspector {

namespace {

// Disk-like device names under /dev; anything else (a volume group's
// directory, /dev/mapper) holds one more path component.
bool is_flat_device_name(const std::string& name) {
  for (const char* prefix : {"sd", "vd", "hd", "xvd", "nvme", "md", "loop", "dm-", "ubd", "mmcblk"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

std::string lookup(const std::vector<std::pair<std::string, std::string>>& attrs, const char* key) {
  for (const auto& [name, value] : attrs)
    if (name == key) return value;
  return "";
}

}  // namespace

std::string mountable_device(const std::string& mountable) {
  const std::string prefix = "btrfsvol:";
  if (mountable.rfind(prefix, 0) != 0) return mountable;
  std::string rest = mountable.substr(prefix.size());  // /dev/sda2/@/sub
  if (rest.rfind("/dev/", 0) != 0) return rest;
  size_t first = rest.find('/', 5);
  if (first == std::string::npos) return rest;
  if (is_flat_device_name(rest.substr(5, first - 5))) return rest.substr(0, first);
  size_t second = rest.find('/', first + 1);
  return second == std::string::npos ? rest : rest.substr(0, second);
}

std::vector<FilesystemInfo> describe_filesystems(Handle& h, const inspect::Root& root) {
  auto mountables = root.filesystems();
  std::sort(mountables.begin(), mountables.end());
  // btrfs subvolumes share their device: probe each device once.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> probed;
  std::vector<FilesystemInfo> result;
  for (const auto& mountable : mountables) {
    std::string device = mountable_device(mountable);
    auto it = probed.find(device);
    if (it == probed.end()) {
      std::vector<std::pair<std::string, std::string>> attrs;
      // As libguestfs: a filesystem that cannot be probed is listed bare.
      try {
        attrs = h.blkid(device);
      } catch (const CallError&) {
      }
      it = probed.emplace(device, std::move(attrs)).first;
    }
    result.push_back({mountable, lookup(it->second, "TYPE"), lookup(it->second, "LABEL"), lookup(it->second, "UUID")});
  }
  return result;
}

std::vector<OsReport> inspect_guest(Handle& h, const std::vector<std::string>& roots, const Wanted& wanted) {
  std::vector<OsReport> reports;
  for (const auto& device : roots) {
    const inspect::Root* root = h.inspection().find(device);
    if (!root) throw Error("inspection: no root " + device);
    OsReport report{*root, describe_filesystems(h, *root), std::nullopt, ""};
    if (wanted.applications || wanted.icon) {
      inspect::mount_root(h, *root, /*readonly=*/true);
      if (wanted.applications) report.applications = inspect::list_applications(h, *root);
      // As libguestfs's virt-inspector: no favicon, distributions' base
      // favicons are 16x16 and poor.
      if (wanted.icon) report.icon = h.inspect_get_icon(device, {.favicon = false, .highquality = std::nullopt});
      h.umount_all();
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace vt::inspector
