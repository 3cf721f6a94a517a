// Formatting shared by the tools: sizes, CSV, device names.
#include <gtest/gtest.h>

#include "devices.hpp"
#include "output.hpp"

namespace vt {

// The values libguestfs's tools print (gnulib human_readable, base 1024).
TEST(HumanSize, MatchesLibguestfsTools) {
  EXPECT_EQ(human_size(0), "0");
  EXPECT_EQ(human_size(512), "512");
  EXPECT_EQ(human_size(1023), "1023");
  EXPECT_EQ(human_size(1024), "1.0K");
  EXPECT_EQ(human_size(1126), "1.1K");
  EXPECT_EQ(human_size(1536), "1.5K");
  EXPECT_EQ(human_size(10240), "10K");
  EXPECT_EQ(human_size(10752), "10K");  // 10.5: ties to even
  EXPECT_EQ(human_size(11776), "12K");  // 11.5: ties to even
  EXPECT_EQ(human_size(1048575), "1.0M");
  EXPECT_EQ(human_size(1048576), "1.0M");
  EXPECT_EQ(human_size(8388608), "8.0M");
  EXPECT_EQ(human_size(15728640), "15M");
  EXPECT_EQ(human_size(104857600), "100M");
  EXPECT_EQ(human_size(536870912), "512M");
  EXPECT_EQ(human_size(1073741824), "1.0G");
  EXPECT_EQ(human_size(1610612736), "1.5G");
  EXPECT_EQ(human_size(10212081664ULL), "9.5G");
  EXPECT_EQ(human_size(21474836480ULL), "20G");
  EXPECT_EQ(human_size(1099511627776ULL), "1.0T");
}

// Only fields that need it are quoted; quotes are doubled.
TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("/dev/sda1"), "/dev/sda1");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("System Reserved"), "\"System Reserved\"");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

// Guests name disks in many ways; the tools print them as /dev/sdX.
TEST(CanonicalDeviceName, FollowsLibguestfs) {
  EXPECT_EQ(canonical_device_name("/dev/sda1"), "/dev/sda1");
  EXPECT_EQ(canonical_device_name("/dev/vda"), "/dev/sda");
  EXPECT_EQ(canonical_device_name("/dev/vdb3"), "/dev/sdb3");
  EXPECT_EQ(canonical_device_name("/dev/hda1"), "/dev/sda1");
  EXPECT_EQ(canonical_device_name("/dev/xvda2"), "/dev/sda2");
  EXPECT_EQ(canonical_device_name("/dev/md127"), "/dev/md127");
  EXPECT_EQ(canonical_device_name("/dev/sr0"), "/dev/sr0");
  EXPECT_EQ(canonical_device_name("/dev/nvme0n1"), "/dev/nvme0n1");
  EXPECT_EQ(canonical_device_name("/dev/vg0/root"), "/dev/vg0/root");
  EXPECT_EQ(canonical_device_name("/dev/mapper/vg0-root"), "/dev/vg0/root");
  EXPECT_EQ(canonical_device_name("/dev/mapper/my--vg-lv--1"), "/dev/my-vg/lv-1");
  EXPECT_EQ(canonical_device_name("/dev/mapper/luks"), "/dev/mapper/luks");
  // An opened LUKS device is not an LV, though its name has dashes.
  EXPECT_EQ(canonical_device_name("/dev/mapper/luks-5a6b7c8d-9eaf-4b0c-9d2e-3f4a5b6c7d8e"),
            "/dev/mapper/luks-5a6b7c8d-9eaf-4b0c-9d2e-3f4a5b6c7d8e");
}


constexpr int64_t kMiB = 1024 * 1024;

TEST(HumanSizeOneDecimal, AsTheOcamlToolsPrintIt) {
  EXPECT_EQ(human_size_one_decimal(0), "0");
  EXPECT_EQ(human_size_one_decimal(1023), "1023");
  EXPECT_EQ(human_size_one_decimal(1024), "1.0K");
  EXPECT_EQ(human_size_one_decimal(1536), "1.5K");
  EXPECT_EQ(human_size_one_decimal(16 * kMiB), "16.0M");
  EXPECT_EQ(human_size_one_decimal(115113984), "109.8M");
  EXPECT_EQ(human_size_one_decimal(18055168), "17.2M");
  EXPECT_EQ(human_size_one_decimal(3 * 1024 * kMiB / 2), "1.5G");
  EXPECT_EQ(human_size_one_decimal(5000LL * 1024 * kMiB), "5000.0G");  // no unit past G
  EXPECT_EQ(human_size_one_decimal(-2 * 1024 * 1024), "-2.0M");
}

}  // namespace vt
