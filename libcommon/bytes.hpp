// Fixed-width integers in byte strings (on-disk formats: partition tables,
// boot sectors).  The caller checks that the range lies inside the string.
#pragma once

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

}  // namespace vt::bytes
