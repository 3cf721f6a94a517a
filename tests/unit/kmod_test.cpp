// Module load order from modules.dep: what stage-1 init and the daemon load.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "kmod.hpp"
#include "process.hpp"

namespace vt {

// Dependencies come first, each module once, built-in names are skipped.
TEST(ModuleDeps, LoadOrderPutsDependenciesFirst) {
  TempDir dir("vt-kmod-test-");
  std::ofstream(dir.path() + "/modules.dep")
      << "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko\n"
         "kernel/fs/jbd2/jbd2.ko:\n"
         "kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko\n";
  ModuleDeps deps(dir.path());
  std::vector<std::string> want = {"kernel/fs/jbd2/jbd2.ko", "kernel/fs/mbcache.ko", "kernel/lib/crc16.ko",
                                   "kernel/fs/ext4/ext4.ko", "kernel/drivers/virtio/virtio_ring.ko",
                                   "kernel/drivers/virtio/virtio.ko", "kernel/drivers/block/virtio_blk.ko.xz"};
  EXPECT_EQ(deps.load_order({"ext4", "jbd2", "virtio_blk", "builtin_thing"}), want);
}

// dm_mod is dm-mod.ko on disk, crc64_rocksoft_generic has underscores: the
// kernel does not tell '-' from '_' in module names, and neither may we.
TEST(ModuleDeps, DashesAndUnderscoresMatchEachOther) {
  TempDir dir("vt-kmod-test-");
  std::ofstream(dir.path() + "/modules.dep") << "kernel/drivers/md/dm-crypt.ko: kernel/drivers/md/dm-mod.ko\n"
                                                "kernel/drivers/md/dm-mod.ko:\n";
  ModuleDeps deps(dir.path());
  std::vector<std::string> want = {"kernel/drivers/md/dm-mod.ko", "kernel/drivers/md/dm-crypt.ko"};
  EXPECT_EQ(deps.load_order({"dm_crypt"}), want);
  EXPECT_EQ(deps.load_order({"dm-mod"}), std::vector<std::string>{"kernel/drivers/md/dm-mod.ko"});
}

TEST(ModuleDeps, MissingFileMeansNoModules) {
  ModuleDeps deps("/nonexistent");
  EXPECT_TRUE(deps.load_order({"ext4"}).empty());
}

}  // namespace vt
