#include "merge.hpp"

#include <algorithm>
#include <cctype>

namespace vt::winreg {

namespace {

bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void merge_section(const RegSection& section, const HiveTarget& target) {
  Hive& hive = *target.hive;
  hive_node_h node = hive.lookup_or_create(target.path);
  auto replaced = [&](const HiveValue& old) {
    for (const auto& name : section.deletions)
      if (same_name(name, old.name)) return true;
    for (const auto& v : section.values)
      if (same_name(v.name, old.name)) return true;
    return false;
  };
  std::vector<HiveValue> values = hive.values(node);
  values.erase(std::remove_if(values.begin(), values.end(), replaced), values.end());
  values.insert(values.end(), section.values.begin(), section.values.end());
  hive.set_values(node, values);
}

}  // namespace

void apply_sections(const std::vector<RegSection>& sections, const HiveResolver& resolve) {
  for (const auto& section : sections) {
    HiveTarget target = resolve(section.key);
    if (section.delete_key) {
      if (auto node = target.hive->lookup(target.path)) {
        if (*node == target.hive->root()) throw Error(section.key + ": the root key of a hive cannot be deleted");
        target.hive->delete_node(*node);
      }
    } else {
      merge_section(section, target);
    }
  }
}

}  // namespace vt::winreg
