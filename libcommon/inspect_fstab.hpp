// The pure parts of reading a guest's fstab (inspect.cpp): which entries
// matter and which appliance mountable each device spec names.  No appliance
// needed, so unit-tested (tests/unit/inspect_core_test.cpp).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vt::inspect {

// What the appliance has, gathered once per inspect_os (a round trip costs
// milliseconds under TCG, so never per fstab entry).
struct DeviceTables {
  std::set<std::string> mountables;  // list_filesystems: /dev/sda1, /dev/VG/LV
  std::vector<std::string> disks;    // list_devices: /dev/sda...
  // Filesystem or partition attribute -> device (UUIDs lowercase).
  std::map<std::string, std::string> by_uuid, by_label, by_partuuid, by_partlabel;
};

// True for an fstab entry naming a filesystem on a device that inspection
// may map: not proc/sysfs/tmpfs/devpts/nfs (whose spec names no local
// device), not a floppy or CD-ROM; a mountpoint that is an absolute path,
// or swap (kept, as libguestfs counts it among the OS's filesystems).
bool fstab_entry_wanted(const std::string& spec, const std::string& mountpoint, const std::string& vfstype);

// "//usr//local/" -> "/usr/local"; anything not absolute ("none") unchanged.
std::string canonical_mountpoint(const std::string& mountpoint);

// The appliance's name for a guest's disk device: the appliance sees every
// disk as /dev/sdX, whatever the guest called it (/dev/vda1, /dev/hda1,
// /dev/xvda1 -> /dev/sda1).  Other names come back unchanged.
std::string appliance_device_name(const std::string& guest_device);

// "/dev/mapper/VG-LV" (dashes inside names doubled) -> "/dev/VG/LV"; nullopt
// for a mapper name that is not VG-LV.
std::optional<std::string> mapper_to_lv(const std::string& device);

// udev's escapes in /dev/disk/by-label names ("\x20" -> " ").
std::string unescape_udev(const std::string& name);

// The partition number at the end of a /dev/disk/by-id or by-path name
// ("...-part2" -> 2), or 0 for a whole disk.
int by_id_partition(const std::string& name);

// A BSD's name for a partition of its disk, as the appliance shows it:
// Linux numbers the partitions of a BSD disklabel from 5, in label order,
// leaving out the one (or two, on NetBSD) that stand for the whole disk.
//   FreeBSD (any os_type):  /dev/ada0p2 -> /dev/sda2 (GPT);
//                           /dev/ada0s1a -> /dev/sda5, ...s1d -> sda7 (MBR slice 1)
//   NetBSD:                 /dev/sd0a -> /dev/sda5, sd0e -> sda7 (c and d skipped)
//   OpenBSD:                /dev/wd0a -> /dev/sda5, wd0d -> sda7;
//                           DUID.a (0123456789abcdef.a) -> as sd0a
// nullopt for anything else.  os_type is inspection's ("freebsd"...).
std::optional<std::string> bsd_device_name(const std::string& spec, const std::string& os_type);

// The appliance mountable an fstab spec names, or nullopt when it names
// nothing that exists here (the entry is then dropped).  os_type is the
// guest's, for the names only a BSD uses.
std::optional<std::string> resolve_fstab_spec(const std::string& spec, const DeviceTables& tables,
                                              const std::string& os_type = "linux");

// "btrfsvol:DEVICE/SUBVOL" for the subvolume path given in a subvol= option
// (leading slashes dropped); DEVICE itself for the top (empty or "/").
std::string btrfs_subvolume_mountable(const std::string& device, const std::string& subvol);

// True for a filesystem type inspection mounts to look at (not swap, not an
// encrypted or RAID/LVM member, not unknown).
bool inspectable_fs_type(const std::string& vfs_type);

// Mountpoints in the order guestfish -i mounts them: shorter first, so
// "/" comes before "/boot" before "/boot/efi".
std::vector<std::pair<std::string, std::string>> mount_order(std::vector<std::pair<std::string, std::string>> mps);

}  // namespace vt::inspect
