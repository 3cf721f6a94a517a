// virt-resize's plan: from the source disk's partitions, what they hold and
// the user's requests, the target disk's partition table and what happens
// to each partition.  A pure function (no appliance, no files), so every
// rule of libguestfs 1.48's virt-resize is unit-tested here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "partition_table.hpp"

namespace vt::resize {

enum class ContentKind { unknown, pv, fs, extended, swap };

struct Content {
  ContentKind kind = ContentKind::unknown;
  std::string fstype;  // fs: "ext4", "xfs", …
  uint64_t size = 0;   // pv, fs: bytes the PV or the filesystem spans
};
// "LVM PV", "filesystem ext4", "swap", … as the summary names content.
std::string describe(const Content& content);

enum class ExpandMethod { pvresize, resize2fs, ntfsresize, btrfs_filesystem_resize, xfs_growfs, mkswap };
const char* method_name(ExpandMethod method);

struct SourcePartition {
  std::string name;  // /dev/sdaN
  ptable::Partition part;
  Content content;
  uint64_t size_bytes(uint32_t sector_size) const { return part.sectors() * sector_size; }
};

struct SourceLv {
  std::string name;  // /dev/VG/LV
  Content content;
};

enum class Operation { copy, ignore, remove, resize };
enum class AlignFirst { never, always, automatic };
enum class UnknownFilesystems { ignore, warn, error };

struct Settings {
  std::string indisk;  // as the user named it, for hints in errors
  std::vector<std::string> resizes, resizes_force, deletes, ignores, lv_expands;
  std::optional<std::string> expand, shrink;
  uint64_t alignment = 128;  // sectors
  AlignFirst align_first = AlignFirst::automatic;
  bool extra_partition = true;
  bool expand_content = true;
  UnknownFilesystems unknown_filesystems = UnknownFilesystems::warn;
  bool copy_boot_loader = true;
};

// One partition of the source and its fate.
struct PartitionPlan {
  const SourcePartition* source = nullptr;  // nullptr: the extra partition for the surplus
  Operation operation = Operation::copy;
  uint64_t new_size = 0;                    // bytes, for resize
  // On the target (not for remove):
  uint32_t target_number = 0;
  uint64_t target_first = 0, target_last = 0;
  std::optional<ExpandMethod> expand;       // content grown after the copy
  // The device on the target disk once it is alone in the appliance.
  std::string target_name() const { return "/dev/sda" + std::to_string(target_number); }
};

struct LvPlan {
  const SourceLv* lv = nullptr;
  std::optional<ExpandMethod> expand;
};

// A line of the summary: an info, or a warning printed before it.
struct SummaryLine {
  bool warning = false;
  std::string text;
};

struct Plan {
  std::vector<PartitionPlan> partitions;  // source order, then the extra partition
  std::vector<LvPlan> lv_expands;
  int64_t surplus = 0;                    // bytes
  bool align_first = false;               // first partition moved to `alignment`, NTFS boot record fixed
  ptable::Table target_table;
  std::vector<SummaryLine> summary;
  // Whether anything is grown after the copy (a second phase in the appliance).
  bool expands_anything() const;
};

// The source's partitions are those of `source` (MBR: primaries and the
// extended partition, whose logical partitions move with it), described by
// `partitions` in the same order.  Throws Error with libguestfs's texts.
Plan make_plan(const ptable::Table& source, const std::vector<SourcePartition>& partitions,
               const std::vector<SourceLv>& lvs, uint64_t target_size, const Settings& settings);

// The content grown by which method, if any (nullopt: left as it is).
std::optional<ExpandMethod> expand_method_for(const Content& content, bool expand_content);

// "/dev/vda1", "sda1" → "/dev/sda1": the names the user may type for a partition.
std::string canonical_partition_name(const std::string& name);

// A --resize size: "500M", "+10M", "-1G", "50%", "+10.5%" relative to `old_size`.
uint64_t parse_resize(uint64_t old_size, const std::string& field);

}  // namespace vt::resize
