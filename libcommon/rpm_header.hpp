// rpm package headers as rpm's database stores them (one blob per installed
// package, without the lead and magic of a .rpm file).  The blob is guest
// data: every count, offset and string is checked against the blob's size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "errors.hpp"

namespace vt::rpm {

// The tags inspection reads, with rpm's meaning.  Empty / 0 when absent.
struct HeaderFields {
  std::string name;
  int32_t epoch = 0;
  std::string version;
  std::string release;
  std::string arch;
  std::string url;
  std::string summary;      // the first (untranslated) string of an I18NSTRING
  std::string description;
  std::string source_rpm;   // "bash-5.2.15-3.fc38.src.rpm"
};

// A blob that is not a well-formed header (truncated, counts or offsets out
// of range, unterminated strings, wrong tag types, no name/version/release).
class HeaderError : public Error {
 public:
  using Error::Error;
};

// Layout of a blob: entry count (il) and data size (dl), big-endian 32-bit;
// il index entries of 16 bytes (tag, type, offset into data, count); then dl
// bytes of data.  Throws HeaderError; never reads outside `blob`.
HeaderFields parse_header(std::string_view blob);

}  // namespace vt::rpm
