// API table group: devices and partitions: procedures 100-199.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// A GPT disk with one partition covering sectors 2048-4095 of /dev/sda.
const std::vector<std::string> kGptOnePart = {"part_init /dev/sda gpt", "part_add /dev/sda p 2048 4095"};
const std::vector<std::string> kMbrOnePart = {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 4095"};
// A LUKS1 volume with the passphrase s3cret on /dev/sda1 (16 MiB: LUKS1's
// header takes 2 MiB).  Few PBKDF iterations: key derivation under TCG is slow.
const std::vector<std::string> kLuksOnePart = {
    "part_init /dev/sda mbr", "part_add /dev/sda p 2048 34815",
    "command \"dash -c 'printf s3cret | cryptsetup luksFormat --batch-mode --type luks1 "
    "--pbkdf-force-iterations 1000 --key-file - /dev/sda1'\"",
    "vfs_type /dev/sda1 => crypto_LUKS"};
}  // namespace

std::vector<StructDef> device_structs() { return {}; }

std::vector<Call> device_calls() {
  return {
      {"blockdev_getss", 100, {{A::Device, "device"}}, {}, R::Int, "", kNone,
       "get the sector size of a block device",
       "Returns the logical sector size of the device in bytes: usually 512, sometimes 4096.  "
       "This is not the size in sectors (see blockdev_getsz).",
       {{T::None, {"blockdev_getss /dev/sda => 512"}}}},

      {"blockdev_rereadpt", 101, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "make the kernel re-read a partition table",
       "Tells the kernel to read the partition table of the device again, so that its partition "
       "devices match what is on the disk.  Fails if a partition of the device is in use.",
       // The MBR is zeroed behind the kernel's back: sda1 goes only after the re-read.
       {{T::Empty, with(kMbrOnePart, {"command \"dd if=/dev/zero of=/dev/sda bs=512 count=1 conv=fsync status=none\"",
                                      "list_partitions => /dev/sda1\n/dev/sdb1", "blockdev_rereadpt /dev/sda",
                                      "list_partitions => /dev/sdb1"})}}},

      {"blockdev_getsz", 102, {{A::Device, "device"}}, {}, R::Int64, "", kNone,
       "get the size of a block device in 512-byte sectors",
       "Returns the size of the device in units of 512 bytes, whatever its real sector size.  "
       "See also blockdev_getss and blockdev_getsize64.",
       {{T::None, {"blockdev_getsz /dev/sda => 204800"}}}},

      {"blockdev_getro", 103, {{A::Device, "device"}}, {}, R::Bool, "", kNone,
       "test whether a block device is read-only",
       "Returns true if the kernel treats the device as read-only.",
       {{T::None, {"blockdev_getro /dev/sdb => false"}}}},

      {"blockdev_setro", 104, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "make a block device read-only",
       "Makes the kernel refuse writes to the device until blockdev_setrw.",
       {{T::Empty, {"blockdev_setro /dev/sda", "blockdev_getro /dev/sda => true", "part_init /dev/sda mbr =>!",
                    "blockdev_setrw /dev/sda", "blockdev_getro /dev/sda => false"}}}},

      {"blockdev_setrw", 105, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "make a block device read-write",
       "Lets the kernel write to the device again after blockdev_setro.  A disk added read-only "
       "is written nowhere but in a throwaway overlay: QEMU opens the image itself read-only.",
       {{T::Empty, {"blockdev_setro /dev/sda", "blockdev_setrw /dev/sda", "blockdev_getro /dev/sda => false",
                    "part_init /dev/sda mbr"}}}},

      {"blockdev_flushbufs", 106, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "flush a block device's buffers",
       "Writes out the kernel's dirty buffers for the device and drops its cached data, so the "
       "next read comes from the disk.",
       {{T::None, {"blockdev_flushbufs /dev/sda", "blockdev_flushbufs /dev/nosuch =>!"}}}},

      {"part_del", 107, {{A::Device, "device"}, {A::Int, "partnum"}}, {}, R::Void, "", kDestructive,
       "delete a partition",
       "Deletes partition number partnum of the device.  On an MBR disk, deleting the extended "
       "partition also deletes the logical partitions in it.",
       {{T::Empty, with(kMbrOnePart, {"part_add /dev/sda p 4096 8191", "part_del /dev/sda 1",
                                      "list_partitions => /dev/sda2\n/dev/sdb1", "part_del /dev/sda 1 =>!"})},
        {T::Empty, {"part_init /dev/sda mbr", "part_add /dev/sda e 2048 -2048", "part_add /dev/sda l 4096 8191",
                    "part_del /dev/sda 1", "list_partitions => /dev/sdb1"}}}},

      {"part_disk", 108, {{A::Device, "device"}, {A::String, "parttype"}}, {}, R::Void, "", kDestructive,
       "partition a whole disk with one primary partition",
       "Writes a new partition table of the type parttype (as part_init: mbr or gpt) with a single "
       "primary partition over the whole disk: from sector 128 to sector N-128 of a disk of N "
       "sectors, the layout libguestfs makes.  The same as part_init followed by part_add.",
       {{T::Empty, {"part_disk /dev/sda mbr", "part_get_parttype /dev/sda => msdos",
                    "part_list /dev/sda => [0] = {\n  part_num: 1\n  part_start: 65536\n  "
                    "part_end: 104792575\n  part_size: 104727040\n}"}},
        {T::Empty, {"part_disk /dev/sda gpt", "part_get_parttype /dev/sda => gpt",
                    "part_list /dev/sda => [0] = {\n  part_num: 1\n  part_start: 65536\n  "
                    "part_end: 104792575\n  part_size: 104727040\n}"}}}},

      {"part_get_bootable", 109, {{A::Device, "device"}, {A::Int, "partnum"}}, {}, R::Bool, "", kNone,
       "test whether a partition is bootable",
       "Returns true if partition number partnum has the bootable flag (as parted shows it: the "
       "active flag on MBR, the EFI system partition type on GPT).",
       {{T::Empty, with(kMbrOnePart, {"part_get_bootable /dev/sda 1 => false", "part_set_bootable /dev/sda 1 true",
                                      "part_get_bootable /dev/sda 1 => true", "part_get_bootable /dev/sda 2 =>!"})}}},

      {"part_set_bootable", 110, {{A::Device, "device"}, {A::Int, "partnum"}, {A::Bool, "bootable"}}, {}, R::Void, "",
       kDestructive,
       "set or clear a partition's bootable flag",
       "Sets (or clears) the bootable flag of partition number partnum.  On MBR this is the "
       "active flag that BIOS boot code looks for; on GPT parted treats it as the EFI system "
       "partition type.",
       {{T::Empty, with(kMbrOnePart, {"part_set_bootable /dev/sda 1 true", "part_set_bootable /dev/sda 1 false",
                                      "part_get_bootable /dev/sda 1 => false"})},
        {T::Empty, with(kGptOnePart, {"part_set_bootable /dev/sda 1 true", "part_get_bootable /dev/sda 1 => true",
                                      "part_get_gpt_type /dev/sda 1 => C12A7328-F81F-11D2-BA4B-00A0C93EC93B"})}}},

      {"part_set_mbr_id", 111, {{A::Device, "device"}, {A::Int, "partnum"}, {A::Int, "idbyte"}}, {}, R::Void, "",
       kDestructive,
       "set the MBR type byte of a partition",
       "Sets the MBR partition type byte (the ID byte) of partition number partnum, primary or "
       "logical.  Type bytes are usually written in hexadecimal without 0x; give them as 0x83, "
       "0x7, ….  Fails on a disk that is not MBR-partitioned.",
       {{T::Empty, with(kMbrOnePart, {"part_set_mbr_id /dev/sda 1 0x7", "part_get_mbr_id /dev/sda 1 => 0x7",
                                      "part_add /dev/sda e 4096 -2048", "part_add /dev/sda l 6144 8191",
                                      "part_set_mbr_id /dev/sda 5 0x82", "part_get_mbr_id /dev/sda 5 => 0x82",
                                      "part_set_mbr_id /dev/sda 1 256 =>!"})},
        {T::Empty, with(kGptOnePart, {"part_set_mbr_id /dev/sda 1 0x83 =>!"})}}},

      {"part_get_gpt_type", 112, {{A::Device, "device"}, {A::Int, "partnum"}}, {}, R::String, "", kNone,
       "get the type GUID of a GPT partition",
       "Returns the partition type GUID of partition number partnum, in upper case.  On an MBR "
       "disk, returns the GUID that corresponds to the partition's type byte (as sgdisk maps it).",
       {{T::Empty, with(kGptOnePart, {"part_get_gpt_type /dev/sda 1 => 0FC63DAF-8483-4772-8E79-3D69D8477DE4"})}}},

      {"part_set_gpt_type", 113, {{A::Device, "device"}, {A::Int, "partnum"}, {A::String, "guid"}}, {}, R::Void, "",
       kDestructive,
       "set the type GUID of a GPT partition",
       "Sets the partition type GUID of partition number partnum.  Fails if the disk is not "
       "GPT-partitioned or if guid is not a GUID.",
       {{T::Empty, with(kGptOnePart, {"part_set_gpt_type /dev/sda 1 0657fd6d-a4ab-43c4-84e5-0933c84b4f4f",
                                      "part_get_gpt_type /dev/sda 1 => 0657FD6D-A4AB-43C4-84E5-0933C84B4F4F",
                                      "part_set_gpt_type /dev/sda 1 not-a-guid =>!"})},
        {T::Empty, with(kMbrOnePart, {"part_set_gpt_type /dev/sda 1 0657FD6D-A4AB-43C4-84E5-0933C84B4F4F =>!",
                                      "part_get_parttype /dev/sda => msdos"})}}},

      {"part_get_gpt_guid", 114, {{A::Device, "device"}, {A::Int, "partnum"}}, {}, R::String, "", kNone,
       "get the unique GUID of a GPT partition",
       "Returns the unique GUID of partition number partnum of a GPT disk, in upper case.",
       {{T::Empty, with(kGptOnePart, {"part_get_gpt_guid /dev/sda 1 =~ ^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-"
                                      "[0-9A-F]{4}-[0-9A-F]{12}$"})}}},

      {"part_set_gpt_guid", 115, {{A::Device, "device"}, {A::Int, "partnum"}, {A::String, "guid"}}, {}, R::Void, "",
       kDestructive,
       "set the unique GUID of a GPT partition",
       "Sets the unique GUID of partition number partnum.  Fails if the disk is not "
       "GPT-partitioned or if guid is not a GUID.",
       {{T::Empty, with(kGptOnePart, {"part_set_gpt_guid /dev/sda 1 01234567-89AB-CDEF-0123-456789ABCDEF",
                                      "part_get_gpt_guid /dev/sda 1 => 01234567-89AB-CDEF-0123-456789ABCDEF",
                                      "part_set_gpt_guid /dev/sda 1 01234567 =>!"})}}},

      {"part_get_disk_guid", 116, {{A::Device, "device"}}, {}, R::String, "", kNone,
       "get the GUID of a GPT disk",
       "Returns the disk identifier (GUID) of a GPT-partitioned device, in upper case.  Fails "
       "on other partition table types.",
       {{T::Empty, with(kGptOnePart, {"part_get_disk_guid /dev/sda =~ ^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-"
                                      "[0-9A-F]{4}-[0-9A-F]{12}$"})},
        {T::Empty, with(kMbrOnePart, {"part_get_disk_guid /dev/sda =>!"})}}},

      {"part_get_name", 117, {{A::Device, "device"}, {A::Int, "partnum"}}, {}, R::String, "", kNone,
       "get the name of a partition",
       "Returns the name of partition number partnum (empty if it has none).  Only GPT partitions "
       "have names: fails on MBR disks.",
       {{T::Empty, with(kGptOnePart, {"part_get_name /dev/sda 1 => primary"})},
        {T::Empty, with(kMbrOnePart, {"part_get_name /dev/sda 1 =>!"})}}},

      {"part_set_name", 118, {{A::Device, "device"}, {A::Int, "partnum"}, {A::String, "name"}}, {}, R::Void, "",
       kDestructive,
       "set the name of a partition",
       "Sets the name of partition number partnum.  Only GPT partitions have names: fails on "
       "MBR disks.",
       {{T::Empty, with(kGptOnePart, {"part_set_name /dev/sda 1 \"EFI system: boot\"",
                                      "part_get_name /dev/sda 1 => EFI system: boot"})},
        {T::Empty, with(kMbrOnePart, {"part_set_name /dev/sda 1 root =>!"})}}},

      {"part_resize", 119, {{A::Device, "device"}, {A::Int, "partnum"}, {A::Int64, "endsect"}}, {}, R::Void, "",
       kDestructive,
       "move the end of a partition",
       "Moves the end of partition number partnum to sector endsect (inclusive, in 512-byte "
       "sectors; a negative value counts back from the end of the disk).  The start does not "
       "move, and any filesystem in the partition is not resized: grow the filesystem after "
       "growing the partition, shrink it before shrinking the partition.",
       {{T::Empty, with(kMbrOnePart, {"part_resize /dev/sda 1 8191", "part_list /dev/sda =~ part_end: 4194303",
                                      "part_resize /dev/sda 1 3071", "part_list /dev/sda =~ part_end: 1572863",
                                      "blockdev_getsize64 /dev/sda1 => 524288"})}}},

      {"part_expand_gpt", 120, {{A::Device, "device"}}, {}, R::Void, "", kDestructive,
       "move the backup GPT to the end of the disk",
       "Moves the backup GPT header and partition array to the end of the device, which makes "
       "the space of a disk image grown in place usable (as sgdisk -e).  Fails if the device "
       "is not GPT-partitioned.",
       {{T::Empty, {// A GPT written for a 50 MiB disk: its backup header sits in the middle.
                    "command \"truncate -s 50M /tmp/half.img\"", "command \"sgdisk -o /tmp/half.img\"",
                    "command \"dd if=/tmp/half.img of=/dev/sda conv=fsync status=none\"",
                    "command \"rm /tmp/half.img\"", "blockdev_rereadpt /dev/sda",
                    "command \"sgdisk -v /dev/sda\" =~ doesn't reside\\s+at the end of the disk",
                    "part_expand_gpt /dev/sda", "command \"sgdisk -v /dev/sda\" =~ No problems found"}},
        {T::Empty, with(kMbrOnePart, {"part_expand_gpt /dev/sda =>!", "part_get_parttype /dev/sda => msdos"})}}},

      {"canonical_device_name", 121, {{A::String, "device"}}, {}, R::String, "", kNone,
       "return the canonical name of a device",
       "Returns the device name in the form the tools print: /dev/hdX… and /dev/vdX… (disks and "
       "partitions) become /dev/sdX…; /dev/mapper/VG-LV and /dev/dm-N of a logical volume "
       "become /dev/VG/LV.  Any other string is returned as it is.",
       {{T::None, {"canonical_device_name /dev/hda1 => /dev/sda1", "canonical_device_name /dev/vdb => /dev/sdb",
                   "canonical_device_name /dev/sdb1 => /dev/sdb1", "canonical_device_name foo => foo"}},
        {T::Empty, {"part_disk /dev/sda mbr", "pvcreate /dev/sda1", "vgcreate my-vg /dev/sda1",
                    "lvcreate LV my-vg 4", "canonical_device_name /dev/mapper/my--vg-LV => /dev/my-vg/LV",
                    "vgremove my-vg", "pvremove /dev/sda1"}}}},

      {"pread_device", 122, {{A::Device, "device"}, {A::Int, "count"}, {A::Int64, "offset"}}, {}, R::Buffer, "",
       kNone,
       "read part of a device",
       "Returns up to count bytes of the device from offset: fewer at its end, none past it.  A "
       "count larger than the protocol's message limit is refused (read in smaller pieces).",
       {{T::Empty, {"command \"dash -c 'printf hello | dd of=/dev/sda bs=1 seek=4086 conv=notrunc status=none'\"",
                    "pread_device /dev/sda 5 4086 => hello", "pread_device /dev/sda 3 4088 => llo",
                    "command \"dash -c 'printf xy | dd of=/dev/sda bs=1 seek=104857598 conv=notrunc status=none'\"",
                    "pread_device /dev/sda 5 104857598 => xy", "pread_device /dev/sda 5 104857600 => ",
                    "pread_device /dev/sda -1 0 =>!", "pread_device /dev/sda 1 -1 =>!",
                    "pread_device /dev/sda 5000000 0 =>!", "pread_device /dev/nonexistent 1 0 =>!"}}}},

      {"pwrite_device", 123, {{A::Device, "device"}, {A::String, "content"}, {A::Int64, "offset"}}, {}, R::Int, "",
       kDestructive,
       "write to part of a device",
       "Writes content to the device at offset and returns the number of bytes written, which is "
       "less than asked only at the device's end.  The write reaches the disk before the call "
       "returns.",
       {{T::Empty, {"pwrite_device /dev/sda world 4096 => 5", "pread_device /dev/sda 5 4096 => world",
                    "pwrite_device /dev/sda abc 104857598 => 2", "pwrite_device /dev/sda abc 104857600 => 0",
                    "pwrite_device /dev/sda abc -1 =>!", "pwrite_device /dev/nonexistent abc 0 =>!"}}}},

      {"blkdiscard", 124, {{A::Device, "device"}}, {}, R::Void, "", kDestructive,
       "discard all blocks of a device",
       "Tells the device that none of its blocks hold data any more, so a disk image added with "
       "discard enabled can give the space back to the host.  Whether the blocks then read as "
       "zeroes depends on the device (see blkdiscardzeroes).  Fails with ENOTSUP if the device "
       "cannot discard.  QEMU's SCSI disks always accept discards, even when the drive was "
       "added without discard and drops them.",
       {{T::Empty, {"pwrite_device /dev/sda hello 0 => 5", "blkdiscard /dev/sda",
                    "pwrite_device /dev/sda again 0 => 5", "pread_device /dev/sda 5 0 => again",
                    "blkdiscard /dev/nonexistent =>!"}}}},

      {"blkdiscardzeroes", 125, {{A::Device, "device"}}, {}, R::Bool, "", kNone,
       "test whether discarded blocks read as zeroes",
       "Returns true if blocks of the device that blkdiscard discarded are guaranteed to read back "
       "as zeroes.  Linux no longer promises this for any device, so the answer is false unless "
       "the kernel says otherwise.",
       {{T::None, {"blkdiscardzeroes /dev/sda => false", "blkdiscardzeroes /dev/nonexistent =>!"}}}},

      {"cryptsetup_open", 180, {{A::Device, "device"}, {A::String, "key", true}, {A::String, "mapname"}},
       {{A::Bool, "readonly"}, {A::String, "crypttype"}}, R::Void, "", kNone,
       "open an encrypted block device",
       "Opens the encrypted block device (LUKS, or Windows BitLocker) with one of its keys or "
       "passphrases, key, making the decrypted device /dev/mapper/mapname.  mapname cannot be "
       "control (device-mapper's own).  Without crypttype the type is found on the device; give "
       "luks or bitlk to insist on one.  readonly makes the mapping read-only.  If the device "
       "holds LVM volume groups, vgscan and vg_activate_all then make their logical volumes "
       "appear.  The key reaches cryptsetup on its standard input, never on a command line.",
       {{T::Empty, with(kLuksOnePart, {"cryptsetup_open /dev/sda1 wrong luksdev =>!",
                                       "cryptsetup_open /dev/sda1 s3cret control =>!",
                                       "cryptsetup_open /dev/sda1 s3cret luksdev crypttype:bitlk =>!",
                                       "cryptsetup_open /dev/sda1 s3cret luksdev crypttype:luks",
                                       "mkfs ext4 /dev/mapper/luksdev", "mount /dev/mapper/luksdev /",
                                       "write /secret hidden", "umount /",
                                       "cryptsetup_close /dev/mapper/luksdev",
                                       "vfs_type /dev/mapper/luksdev =>!",
                                       "cryptsetup_open /dev/sda1 s3cret luksdev readonly:true",
                                       "blockdev_getro /dev/mapper/luksdev => true",
                                       "mount_ro /dev/mapper/luksdev /", "cat /secret => hidden",
                                       "umount /", "cryptsetup_close /dev/mapper/luksdev"})}}},

      {"cryptsetup_close", 181, {{A::Device, "device"}}, {}, R::Void, "", kNone,
       "close an encrypted device",
       "Closes the decrypted device that cryptsetup_open made.  device is the mapping, "
       "/dev/mapper/mapname, not the encrypted device under it.",
       {{T::Empty, with(kLuksOnePart, {"cryptsetup_open /dev/sda1 s3cret lukstwo readonly:true",
                                       "cryptsetup_close /dev/sda1 =>!",
                                       "cryptsetup_close /dev/mapper/lukstwo",
                                       "cryptsetup_close /dev/mapper/lukstwo =>!",
                                       "vfs_type /dev/sda1 => crypto_LUKS"})}}},
  };
}

}  // namespace vt::gen
