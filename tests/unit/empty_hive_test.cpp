// The empty hive that tests build must be one libhivex opens, changes,
// commits and reads back.
#include <gtest/gtest.h>
#include <hivex.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "../phony-guests/empty_hive.hpp"
#include "process.hpp"

namespace vt {

namespace {

struct HiveCloser {
  void operator()(hive_h* h) const { hivex_close(h); }
};
using Hive = std::unique_ptr<hive_h, HiveCloser>;

Hive open_hive(const std::string& path, int flags) { return Hive(hivex_open(path.c_str(), flags)); }

void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// "hello" as REG_SZ stores it: UTF-16LE with a terminating NUL.
const std::string kHelloUtf16("h\0e\0l\0l\0o\0\0\0", 12);

}  // namespace

TEST(EmptyHive, HasAValidBaseBlock) {
  std::string hive = phony::empty_hive();
  ASSERT_EQ(hive.size(), 0x2000u);
  EXPECT_EQ(hive.substr(0, 4), "regf");
  EXPECT_EQ(hive.substr(0x1000, 4), "hbin");
  EXPECT_EQ(phony::regf::get_u32(hive, 0x1fc), phony::regf::base_block_checksum(hive));
}

TEST(EmptyHive, OpensWithOneRootAndNothingElse) {
  TempDir tmp("vt-hive-test-");
  std::string path = tmp.path() + "/empty.hiv";
  write_file(path, phony::empty_hive());
  Hive h = open_hive(path, 0);
  ASSERT_TRUE(h) << "hivex_open: " << std::strerror(errno);
  hive_node_h root = hivex_root(h.get());
  ASSERT_NE(root, 0u);
  std::unique_ptr<char, decltype(&free)> name(hivex_node_name(h.get(), root), &free);
  EXPECT_STREQ(name.get(), "$$$PROTO.HIV");
  std::unique_ptr<hive_node_h, decltype(&free)> children(hivex_node_children(h.get(), root), &free);
  ASSERT_TRUE(children);
  EXPECT_EQ(children.get()[0], 0u);
  std::unique_ptr<hive_value_h, decltype(&free)> values(hivex_node_values(h.get(), root), &free);
  ASSERT_TRUE(values);
  EXPECT_EQ(values.get()[0], 0u);
}

TEST(EmptyHive, TakesAKeyAndValueThatSurviveCommit) {
  TempDir tmp("vt-hive-test-");
  std::string path = tmp.path() + "/empty.hiv";
  write_file(path, phony::empty_hive());
  {
    Hive h = open_hive(path, HIVEX_OPEN_WRITE);
    ASSERT_TRUE(h) << "hivex_open: " << std::strerror(errno);
    hive_node_h key = hivex_node_add_child(h.get(), hivex_root(h.get()), "Software");
    ASSERT_NE(key, 0u) << std::strerror(errno);
    std::string data = kHelloUtf16;
    hive_set_value v{const_cast<char*>("Greeting"), hive_t_REG_SZ, data.size(), data.data()};
    ASSERT_EQ(hivex_node_set_value(h.get(), key, &v, 0), 0) << std::strerror(errno);
    ASSERT_EQ(hivex_commit(h.get(), nullptr, 0), 0) << std::strerror(errno);
  }
  Hive h = open_hive(path, 0);
  ASSERT_TRUE(h) << "hivex_open after commit: " << std::strerror(errno);
  hive_node_h key = hivex_node_get_child(h.get(), hivex_root(h.get()), "Software");
  ASSERT_NE(key, 0u);
  hive_value_h val = hivex_node_get_value(h.get(), key, "Greeting");
  ASSERT_NE(val, 0u);
  std::unique_ptr<char, decltype(&free)> text(hivex_value_string(h.get(), val), &free);
  ASSERT_TRUE(text);
  EXPECT_STREQ(text.get(), "hello");
}

}  // namespace vt
