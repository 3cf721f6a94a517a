#include <gtest/gtest.h>

#include "inspect_fstab.hpp"

using namespace vt::inspect;

namespace {
DeviceTables sample_tables() {
  DeviceTables t;
  t.mountables = {"/dev/sda1", "/dev/sda2", "/dev/sda3", "/dev/debian-vg/root", "/dev/my-vg/my-lv"};
  t.disks = {"/dev/sda"};
  t.by_uuid = {{"3f2c9a52-1d6e-4c1b-9b0e-0d6b1e5a7c41", "/dev/sda1"}, {"abcd-1234", "/dev/sda3"}};
  t.by_label = {{"EFI", "/dev/sda3"}, {"my data", "/dev/sda2"}};
  t.by_partuuid = {{"0a1b2c3d-02", "/dev/sda2"}};
  t.by_partlabel = {{"root", "/dev/sda2"}};
  return t;
}
}  // namespace

TEST(InspectFstab, WantedEntries) {
  EXPECT_TRUE(fstab_entry_wanted("/dev/sda1", "/", "ext4"));
  EXPECT_TRUE(fstab_entry_wanted("UUID=x", "/boot", "ext4"));
  EXPECT_TRUE(fstab_entry_wanted("PARTLABEL=x", "/srv", "xfs"));
  EXPECT_TRUE(fstab_entry_wanted("/dev/sda2", "none", "swap"));
  EXPECT_TRUE(fstab_entry_wanted("UUID=x", "swap", "swap"));
  EXPECT_FALSE(fstab_entry_wanted("/dev/cdrom", "/media/cdrom", "udf,iso9660"));
  EXPECT_FALSE(fstab_entry_wanted("/dev/fd0", "/media/floppy", "auto"));
  EXPECT_FALSE(fstab_entry_wanted("proc", "/proc", "proc"));
  EXPECT_FALSE(fstab_entry_wanted("tmpfs", "/tmp", "tmpfs"));
  EXPECT_FALSE(fstab_entry_wanted("server:/export", "/mnt", "nfs"));
  EXPECT_FALSE(fstab_entry_wanted("none", "/dev/pts", "devpts"));
  EXPECT_FALSE(fstab_entry_wanted("/dev/sda1", "relative", "ext4"));
  // OpenBSD: a disklabel's unique id and a letter.
  EXPECT_TRUE(fstab_entry_wanted("0123456789abcdef.d", "/home", "ffs"));
  EXPECT_FALSE(fstab_entry_wanted("0123456789abcdef", "/home", "ffs"));
}

TEST(InspectFstab, BsdPartitionNames) {
  // FreeBSD: GPT partitions keep their number; the first MBR slice's label
  // partitions count from 5, without 'c' (the slice).
  EXPECT_EQ(bsd_device_name("/dev/ada0p2", "freebsd"), "/dev/sda2");
  EXPECT_EQ(bsd_device_name("/dev/vtbd1p3", "freebsd"), "/dev/sdb3");
  EXPECT_EQ(bsd_device_name("/dev/ad0s1a", "freebsd"), "/dev/sda5");
  EXPECT_EQ(bsd_device_name("/dev/ada0s1b", "freebsd"), "/dev/sda6");
  EXPECT_EQ(bsd_device_name("/dev/ada0s1d", "freebsd"), "/dev/sda7");
  EXPECT_EQ(bsd_device_name("/dev/ada0s2a", "freebsd"), std::nullopt);
  EXPECT_EQ(bsd_device_name("/dev/ada0s1c", "freebsd"), std::nullopt);
  EXPECT_EQ(bsd_device_name("/dev/ada0p200", "freebsd"), std::nullopt);
  EXPECT_EQ(bsd_device_name("/dev/ada99s1a", "freebsd"), std::nullopt);
  // NetBSD: 'c' and 'd' are the NetBSD partition and the whole disk.
  EXPECT_EQ(bsd_device_name("/dev/sd0a", "netbsd"), "/dev/sda5");
  EXPECT_EQ(bsd_device_name("/dev/ld1e", "netbsd"), "/dev/sdb7");
  EXPECT_EQ(bsd_device_name("/dev/sd0d", "netbsd"), std::nullopt);
  // OpenBSD: 'c' is the whole disk; a DUID stands for the first disk.
  EXPECT_EQ(bsd_device_name("/dev/wd0a", "openbsd"), "/dev/sda5");
  EXPECT_EQ(bsd_device_name("/dev/sd1d", "openbsd"), "/dev/sdb7");
  EXPECT_EQ(bsd_device_name("/dev/sd0c", "openbsd"), std::nullopt);
  EXPECT_EQ(bsd_device_name("/dev/sd0q", "openbsd"), std::nullopt);
  EXPECT_EQ(bsd_device_name("0123456789abcdef.b", "openbsd"), "/dev/sda6");
  // Only for those systems: on Linux these names mean nothing.
  EXPECT_EQ(bsd_device_name("/dev/wd0a", "linux"), std::nullopt);
  EXPECT_EQ(bsd_device_name("0123456789abcdef.b", "netbsd"), std::nullopt);
  EXPECT_EQ(bsd_device_name("/dev/sda5", "openbsd"), std::nullopt);
  auto t = sample_tables();
  EXPECT_EQ(resolve_fstab_spec("/dev/ada0s1b", t, "freebsd"), "/dev/sda6");
  EXPECT_EQ(resolve_fstab_spec("0123456789abcdef.d", t, "openbsd"), "/dev/sda7");
  EXPECT_EQ(resolve_fstab_spec("0123456789abcdef.d", t, "linux"), std::nullopt);
}

