// Formatting shared by the tools' output: human sizes, CSV fields.
#pragma once

#include <cstdint>
#include <string>

namespace vt {

// Human-readable size, base 1024, one decimal below 10, suffixes K M G T P E:
// 512 -> "512", 1048576 -> "1.0M", 104857600 -> "100M".  Rounds to nearest,
// ties to even, as the libguestfs tools (gnulib human_readable) do.
std::string human_size(uint64_t bytes);

// Sizes as libguestfs's OCaml tools (virt-resize, virt-sparsify) print
// them: bytes below 1024, else one decimal of the largest unit up to G
// ("1.5K", "109.8M", "5000.0G"), negative with a sign.
std::string human_size_one_decimal(int64_t bytes);

// A CSV field: quoted (with doubled quotes) only if it contains a space, a
// quote, a comma or a newline.
std::string csv_field(const std::string& s);

}  // namespace vt
