// Calls about filesystems: probing, mounting, making.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// What we mounted, in order: guest mountpoint and device as the caller named it.
struct MountEntry {
  std::string device;
  std::string mountpoint;
  std::string host_path;  // where it really is in the appliance
};
std::vector<MountEntry> g_mounts;

bool device_is_readonly(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  int ro = 0;
  return fd && ::ioctl(fd.get(), BLKROGET, &ro) == 0 && ro;
}

// Whether /proc/filesystems lists it (built in, or its module loaded).
bool kernel_has_filesystem(const std::string& fstype) {
  std::ifstream in("/proc/filesystems");
  for (std::string line; std::getline(in, line);)
    if (line.size() > fstype.size() && line.compare(line.size() - fstype.size(), fstype.size(), fstype) == 0 &&
        line[line.size() - fstype.size() - 1] == '\t')
      return true;
  return false;
}

std::string kernel_fstype(const std::string& vfs) {
  if (vfs == "ntfs") return "ntfs3";
  return vfs;
}

// ntfs-3g runs as a FUSE daemon; it is given the mountpoint as the kernel
// resolved it inside the guest, and nosuid,nodev like every guest mount.
void mount_ntfs_3g(const std::string& device, const std::string& target_path, const std::string& mountpoint,
                   bool readonly) {
  char real[4096];
  ssize_t n = ::readlink(target_path.c_str(), real, sizeof real - 1);
  if (n <= 0) throw_errno("mount " + device + " on " + mountpoint);
  load_module("fuse");
  run_or_fail({"ntfs-3g", "-o", readonly ? "ro,nosuid,nodev" : "nosuid,nodev", device, std::string(real, static_cast<size_t>(n))},
              "mount " + device + " on " + mountpoint);
}

// mount(8)-style options split into mount(2) flags and the filesystem's own
// option string.
struct MountOptions {
  unsigned long flags = 0;
  std::string data;
};

MountOptions parse_mount_options(const std::string& options) {
  static const std::pair<const char*, unsigned long> kFlags[] = {
      {"ro", MS_RDONLY},          {"noexec", MS_NOEXEC},       {"sync", MS_SYNCHRONOUS}, {"dirsync", MS_DIRSYNC},
      {"noatime", MS_NOATIME},    {"nodiratime", MS_NODIRATIME}, {"relatime", MS_RELATIME},
      {"strictatime", MS_STRICTATIME}, {"lazytime", MS_LAZYTIME}, {"nosuid", MS_NOSUID}, {"nodev", MS_NODEV},
  };
  MountOptions out;
  std::istringstream in(options);
  std::string opt;
  while (std::getline(in, opt, ',')) {
    if (opt.empty() || opt == "rw" || opt == "async" || opt == "defaults") continue;
    // Guest filesystems are always nosuid,nodev: these cannot undo it.
    if (opt == "suid" || opt == "dev" || opt == "exec" || opt == "atime") continue;
    if (opt == "bind" || opt == "rbind" || opt == "remount" || opt == "move")
      throw DaemonError(EINVAL, "mount_options: " + opt + ": not a filesystem mount option");
    auto known = std::find_if(std::begin(kFlags), std::end(kFlags), [&](const auto& f) { return opt == f.first; });
    if (known != std::end(kFlags)) {
      out.flags |= known->second;
      continue;
    }
    out.data += (out.data.empty() ? "" : ",") + opt;
  }
  return out;
}

