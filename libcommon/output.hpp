// Formatting shared by the tools' output: human sizes, CSV fields.
#pragma once

#include <cstdint>
#include <string>

namespace vt {

// Human-readable size, base 1024, one decimal below 10, suffixes K M G T P E:
// 512 -> "512", 1048576 -> "1.0M", 104857600 -> "100M".  Rounds to nearest,
// ties to even, as the libguestfs tools (gnulib human_readable) do.
std::string human_size(uint64_t bytes);

// A CSV field: quoted (with doubled quotes) only if it contains a space, a
// quote, a comma or a newline.
std::string csv_field(const std::string& s);

}  // namespace vt
