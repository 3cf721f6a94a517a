// Applying parsed .reg sections to hives, as regedit and libguestfs's
// virt-win-reg --merge do.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hive.hpp"
#include "regfile.hpp"

namespace vt::winreg {

// Where a section's key lives: the hive and the path inside it.
struct HiveTarget {
  Hive* hive;
  std::string path;
};
using HiveResolver = std::function<HiveTarget(const std::string& key)>;

// [KEY]: makes the key (and missing parents), then sets its values: the
// values it had, less those deleted or replaced (names match
// case-insensitively), then the new ones.  [-KEY]: deletes the key and its
// subkeys; a missing key is not an error, a hive's root is.
void apply_sections(const std::vector<RegSection>& sections, const HiveResolver& resolve);

}  // namespace vt::winreg
