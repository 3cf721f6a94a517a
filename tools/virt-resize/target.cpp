// The target disk: its table and boot loader written, the partitions copied
// on the host (qemu-img, sparse), then their content grown in the appliance.
#include <algorithm>
#include <cstring>

#include "bytes.hpp"
#include "errors.hpp"
#include "resize.hpp"

namespace vt::resize {

namespace {

// The MBR's boot code ends where the disk signature starts.
constexpr size_t kBootCodeBytes = 440;
// NTFS boot record: "NTFS    " at 3, the partition's start sector at 0x1c.
constexpr size_t kNtfsOemOffset = 3;
constexpr size_t kNtfsHiddenSectorsOffset = 0x1c;

uint64_t round_down(uint64_t v, uint64_t unit) { return v / unit * unit; }

// Sector 0 up to the first partition of the target: the source's boot code,
// the new table, and after the table the source's boot loader sectors (as
// far as neither disk's first partition starts).
std::string target_head(const Source& source, const ptable::Table& target,
                        const std::vector<ptable::Region>& regions, bool copy_boot_loader) {
  uint32_t ss = target.sector_size;
  uint64_t first_target = target.partitions.empty() ? target.first_usable() : target.partitions.front().first_sector;
  for (const auto& p : target.partitions) first_target = std::min(first_target, p.first_sector);
  uint64_t head_end = std::max<uint64_t>(target.head_bytes(), round_down(std::min<uint64_t>(first_target * ss, source.boot_area.size()), ss));
  std::string head(static_cast<size_t>(head_end), '\0');
  if (copy_boot_loader) {
    std::memcpy(head.data(), source.boot_area.data(), std::min(kBootCodeBytes, source.boot_area.size()));
    size_t after_table = static_cast<size_t>(target.head_bytes());
    if (source.boot_area.size() > after_table)
      std::memcpy(head.data() + after_table, source.boot_area.data() + after_table,
                  std::min(head.size(), source.boot_area.size()) - after_table);
  }
  for (const auto& r : regions)
    if (r.offset + r.bytes.size() <= head.size()) std::memcpy(head.data() + r.offset, r.bytes.data(), r.bytes.size());
  return head;
}

}  // namespace

void write_target(const QemuImg& qemu_img, const Source& source, const Plan& plan, const Disk& target,
                  const std::string& target_path, bool target_is_new, const CopySettings& settings,
                  const StatusMessages& status, ProgressBar& progress) {
  status.message("Setting up initial partition table on " + target.path);
  ptable::Table table = plan.target_table;
  if (!settings.copy_boot_loader && table.scheme == ptable::Scheme::mbr) {
    std::string random = ptable::Guid::random().str();
    table.mbr_signature = static_cast<uint32_t>(std::stoul(random.substr(0, 8), nullptr, 16));
  }
  auto regions = ptable::encode_table(table);
  std::string head = target_head(source, table, regions, settings.copy_boot_loader);
  qemu_img.write_bytes(target_path, target.format, 0, head);
  // The GPT's backup at the end of the disk.
  for (const auto& r : regions)
    if (r.offset >= head.size()) qemu_img.write_bytes(target_path, target.format, r.offset, r.bytes);

  const uint32_t ss = source.table.sector_size;
  for (const auto& pp : plan.partitions) {
    if (!pp.source || (pp.operation != Operation::copy && pp.operation != Operation::resize)) continue;
    status.message("Copying " + pp.source->name);
    uint64_t old_bytes = pp.source->size_bytes(ss);
    uint64_t target_bytes = (pp.target_last - pp.target_first + 1) * ss;
    uint64_t length = std::min(old_bytes, target_bytes);
    QemuImg::CopyOptions o;
    o.sparse = settings.sparse;
    o.target_is_zero = target_is_new && settings.sparse;
    progress.reset();
    o.progress = [&](uint64_t pos, uint64_t total) { progress.update(pos, total); };
    // An extended partition is copied whole: its logical partitions and the
    // boot records chaining them (their offsets are relative to it).
    qemu_img.copy({source.disk.path, source.disk.format, pp.source->part.first_sector * ss, length},
                  {target_path, target.format, pp.target_first * ss, length}, o);
  }

  // A lone Windows partition moved to an aligned start boots only if its
  // boot record says where it now starts.
  if (plan.align_first) {
    const PartitionPlan* first = nullptr;
    for (const auto& pp : plan.partitions)
      if (pp.source && pp.operation != Operation::remove) {
        first = &pp;
        break;
      }
    if (first && first->source->content.kind == ContentKind::fs && first->source->content.fstype == "ntfs" &&
        first->source->part.bootable && first->operation != Operation::ignore) {
      std::string boot = first->source->name == source.partitions.front().name ? source.first_boot_record : "";
      if (boot.size() < ss || boot.compare(kNtfsOemOffset, 8, "NTFS    ") != 0) {
        status.warning("first partition is NTFS but does not contain NTFS boot loader magic");
      } else {
        status.message("Fixing first NTFS partition boot record");
        std::string sector = boot.substr(0, ss);
        bytes::store_le(sector, kNtfsHiddenSectorsOffset, first->target_first, 4);
        qemu_img.write_bytes(target_path, target.format, first->target_first * ss, sector);
      }
    }
  }
}

void expand_target(Handle& h, Source& source, const Plan& plan, const std::string& target_path,
                   const std::string& target_format, const CopySettings& settings, const StatusMessages& status) {
  // The source leaves the appliance first: its volume groups have the
  // target's names and UUIDs, and LVM must see only one of each.
  h.remove_drive(source.drive);
  DriveOptions o;
  o.format = target_format;
  o.cache_unsafe = true;
  h.add_drive(target_path, o);
  auto devices = h.list_devices();
  if (devices.size() != 1) throw Error("the target disk did not appear in the appliance");
  const std::string disk = devices.front();

  auto with_mounted = [&](const std::string& dev, const std::function<void()>& resize) {
    h.mount(dev, "/");
    try {
      resize();
    } catch (...) {
      h.umount("/");
      throw;
    }
    h.umount("/");
  };
  auto expand = [&](const std::string& dev, ExpandMethod method) {
    switch (method) {
      case ExpandMethod::pvresize: h.pvresize(dev); break;
      case ExpandMethod::resize2fs:
        // resize2fs insists on a fresh check of a filesystem mounted since its last one.
        h.e2fsck(dev, {.correct = true, .forceall = std::nullopt});
        h.resize2fs(dev);
        break;
      case ExpandMethod::ntfsresize: h.ntfsresize(dev, {.size = std::nullopt, .force = settings.ntfsresize_force}); break;
      case ExpandMethod::btrfs_filesystem_resize: with_mounted(dev, [&] { h.btrfs_filesystem_resize("/"); }); break;
      case ExpandMethod::xfs_growfs: with_mounted(dev, [&] { h.xfs_growfs("/"); }); break;
      case ExpandMethod::mkswap: {
        // A new swap signature over the whole partition, with the UUID and
        // label fstab and resume= name it by.
        std::string uuid = h.vfs_uuid(dev), label = h.vfs_label(dev);
        api::MkswapOptargs args;
        if (!label.empty()) args.label = label;
        if (!uuid.empty()) args.uuid = uuid;
        h.mkswap(dev, args);
        std::string now = h.vfs_uuid(dev);
        if (now != uuid) status.warning("UUID in swap partition " + dev + " changed from ‘" + uuid + "’ to ‘" + now + "’");
        break;
      }
    }
  };

  for (const auto& pp : plan.partitions) {
    if (!pp.source || !pp.expand) continue;
    std::string shown = pp.target_name();
    std::string dev = disk + std::to_string(pp.target_number);
    status.message("Expanding " + pp.source->name + (shown != pp.source->name ? " (now " + shown + ")" : "") +
                   " using the ‘" + method_name(*pp.expand) + "’ method");
    expand(dev, *pp.expand);
  }
  for (const auto& lp : plan.lv_expands) {
    if (!lp.expand) continue;
    status.message("Expanding " + lp.lv->name + " using the ‘" + method_name(*lp.expand) + "’ method");
    h.lvresize_free(lp.lv->name, 100);
    expand(lp.lv->name, *lp.expand);
  }
}

}  // namespace vt::resize
