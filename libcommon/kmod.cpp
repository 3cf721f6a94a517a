#include "kmod.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace vt {

ModuleDeps::ModuleDeps(const std::string& modules_dir) {
  std::ifstream in(modules_dir + "/modules.dep");
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::vector<std::string> d;
    std::istringstream ls(line.substr(colon + 1));
    std::string w;
    while (ls >> w) d.push_back(w);
    deps_.emplace_back(line.substr(0, colon), d);
  }
}

std::vector<std::string> ModuleDeps::load_order(const std::vector<std::string>& names) const {
  std::vector<std::string> order;
  auto add = [&](const std::string& path) {
    if (std::find(order.begin(), order.end(), path) == order.end()) order.push_back(path);
  };
  // The kernel treats '-' and '_' in module names alike (dm_mod is dm-mod.ko).
  auto canonical = [](std::string s) {
    std::replace(s.begin(), s.end(), '-', '_');
    return s;
  };
  for (const auto& wanted : names) {
    const std::string name = canonical(wanted);
    for (const auto& [path, deps] : deps_) {
      std::string base = canonical(path.substr(path.rfind('/') + 1));
      if (base != name + ".ko" && base != name + ".ko.xz" && base != name + ".ko.zst") continue;
      // modules.dep lists dependencies so that loading them right to left works.
      for (auto it = deps.rbegin(); it != deps.rend(); ++it) add(*it);
      add(path);
      break;
    }
  }
  return order;
}

}  // namespace vt
