// virt-df's guest names (as libguestfs 1.48 makes them from -a and -d) and
// --uuid, on rows made here: no appliance.
#include <gtest/gtest.h>

#include "df.hpp"

namespace {

using vt::DiskArg;
using namespace vt::df;

DiskArg image(const std::string& path) { return {path, "", 0, ""}; }
DiskArg domain(const std::string& name) { return {"", "", 0, name}; }

TEST(DfGuestName, BasenameOrDomainThenOnePlusPerFurtherDisk) {
  EXPECT_EQ(guest_name({image("/images/a.img")}), "a.img");
  EXPECT_EQ(guest_name({image("b.img")}), "b.img");
  EXPECT_EQ(guest_name({domain("web")}), "web");
  EXPECT_EQ(guest_name({image("/x/a.img"), image("/x/b.img")}), "a.img+");
  EXPECT_EQ(guest_name({image("/x/a.img"), image("/x/b.img"), domain("db")}), "a.img++");
  EXPECT_EQ(guest_name({domain("db"), image("/x/a.img")}), "db+");
}

TEST(DfRows, UuidReplacesTheNameOnlyWhenTheGuestHasOne) {
  FilesystemStat row{"/dev/sda1", {}};
  row.stat.bsize = 4096;
  row.stat.blocks = 100;
  row.stat.bfree = 50;
  row.stat.bavail = 40;
  Settings s;
  s.csv = true;
  s.uuid = true;
  EXPECT_EQ(format_rows({"web", "0b2e4f34-9a3c-4c7d-8f43-7a1e2d3c4b5a"}, {row}, s),
            "0b2e4f34-9a3c-4c7d-8f43-7a1e2d3c4b5a,/dev/sda1,400,200,160,50.0\n");
  EXPECT_EQ(format_rows({"disk.img", ""}, {row}, s), "disk.img,/dev/sda1,400,200,160,50.0\n");
  s.uuid = false;
  EXPECT_EQ(format_rows({"web", "0b2e4f34-9a3c-4c7d-8f43-7a1e2d3c4b5a"}, {row}, s), "web,/dev/sda1,400,200,160,50.0\n");
}

}  // namespace
