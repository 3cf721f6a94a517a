// virt-rescue's escape key: what the bytes typed at the terminal mean.
// Everything is for the shell except the escape key (^] by default) and the
// key after it, which is a command for virt-rescue itself.  Pure, so it is
// unit-tested without a terminal.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vt::rescue_tool {

enum class EscapeCommand { help, inspection, quit, sync, unmount, suspend, unknown };

struct TypedEvent {
  std::string input;  // bytes for the shell (empty when `command` is set)
  std::optional<EscapeCommand> command;
  char key = 0;       // the key after the escape (for `unknown`)
};

// -e's value: "^x" (Control and x) or "none".  nullopt for "none"; throws
// std::invalid_argument for anything else.
std::optional<char> parse_escape_key(const std::string& spec);
// "^]" for 0x1d, as help texts print it.
std::string escape_key_name(char key);

class EscapeReader {
 public:
  explicit EscapeReader(std::optional<char> escape_key) : key_(escape_key) {}
  // The events the bytes make, in order; an escape key at the end waits for
  // the next call.
  std::vector<TypedEvent> feed(std::string_view bytes);

 private:
  std::optional<char> key_;
  bool after_escape_ = false;
};

// The text "^] ?" prints.
std::string escape_help(char key);

}  // namespace vt::rescue_tool
