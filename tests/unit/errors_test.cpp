#include <gtest/gtest.h>

#include <sstream>

#include "errors.hpp"
#include "process.hpp"

using vt::CallError;

TEST(CallError, NamesTheCallOnce) {
  EXPECT_STREQ(CallError("mkdir", "EEXIST", "/x: File exists").what(), "mkdir: /x: File exists");
  EXPECT_STREQ(CallError("mkdir_p", "EROFS", "mkdir_p /x: Read-only file system").what(),
               "mkdir_p: /x: Read-only file system");
  EXPECT_STREQ(CallError("blockdev_setro", "EINVAL", "blockdev_setro: xyz: not a device").what(),
               "blockdev_setro: xyz: not a device");
  // Another call's name that merely starts the same way is not the call's own.
  EXPECT_STREQ(CallError("mkdir", "EROFS", "mkdir_p /x: no").what(), "mkdir: mkdir_p /x: no");
  EXPECT_EQ(CallError("mkdir_p", "EROFS", "mkdir_p /x: no").message(), "mkdir_p /x: no");
}

namespace vt {

// Piped input is read whole up to a cap, then refused with one clear line.
TEST(ReadCapped, ReadsUpToTheCapAndRefusesMore) {
  std::istringstream small(std::string(100, 'x'));
  EXPECT_EQ(read_capped(small, 100, "the input"), std::string(100, 'x'));
  std::istringstream big(std::string(200000, 'y'));
  try {
    read_capped(big, 150000, "the XML on stdin");
    FAIL() << "no error past the cap";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the XML on stdin is larger than 150000 bytes");
  }
  std::istringstream empty;
  EXPECT_EQ(read_capped(empty, 10, "x"), "");
}

}  // namespace vt
