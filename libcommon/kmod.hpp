// Kernel module dependencies from modules.dep, shared by the appliance
// builder (on the host) and the daemon (in the appliance).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vt {

class ModuleDeps {
 public:
  // Reads MODULES_DIR/modules.dep; an unreadable file gives no modules.
  explicit ModuleDeps(const std::string& modules_dir);
  // Paths (relative to the modules dir) to load, dependencies first, for the
  // named modules ("ext4"); names not found are built in and skipped.
  std::vector<std::string> load_order(const std::vector<std::string>& names) const;

 private:
  std::vector<std::pair<std::string, std::vector<std::string>>> deps_;
};

}  // namespace vt
