// The .reg files of regedit, as --merge reads them: "Windows Registry
// Editor Version 5.00" and "REGEDIT4" headers, UTF-16LE with a BOM or plain
// (UTF-8) text, [KEY] sections with values, [-KEY] and "name"=- deletions.
// Parsing is separate from applying so that a syntax error anywhere changes
// nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"
#include "hive.hpp"

namespace vt::winreg {

// How "name"="text" strings are stored in the hive (--encoding).
enum class StringEncoding { kUtf16le, kAscii };
// "UTF-16LE", "utf-16le", "ASCII"...; throws Error for others.
StringEncoding parse_encoding(const std::string& name);

struct RegSection {
  std::string key;  // as written, without the brackets (and without the '-')
  bool delete_key = false;
  int line = 0;
  std::vector<HiveValue> values;        // set, in file order (a later one of the same name wins)
  std::vector<std::string> deletions;   // "name"=- and @=- ("" is the default value)
};

// A syntax error: "FILE:LINE: parse error: ...".
class RegParseError : public Error {
 public:
  using Error::Error;
};

// Parses the bytes of a .reg file; `source` names it in errors.
std::vector<RegSection> parse_reg(std::string_view bytes, const std::string& source, StringEncoding encoding);

}  // namespace vt::winreg
