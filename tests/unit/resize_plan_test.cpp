// virt-resize's plan (tools/virt-resize/plan.hpp): the numbers and texts
// libguestfs 1.48 gives for the same requests on the same layouts.  The
// layouts are those of the phony test guests (tests/phony-guests), whose
// 1.48 runs the expected values were taken from.
#include <gtest/gtest.h>

#include "errors.hpp"
#include "plan.hpp"

using namespace vt::resize;
using vt::ptable::Guid;
using vt::ptable::Scheme;
using vt::ptable::Table;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

struct Layout {
  Table table;
  std::vector<SourcePartition> partitions;
  std::vector<SourceLv> lvs;

  Layout(Scheme scheme, uint64_t disk_bytes) {
    table.scheme = scheme;
    table.disk_sectors = disk_bytes / 512;
    table.mbr_signature = 0xdeadbeef;
    table.disk_guid = Guid::random();
  }
  Layout& add(uint64_t first, uint64_t last, Content content, uint8_t mbr_type = 0x83, bool bootable = false) {
    SourcePartition p;
    p.part.number = static_cast<uint32_t>(partitions.size() + 1);
    p.part.first_sector = first;
    p.part.last_sector = last;
    p.part.mbr_type = mbr_type;
    p.part.bootable = bootable;
    p.part.type = *Guid::parse("0FC63DAF-8483-4772-8E79-3D69D8477DE4");
    p.part.guid = Guid::random();
    p.name = "/dev/sda" + std::to_string(p.part.number);
    p.content = content;
    partitions.push_back(p);
    table.partitions.push_back(p.part);
    return *this;
  }
  Plan plan(uint64_t target_bytes, const Settings& s) const {
    return make_plan(table, partitions, lvs, target_bytes, s);
  }
};

Content fs(const std::string& type, uint64_t size) { return {ContentKind::fs, type, size}; }
Content pv(uint64_t size) { return {ContentKind::pv, "", size}; }

// The phony Debian guest: 64 MiB, MBR, a 16 MiB ext4 /boot and an LVM PV.
Layout debian() {
  Layout l(Scheme::mbr, 64 * MiB);
  l.add(2048, 34815, fs("ext4", 16 * MiB), 0x83, true).add(34816, 131071, pv(44 * MiB), 0x8e);
  l.lvs.push_back({"/dev/debian-vg/root", fs("ext4", 32 * MiB)});
  l.lvs.push_back({"/dev/debian-vg/swap", {ContentKind::swap, "", 8 * MiB}});
  return l;
}

std::vector<std::string> texts(const Plan& p) {
  std::vector<std::string> out;
  for (const auto& l : p.summary) out.push_back((l.warning ? "warning: " : "") + l.text);
  return out;
}

