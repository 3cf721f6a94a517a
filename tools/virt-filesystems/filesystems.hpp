// virt-filesystems: what to list (the work) and how to print it (the output).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "handle.hpp"

namespace vt::filesystems {

// Kinds of object, as bits (the values libguestfs's tool uses).
enum Kinds : unsigned {
  kFilesystems = 1,
  kFilesystemsExtra = 2,  // swap and unknown too
  kPartitions = 4,
  kBlockDevices = 8,
  kLogicalVolumes = 16,
  kVolumeGroups = 32,
  kPhysicalVolumes = 64,
  kAll = 0x7fffffff,
};

// Columns in display order.
enum Column { kName, kType, kVfs, kLabel, kMbr, kSize, kParent, kUuid, kColumnCount };
using Row = std::array<std::optional<std::string>, kColumnCount>;

struct Settings {
  unsigned kinds = 0;
  bool long_mode = false;
  bool human = false;
  bool csv = false;
  bool title = true;
  bool uuid = false;
  std::array<bool, kColumnCount> columns{};  // which are shown
};

// Fills in the columns from the options, as libguestfs's tool does.
void choose_columns(Settings& s);

// Every row, in the tool's order: filesystems, LVs, VGs, PVs, partitions, devices.
std::vector<Row> collect_rows(Handle& h, const Settings& s);

// Prints the rows (and the title if wanted) as an aligned table or as CSV.
void print_rows(const std::vector<Row>& rows, const Settings& s);

}  // namespace vt::filesystems
