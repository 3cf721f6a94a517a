// Export of registry keys in the regedit text format that libguestfs's
// virt-win-reg (Win::Hivex::Regedit) writes, and of one value's data as
// hivexget prints it.
#pragma once

#include <ostream>
#include <string>

#include "hive.hpp"

namespace vt::winreg {

struct ExportOptions {
  // Put before each key's path in the section headers: "HKEY_LOCAL_MACHINE\\SOFTWARE".
  std::string prefix;
  // Strings (types 1 and 2) as str(N):"text" instead of UTF-16LE hex bytes.
  bool printable_strings = false;
};

// Writes `node` and every key below it: "[prefix\\path]", its values sorted
// by name, a blank line, then the subkeys sorted by name.  A value that
// cannot be read is skipped with a warning on stderr.
void export_key(const Hive& hive, hive_node_h node, const ExportOptions& options, std::ostream& out);

// One value line without the key: "\"name\"=dword:0000000a".
std::string format_value(const HiveValue& value, bool printable_strings);

// The data of one value as hivexget prints it: strings as text, DWORD and
// QWORD in decimal, each string of a REG_MULTI_SZ on its own line, any
// other type as its raw bytes.
void print_value_data(const Hive& hive, hive_value_h value, std::ostream& out);

}  // namespace vt::winreg
