// The interactive prompt: line editing and history (libedit), errors do not
// end the session.
#pragma once

#include "shell.hpp"

namespace vt::fish {

void run_interactive(Shell& shell);

}  // namespace vt::fish
