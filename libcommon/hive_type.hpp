// libhivex's hive_type is a C enum that names only the common value types,
// but a value's type in a hive is any 32-bit number.  Reading such a number
// through the enum is undefined behaviour (UBSan: "load of value 2752513,
// which is not a valid value for type 'hive_type'", found by
// tests/fuzz/fuzz_hive), so the number is only ever copied in and out of the
// enum's bytes.  Header-only: the daemon uses it too.
#pragma once

#include <hivex.h>

#include <cstdint>
#include <cstring>

namespace vt::winreg {

static_assert(sizeof(hive_type) == sizeof(uint32_t));

inline uint32_t hive_type_number(const hive_type& type) {
  uint32_t number;
  std::memcpy(&number, &type, sizeof number);
  return number;
}

inline void set_hive_type_number(hive_type& type, uint32_t number) { std::memcpy(&type, &number, sizeof type); }

}  // namespace vt::winreg
