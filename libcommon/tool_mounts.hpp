// The mount options that guestfish, virt-rescue and guestmount share:
// -m dev[:mountpoint[:options[:fstype]]] and -i (mount by inspection).
#pragma once

#include <string>

#include "handle.hpp"
#include "inspect.hpp"

namespace vt {

// -m SPEC on a launched handle.  With `readonly` a plain -m mounts read-only.
// `hint` ends an error's message (how to list the filesystems).
void mount_option(Handle& h, const std::string& spec, bool readonly, const std::string& hint);

// -i: inspects, then mounts the one operating system's filesystems as its
// fstab says.  None, or more than one, is an error ending with `hint`.
const inspect::Root& mount_by_inspection(Handle& h, bool readonly, const std::string& hint);

}  // namespace vt
