// API table group: filesystems: procedures 200-299.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// The scratch disk's one partition, as most tests here start.
const std::string kPart1 = "part_init /dev/sda mbr";
const std::string kPart2 = "part_add /dev/sda p 2048 -2048";
// mkfs.xfs refuses filesystems under 300 MB except under the XFS test suite,
// whose environment variables the tests borrow for the 100 MB scratch disk.
const std::string kSmallXfs = "command \"env TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f";
// btrfs needs 114 MB unless data and metadata share block groups (mixed mode).
const std::string kSmallBtrfs = "command \"mkfs.btrfs -q -f -M /dev/sda1\"";
// od prints a run of identical lines as one line and "*".
const std::string kOdZeroes = " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n";
}  // namespace

std::vector<StructDef> filesystem_structs() {
  return {
      {"xfsinfo",
       {{F::String, "xfs_mntpoint"},    {F::Int32, "xfs_inodesize"},   {F::Int32, "xfs_agcount"},
        {F::Int32, "xfs_agsize"},       {F::Int32, "xfs_sectsize"},    {F::Int32, "xfs_attr"},
        {F::Int32, "xfs_blocksize"},    {F::Int64, "xfs_datablocks"},  {F::Int32, "xfs_imaxpct"},
        {F::Int32, "xfs_sunit"},        {F::Int32, "xfs_swidth"},      {F::Int32, "xfs_dirversion"},
        {F::Int32, "xfs_dirblocksize"}, {F::Int32, "xfs_cimode"},      {F::String, "xfs_logname"},
        {F::Int32, "xfs_logblocksize"}, {F::Int32, "xfs_logblocks"},   {F::Int32, "xfs_logversion"},
        {F::Int32, "xfs_logsectsize"},  {F::Int32, "xfs_logsunit"},    {F::Int32, "xfs_lazycount"},
        {F::String, "xfs_rtname"},      {F::Int32, "xfs_rtextsize"},   {F::Int64, "xfs_rtblocks"},
        {F::Int64, "xfs_rtextents"}},
       "the geometry of an XFS filesystem, as xfs_info(8) prints it; -1 or \"\" where it says nothing"},
      {"btrfssubvolume",
       {{F::Int64, "btrfssubvolume_id"}, {F::Int64, "btrfssubvolume_top_level_id"},
        {F::String, "btrfssubvolume_path"}},
       "one btrfs subvolume or snapshot: its id, the id of the subvolume holding it, and its path "
       "from the top of the filesystem"},
  };
}

