#include "output.hpp"

#include <cstdio>

namespace vt {

std::string human_size(uint64_t amt) {
  static const char kSuffixes[] = "KMGTPEZY";
  if (amt < 1024) return std::to_string(amt);
  // Integer arithmetic as in gnulib: tenths and a rounding indicator carry
  // what division drops (0: exact, 1: below half, 2: half, 3: above half).
  unsigned tenths = 0, rounding = 0;
  int exponent = -1;
  do {
    unsigned r10 = static_cast<unsigned>(amt % 1024) * 10 + tenths;
    unsigned r2 = (r10 % 1024) * 2 + (rounding >> 1);
    amt /= 1024;
    tenths = r10 / 1024;
    rounding = r2 < 1024 ? (r2 + rounding != 0) : 2 + (1024 < r2 + rounding);
    ++exponent;
  } while (amt >= 1024 && exponent < 7);
  std::string fraction;
  if (amt < 10) {
    if (2 < rounding + (tenths & 1)) {
      ++tenths;
      rounding = 0;
      if (tenths == 10) {
        ++amt;
        tenths = 0;
      }
    }
    if (amt < 10) {
      fraction = "." + std::to_string(tenths);
      tenths = rounding = 0;
    }
  }
  if (5 < tenths + (0 < rounding + (amt & 1))) {
    ++amt;
    if (amt == 1024 && exponent < 7) {
      ++exponent;
      return std::string("1.0") + kSuffixes[exponent];
    }
  }
  return std::to_string(amt) + fraction + kSuffixes[exponent];
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(" \",\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string human_size_one_decimal(int64_t bytes) {
  const char* sign = bytes < 0 ? "-" : "";
  uint64_t i = bytes < 0 ? static_cast<uint64_t>(-bytes) : static_cast<uint64_t>(bytes);
  char buf[64];
  if (i < 1024) {
    std::snprintf(buf, sizeof buf, "%s%llu", sign, static_cast<unsigned long long>(i));
    return buf;
  }
  // Each step shows the fraction of the exact value, but continues from the
  // whole number of units (as libguestfs's tools do).
  const char* units[] = {"K", "M", "G"};
  for (int level = 0;; ++level) {
    double f = static_cast<double>(i) / 1024.0;
    i /= 1024;
    if (i < 1024 || level == 2) {
      std::snprintf(buf, sizeof buf, "%s%.1f%s", sign, f, units[level]);
      return buf;
    }
  }
}

}  // namespace vt