void mount_with(const std::string& mountable, const std::string& mountpoint, MountOptions options) {
  auto [device, subvolume] = parse_mountable("mount", mountable);
  bool readonly = options.flags & MS_RDONLY;
  std::string vfs = probe_value(device, "TYPE");
  if (vfs.empty()) throw DaemonError(EINVAL, device + ": no filesystem found to mount");
  if (!subvolume.empty()) {
    if (vfs != "btrfs") throw DaemonError(EINVAL, mountable + ": " + device + " is not btrfs");
    options.data += (options.data.empty() ? "" : ",") + ("subvol=" + subvolume);
  }
  if (vfs == "swap" || vfs.ends_with("_member") || vfs == "crypto_LUKS")
    throw DaemonError(EINVAL, device + ": a " + vfs + " device cannot be mounted");
  bool dev_ro = device_is_readonly(device);
  if (dev_ro && !readonly) throw DaemonError(EROFS, device + ": the device is read-only; use mount_ro");
  // The mountpoint is resolved inside the guest, so a symlink cannot take the
  // mount outside /sysroot; the kernel follows the fd's magic link.
  UniqueFd target = open_in_guest(mountpoint, O_PATH | O_DIRECTORY);
  std::string target_path = "/proc/self/fd/" + std::to_string(target.get());
  unsigned long flags = MS_NOSUID | MS_NODEV | options.flags;
  std::string fstype = kernel_fstype(vfs);
  load_module(fstype);
  const char* data = options.data.empty() ? nullptr : options.data.c_str();
  // A kernel without ntfs3 would run modprobe for it (about 0.1 s under
  // TCG) on every NTFS mount before saying ENODEV.
  bool no_ntfs3 = vfs == "ntfs" && !kernel_has_filesystem("ntfs3");
  auto mount_once = [&](const char* with_data) {
    if (no_ntfs3) return ENODEV;
    return ::mount(device.c_str(), target_path.c_str(), fstype.c_str(), flags, with_data) == 0 ? 0 : errno;
  };
  int err = 0;
  std::string ufs_data;
  if (vfs == "ufs" && options.data.find("ufstype=") == std::string::npos) {
    // Linux cannot tell UFS variants apart by itself: FreeBSD's UFS2 first,
    // then the 4.4BSD UFS1 of NetBSD and OpenBSD, as libguestfs's
    // inspection does.
    for (const char* ufstype : {"ufstype=ufs2", "ufstype=44bsd"}) {
      ufs_data = options.data.empty() ? ufstype : options.data + "," + ufstype;
      data = ufs_data.c_str();
      if ((err = mount_once(data)) != EINVAL) break;
    }
  } else {
    err = mount_once(data);
  }
  if (err == EROFS && vfs == "ufs" && !readonly)
    throw DaemonError(EROFS, device + ": this kernel can mount UFS (BSD) filesystems read-only only; use mount_ro");
  if (err) {
    // Some kernels (Debian's) leave out ntfs3: then ntfs-3g mounts NTFS over FUSE.
    if (err == ENODEV && vfs == "ntfs") {
      mount_ntfs_3g(device, target_path, mountpoint, readonly);
      err = 0;
    }
    // A dirty journal cannot be replayed on a read-only disk: look at the
    // filesystem as it is on disk.
    const char* no_replay = vfs == "ext3" || vfs == "ext4" ? "noload" : vfs == "xfs" ? "norecovery" : nullptr;
    std::string retry_data = options.data.empty() ? std::string(no_replay ? no_replay : "")
                                                  : options.data + "," + (no_replay ? no_replay : "");
    if (err && !(readonly && no_replay &&
          mount_once(retry_data.c_str()) == 0))
      throw_errno("mount " + device + " on " + mountpoint, err);
  }
  char real[4096];
  ssize_t n = ::readlink(target_path.c_str(), real, sizeof real - 1);
  std::string host = n > 0 ? std::string(real, static_cast<size_t>(n)) : std::string(kSysroot) + mountpoint;
  g_mounts.push_back({mountable, mountpoint, host});
}

// Mounts below /sysroot as the kernel sees them, innermost last.
std::vector<std::string> sysroot_mounts() {
  std::ifstream in("/proc/self/mounts");
  std::vector<std::string> out;
  std::string line;
  std::string root = kSysroot;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string dev, mp;
    ls >> dev >> mp;
    if (mp == root || mp.rfind(root + "/", 0) == 0) out.push_back(mp);
  }
  return out;
}

}  // namespace

// A subvolume has the type, label and UUID of its filesystem, as libguestfs.
std::string do_vfs_type(const std::string& mountable) {
  return probe_value(parse_mountable("vfs_type", mountable).device, "TYPE");
}
std::string do_vfs_label(const std::string& mountable) {
  return probe_value(parse_mountable("vfs_label", mountable).device, "LABEL");
}
std::string do_vfs_uuid(const std::string& mountable) {
  return probe_value(parse_mountable("vfs_uuid", mountable).device, "UUID");
}

void do_mount(const std::string& mountable, const std::string& mountpoint) { mount_with(mountable, mountpoint, {}); }
void do_mount_ro(const std::string& mountable, const std::string& mountpoint) {
  mount_with(mountable, mountpoint, {MS_RDONLY, ""});
}
void do_mount_options(const std::string& options, const std::string& mountable, const std::string& mountpoint) {
  mount_with(mountable, mountpoint, parse_mount_options(options));
}

void do_umount(const std::string& pathordevice) {
  auto it = std::find_if(g_mounts.rbegin(), g_mounts.rend(), [&](const MountEntry& m) {
    return m.device == pathordevice || m.mountpoint == pathordevice;
  });
  if (it == g_mounts.rend()) throw DaemonError(EINVAL, "umount: " + pathordevice + ": not mounted");
  if (::umount2(it->host_path.c_str(), 0) < 0) throw_errno("umount " + pathordevice);
  g_mounts.erase(std::next(it).base());
}

void do_umount_all() {
  auto mounts = sysroot_mounts();
  for (auto it = mounts.rbegin(); it != mounts.rend(); ++it)
    if (::umount2(it->c_str(), 0) < 0 && ::umount2(it->c_str(), MNT_DETACH) < 0) throw_errno("umount " + *it);
  g_mounts.clear();
}

std::vector<std::string> do_mounts() {
  std::vector<std::string> out;
  for (const auto& m : g_mounts) out.push_back(m.device);
  return out;
}

std::vector<std::pair<std::string, std::string>> do_mountpoints() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& m : g_mounts) out.emplace_back(m.device, m.mountpoint);
  return out;
}