TEST(InspectFstab, CanonicalMountpoints) {
  EXPECT_EQ(canonical_mountpoint("//usr//local/"), "/usr/local");
  EXPECT_EQ(canonical_mountpoint("/"), "/");
  EXPECT_EQ(canonical_mountpoint("///"), "/");
  EXPECT_EQ(canonical_mountpoint("none"), "none");
}

TEST(InspectFstab, GuestDiskNamesBecomeSd) {
  EXPECT_EQ(appliance_device_name("/dev/vda1"), "/dev/sda1");
  EXPECT_EQ(appliance_device_name("/dev/hdb"), "/dev/sdb");
  EXPECT_EQ(appliance_device_name("/dev/xvdaa12"), "/dev/sdaa12");
  EXPECT_EQ(appliance_device_name("/dev/sdc3"), "/dev/sdc3");
  EXPECT_EQ(appliance_device_name("/dev/vdX1"), "/dev/vdX1");
  EXPECT_EQ(appliance_device_name("/dev/nvme0n1p1"), "/dev/nvme0n1p1");
  EXPECT_EQ(appliance_device_name("/dev/vda1x"), "/dev/vda1x");
}

TEST(InspectFstab, MapperNames) {
  EXPECT_EQ(mapper_to_lv("/dev/mapper/debian--vg-root"), "/dev/debian-vg/root");
  EXPECT_EQ(mapper_to_lv("/dev/mapper/fedora-root"), "/dev/fedora/root");
  EXPECT_EQ(mapper_to_lv("/dev/mapper/a--b-c--d"), "/dev/a-b/c-d");
  EXPECT_EQ(mapper_to_lv("/dev/mapper/luks"), std::nullopt);
  EXPECT_EQ(mapper_to_lv("/dev/mapper/a-b-c"), std::nullopt);
  EXPECT_EQ(mapper_to_lv("/dev/mapper/-x"), std::nullopt);
  EXPECT_EQ(mapper_to_lv("/dev/sda1"), std::nullopt);
}

TEST(InspectFstab, UdevEscapesAndPartitionSuffix) {
  EXPECT_EQ(unescape_udev("my\\x20data"), "my data");
  EXPECT_EQ(unescape_udev("a\\x2fb\\x"), "a/b\\x");
  EXPECT_EQ(by_id_partition("ata-QEMU_HARDDISK_QM00001-part2"), 2);
  EXPECT_EQ(by_id_partition("virtio-abc"), 0);
  EXPECT_EQ(by_id_partition("x-partz"), 0);
  EXPECT_EQ(by_id_partition("x-part99999"), 0);
}

