// The work: list the filesystems, mount each read-only on / and statvfs it.
#include <optional>

#include "devices.hpp"
#include "df.hpp"
#include "errors.hpp"

namespace vt::df {

std::string guest_name(const std::vector<DiskArg>& disks) {
  if (disks.empty()) return "";
  const DiskArg& first = disks.front();
  std::string name = first.domain;
  if (name.empty()) {
    auto slash = first.path.rfind('/');
    name = slash == std::string::npos ? first.path : first.path.substr(slash + 1);
  }
  return name + std::string(disks.size() - 1, '+');
}

std::vector<FilesystemStat> stat_filesystems(Handle& h) {
  std::vector<FilesystemStat> out;
  for (const auto& [dev, vfs] : h.list_filesystems()) {
    // These never mount; skipping them saves a failed mount each.
    if (vfs.empty() || vfs == "swap" || vfs == "unknown") continue;
    try {
      h.mount_ro(dev, "/");
    } catch (const CallError&) {
      continue;  // not mountable: libguestfs leaves it out silently
    }
    std::optional<api::statvfs> st;
    try {
      st = h.statvfs("/");
    } catch (const CallError&) {
    }
    h.umount_all();
    if (st) out.push_back({canonical_device_name(dev), *st});
  }
  return out;
}

}  // namespace vt::df