api::statvfs do_statvfs(const std::string& path) {
  UniqueFd fd = open_in_guest(path, O_PATH);
  struct statvfs s {};
  if (::fstatvfs(fd.get(), &s) < 0) throw_errno("statvfs " + path);
  api::statvfs r;
  r.bsize = static_cast<int64_t>(s.f_bsize);
  r.frsize = static_cast<int64_t>(s.f_frsize);
  r.blocks = static_cast<int64_t>(s.f_blocks);
  r.bfree = static_cast<int64_t>(s.f_bfree);
  r.bavail = static_cast<int64_t>(s.f_bavail);
  r.files = static_cast<int64_t>(s.f_files);
  r.ffree = static_cast<int64_t>(s.f_ffree);
  r.favail = static_cast<int64_t>(s.f_favail);
  r.fsid = static_cast<int64_t>(s.f_fsid);
  r.flag = static_cast<int64_t>(s.f_flag);
  r.namemax = static_cast<int64_t>(s.f_namemax);
  return r;
}

void do_mkfs(const std::string& fstype, const std::string& device, const api::MkfsOptargs& o) {
  std::vector<std::string> argv;
  if (fstype == "ext2" || fstype == "ext3" || fstype == "ext4") {
    argv = {"mke2fs", "-q", "-F", "-t", fstype};
    if (o.blocksize) argv.insert(argv.end(), {"-b", std::to_string(*o.blocksize)});
    if (o.features) argv.insert(argv.end(), {"-O", *o.features});
    if (o.label) argv.insert(argv.end(), {"-L", *o.label});
  } else if (fstype == "xfs") {
    argv = {"mkfs.xfs", "-q", "-f"};
    if (o.blocksize) argv.insert(argv.end(), {"-b", "size=" + std::to_string(*o.blocksize)});
    if (o.label) argv.insert(argv.end(), {"-L", *o.label});
  } else if (fstype == "btrfs") {
    argv = {"mkfs.btrfs", "-q", "-f"};
    if (o.blocksize) argv.insert(argv.end(), {"-s", std::to_string(*o.blocksize)});
    if (o.label) argv.insert(argv.end(), {"-L", *o.label});
  } else if (fstype == "vfat" || fstype == "fat") {
    argv = {"mkfs.vfat"};
    // For FAT the block size is the cluster size, given in sectors.
    if (o.blocksize) argv.insert(argv.end(), {"-s", std::to_string(*o.blocksize / 512)});
    if (o.label) argv.insert(argv.end(), {"-n", *o.label});
  } else if (fstype == "ntfs") {
    argv = {"mkntfs", "-Q", "-q"};
    if (o.blocksize) argv.insert(argv.end(), {"-c", std::to_string(*o.blocksize)});
    if (o.label) argv.insert(argv.end(), {"-L", *o.label});
  } else {
    throw DaemonError(EINVAL, "mkfs: unsupported filesystem type " + fstype);
  }
  if (o.features && fstype.rfind("ext", 0) != 0)
    throw DaemonError(EINVAL, "mkfs: features is only supported for ext2/3/4");
  argv.push_back(device);
  send_progress(0, 1);
  run_or_fail(argv, "mkfs " + fstype + " " + device);
  send_progress(1, 1);
}

std::vector<std::pair<std::string, std::string>> do_list_filesystems() {
  std::vector<std::string> candidates;
  for (const auto& disk : guest_disks()) {
    auto parts = disk_partitions(disk);
    if (parts.empty()) {
      candidates.push_back(disk);
      continue;
    }
    // An MBR extended partition only holds the logical ones.
    std::vector<int> extended;
    try {
      PartitionTable table(disk);
      for (int i = 0; i < table.count(); ++i)
        if (blkid_partition_is_extended(table.at(i))) extended.push_back(blkid_partition_get_partno(table.at(i)));
    } catch (const DaemonError&) {
      // The kernel found partitions blkid cannot read: list them all.
    }
    for (const auto& p : parts) {
      int num = std::stoi(p.substr(p.find_last_not_of("0123456789") + 1));
      if (std::find(extended.begin(), extended.end(), num) == extended.end()) candidates.push_back(p);
    }
  }
  for (auto& lv : do_lvs()) candidates.push_back(std::move(lv));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& dev : candidates) {
    std::string type;
    try {
      type = probe_value(dev, "TYPE");
    } catch (const DaemonError&) {
    }
    if (type.ends_with("_member") || type == "crypto_LUKS") continue;
    if (type != "btrfs") {
      out.emplace_back(dev, type.empty() ? "unknown" : type);
      continue;
    }
    // The device, then its subvolumes, as libguestfs lists them; a btrfs
    // whose subvolumes cannot be read is left out, as there.
    std::vector<std::string> subvolumes;
    try {
      subvolumes = listed_btrfs_subvolumes(dev);
    } catch (const DaemonError&) {
      continue;
    }
    out.emplace_back(dev, type);
    for (const auto& sv : subvolumes) out.emplace_back("btrfsvol:" + dev + "/" + sv, "btrfs");
  }
  return out;
}

}  // namespace vt::daemon