std::string error_of(const Layout& l, uint64_t target, const Settings& s) {
  try {
    l.plan(target, s);
  } catch (const vt::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(ResizeParse, SizesRelativeAndPercent) {
  const uint64_t old = 100 * MiB;
  EXPECT_EQ(parse_resize(old, "200M"), 200 * MiB);
  EXPECT_EQ(parse_resize(old, "+10M"), 110 * MiB);
  EXPECT_EQ(parse_resize(old, "-10M"), 90 * MiB);
  EXPECT_EQ(parse_resize(old, "1G"), 1024 * MiB);
  EXPECT_EQ(parse_resize(old, "1.5K"), 1536u);
  EXPECT_EQ(parse_resize(old, "4096b"), 4096u);
  EXPECT_EQ(parse_resize(old, "50%"), 50 * MiB);
  EXPECT_EQ(parse_resize(old, "+10%"), 110 * MiB);
  EXPECT_EQ(parse_resize(old, "-25%"), 75 * MiB);
  EXPECT_EQ(parse_resize(1000, "+10.5%"), 1105u);  // tenths of a percent
  EXPECT_EQ(parse_resize(old, "-200M"), 0u);        // the caller reports "zero or negative"
  for (const char* bad : {"", "10", "M", "10T", "+-1M", "1..2M", "abc%", "10 M"}) {
    try {
      parse_resize(old, bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const vt::Error& e) {
      EXPECT_EQ(std::string(e.what()), std::string(bad) + ": cannot parse resize field");
    }
  }
}

TEST(ResizeNames, OtherDiskNamesMeanTheFirstDisk) {
  EXPECT_EQ(canonical_partition_name("/dev/sda1"), "/dev/sda1");
  EXPECT_EQ(canonical_partition_name("sda2"), "/dev/sda2");
  EXPECT_EQ(canonical_partition_name("/dev/vda3"), "/dev/sda3");
  EXPECT_EQ(canonical_partition_name("/dev/hda1"), "/dev/sda1");
  EXPECT_EQ(canonical_partition_name("xvda1"), "/dev/sda1");
  EXPECT_EQ(canonical_partition_name("/dev/nvme0n1p1"), "/dev/nvme0n1p1");
}

TEST(ResizeMethods, ByContent) {
  EXPECT_EQ(expand_method_for(pv(1), true), ExpandMethod::pvresize);
  EXPECT_EQ(expand_method_for(fs("ext2", 1), true), ExpandMethod::resize2fs);
  EXPECT_EQ(expand_method_for(fs("ext4", 1), true), ExpandMethod::resize2fs);
  EXPECT_EQ(expand_method_for(fs("xfs", 1), true), ExpandMethod::xfs_growfs);
  EXPECT_EQ(expand_method_for(fs("btrfs", 1), true), ExpandMethod::btrfs_filesystem_resize);
  EXPECT_EQ(expand_method_for(fs("ntfs", 1), true), ExpandMethod::ntfsresize);
  EXPECT_EQ(expand_method_for({ContentKind::swap, "", 1}, true), ExpandMethod::mkswap);
  EXPECT_FALSE(expand_method_for(fs("vfat", 1), true));
  EXPECT_FALSE(expand_method_for({ContentKind::unknown, "", 0}, true));
  EXPECT_FALSE(expand_method_for({ContentKind::extended, "", 0}, true));
  EXPECT_FALSE(expand_method_for(pv(1), false));  // --no-expand-content
}

// 1.48 on the phony Debian guest, 64M → 128M, --expand /dev/sda2
// --lv-expand /dev/debian-vg/root: these texts and this layout.
TEST(ResizePlan, DebianExpandPvAndRootLv) {
  Settings s;
  s.indisk = "debian.img";
  s.expand = "/dev/sda2";
  s.lv_expands = {"/dev/debian-vg/root"};
  Plan p = debian().plan(128 * MiB, s);
  EXPECT_EQ(texts(p), (std::vector<std::string>{
                          "/dev/sda1: This partition will be left alone.",
                          "/dev/sda2: This partition will be resized from 47.0M to 109.8M.  The LVM PV on /dev/sda2 "
                          "will be expanded using the ‘pvresize’ method.",
                          "/dev/debian-vg/root: This logical volume will be expanded to maximum size.  The "
                          "filesystem ext4 on /dev/debian-vg/root will be expanded using the ‘resize2fs’ method.",
                      }));
  EXPECT_EQ(p.surplus, 0);
  ASSERT_EQ(p.target_table.partitions.size(), 2u);
  const auto& t1 = p.target_table.partitions[0];
  const auto& t2 = p.target_table.partitions[1];
  EXPECT_EQ(t1.first_sector, 2048u);
  EXPECT_EQ(t1.sectors(), 32768u);  // copied: same size
  EXPECT_TRUE(t1.bootable);
  EXPECT_EQ(t2.first_sector, 34816u);
  EXPECT_EQ(t2.sectors(), 224896u);  // resized: up to the next alignment boundary
  EXPECT_EQ(t2.mbr_type, 0x8e);
  EXPECT_EQ(p.target_table.mbr_signature, 0xdeadbeefu);
  EXPECT_EQ(p.partitions[1].new_size, 115113984u);
  EXPECT_EQ(p.partitions[1].expand, ExpandMethod::pvresize);
  ASSERT_EQ(p.lv_expands.size(), 1u);
  EXPECT_EQ(p.lv_expands[0].expand, ExpandMethod::resize2fs);
  EXPECT_TRUE(p.expands_anything());
}

TEST(ResizePlan, PlainCopyIntoALargerDiskMakesAnExtraPartition) {
  Settings s;
  Plan p = debian().plan(128 * MiB, s);
  ASSERT_EQ(p.target_table.partitions.size(), 3u);
  const auto& extra = p.target_table.partitions[2];
  EXPECT_EQ(extra.number, 3u);
  EXPECT_EQ(extra.first_sector, 131072u);          // the next aligned sector
  EXPECT_EQ(extra.last_sector, 262144u - 65);      // as 1.48 ends it
  EXPECT_EQ(extra.mbr_type, 0x83);
  EXPECT_EQ(p.partitions.back().source, nullptr);
  EXPECT_EQ(texts(p).back(), "There is a surplus of 62.8M.  An extra partition will be created for the surplus.");
  EXPECT_FALSE(p.expands_anything());

  s.extra_partition = false;
  p = debian().plan(128 * MiB, s);
  EXPECT_EQ(p.target_table.partitions.size(), 2u);
  EXPECT_EQ(texts(p).back(),
            "There is a surplus of 62.8M.  The surplus space will be ignored.  Run a partitioning program in the "
            "guest to partition this extra space if you want.");
}

TEST(ResizePlan, SmallSurplusIsIgnored) {
  Settings s;
  Plan p = debian().plan(64 * MiB + 4 * MiB, s);
  EXPECT_EQ(p.target_table.partitions.size(), 2u);
  EXPECT_EQ(texts(p).back(),
            "There is a surplus of 2.8M.  The surplus space is not large enough for an extra partition to be "
            "created and so it will just be ignored.");
}

TEST(ResizePlan, DeficitIsExactAndNamed) {
  Settings s;
  EXPECT_EQ(error_of(debian(), 48 * MiB, s),
            "There is a deficit of 18055168 bytes (17.2M).  You need to make the target disk larger by at least "
            "this amount or adjust your resizing requests.");
  s.expand = "/dev/sda2";
  EXPECT_EQ(error_of(debian(), 48 * MiB, s),
            "You cannot use --expand when there is no surplus space to expand into.  You need to make the target "
            "disk larger by at least 17.2M.");
}

TEST(ResizePlan, ShrinkTakesTheDeficitFromOnePartition) {
  Settings s;
  s.shrink = "/dev/sda2";
  // The PV needs 44 MiB: shrinking the 47 MiB partition by 17.2M goes below it.
  EXPECT_NE(error_of(debian(), 48 * MiB, s).find("/dev/sda2: This partition contains an LVM physical volume which "
                                                 "will be damaged by shrinking it below 46137344 bytes"),
            std::string::npos);
  Layout roomy(Scheme::mbr, 64 * MiB);
  roomy.add(2048, 34815, fs("ext4", 16 * MiB)).add(34816, 131071, pv(20 * MiB), 0x8e);
  Plan p = roomy.plan(48 * MiB, s);
  EXPECT_EQ(p.partitions[1].new_size, 47 * MiB - 18055168);
  EXPECT_EQ(p.surplus, 0);
  EXPECT_EQ(error_of(roomy, 128 * MiB, s),
            "You cannot use --shrink when there is no deficit (see ‘deficit’ in the virt-resize(1) man page).");
  s.expand = "/dev/sda1";
  EXPECT_EQ(error_of(roomy, 48 * MiB, s), "you cannot use options --expand and --shrink together");
}

TEST(ResizePlan, ResizeChecksWhatThePartitionHolds) {
  Settings s;
  s.indisk = "d.img";
  s.resizes = {"/dev/sda1=8M"};
  EXPECT_EQ(error_of(debian(), 128 * MiB, s),
            "/dev/sda1: This partition contains a ext4 filesystem which will be damaged by shrinking it below "
            "16777216 bytes (user asked to shrink it to 8388608 bytes).  If you want to shrink this partition, you "
            "need to use the ‘--resize-force’ option, but that could destroy any data on this partition.  (This "
            "error came from ‘--resize’ option on the command line.)");
  s.resizes.clear();
  s.resizes_force = {"/dev/sda1=8M"};
  Plan p = debian().plan(128 * MiB, s);
  EXPECT_EQ(p.partitions[0].new_size, 8 * MiB);
  EXPECT_EQ(p.target_table.partitions[0].sectors(), 16384u);

  s.resizes_force.clear();
  s.resizes = {"/dev/sda1=+4M", "sda1=+1M"};
  EXPECT_EQ(error_of(debian(), 128 * MiB, s), "/dev/sda1: this partition has already been marked for resizing");
  s.resizes = {"/dev/sda9=+4M"};
  EXPECT_EQ(error_of(debian(), 128 * MiB, s),
            "/dev/sda9: partition not found in the source disk image (this error came from ‘--resize’ option on the "
            "command line).  Try running this command: virt-filesystems --partitions --long -a d.img");
  s.resizes = {"/dev/sda1"};
  EXPECT_EQ(error_of(debian(), 128 * MiB, s), "/dev/sda1: missing size field in ‘--resize’ option");
  s.resizes = {"/dev/sda1=-100M"};
  EXPECT_EQ(error_of(debian(), 128 * MiB, s), "/dev/sda1: new partition size is zero or negative");

  Layout unknown(Scheme::mbr, 64 * MiB);
  unknown.add(2048, 131071, {ContentKind::unknown, "", 0}, 0xda);
  s.resizes = {"/dev/sda1=-1M"};
  EXPECT_NE(error_of(unknown, 64 * MiB, s).find("/dev/sda1: This partition has unknown content"), std::string::npos);
}

TEST(ResizePlan, DeleteRenumbersAndIgnoreKeepsTheSlot) {
  Layout l(Scheme::gpt, 512 * MiB);
  l.add(2048, 206847, fs("ext4", 100 * MiB))
      .add(206848, 411647, fs("xfs", 100 * MiB))
      .add(411648, 616447, fs("btrfs", 100 * MiB))
      .add(616448, 821247, {ContentKind::swap, "", 100 * MiB});
  Settings s;
  s.deletes = {"/dev/sda2"};
  s.ignores = {"/dev/sda3"};
  s.resizes = {"/dev/sda4=+50M"};
  s.extra_partition = false;
  Plan p = l.plan(512 * MiB, s);
  ASSERT_EQ(p.target_table.partitions.size(), 3u);
  EXPECT_EQ(p.partitions[1].operation, Operation::remove);
  EXPECT_EQ(p.partitions[2].operation, Operation::ignore);
  EXPECT_EQ(p.partitions[2].target_number, 2u);  // sda3 becomes sda2
  EXPECT_EQ(p.partitions[3].target_name(), "/dev/sda3");
  EXPECT_EQ(p.partitions[3].expand, ExpandMethod::mkswap);
  EXPECT_EQ(p.target_table.partitions[1].first_sector, 206848u);  // the deleted space is reused
  std::vector<std::string> t = texts(p);
  EXPECT_EQ(t[1], "/dev/sda2: This partition will be deleted.");
  EXPECT_EQ(t[2],
            "/dev/sda3: This partition will be created, but the contents will be ignored (ie. not copied to the "
            "target).");
  EXPECT_EQ(t[3],
            "/dev/sda4: This partition will be resized from 100.0M to 150.0M.  The swap on /dev/sda4 will be expanded "
            "using the ‘mkswap’ method.");

  s.deletes = {"/dev/sda3"};
  EXPECT_EQ(error_of(l, 512 * MiB, s),
            "/dev/sda3: partition already ignored, you cannot use it in ‘--delete’ option");
}

TEST(ResizePlan, GptPartitionsStayInsideTheUsableArea) {
  Layout l(Scheme::gpt, 64 * MiB);
  l.add(2048, 131038, fs("ext4", 60 * MiB));
  Settings s;
  s.expand = "/dev/sda1";
  Plan p = l.plan(128 * MiB, s);
  ASSERT_EQ(p.target_table.partitions.size(), 1u);
  EXPECT_LE(p.target_table.partitions[0].last_sector, p.target_table.last_usable());
  EXPECT_EQ(p.partitions[0].expand, ExpandMethod::resize2fs);
}

TEST(ResizePlan, LoneBootableNtfsAtSector63IsAlignedOnlyInAutoOrAlways) {
  Layout l(Scheme::mbr, 48 * MiB);
  l.add(63, 98303, fs("ntfs", 40 * MiB), 0x07, true);
  Settings s;
  Plan p = l.plan(96 * MiB, s);
  EXPECT_TRUE(p.align_first);
  EXPECT_EQ(p.target_table.partitions[0].first_sector, 128u);
  s.align_first = AlignFirst::never;
  p = l.plan(96 * MiB, s);
  EXPECT_FALSE(p.align_first);
  EXPECT_EQ(p.target_table.partitions[0].first_sector, 63u);

  // Two partitions: the boot loader's pointers cannot all be fixed.
  Layout two(Scheme::mbr, 48 * MiB);
  two.add(63, 40959, fs("ntfs", 19 * MiB), 0x07, true).add(40960, 98303, fs("ntfs", 20 * MiB), 0x07);
  s.align_first = AlignFirst::automatic;
  EXPECT_FALSE(two.plan(96 * MiB, s).align_first);
  s.align_first = AlignFirst::always;
  EXPECT_TRUE(two.plan(96 * MiB, s).align_first);
}

TEST(ResizePlan, UnknownFilesystemsWarnErrorOrIgnore) {
  Layout l(Scheme::mbr, 64 * MiB);
  l.add(2048, 131071, fs("vfat", 63 * MiB), 0x0c);
  Settings s;
  s.expand = "/dev/sda1";
  std::vector<std::string> t = texts(l.plan(128 * MiB, s));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0], "warning: unknown/unavailable method for expanding the vfat filesystem on /dev/sda1");
  EXPECT_EQ(t[1].rfind("/dev/sda1: This partition will be resized from 63.0M to", 0), 0u);
  s.unknown_filesystems = UnknownFilesystems::ignore;
  EXPECT_EQ(texts(l.plan(128 * MiB, s)).size(), 1u);
  s.unknown_filesystems = UnknownFilesystems::error;
  EXPECT_EQ(error_of(l, 128 * MiB, s), "unknown/unavailable method for expanding the vfat filesystem on /dev/sda1");
}

TEST(ResizePlan, FullMbrHasNoRoomForAnExtraPartition) {
  Layout l(Scheme::mbr, 64 * MiB);
  l.add(2048, 22527, fs("ext4", 10 * MiB))
      .add(22528, 43007, fs("ext4", 10 * MiB))
      .add(43008, 63487, fs("ext4", 10 * MiB))
      .add(63488, 131071, {ContentKind::extended, "", 0}, 0x05);
  Settings s;
  Plan p = l.plan(128 * MiB, s);
  EXPECT_EQ(p.target_table.partitions.size(), 4u);
  EXPECT_NE(texts(p).back().find("The surplus space will be ignored."), std::string::npos);
  s.resizes = {"/dev/sda4=-1M"};
  EXPECT_NE(error_of(l, 128 * MiB, s).find("This extended partition contains logical partitions"),
            std::string::npos);
}

TEST(ResizePlan, DamagedSourcesAreRefused) {
  Layout small_part(Scheme::mbr, 64 * MiB);
  small_part.add(2048, 4095, fs("ext4", 2 * MiB));
  EXPECT_EQ(error_of(small_part, 128 * MiB, {}), "/dev/sda1: partition size 1048576 < filesystem size 2097152");
  Layout overlap(Scheme::mbr, 64 * MiB);
  overlap.add(2048, 8191, fs("ext4", 1)).add(8000, 9000, fs("ext4", 1));
  EXPECT_EQ(error_of(overlap, 128 * MiB, {}), "/dev/sda2: this partition overlaps the previous one");
  Layout none(Scheme::mbr, 64 * MiB);
  EXPECT_EQ(error_of(none, 128 * MiB, {}), "the source disk has no partitions");
}

TEST(ResizePlan, LvExpandNamesAnExistingVolume) {
  Settings s;
  s.indisk = "d.img";
  s.lv_expands = {"/dev/debian-vg/nope"};
  EXPECT_EQ(error_of(debian(), 128 * MiB, s),
            "/dev/debian-vg/nope: logical volume not found in the source disk image (this error came from "
            "‘--lv-expand’ option on the command line).  Try running this command: virt-filesystems "
            "--logical-volumes --long -a d.img");
  s.lv_expands = {"/dev/debian-vg/swap", "/dev/debian-vg/root", "/dev/debian-vg/root"};
  const Layout d = debian();  // the plan points into it
  Plan p = d.plan(128 * MiB, s);
  ASSERT_EQ(p.lv_expands.size(), 2u);
  EXPECT_EQ(p.lv_expands[0].lv->name, "/dev/debian-vg/root");  // the volumes' order, once each
  EXPECT_EQ(p.lv_expands[1].expand, ExpandMethod::mkswap);
}
