// MBR and GPT tables read on the host (partition_table.hpp read_table), as
// virt-resize reads its source disk.  Input: two bytes (little-endian), a
// number of zero sectors that follow, then the start of the disk; with none
// the input is the whole disk, its backup GPT included.  Reads past the end
// come back short, as pread does.  Tried with 512- and 4096-byte sectors.
// Documented failure: vt::Error.  A table that is read and encodes again
// must read back the same.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"
#include "partition_table.hpp"

namespace ptable = vt::ptable;

namespace {

// A disk of `size` bytes: `head`, then zeros, with `overlay` written over
// them; reads past the end come back short, as pread gives them.  Nothing
// is allocated for the zeros, so a large disk costs nothing.
struct VirtualDisk {
  std::string_view head;
  uint64_t size = 0;
  std::vector<ptable::Region> overlay;

  std::string read(uint64_t offset, size_t length) const {
    if (offset >= size) return "";
    size_t n = static_cast<size_t>(std::min<uint64_t>(length, size - offset));
    std::string out(n, '\0');
    if (offset < head.size()) {
      size_t k = std::min<size_t>(n, head.size() - offset);
      out.replace(0, k, head.substr(offset, k));
    }
    for (const auto& r : overlay) {
      uint64_t begin = std::max<uint64_t>(offset, r.offset), end = std::min<uint64_t>(offset + n, r.offset + r.bytes.size());
      if (begin < end) out.replace(begin - offset, end - begin, r.bytes, begin - r.offset, end - begin);
    }
    return out;
  }
};

bool same(const ptable::Table& a, const ptable::Table& b) {
  if (a.scheme != b.scheme || a.partitions.size() != b.partitions.size()) return false;
  for (size_t i = 0; i < a.partitions.size(); ++i) {
    const auto &p = a.partitions[i], &q = b.partitions[i];
    if (p.number != q.number || p.first_sector != q.first_sector || p.last_sector != q.last_sector ||
        p.mbr_type != q.mbr_type || p.type != q.type || p.guid != q.guid)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 2) return 0;
  uint64_t extra = bytes[0] | uint64_t{bytes[1]} << 8;
  std::string_view head(reinterpret_cast<const char*>(bytes) + 2, size - 2);
  for (uint32_t ss : {512u, 4096u}) {
    VirtualDisk disk{head, (head.size() + ss - 1) / ss * ss + extra * ss, {}};
    uint64_t sectors = disk.size / ss;
    try {
      auto table = ptable::read_table([&disk](uint64_t o, size_t n) { return disk.read(o, n); }, sectors, ss);
      if (!table) continue;
      for (const auto& p : table->partitions) {
        (void)p.name();
        (void)p.type.str();
      }
      (void)table->first_usable();
      (void)table->last_usable();
      (void)table->head_bytes();
      VirtualDisk copy{{}, disk.size, {}};
      try {
        copy.overlay = ptable::encode_table(*table);
      } catch (const vt::Error&) {
        continue;  // read, but not one encode_table writes (its own checks)
      }
      for (const auto& r : copy.overlay)
        if (r.offset > copy.size || r.bytes.size() > copy.size - r.offset) std::abort();
      auto again = ptable::read_table([&copy](uint64_t o, size_t n) { return copy.read(o, n); }, sectors, ss);
      if (!again || !same(*table, *again)) std::abort();
    } catch (const vt::Error&) {
    }
  }
  return 0;
}