std::vector<Call> filesystem_calls() {
  return {
      {"blkid", 200, {{A::Device, "device"}}, {}, R::Hash, "", kNone,
       "get the attributes blkid finds on a device",
       "Probes the device directly (no cache) and returns every attribute blkid reports, in its "
       "order: DEVNAME, LABEL, UUID, VERSION, TYPE, USAGE, the I/O sizes and, for a partition, the "
       "PART_ENTRY_* values.  Which keys appear depends on what the device holds.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1 label:BLK",
                    "blkid /dev/sda1 =~ ^DEVNAME: /dev/sda1\nLABEL: BLK\nUUID: [0-9a-f-]{36}\nVERSION: 1\\.0\n"
                    "BLOCK_SIZE: 1024\nTYPE: ext4\nUSAGE: filesystem\n",
                    "blkid /dev/sda1 =~ ^PART_ENTRY_NUMBER: 1$", "blkid /dev/sda1 =~ ^PART_ENTRY_TYPE: 0x83$"}},
        {T::ScratchFS, {"blkid /dev/sdb =~ ^PTTYPE: dos$", "blkid /dev/nonexistent =>!"}}}},

      {"mkswap", 201, {{A::Device, "device"}}, {{A::String, "label"}, {A::String, "uuid"}}, R::Void, "",
       kDestructive,
       "make a swap area",
       "Writes a Linux swap signature on the device.  Optional: the label and the UUID of the swap "
       "area.",
       {{T::Empty, {kPart1, kPart2, "mkswap /dev/sda1 label:SWP uuid:01234567-89ab-cdef-0123-456789abcdef",
                    "vfs_type /dev/sda1 => swap", "vfs_label /dev/sda1 => SWP",
                    "vfs_uuid /dev/sda1 => 01234567-89ab-cdef-0123-456789abcdef",
                    "mkswap /dev/sda1", "vfs_label /dev/sda1 => ", "mkswap /dev/sda1 uuid:not-a-uuid =>!"}}}},

      {"set_label", 202, {{A::Mountable, "mountable"}, {A::String, "label"}}, {}, R::Void, "", kNone,
       "set the label of a filesystem",
       "Sets the label of the filesystem on the device.  Supported: ext2/3/4 (16 bytes at most), XFS "
       "(12 bytes, not mounted), btrfs (255 bytes, not mounted), FAT (11 bytes), NTFS (128 "
       "characters, not starting with \"-\") and swap (16 bytes).  Fails with ENOTSUP on any other type.  vfs_label reads it "
       "back.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1", "set_label /dev/sda1 EXTLABEL",
                    "vfs_label /dev/sda1 => EXTLABEL", "set_label /dev/sda1 12345678901234567 =>!",
                    "mkfs vfat /dev/sda1", "set_label /dev/sda1 FATLABEL", "vfs_label /dev/sda1 => FATLABEL",
                    "mkswap /dev/sda1", "set_label /dev/sda1 swaplabel", "vfs_label /dev/sda1 => swaplabel",
                    "mkfs ntfs /dev/sda1", "set_label /dev/sda1 NTFSLABEL", "vfs_label /dev/sda1 => NTFSLABEL"}},
        {T::Empty, {kPart1, kPart2, kSmallXfs + " /dev/sda1\"", "set_label /dev/sda1 XFSLABEL",
                    "vfs_label /dev/sda1 => XFSLABEL", "set_label /dev/sda1 1234567890123 =>!",
                    kSmallBtrfs, "set_label /dev/sda1 btrfslabel", "vfs_label /dev/sda1 => btrfslabel",
                    "command \"wipefs -a -q /dev/sda1\"", "set_label /dev/sda1 none =>!"}}}},

      {"set_uuid", 203, {{A::Device, "device"}, {A::String, "uuid"}}, {}, R::Void, "", kNone,
       "set the UUID of a filesystem",
       "Sets the UUID of the filesystem on the device.  Supported: ext2/3/4, XFS (not mounted), "
       "btrfs (not mounted), FAT (the volume serial, written XXXX-XXXX), NTFS (the volume serial, 16 "
       "hex digits) and swap.  Fails with ENOTSUP on any other type.  vfs_uuid reads it back.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1", "set_uuid /dev/sda1 11111111-2222-3333-4444-555555555555",
                    "vfs_uuid /dev/sda1 => 11111111-2222-3333-4444-555555555555",
                    "set_uuid /dev/sda1 not-a-uuid =>!",
                    "mkswap /dev/sda1", "set_uuid /dev/sda1 21111111-2222-3333-4444-555555555555",
                    "vfs_uuid /dev/sda1 => 21111111-2222-3333-4444-555555555555",
                    "mkfs vfat /dev/sda1", "set_uuid /dev/sda1 1234-ABCD", "vfs_uuid /dev/sda1 => 1234-ABCD",
                    "mkfs ntfs /dev/sda1", "set_uuid /dev/sda1 0123456789ABCDEF",
                    "vfs_uuid /dev/sda1 => 0123456789ABCDEF"}},
        {T::Empty, {kPart1, kPart2, kSmallXfs + " /dev/sda1\"",
                    "set_uuid /dev/sda1 31111111-2222-3333-4444-555555555555",
                    "vfs_uuid /dev/sda1 => 31111111-2222-3333-4444-555555555555", kSmallBtrfs,
                    "set_uuid /dev/sda1 41111111-2222-3333-4444-555555555555",
                    "vfs_uuid /dev/sda1 => 41111111-2222-3333-4444-555555555555"}}}},

      {"mount_options", 204, {{A::String, "options"}, {A::Mountable, "mountable"}, {A::String, "mountpoint"}}, {},
       R::Void, "", kNone,
       "mount a guest filesystem with mount options",
       "Like mount, with options as mount(8) -o takes them, separated by commas (\"ro,noatime\", "
       "\"data=journal\", …).  An empty string adds none.  Guest filesystems are always mounted "
       "nosuid and nodev, whatever the options say.",
       {{T::ScratchFS, {"umount_all", "mount_options ro,noexec /dev/sdb1 /", "write /mo-ro x =>!",
                        "statvfs / =~ ^flag: 4111$", "umount_all", "mount_options \"\" /dev/sdb1 /",
                        "write /mo-rw x", "statvfs / =~ ^flag: 4102$", "umount_all",
                        "mount_options nosuchoption /dev/sdb1 / =>!", "mounts => "}}}},

      {"mountpoints", 205, {}, {}, R::Hash, "", kNone,
       "list the mounted filesystems and where",
       "Like mounts, but returns each mounted device with its mount point (in the guest's view), in "
       "mount order.",
       {{T::ScratchFS, {"mountpoints => /dev/sdb1: /"}},
        {T::Empty, {kPart1, kPart2, "mkfs ext2 /dev/sda1", "mount /dev/sdb1 /", "mkdir_p /mountpoints-dir",
                    "mount /dev/sda1 /mountpoints-dir", "mountpoints => /dev/sdb1: /\n/dev/sda1: /mountpoints-dir",
                    "umount /mountpoints-dir", "mountpoints => /dev/sdb1: /", "umount_all", "mountpoints => "}}}},

      {"fsck", 206, {{A::String, "fstype"}, {A::Device, "device"}}, {}, R::Int, "", kNone,
       "check a filesystem",
       "Runs fsck -a -t fstype on the device, which repairs what is safe to repair without asking, "
       "and returns fsck's exit status (see fsck(8)): 0 means no errors, 1 errors corrected, and the "
       "codes add up; 8 is an operational error such as finding no filesystem.  The call itself "
       "fails only if fsck could not be run.  (fsck may run the checker of the type it detects "
       "rather than fstype's.)",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1", "fsck ext4 /dev/sda1 => 0", "mkfs vfat /dev/sda1",
                    "fsck vfat /dev/sda1 => 0", "zero /dev/sda1", "fsck ext4 /dev/sda1 => 8"}},
        // A FAT whose dirty bit is set gets it cleared: "errors corrected".
        {T::Empty, {kPart1, kPart2, "mkfs vfat /dev/sda1",
                    // Bit 0 of byte 37 is the dirty bit: copy byte 0 (0xeb, a jump) there.
                    "command \"dd if=/dev/sda1 of=/dev/sda1 bs=1 skip=0 seek=37 count=1 conv=notrunc status=none\"",
                    "fsck vfat /dev/sda1 => 1", "fsck vfat /dev/sda1 => 0"}}}},

      {"e2fsck", 207, {{A::Device, "device"}}, {{A::Bool, "correct"}, {A::Bool, "forceall"}}, R::Void, "", kNone,
       "check an ext2/ext3/ext4 filesystem",
       "Checks the ext2/3/4 filesystem on the device, even if it is marked clean.  correct: repair "
       "whatever can be repaired safely without asking (e2fsck -p).  forceall: answer yes to every "
       "question (e2fsck -y).  At most one of the two may be given; with neither, nothing is changed "
       "(e2fsck -n) and a filesystem that needs repairs makes the call fail.  Fails if errors remain uncorrected.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1", "e2fsck /dev/sda1", "e2fsck /dev/sda1 correct:true",
                    "e2fsck /dev/sda1 forceall:true", "e2fsck /dev/sda1 correct:true forceall:true =>!",
                    // Not forceall here: it would bring the ext4 back from a backup superblock.
                    "mkfs vfat /dev/sda1", "e2fsck /dev/sda1 =>!"}}}},

      {"resize2fs", 208, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "grow or shrink an ext2/ext3/ext4 filesystem to its device",
       "Resizes the ext2/3/4 filesystem on the device to the size of the device.  resize2fs refuses "
       "to work on a filesystem that was mounted since it was last checked: call e2fsck (forceall) "
       "first.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1", "resize2fs_size /dev/sda1 20971520",
                    "tune2fs_l /dev/sda1 =~ ^Block count: 20480$", "resize2fs /dev/sda1",
                    "tune2fs_l /dev/sda1 =~ ^Block count: 100352$"}}}},

      {"resize2fs_size", 209, {{A::Device, "device"}, {A::Int64, "size"}}, {}, R::Void, "", kNone,
       "grow or shrink an ext2/ext3/ext4 filesystem to a size",
       "Like resize2fs, but to the given size in bytes (rounded down to a whole number of KiB).",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1 blocksize:4096", "resize2fs_size /dev/sda1 33554432",
                    "tune2fs_l /dev/sda1 =~ ^Block count: 8192$", "resize2fs_size /dev/sda1 0 =>!"}}}},

      {"ntfsresize", 210, {{A::Device, "device"}}, {{A::Int64, "size"}, {A::Bool, "force"}}, R::Void, "", kNone,
       "grow or shrink an NTFS filesystem",
       "Resizes the NTFS filesystem on the device to the size of the device, or to size bytes.  "
       "Afterwards the filesystem is marked as needing a check by Windows, and ntfsresize refuses a "
       "filesystem so marked unless force is true; so a second resize without booting Windows in "
       "between needs force.",
       {{T::Empty, {kPart1, kPart2, "mkfs ntfs /dev/sda1", "ntfsresize /dev/sda1 size:52428800",
                    "ntfsresize /dev/sda1 =>!", "ntfsresize /dev/sda1 force:true"}}}},

      {"ntfsfix", 211, {{A::Device, "device"}}, {{A::Bool, "clearbadsectors"}}, R::Void, "", kNone,
       "fix common NTFS problems and make Windows check the filesystem",
       "Repairs some basic NTFS inconsistencies, resets the journal and marks the filesystem so that "
       "Windows checks it at its next boot.  It does not check the filesystem itself (unlike chkdsk).  "
       "clearbadsectors: also empty the list of bad sectors, useful after copying a disk that had "
       "some.",
       {{T::Empty, {kPart1, kPart2, "mkfs ntfs /dev/sda1", "ntfsfix /dev/sda1",
                    "ntfsfix /dev/sda1 clearbadsectors:true", "mkfs ext2 /dev/sda1", "ntfsfix /dev/sda1 =>!"}}}},

      {"xfs_growfs", 212, {{A::Pathname, "path"}},
       {{A::Bool, "datasec"}, {A::Bool, "logsec"}, {A::Bool, "rtsec"}, {A::Int64, "datasize"}, {A::Int64, "logsize"},
        {A::Int64, "rtsize"}, {A::Int64, "rtextsize"}, {A::Int, "maxpct"}},
       R::Void, "", kNone,
       "grow a mounted XFS filesystem",
       "Grows the XFS filesystem mounted at path.  datasec, logsec, rtsec: grow the data, log or "
       "realtime section to the end of its device.  datasize, logsize, rtsize: grow it to this many "
       "filesystem blocks instead.  rtextsize: the realtime extent size.  maxpct: the most space, in "
       "percent, that inodes may use.  Options as xfs_growfs(8).",
       {{T::Empty, {kPart1, kPart2, kSmallXfs + " -d size=40m /dev/sda1\"", "mount /dev/sda1 /",
                    "xfs_info / =~ ^xfs_datablocks: 10240$", "xfs_growfs / datasec:true maxpct:10",
                    "xfs_info / =~ ^xfs_datablocks: 25088$", "xfs_info / =~ ^xfs_imaxpct: 10$",
                    "umount_all", "xfs_growfs / =>!"}}}},

      {"xfs_info", 213, {{A::String, "pathordevice"}}, {}, R::Struct, "xfsinfo", kNone,
       "get the geometry of an XFS filesystem",
       "Returns the geometry of the XFS filesystem on the device or mounted at the path (in the "
       "guest).  Numbers that xfs_info does not print are -1, strings \"\".",
       {{T::Empty, {kPart1, kPart2, kSmallXfs + " -L XI /dev/sda1\"",
                    "xfs_info /dev/sda1 => xfs_mntpoint: /dev/sda1\nxfs_inodesize: 512\nxfs_agcount: 4\n"
                    "xfs_agsize: 6272\nxfs_sectsize: 512\nxfs_attr: 2\nxfs_blocksize: 4096\nxfs_datablocks: 25088\n"
                    "xfs_imaxpct: 25\nxfs_sunit: 0\nxfs_swidth: 0\nxfs_dirversion: 2\nxfs_dirblocksize: 4096\n"
                    "xfs_cimode: 0\nxfs_logname: internal\nxfs_logblocksize: 4096\nxfs_logblocks: 1368\n"
                    "xfs_logversion: 2\nxfs_logsectsize: 512\nxfs_logsunit: 0\nxfs_lazycount: 1\n"
                    "xfs_rtname: none\nxfs_rtextsize: 4096\nxfs_rtblocks: 0\nxfs_rtextents: 0",
                    "mount /dev/sda1 /", "xfs_info / =~ ^xfs_mntpoint: /dev/sda1$", "umount_all",
                    "mkfs ext2 /dev/sda1", "xfs_info /dev/sda1 =>!"}}}},

      {"btrfs_filesystem_resize", 214, {{A::Pathname, "mountpoint"}}, {{A::Int64, "size"}}, R::Void, "", kNone,
       "grow or shrink a mounted btrfs filesystem",
       "Resizes the btrfs filesystem mounted at mountpoint (btrfs only resizes mounted filesystems) "
       "to size bytes, or to the whole device without size.  The kernel refuses sizes under 256 MiB.",
       // The kernel refuses to resize btrfs below 256 MiB, and the scratch disk is 100 MiB:
       // only the refusal can be tested here.
       {{T::Empty, {kPart1, kPart2, "command \"mkfs.btrfs -q -f -M -b 67108864 /dev/sda1\"", "mount /dev/sda1 /",
                    "statvfs / =~ ^blocks: 16384$", "btrfs_filesystem_resize / =>!",
                    "btrfs_filesystem_resize / size:83886080 =>!", "statvfs / =~ ^blocks: 16384$", "umount_all",
                    "mount /dev/sdb1 /", "btrfs_filesystem_resize / =>!", "umount_all"}}}},

      {"btrfs_subvolume_list", 215, {{A::String, "fs"}}, {}, R::StructList, "btrfssubvolume", kNone,
       "list the subvolumes and snapshots of a btrfs filesystem",
       "Lists the subvolumes and snapshots of the btrfs filesystem mounted at the path fs (in the "
       "guest), or on the device fs (mounted for the call).",
       {{T::Empty, {kPart1, kPart2, kSmallBtrfs, "mount /dev/sda1 /", "btrfs_subvolume_list / => ",
                    "btrfs_subvolume_create /sv1", "btrfs_subvolume_create /sv1/sv2",
                    "btrfs_subvolume_list / => [0] = {\n  btrfssubvolume_id: 256\n  btrfssubvolume_top_level_id: 5\n"
                    "  btrfssubvolume_path: sv1\n}\n[1] = {\n  btrfssubvolume_id: 257\n"
                    "  btrfssubvolume_top_level_id: 256\n  btrfssubvolume_path: sv1/sv2\n}",
                    "umount_all", "btrfs_subvolume_list /dev/sda1 =~ btrfssubvolume_path: sv1/sv2",
                    "btrfs_subvolume_list /dev/sdb1 =>!",
                    // Subvolumes are mountables of their own, as libguestfs's btrfsvol:DEVICE/PATH.
                    "list_filesystems =~ /dev/sda1: btrfs\nbtrfsvol:/dev/sda1/sv1: btrfs\nbtrfsvol:/dev/sda1/sv1/sv2: btrfs",
                    "vfs_type btrfsvol:/dev/sda1/sv1 => btrfs", "mount_ro btrfsvol:/dev/sda1/sv1 /",
                    "is_dir /sv2 => true", "mounts => btrfsvol:/dev/sda1/sv1", "umount_all",
                    "mount_ro btrfsvol:/dev/sda1/sv1,subvol=sv1/sv2 / =>!", "mount_ro btrfsvol:/dev/sda1/ / =>!",
                    "mount_ro btrfsvol:/dev/sdb1/x / =>!", "set_label btrfsvol:/dev/sda1/sv1 x =>!"}}}},

      {"btrfs_subvolume_create", 216, {{A::Pathname, "dest"}}, {{A::String, "qgroupid"}}, R::Void, "", kNone,
       "create a btrfs subvolume",
       "Creates a subvolume at dest, a new name in a directory of a mounted btrfs filesystem.  "
       "qgroupid: the quota group (as level/id) that the new subvolume joins.",
       {{T::Empty, {kPart1, kPart2, kSmallBtrfs, "mount /dev/sda1 /", "btrfs_subvolume_create /a",
                    "is_dir /a => true", "btrfs_subvolume_create /a =>!",
                    "command \"btrfs quota enable /sysroot\"", "command \"btrfs qgroup create 1/100 /sysroot\"",
                    "btrfs_subvolume_create /q qgroupid:1/100",
                    "btrfs_subvolume_list / =~ btrfssubvolume_path: q$",
                    "command \"btrfs qgroup show -p /sysroot\" =~ ^0/257 .* 1/100 +q$", "umount_all"}}}},

      {"zero", 217, {{A::Device, "device"}}, {}, R::Void, "", kProgress,
       "zero the start of a device",
       "Writes zeroes over the first 128 KiB of the device: enough to remove partition tables and "
       "filesystem signatures, not to erase data.  Blocks that are already zero are not written, so "
       "a sparse disk image stays sparse.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1", "zero /dev/sda1", "vfs_type /dev/sda1 => ",
                    "command \"od -An -tx1 -N 131072 /dev/sda1\" => " + kOdZeroes}}}},

      {"zero_device", 218, {{A::Device, "device"}}, {}, R::Void, "", kProgress,
       "zero a whole device",
       "Writes zeroes over the whole device.  Blocks that are already zero are not written, so a "
       "sparse disk image stays sparse.",
       {{T::Empty, {kPart1, kPart2, "mkfs vfat /dev/sda1", "command \"od -An -tx1 -N 4096 /dev/sda1\" =~ [1-9a-f]",
                    "zero_device /dev/sda1", "command \"od -An -tx1 /dev/sda1\" => " + kOdZeroes}}}},

      {"zero_free_space", 219, {{A::Pathname, "directory"}}, {}, R::Void, "", kProgress,
       "zero the free space of a filesystem",
       "Fills the free space of the filesystem that holds directory (mounted read-write) with "
       "zeroes, using a file that is deleted again, so that deleted data no longer shows on the "
       "disk.  Files are not changed.  The space is not given back to the host: see fstrim.  On "
       "ext4, blocks freed since the filesystem was mounted can stay unzeroed (its allocator "
       "holds them back): unmount and mount it again first to be thorough.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1", "mount /dev/sda1 /",
                    "write /zfs-secret ZFS-SECRET-c4a1b7", "sync", "command \"rm /sysroot/zfs-secret\"",
                    // ext4 holds back blocks freed during the same mount.
                    "umount_all", "mount /dev/sda1 /", "zero_free_space /", "ls / => lost+found",
                    // Unmounted, so that no stale page of the device is left in its cache.
                    "umount_all", "command \"blockdev --flushbufs /dev/sda1\"",
                    "command \"grep -q -a ZFS-SECRET-c4a1b7 /dev/sda1\" =>!",
                    "mount_ro /dev/sda1 /", "zero_free_space / =>!", "umount_all"}}}},

      {"fstrim", 220, {{A::Pathname, "mountpoint"}},
       {{A::Int64, "offset"}, {A::Int64, "length"}, {A::Int64, "minimumfreeextent"}}, R::Void, "", kNone,
       "give the free space of a filesystem back to the host",
       "Discards the free blocks of the filesystem mounted read-write at mountpoint, so the disk "
       "image can become sparse again.  offset and length (bytes) limit the range searched; "
       "free extents shorter than minimumfreeextent bytes are left alone.  Fails with ENOTSUP if "
       "the filesystem cannot discard; whether the host really frees anything depends on how the "
       "disk was added.",
       {{T::ScratchFS, {"fstrim /", "fstrim / offset:0 length:1048576 minimumfreeextent:4096",
                        "fstrim /fstrim-nonexistent =>!"}}}},

      {"tune2fs_l", 221, {{A::Device, "device"}}, {}, R::Hash, "", kNone,
       "get the superblock of an ext2/ext3/ext4 filesystem",
       "Returns the fields that tune2fs -l prints, in its order (\"Filesystem volume name\", \"Block "
       "count\", …); a value that is \"<none>\" or \"<not available>\" is returned empty.  Which "
       "fields appear depends on the filesystem and on the e2fsprogs version.",
       {{T::Empty, {kPart1, kPart2, "mkfs ext4 /dev/sda1 label:TUNE",
                    "tune2fs_l /dev/sda1 =~ ^Filesystem volume name: TUNE\nLast mounted on: \n"
                    "Filesystem UUID: [0-9a-f-]{36}\nFilesystem magic number: 0xEF53$",
                    "tune2fs_l /dev/sda1 =~ ^Block size: 1024$", "tune2fs_l /dev/sda1 =~ ^Filesystem state: clean$",
                    "mkfs vfat /dev/sda1", "tune2fs_l /dev/sda1 =>!"}}}},

      {"swapon_device", 222, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "swap to a device",
       "Lets the appliance's kernel swap to the device, which must hold a swap signature (mkswap).  "
       "Never swap to a guest's own swap partition: it may hold the guest's hibernated memory, and "
       "the appliance's memory would leak into the guest.",
       {{T::Empty, {kPart1, kPart2, "mkswap /dev/sda1", "swapon_device /dev/sda1",
                    "command \"cat /proc/swaps\" =~ ^/dev/sda1 ", "swapoff_device /dev/sda1",
                    "mkfs ext2 /dev/sda1", "swapon_device /dev/sda1 =>!"}}}},

      {"swapoff_device", 223, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "stop swapping to a device",
       "Stops the appliance swapping to the device (see swapon_device).",
       {{T::Empty, {kPart1, kPart2, "mkswap /dev/sda1", "swapon_device /dev/sda1", "swapoff_device /dev/sda1",
                    "command \"cat /proc/swaps\" =~ ^Filename[^\n]*\n$", "swapoff_device /dev/sda1 =>!"}}}},
  };
}

}  // namespace vt::gen
