// virt-alignment-scan's lines and exit codes, against libguestfs 1.48's
// format ("%s%d %12lu ", then the alignment in bytes or K, then the verdict).
#include <gtest/gtest.h>

#include "scan.hpp"

namespace vt::alignment {

TEST(Alignment, BitsOfAStart) {
  EXPECT_EQ(alignment_bits(32256), 9u);    // sector 63
  EXPECT_EQ(alignment_bits(1048576), 20u);
  EXPECT_EQ(alignment_bits(65536 * 3), 16u);
  EXPECT_EQ(alignment_bits(0), 64u);
}

TEST(Alignment, RowsAsLibguestfsPrintsThem) {
  EXPECT_EQ(format_row("", "/dev/sda1", 32256), "/dev/sda1        32256          512    bad (alignment < 4K)\n");
  EXPECT_EQ(format_row("", "/dev/sda1", 1048576), "/dev/sda1      1048576         1024K   ok\n");
  EXPECT_EQ(format_row("", "/dev/sdb1", 65536), "/dev/sdb1        65536           64K   ok\n");
  EXPECT_EQ(format_row("", "/dev/sda2", 106928640), "/dev/sda2    106928640          512    bad (alignment < 4K)\n");
  EXPECT_EQ(format_row("", "/dev/sda3", 4096 * 3), "/dev/sda3        12288            4K   bad (alignment < 64K)\n");
  EXPECT_EQ(format_row("F16x64", "/dev/sda1", 1048576), "F16x64:/dev/sda1      1048576         1024K   ok\n");
  EXPECT_EQ(format_row("", "/dev/sda1", 0), "/dev/sda1            0 - ok\n");
}

TEST(Alignment, ExitCodeFromTheWorstAlignment) {
  EXPECT_EQ(exit_code(64), 0);
  EXPECT_EQ(exit_code(16), 0);
  EXPECT_EQ(exit_code(15), 2);
  EXPECT_EQ(exit_code(10), 2);  // 1 KiB: "bad (alignment < 4K)", but 1.48 exits 2
  EXPECT_EQ(exit_code(9), 3);
}

}  // namespace vt::alignment
