// inspect_os: which filesystems are roots, their fstab, collation.
#include "inspect.hpp"

#include <algorithm>

#include "handle.hpp"

namespace vt::inspect {

std::vector<std::pair<std::string, std::string>> Root::mountpoints() const {
  std::vector<std::pair<std::string, std::string>> result{{"/", device}};
  for (const auto& entry : facts.fstab)
    if (entry.first != "/") result.push_back(entry);
  return result;
}

std::vector<std::string> Root::filesystems() const {
  std::vector<std::string> result{device};
  for (const auto& entry : facts.fstab)
    if (std::find(result.begin(), result.end(), entry.second) == result.end()) result.push_back(entry.second);
  return result;
}

const Root* Inspection::find(const std::string& device) const {
  for (const auto& r : roots)
    if (r.device == device) return &r;
  return nullptr;
}

}  // namespace vt::inspect
