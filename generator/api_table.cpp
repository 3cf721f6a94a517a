// The API table.  Procedure numbers and argument orders never change once
// released; new optional arguments go at the end.  generator/procedures.txt
// records what has been released and the generator refuses any other change.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

namespace {
std::vector<StructDef> core_structs() {
  return {
      {"version",
       {{F::Int64, "major"}, {F::Int64, "minor"}, {F::Int64, "release"}, {F::String, "extra"}},
       "the daemon's version"},
      {"statvfs",
       {{F::Int64, "bsize"},  {F::Int64, "frsize"}, {F::Int64, "blocks"}, {F::Int64, "bfree"},
        {F::Int64, "bavail"}, {F::Int64, "files"},  {F::Int64, "ffree"},  {F::Int64, "favail"},
        {F::Int64, "fsid"},   {F::Int64, "flag"},   {F::Int64, "namemax"}},
       "filesystem statistics, as statvfs(3)"},
      {"partition",
       {{F::Int32, "part_num"}, {F::Int64, "part_start"}, {F::Int64, "part_end"}, {F::Int64, "part_size"}},
       "one partition: number, start, end (inclusive) and size in bytes"},
  };
}

std::vector<Call> core_calls() {
  return {
      {"version", 1, {}, {}, R::Struct, "version", kNone,
       "get the daemon's version",
       "Returns the version of the daemon running in the appliance.  The library and the "
       "daemon are built together, so this is also the library's version.",
       {{T::None, {"version"}}}},

      {"ping", 2, {}, {}, R::Void, "", kNone,
       "check that the daemon answers",
       "Does nothing in the appliance but answer.  Useful to measure the round-trip time.",
       {{T::None, {"ping"}}}},

      {"list_devices", 3, {}, {}, R::StringList, "", kNone,
       "list the block devices",
       "Lists the guest disks added to the appliance, in the order they were added "
       "(/dev/sda, /dev/sdb, …).",
       {{T::None, {"list_devices => /dev/sda\n/dev/sdb"}}}},

      {"list_partitions", 4, {}, {}, R::StringList, "", kNone,
       "list the partitions",
       "Lists all partitions on all guest disks, sorted by disk and partition number.  "
       "Logical volumes are not included.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 4095",
                    "part_add /dev/sda p 4096 -2048", "list_partitions => /dev/sda1\n/dev/sda2\n/dev/sdb1"}}}},

      {"blockdev_getsize64", 5, {{A::Device, "device"}}, {}, R::Int64, "", kNone,
       "get the size of a block device in bytes",
       "Returns the size of the device in bytes.",
       {{T::None, {"blockdev_getsize64 /dev/sda => 104857600"}}}},

      {"vfs_type", 6, {{A::Mountable, "mountable"}}, {}, R::String, "", kNone,
       "get the type of the filesystem on a device",
       "Returns the filesystem type (as blkid reports it: ext4, xfs, ntfs, vfat, swap, LVM2_member, …) "
       "of the device.  Returns an empty string if the device holds no known filesystem.",
       {{T::ScratchFS, {"vfs_type /dev/sdb1 => ext4"}}}},

      {"vfs_label", 7, {{A::Mountable, "mountable"}}, {}, R::String, "", kNone,
       "get the label of the filesystem on a device",
       "Returns the filesystem label, or an empty string if there is none.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 -2048",
                    "mkfs ext4 /dev/sda1 label:ROOTFS", "vfs_label /dev/sda1 => ROOTFS"}}}},

      {"vfs_uuid", 8, {{A::Mountable, "mountable"}}, {}, R::String, "", kNone,
       "get the UUID of the filesystem on a device",
       "Returns the filesystem UUID, or an empty string if there is none.",
       {{T::ScratchFS, {"vfs_uuid /dev/sdb1 =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}}}},

      {"mount", 9, {{A::Mountable, "mountable"}, {A::String, "mountpoint"}}, {}, R::Void, "", kNone,
       "mount a guest filesystem",
       "Mounts the filesystem on the device at the mount point, a path inside the guest's "
       "view (\"/\" first).  The filesystem is mounted read-write unless the disk was added "
       "read-only.  A btrfs subvolume is written btrfsvol:DEVICE/SUBVOLUME, as list_filesystems "
       "gives it.  A BSD's UFS is mounted as FreeBSD's UFS2, else as 4.4BSD UFS1 (NetBSD, OpenBSD), "
       "unless the options name a ufstype; the appliance's kernel mounts UFS read-only only.",
       {{T::ScratchFS, {"umount_all", "mount /dev/sdb1 /", "is_dir /lost+found => true"}},
        // NTFS: through ntfs-3g where the kernel has no ntfs3 driver (Debian's 6.1).
        {T::Empty, {"part_disk /dev/sda mbr", "mkfs ntfs /dev/sda1", "mount /dev/sda1 /",
                    "write /hello.txt \"hi\"", "umount /", "mount_ro /dev/sda1 /", "cat /hello.txt => hi", "write /no \"x\" =>!",
                    "mounts => /dev/sda1", "umount /"}}}},

      {"mount_ro", 10, {{A::Mountable, "mountable"}, {A::String, "mountpoint"}}, {}, R::Void, "", kNone,
       "mount a guest filesystem read-only",
       "Like mount, but the filesystem is mounted read-only.",
       {{T::ScratchFS, {"umount_all", "mount_ro /dev/sdb1 /", "mkdir_p /new =>!"}}}},

      {"umount", 11, {{A::String, "pathordevice"}}, {}, R::Void, "", kNone,
       "unmount a filesystem",
       "Unmounts the filesystem mounted at the path, or the one on the device.",
       {{T::ScratchFS, {"umount /", "mounts => "}}}},

      {"umount_all", 12, {}, {}, R::Void, "", kNone,
       "unmount all filesystems",
       "Unmounts every guest filesystem, innermost first.",
       {{T::ScratchFS, {"umount_all", "mounts => "}}}},

      {"mounts", 13, {}, {}, R::StringList, "", kNone,
       "list the mounted filesystems",
       "Lists the devices of the mounted guest filesystems, in mount order.",
       {{T::ScratchFS, {"mounts => /dev/sdb1"}}}},

      {"statvfs", 14, {{A::Pathname, "path"}}, {}, R::Struct, "statvfs", kNone,
       "get filesystem statistics",
       "Returns statistics of the filesystem that holds the path, as statvfs(3).",
       {{T::ScratchFS, {"statvfs / =~ namemax: 255"}}}},

      {"ls", 15, {{A::Pathname, "directory"}}, {}, R::StringList, "", kNone,
       "list the files in a directory",
       "Lists the names in the directory, sorted, without \".\" and \"..\".",
       {{T::ScratchFS, {"mkdir_p /ls/b", "write /ls/a x", "ls /ls => a\nb"}}}},

      {"cat", 16, {{A::Pathname, "path"}}, {}, R::String, "", kNone,
       "read a small text file",
       "Returns the contents of the file.  Refuses a file containing a NUL byte (use read_file) "
       "and a file larger than the protocol's message limit (use download).",
       {{T::ScratchFS, {"write /cat.txt hello", "cat /cat.txt => hello"}}}},

      {"read_file", 17, {{A::Pathname, "path"}}, {}, R::Buffer, "", kNone,
       "read a file",
       "Returns the contents of the file, which may contain any bytes.  Refuses a file larger "
       "than the protocol's message limit (use download).",
       {{T::ScratchFS, {"write /rf x", "read_file /rf => x", "read_file /missing =>!"}}}},

      {"is_file", 18, {{A::Pathname, "path"}}, {{A::Bool, "followsymlinks"}}, R::Bool, "", kNone,
       "test whether a path is a regular file",
       "Returns true if the path is a regular file.  Symbolic links are not followed unless "
       "followsymlinks is true.",
       {{T::ScratchFS, {"write /isf x", "is_file /isf => true", "is_file / => false"}}}},

      {"is_dir", 19, {{A::Pathname, "path"}}, {{A::Bool, "followsymlinks"}}, R::Bool, "", kNone,
       "test whether a path is a directory",
       "Returns true if the path is a directory.  Symbolic links are not followed unless "
       "followsymlinks is true.",
       {{T::ScratchFS, {"is_dir / => true", "is_dir /nonexistent => false"}}}},

      {"exists", 20, {{A::Pathname, "path"}}, {}, R::Bool, "", kNone,
       "test whether a path exists",
       "Returns true if something exists at the path (a dangling symbolic link counts).",
       {{T::ScratchFS, {"exists / => true", "exists /nonexistent => false"}}}},

      {"mkdir_p", 21, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "create a directory and its parents",
       "Creates the directory and any missing parents.  Not an error if it already exists.",
       {{T::ScratchFS, {"mkdir_p /a/b/c", "mkdir_p /a/b/c", "is_dir /a/b/c => true"}}}},

      {"write", 22, {{A::Pathname, "path"}, {A::String, "content"}}, {}, R::Void, "", kNone,
       "create or replace a file",
       "Writes the content (any bytes) to the file, creating or truncating it.",
       {{T::ScratchFS, {"write /w.txt abc", "cat /w.txt => abc"}}}},

      {"upload", 23, {{A::FileIn, "filename"}, {A::Pathname, "remotefilename"}}, {}, R::Void, "",
       kProgress,
       "upload a host file into the guest",
       "Copies the host file into the guest, creating or truncating the remote file.  "
       "The data is streamed, so the file may be of any size.",
       {{T::ScratchFS, {"upload /etc/hostname /up", "exists /up => true"}}}},

      {"download", 24, {{A::Pathname, "remotefilename"}, {A::FileOut, "filename"}}, {}, R::Void, "",
       kProgress,
       "download a guest file to the host",
       "Copies the guest file to the host file.  The data is streamed, so the file may be of any "
       "size.",
       {{T::ScratchFS, {"write /down abc", "download /down /dev/null"}}}},

      {"mkfs", 25, {{A::String, "fstype"}, {A::Device, "device"}},
       {{A::Int, "blocksize"}, {A::String, "features"}, {A::String, "label"}}, R::Void, "",
       kDestructive,
       "make a filesystem",
       "Creates a filesystem of the given type (ext2, ext3, ext4, xfs, btrfs, vfat, ntfs, …) "
       "on the device.  Optional: blocksize, features (ext* only, as mke2fs -O), label.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 -2048",
                    "mkfs vfat /dev/sda1 label:BOOT", "vfs_type /dev/sda1 => vfat",
                    "mkfs ext2 /dev/sda1 blocksize:4096", "vfs_type /dev/sda1 => ext2"}}}},

      {"part_init", 26, {{A::Device, "device"}, {A::String, "parttype"}}, {}, R::Void, "",
       kDestructive,
       "create an empty partition table",
       "Writes a new, empty partition table of the given type (mbr or msdos, gpt) to the device.",
       {{T::Empty, {"part_init /dev/sda gpt", "part_get_parttype /dev/sda => gpt"}}}},

      {"part_add", 27,
       {{A::Device, "device"}, {A::String, "prlogex"}, {A::Int64, "startsect"}, {A::Int64, "endsect"}},
       {}, R::Void, "", kDestructive,
       "add a partition",
       "Adds a partition from startsect to endsect (inclusive, in 512-byte sectors; a negative "
       "end counts back from the end of the disk).  prlogex is p (primary), l (logical) or e "
       "(extended); for GPT use p.",
       {{T::Empty, {"part_init /dev/sda gpt", "part_add /dev/sda p 2048 -2048",
                    "list_partitions => /dev/sda1\n/dev/sdb1"}}}},

      {"part_list", 28, {{A::Device, "device"}}, {}, R::StructList, "partition", kNone,
       "list the partitions on a device",
       "Returns each partition's number, start, end and size in bytes: the partitions of the "
       "device's own table (MBR logical partitions included), not those of a BSD disklabel "
       "inside one of them, which list_partitions shows as the kernel numbers them.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 4095",
                    "part_list /dev/sda => [0] = {\n  part_num: 1\n  part_start: 1048576\n  "
                    "part_end: 2097151\n  part_size: 1048576\n}"}}}},

      {"part_get_parttype", 29, {{A::Device, "device"}}, {}, R::String, "", kNone,
       "get the partition table type",
       "Returns the partition table type of the device: msdos (for MBR) or gpt.  Fails if the "
       "device has no partition table.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_get_parttype /dev/sda => msdos"}}}},

      {"lvs", 30, {}, {}, R::StringList, "", kNone,
       "list the logical volumes",
       "Lists the logical volumes as /dev/VG/LV, sorted.",
       {{T::None, {"lvs => "}}}},

      {"vgs", 31, {}, {}, R::StringList, "", kNone,
       "list the volume groups",
       "Lists the names of the LVM volume groups, sorted.",
       {{T::None, {"vgs => "}}}},

      {"pvs", 32, {}, {}, R::StringList, "", kNone,
       "list the physical volumes",
       "Lists the LVM physical volumes as device names, sorted.",
       {{T::None, {"pvs => "}}}},

      {"list_filesystems", 33, {}, {}, R::Hash, "", kNone,
       "list the filesystems",
       "Returns each device (whole disks, partitions, logical volumes) that holds something, "
       "with its filesystem type; swap is \"swap\" and a device with nothing recognisable is "
       "\"unknown\".  Disks that hold partitions and LVM physical volumes are left out.  After a btrfs "
       "device come its subvolumes but the default one, as btrfsvol:DEVICE/PATH, as libguestfs "
       "lists them.",
       {{T::ScratchFS, {"list_filesystems =~ /dev/sdb1: ext4"}},
        // The extended partition that holds sda5 is not a filesystem.
        {T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 40959", "part_add /dev/sda e 40960 -2048",
                    "part_add /dev/sda l 43008 81919", "mkfs vfat /dev/sda1", "mkfs ext2 /dev/sda5",
                    "list_filesystems => /dev/sda1: vfat\n/dev/sda5: ext2\n/dev/sdb1: ext4"}}}},

      {"sync", 34, {}, {}, R::Void, "", kNone,
       "flush all writes to the disks",
       "Flushes all pending writes to the disk images.  Called automatically at shutdown when "
       "any disk is writable.",
       {{T::None, {"sync"}}}},

      {"command", 35, {{A::StringList, "arguments"}}, {}, R::String, "", kDiscouraged,
       "run a command in the appliance",
       "Runs the program (looked up in the appliance's PATH) with the arguments and returns its "
       "standard output.  Fails with the standard error if it exits non-zero.  Discouraged: "
       "prefer a call that says what it does; this is only for the rare case none does.",
       {{T::None, {"command \"echo hello\" => hello\n"}},
        // Endless output is stopped, not gathered into the daemon's memory.
        {T::None, {"command \"cat /dev/zero\" =>!", "command \"echo still here\" => still here\n"}}}},

      {"part_to_dev", 36, {{A::Device, "partition"}}, {}, R::String, "", kNone,
       "get the disk that holds a partition",
       "Returns the whole-disk device of the partition: /dev/sda for /dev/sda1.",
       {{T::ScratchFS, {"part_to_dev /dev/sdb1 => /dev/sdb", "part_to_dev /dev/sdb =>!"}}}},

      {"part_to_partnum", 37, {{A::Device, "partition"}}, {}, R::Int, "", kNone,
       "get a partition's number",
       "Returns the number of the partition: 1 for /dev/sda1.",
       {{T::ScratchFS, {"part_to_partnum /dev/sdb1 => 1"}}}},

      {"part_get_mbr_id", 38, {{A::Device, "device"}, {A::Int, "partnum"}}, {}, R::Int, "", kHexOutput,
       "get the MBR type byte of a partition",
       "Returns the MBR partition type byte (0x83 for Linux, …).  Fails on a GPT disk, and for "
       "the partitions of a BSD disklabel inside an MBR partition (5 and up), which have none.",
       {{T::ScratchFS, {"part_get_mbr_id /dev/sdb 1 => 0x83"}}}},

      {"pvuuid", 39, {{A::Device, "device"}}, {}, R::String, "", kNone,
       "get the UUID of a physical volume",
       "Returns the LVM UUID of the physical volume, as LVM prints it (with dashes).",
       {{T::None, {"pvuuid /dev/sda =>!"}}}},

      {"vguuid", 40, {{A::String, "vgname"}}, {}, R::String, "", kNone,
       "get the UUID of a volume group",
       "Returns the LVM UUID of the volume group, as LVM prints it (with dashes).",
       {{T::None, {"vguuid novg =>!"}}}},

      {"lvuuid", 41, {{A::Device, "device"}}, {}, R::String, "", kNone,
       "get the UUID of a logical volume",
       "Returns the LVM UUID of the logical volume, as LVM prints it (with dashes).",
       {{T::None, {"lvuuid /dev/novg/nolv =>!"}}}},

      {"vgpvuuids", 42, {{A::String, "vgname"}}, {}, R::StringList, "", kNone,
       "get the UUIDs of a volume group's physical volumes",
       "Returns the UUIDs (as LVM prints them, with dashes) of the physical volumes of the volume group.",
       {{T::None, {"vgpvuuids novg =>!"}}}},

      {"vg_size", 43, {{A::String, "vgname"}}, {}, R::Int64, "", kNone,
       "get the size of a volume group",
       "Returns the size of the volume group in bytes.",
       {{T::None, {"vg_size novg =>!"}}}},

      {"internal_add_disks", 44, {{A::Int, "count"}}, {}, R::Void, "", kNone,
       "wait for hot-added disks (internal)",
       "Called by the library after it has hot-added disks: waits until count guest disks are "
       "visible, then activates any LVM volume groups on them.",
       {{T::None, {"internal_add_disks 2"}}}},

      {"pvcreate", 45, {{A::Device, "device"}}, {}, R::Void, "", kDestructive,
       "create an LVM physical volume",
       "Makes the device an LVM physical volume.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 -2048", "pvcreate /dev/sda1",
                    "pvs => /dev/sda1", "vgcreate VG /dev/sda1", "vgs => VG",
                    "lvcreate LV VG 8", "lvs => /dev/VG/LV", "mkfs ext4 /dev/VG/LV",
                    "vfs_type /dev/VG/LV => ext4", "vgremove VG", "pvremove /dev/sda1", "pvs => "}}}},

      {"vgcreate", 46, {{A::String, "volgroup"}, {A::StringList, "physvols"}}, {}, R::Void, "",
       kDestructive,
       "create an LVM volume group",
       "Creates a volume group from the physical volumes.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 -2048", "pvcreate /dev/sda1",
                    "vgcreate VG2 /dev/sda1", "vg_size VG2 => 100663296", "vgremove VG2"}}}},

      {"lvcreate", 47, {{A::String, "logvol"}, {A::String, "volgroup"}, {A::Int, "mbytes"}}, {},
       R::Void, "", kDestructive,
       "create an LVM logical volume",
       "Creates a logical volume of the given size in megabytes.",
       {{T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 -2048", "pvcreate /dev/sda1",
                    "vgcreate VG3 /dev/sda1", "lvcreate LV1 VG3 4",
                    "blockdev_getsize64 /dev/VG3/LV1 => 4194304", "vgremove VG3"}}}},

      {"vgremove", 48, {{A::String, "vgname"}}, {}, R::Void, "", kDestructive,
       "remove an LVM volume group",
       "Removes the volume group and all its logical volumes.",
       {{T::None, {"vgremove novg =>!"}}}},

      {"pv_size", 50, {{A::Device, "device"}}, {}, R::Int64, "", kNone,
       "get the size of a physical volume",
       "Returns the size of the LVM physical volume in bytes (as pvs reports pv_size).",
       {{T::None, {"pv_size /dev/sda =>!"}}}},

      {"pvremove", 49, {{A::Device, "device"}}, {}, R::Void, "", kDestructive,
       "remove an LVM physical volume",
       "Wipes the physical volume label from the device.",
       {{T::None, {"pvremove /dev/sda =>!"}}}},
  };
}
}  // namespace

// Each group of calls lives in its own file (generator/api_*.cpp) so that
// groups grow independently; the order here is the order of the reference.
const std::vector<StructDef>& all_structs() {
  static const std::vector<StructDef> structs = [] {
    std::vector<StructDef> all = core_structs();
    for (auto* group : {&device_structs, &filesystem_structs, &lvm_structs, &file_structs, &file_write_structs, &augeas_structs,
                        &hivex_structs, &misc_structs, &inspect_structs}) {
      auto more = (*group)();
      all.insert(all.end(), more.begin(), more.end());
    }
    return all;
  }();
  return structs;
}

const std::vector<Call>& all_calls() {
  static const std::vector<Call> calls = [] {
    std::vector<Call> all = core_calls();
    for (auto* group : {&device_calls, &filesystem_calls, &lvm_calls, &file_calls, &file_write_calls, &augeas_calls, &hivex_calls,
                        &misc_calls, &inspect_calls}) {
      auto more = (*group)();
      all.insert(all.end(), more.begin(), more.end());
    }
    return all;
  }();
  return calls;
}

}  // namespace vt::gen
