#include "scan.hpp"

#include <cstdio>

#include "errors.hpp"

namespace vt::alignment {

unsigned alignment_bits(uint64_t start) {
  if (start == 0) return 64;
  unsigned bits = 0;
  for (; (start & 1) == 0; start >>= 1) ++bits;
  return bits;
}

std::string format_row(const std::string& prefix, const std::string& partition, uint64_t start) {
  std::string line = prefix.empty() ? "" : prefix + ":";
  char buf[64];
  std::snprintf(buf, sizeof buf, " %12llu ", static_cast<unsigned long long>(start));
  line += partition + buf;
  unsigned bits = alignment_bits(start);
  if (bits < 10)
    std::snprintf(buf, sizeof buf, "%12llu    ", 1ULL << bits);
  else if (bits < 64)
    std::snprintf(buf, sizeof buf, "%12lluK   ", 1ULL << (bits - 10));
  else
    std::snprintf(buf, sizeof buf, "- ");
  line += buf;
  if (bits < 12) line += "bad (alignment < 4K)";
  else if (bits < 16) line += "bad (alignment < 64K)";
  else line += "ok";
  return line + "\n";
}

std::vector<Partition> scan(Handle& h) {
  std::vector<Partition> out;
  for (const auto& device : h.list_devices()) {
    std::vector<api::partition> parts;
    try {
      parts = h.part_list(device);
    } catch (const CallError& e) {
      if (e.errno_name() == "EINVAL") continue;  // no partition table
      throw;
    }
    std::string name = h.canonical_device_name(device);
    for (const auto& p : parts) out.push_back({name + std::to_string(p.part_num), static_cast<uint64_t>(p.part_start)});
  }
  return out;
}

int exit_code(unsigned worst_bits) {
  if (worst_bits < 10) return 3;
  if (worst_bits < 16) return 2;
  return 0;
}

}  // namespace vt::alignment