TEST(InspectFstab, ResolvesSpecs) {
  auto t = sample_tables();
  EXPECT_EQ(resolve_fstab_spec("UUID=3F2C9A52-1D6E-4C1B-9B0E-0D6B1E5A7C41", t), "/dev/sda1");
  EXPECT_EQ(resolve_fstab_spec("UUID=ABCD-1234", t), "/dev/sda3");
  EXPECT_EQ(resolve_fstab_spec("LABEL=EFI", t), "/dev/sda3");
  EXPECT_EQ(resolve_fstab_spec("LABEL=efi", t), std::nullopt);
  EXPECT_EQ(resolve_fstab_spec("PARTUUID=0A1B2C3D-02", t), "/dev/sda2");
  EXPECT_EQ(resolve_fstab_spec("PARTLABEL=root", t), "/dev/sda2");
  EXPECT_EQ(resolve_fstab_spec("/dev/disk/by-uuid/3f2c9a52-1d6e-4c1b-9b0e-0d6b1e5a7c41", t), "/dev/sda1");
  EXPECT_EQ(resolve_fstab_spec("/dev/disk/by-label/my\\x20data", t), "/dev/sda2");
  EXPECT_EQ(resolve_fstab_spec("/dev/disk/by-partuuid/0a1b2c3d-02", t), "/dev/sda2");
  EXPECT_EQ(resolve_fstab_spec("/dev/disk/by-partlabel/root", t), "/dev/sda2");
  EXPECT_EQ(resolve_fstab_spec("/dev/disk/by-id/ata-QEMU-part3", t), "/dev/sda3");
  EXPECT_EQ(resolve_fstab_spec("/dev/disk/by-path/pci-0000:00:05.0-part9", t), std::nullopt);
  EXPECT_EQ(resolve_fstab_spec("/dev/mapper/debian--vg-root", t), "/dev/debian-vg/root");
  EXPECT_EQ(resolve_fstab_spec("/dev/mapper/my--vg-my--lv", t), "/dev/my-vg/my-lv");
  EXPECT_EQ(resolve_fstab_spec("/dev/debian-vg/root", t), "/dev/debian-vg/root");
  EXPECT_EQ(resolve_fstab_spec("/dev/mapper/other-root", t), std::nullopt);
  EXPECT_EQ(resolve_fstab_spec("/dev/vda2", t), "/dev/sda2");
  // A disk the guest was not given keeps its renamed name, as in libguestfs.
  EXPECT_EQ(resolve_fstab_spec("/dev/vdb1", t), "/dev/sdb1");
  EXPECT_EQ(resolve_fstab_spec("/dev/xvdz9", t), "/dev/sdz9");
  EXPECT_EQ(resolve_fstab_spec("/dev/nosuchthing", t), std::nullopt);
  EXPECT_EQ(resolve_fstab_spec("UUID=nope", t), std::nullopt);
  t.disks.push_back("/dev/sdb");  // two disks: by-id names nothing certain
  EXPECT_EQ(resolve_fstab_spec("/dev/disk/by-id/ata-QEMU-part3", t), std::nullopt);
}

TEST(InspectFstab, BtrfsSubvolumes) {
  EXPECT_EQ(btrfs_subvolume_mountable("/dev/sda4", "@"), "btrfsvol:/dev/sda4/@");
  EXPECT_EQ(btrfs_subvolume_mountable("/dev/sda4", "/@home"), "btrfsvol:/dev/sda4/@home");
  EXPECT_EQ(btrfs_subvolume_mountable("/dev/sda4", "/"), "/dev/sda4");
}

TEST(InspectFstab, TypesAndMountOrder) {
  EXPECT_TRUE(inspectable_fs_type("ext4"));
  EXPECT_TRUE(inspectable_fs_type("ntfs"));
  EXPECT_FALSE(inspectable_fs_type("swap"));
  EXPECT_FALSE(inspectable_fs_type("unknown"));
  EXPECT_FALSE(inspectable_fs_type("crypto_LUKS"));
  EXPECT_FALSE(inspectable_fs_type("LVM2_member"));
  auto order = mount_order({{"/boot/efi", "/dev/sda1"}, {"/", "/dev/sda3"}, {"/var", "/dev/sda5"}, {"/boot", "/dev/sda2"}});
  std::vector<std::pair<std::string, std::string>> expected = {
      {"/", "/dev/sda3"}, {"/var", "/dev/sda5"}, {"/boot", "/dev/sda2"}, {"/boot/efi", "/dev/sda1"}};
  EXPECT_EQ(order, expected);
}
