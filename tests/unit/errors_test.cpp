#include <gtest/gtest.h>

#include "errors.hpp"

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
