// The rescue session on the host: the terminal (raw while it runs, restored
// on every way out), the escape keys, and the frames to and from the shell
// in the appliance (libcommon/rescue_stream.hpp).
#pragma once

#include <optional>
#include <string>

#include "handle.hpp"

namespace vt::rescue_tool {

struct SessionOptions {
  std::optional<char> escape_key = '\x1d';  // ^]; nullopt: -e none
  std::string inspection;                   // what ^] i prints ("" without -i)
};

struct SessionResult {
  int shell_status = 0;  // the shell's exit status (128+N: killed by signal N)
  int signal = 0;        // a signal that ended the session (SIGTERM …), to raise once cleaned up
};

// Runs the session after internal_rescue has answered, until the shell
// exits, ^] q, a fatal signal, or the appliance going away (an Error).
SessionResult run_session(Handle& h, const SessionOptions& opts);

}  // namespace vt::rescue_tool
