// virt-alignment-scan: where each partition starts and what that start is
// aligned to, in libguestfs 1.48's columns, and the exit code its worst
// alignment makes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "handle.hpp"

namespace vt::alignment {

// The power of two a partition's start is a multiple of (log2), 64 for a
// start of 0.
unsigned alignment_bits(uint64_t start);

// One line: [PREFIX:]NAME START ALIGNMENT ok|bad (...).
std::string format_row(const std::string& prefix, const std::string& partition, uint64_t start);

// One partition, as the daemon lists it.
struct Partition {
  std::string name;  // canonical device and number, /dev/sda1
  uint64_t start = 0;
};

// Every partition of every device; a device with no partition table is
// skipped, as 1.48 does.
std::vector<Partition> scan(Handle& h);

// 0: every alignment at least 64K (2^16); 2: some under that; 3: some under
// 2^10.  1.48 prints "bad (alignment < 4K)" below 2^12 but exits 3 only
// below 2^10: kept as it is, since scripts test the exit code.
int exit_code(unsigned worst_bits);

}  // namespace vt::alignment
