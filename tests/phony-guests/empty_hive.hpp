// An empty Windows registry hive, built from the documented regf layout:
// a 4 KiB base block, then one 4 KiB hbin holding the root key (nk), the
// security descriptor it refers to (sk), and one free cell for the rest.
// Debian ships no empty hive, and tests must not depend on binary fixtures.
#pragma once

#include <cstdint>
#include <string>

namespace vt::phony {

namespace regf {

inline constexpr size_t kBaseBlockSize = 0x1000;
inline constexpr size_t kHbinSize = 0x1000;
inline constexpr size_t kFirstCell = 0x20;  // cells start after the hbin header

inline void put_u16(std::string& buf, size_t at, uint16_t v) {
  buf[at] = static_cast<char>(v & 0xff);
  buf[at + 1] = static_cast<char>(v >> 8);
}

inline void put_u32(std::string& buf, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) buf[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline uint32_t get_u32(const std::string& buf, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(buf[at + i])) << (8 * i);
  return v;
}

// XOR of the base block's first 127 dwords; 0 and ~0 are reserved values.
inline uint32_t base_block_checksum(const std::string& hive) {
  uint32_t sum = 0;
  for (size_t off = 0; off < 0x1fc; off += 4) sum ^= get_u32(hive, off);
  if (sum == 0xffffffff) return 0xfffffffe;
  if (sum == 0) return 1;
  return sum;
}

// A cell is a signed size (negative while allocated) and its data; sizes are
// multiples of 8.
inline size_t cell_size(size_t data_size) { return (4 + data_size + 7) / 8 * 8; }

}  // namespace regf

// The bytes of an empty hive whose root key is called `root_name` (ASCII).
inline std::string empty_hive(const std::string& root_name = "$$$PROTO.HIV") {
  using namespace regf;
  std::string hive(kBaseBlockSize + kHbinSize, '\0');
  constexpr uint32_t kNoCell = 0xffffffff;

  // Offsets of cells are relative to the first hbin.
  const uint32_t nk_off = kFirstCell;
  const size_t nk_data = 0x4c + root_name.size();
  const uint32_t sk_off = nk_off + static_cast<uint32_t>(cell_size(nk_data));

  // Base block.
  hive.replace(0, 4, "regf");
  put_u32(hive, 0x04, 1);  // primary and secondary sequence numbers agree: the hive is clean
  put_u32(hive, 0x08, 1);
  put_u32(hive, 0x14, 1);  // format version 1.5 (Windows XP and later read it)
  put_u32(hive, 0x18, 5);
  put_u32(hive, 0x1c, 0);  // primary file
  put_u32(hive, 0x20, 1);  // direct memory load
  put_u32(hive, 0x24, nk_off);
  put_u32(hive, 0x28, kHbinSize);
  put_u32(hive, 0x2c, 1);  // clustering factor

  // The hbin header.
  const size_t bin = kBaseBlockSize;
  hive.replace(bin, 4, "hbin");
  put_u32(hive, bin + 0x04, 0);  // offset from the first hbin
  put_u32(hive, bin + 0x08, kHbinSize);

  // The root key: no subkeys, no values, no class name.
  size_t nk = bin + nk_off;
  put_u32(hive, nk, static_cast<uint32_t>(-static_cast<int32_t>(cell_size(nk_data))));
  nk += 4;
  hive.replace(nk, 2, "nk");
  put_u16(hive, nk + 0x02, 0x2c);  // root (hive entry) | cannot be deleted | ASCII name
  put_u32(hive, nk + 0x10, kNoCell);  // the root has no parent
  put_u32(hive, nk + 0x1c, kNoCell);  // subkey list
  put_u32(hive, nk + 0x20, kNoCell);  // volatile subkey list
  put_u32(hive, nk + 0x28, kNoCell);  // value list
  put_u32(hive, nk + 0x2c, sk_off);
  put_u32(hive, nk + 0x30, kNoCell);  // class name
  put_u16(hive, nk + 0x48, static_cast<uint16_t>(root_name.size()));
  hive.replace(nk + 0x4c, root_name.size(), root_name);

  // A self-relative security descriptor: owner Administrators (S-1-5-32-544),
  // group SYSTEM (S-1-5-18), no DACL (so nothing is denied).  New keys share it.
  std::string sd(20, '\0');
  sd[0] = 1;                  // revision
  put_u16(sd, 2, 0x8000);     // self-relative
  put_u32(sd, 4, 20);         // owner
  put_u32(sd, 8, 20 + 16);    // group
  const char admins[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};
  const char system[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
  sd.append(admins, sizeof admins);
  sd.append(system, sizeof system);

  size_t sk = bin + sk_off;
  const size_t sk_data = 0x14 + sd.size();
  put_u32(hive, sk, static_cast<uint32_t>(-static_cast<int32_t>(cell_size(sk_data))));
  sk += 4;
  hive.replace(sk, 2, "sk");
  put_u32(hive, sk + 0x04, sk_off);  // the list of descriptors is circular: just this one
  put_u32(hive, sk + 0x08, sk_off);
  put_u32(hive, sk + 0x0c, 1);  // used by the root key
  put_u32(hive, sk + 0x10, static_cast<uint32_t>(sd.size()));
  hive.replace(sk + 0x14, sd.size(), sd);

  // The rest of the hbin is one free cell (positive size).
  const size_t free_off = sk_off + cell_size(sk_data);
  put_u32(hive, bin + free_off, static_cast<uint32_t>(kHbinSize - free_off));

  put_u32(hive, 0x1fc, base_block_checksum(hive));
  return hive;
}

}  // namespace vt::phony
