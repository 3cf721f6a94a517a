// Helpers shared by the calls that read guest files (calls_files*.cpp).
#pragma once

#include <string>

#include "daemon.hpp"
#include "protocol.hpp"

namespace vt::daemon {

// The most a reply may carry: the message cap less room for the header.
inline constexpr size_t kMaxReadSize = proto::kMaxMessage - 4096;

// Opens a regular file of the guest for reading.  Anything else (directory,
// FIFO, device node) is refused before it is opened: opening a guest FIFO
// would block, and a guest device node would open the appliance's device.
UniqueFd open_guest_regular(const std::string& path, const char* call);

}  // namespace vt::daemon
