#include "tool_mounts.hpp"

#include <vector>

#include "commands.hpp"
#include "errors.hpp"

namespace vt {

void mount_option(Handle& h, const std::string& spec, bool readonly, const std::string& hint) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; parts.size() < 3 && (colon = spec.find(':', start)) != std::string::npos; start = colon + 1)
    parts.push_back(spec.substr(start, colon - start));
  parts.push_back(spec.substr(start));
  std::string device = parts[0], mountpoint = parts.size() > 1 && !parts[1].empty() ? parts[1] : "/";
  try {
    if (parts.size() > 3)
      run_command(h, "mount_vfs", {parts[2], parts[3], device, mountpoint});
    else if (parts.size() > 2 && parts[2] != "ro" && !parts[2].empty())
      run_command(h, "mount_options", {parts[2], device, mountpoint});
    else if (readonly || (parts.size() > 2 && parts[2] == "ro"))
      h.mount_ro(device, mountpoint);
    else
      h.mount(device, mountpoint);
  } catch (const UnknownCommand& e) {
    throw Error("-m " + spec + ": mount options need the call " + e.what());
  } catch (const Error& e) {
    throw Error("-m " + spec + ": " + e.what() + hint);
  }
}

const inspect::Root& mount_by_inspection(Handle& h, bool readonly, const std::string& hint) {
  auto roots = h.inspect_os();
  if (roots.empty()) throw Error("no operating system was found on this disk" + hint);
  if (roots.size() > 1) throw Error("multi-boot operating systems are not supported" + hint);
  const auto& root = *h.inspection().find(roots[0]);
  inspect::mount_root(h, root, readonly);
  return root;
}

}  // namespace vt
