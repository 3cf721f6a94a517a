// 'help' and -h: the command list and one command's description, from the
// builtins and the API table.
#pragma once

#include <ostream>
#include <string>

namespace vt::fish {

void print_command_list(std::ostream& out);
// Throws UnknownCommand for a name that is neither a builtin nor a call.
void print_command_help(std::ostream& out, const std::string& name);

}  // namespace vt::fish
