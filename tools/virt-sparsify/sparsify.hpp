// virt-sparsify's work inside the appliance: the free space of every
// filesystem, swap device and volume group made to read as zeroes (copying
// mode, in an overlay over the source) or discarded (in-place mode).
#pragma once

#include <string>
#include <vector>

#include "handle.hpp"
#include "status_messages.hpp"

namespace vt::sparsify {

enum class Mode { copying, in_place };

struct Requests {
  std::vector<std::string> ignores;  // filesystems and volume groups left alone
  std::vector<std::string> zeroes;   // devices zeroed whole
};

// Walks the appliance's filesystems (sorted), then its volume groups.  The
// drive must be writable and added with discards passed through.
void free_space(Handle& h, Mode mode, const Requests& requests, const StatusMessages& status);

}  // namespace vt::sparsify
