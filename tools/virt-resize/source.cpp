// Examining the source disk: its partition table (parsed here, from bytes
// the appliance reads), then what each partition holds.
#include <algorithm>

#include "errors.hpp"
#include "resize.hpp"

namespace vt::resize {

namespace {

// Boot loaders (GRUB's core image, Windows' boot code) live between the
// table and the first partition; 1.48 copies up to this much of it.
constexpr uint64_t kMaxBootArea = 2 * 1024 * 1024;

// What a partition or logical volume holds, as far as resizing cares.
Content content_of(Handle& h, const std::string& dev, const std::vector<api::lvm_pv>& pvs) {
  try {
    std::string type = h.vfs_type(dev);
    if (type.empty() || type == "unknown") return {};
    if (type == "swap") return {ContentKind::swap, "", 0};
    if (type == "LVM2_member") {
      for (const auto& pv : pvs)
        if (h.canonical_device_name(pv.pv_name) == dev)
          return {ContentKind::pv, "", static_cast<uint64_t>(pv.pv_size)};
      throw Error(dev + ": physical volume not returned by pvs_full");
    }
    h.mount_ro(dev, "/");
    api::statvfs st;
    try {
      st = h.statvfs("/");
    } catch (...) {
      h.umount("/");
      throw;
    }
    h.umount("/");
    return {ContentKind::fs, type, static_cast<uint64_t>(st.bsize) * static_cast<uint64_t>(st.blocks)};
  } catch (const ApplianceError&) {
    throw;
  } catch (const CallError&) {
    // Something the appliance cannot read or mount: content unknown, as in 1.48.
    return {};
  }
}

}  // namespace

Source examine_source(Handle& h, const Disk& disk, bool want_lvs) {
  Source s;
  s.disk = disk;
  const std::string dev = "/dev/sda";
  auto read = [&](uint64_t offset, size_t length) {
    return h.pread_device(dev, static_cast<int32_t>(length), static_cast<int64_t>(offset));
  };
  uint32_t ss = static_cast<uint32_t>(h.blockdev_getss(dev));
  uint64_t sectors = static_cast<uint64_t>(h.blockdev_getsize64(dev)) / ss;
  auto table = ptable::read_table(read, sectors, ss);
  if (!table)
    throw Error(disk.path + ": unknown partition table type.  virt-resize only supports MBR (DOS) and GPT "
                            "partition tables.");
  s.table = *table;
  if (s.table.partitions.empty()) throw Error("the source disk has no partitions");

  uint64_t first = s.table.partitions.front().first_sector;
  for (const auto& p : s.table.partitions) first = std::min(first, p.first_sector);
  s.boot_area = read(0, static_cast<size_t>(std::min(first * ss, kMaxBootArea)));
  s.first_boot_record = read(s.table.partitions.front().first_sector * ss, ss);

  std::vector<api::lvm_pv> pvs = h.pvs_full();
  for (const auto& p : s.table.partitions) {
    SourcePartition sp;
    sp.name = dev + std::to_string(p.number);
    sp.part = p;
    if (s.table.scheme == ptable::Scheme::mbr && p.is_extended())
      sp.content = {ContentKind::extended, "", 0};
    else
      sp.content = content_of(h, sp.name, pvs);
    s.partitions.push_back(sp);
  }
  if (want_lvs)
    for (const auto& lv : h.lvs()) s.lvs.push_back({lv, content_of(h, lv, pvs)});
  return s;
}

}  // namespace vt::resize
