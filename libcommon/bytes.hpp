// Fixed-width integers in byte strings (on-disk formats: partition tables,
// boot sectors, LVM labels) and their CRC-32.  The caller checks that the
// range lies inside the string.  Header-only: the daemon uses it too.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vt::bytes {

// `size` (1-8) bytes at `offset`, least significant first.
inline uint64_t load_le(std::string_view b, size_t offset, size_t size) {
  uint64_t v = 0;
  for (size_t i = size; i-- > 0;) v = (v << 8) | static_cast<uint8_t>(b[offset + i]);
  return v;
}

// `size` (1-8) bytes at `offset`, most significant first.
inline uint64_t load_be(std::string_view b, size_t offset, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) v = (v << 8) | static_cast<uint8_t>(b[offset + i]);
  return v;
}

inline void store_le(std::string& b, size_t offset, uint64_t value, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    b[offset + i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
}

// The reflected CRC-32 (polynomial 0xEDB88320) of `data`, from `crc` and
// with no final inversion: GPT's starts from and inverts with 0xffffffff,
// LVM's starts from 0xf597a6cf and is not inverted.
inline uint32_t crc32_update(uint32_t crc, std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  for (char ch : data) crc = table[(crc ^ static_cast<uint8_t>(ch)) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace vt::bytes
