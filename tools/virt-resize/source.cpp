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
Content content_of(Handle& h, const std::string& dev) {
  try {
    std::string type = h.vfs_type(dev);
    if (type.empty() || type == "unknown") return {};
    if (type == "swap") return {ContentKind::swap, "", 0};
    // pv_size, not pvs_full: the daemon knows the size from the PV's
    // metadata, while pvs_full runs lvm (about 0.3 s under TCG).
    if (type == "LVM2_member") return {ContentKind::pv, "", static_cast<uint64_t>(h.pv_size(dev))};
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

Source examine_source(Handle& h, const QemuImg& qemu_img, const Disk& disk, bool want_lvs) {
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
  // The boot area is read on the host: through the appliance a MiB costs
  // about 0.1 s under TCG.  With the first partition's first sector when
  // that follows it, in one read.
  uint64_t boot_bytes = std::min(first * ss, kMaxBootArea);
  uint64_t first_record = s.table.partitions.front().first_sector * ss;
  auto host_read = [&](uint64_t offset, uint64_t length) {
    std::string bytes = qemu_img.read_bytes(disk.path, disk.format, offset, static_cast<size_t>(length));
    if (bytes.size() != length) throw Error(disk.path + ": the disk image ends before its first partition");
    return bytes;
  };
  if (first_record == boot_bytes) {
    s.boot_area = host_read(0, boot_bytes + ss);
    s.first_boot_record = s.boot_area.substr(static_cast<size_t>(boot_bytes));
    s.boot_area.resize(static_cast<size_t>(boot_bytes));
  } else {
    s.boot_area = host_read(0, boot_bytes);
    s.first_boot_record = host_read(first_record, ss);
  }

  for (const auto& p : s.table.partitions) {
    SourcePartition sp;
    sp.name = dev + std::to_string(p.number);
    sp.part = p;
    if (s.table.scheme == ptable::Scheme::mbr && p.is_extended())
      sp.content = {ContentKind::extended, "", 0};
    else
      sp.content = content_of(h, sp.name);
    s.partitions.push_back(sp);
  }
  if (want_lvs)
    for (const auto& lv : h.lvs()) s.lvs.push_back({lv, content_of(h, lv)});
  return s;
}

}  // namespace vt::resize
