#include "escape.hpp"

#include <stdexcept>

namespace vt::rescue_tool {

std::optional<char> parse_escape_key(const std::string& spec) {
  if (spec == "none") return std::nullopt;
  if (spec.size() == 2 && spec[0] == '^') {
    char c = spec[1];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    // Control and @, A-Z, [, \, ], ^, _ are the codes 0 to 31.
    if (c >= '@' && c <= '_') return static_cast<char>(c - '@');
  }
  throw std::invalid_argument("-e: the escape key must be ^x (Control and a key) or none, not " + spec);
}

std::string escape_key_name(char key) {
  if (static_cast<unsigned char>(key) < 32) return std::string("^") + static_cast<char>(key + '@');
  return std::string(1, key);
}

std::vector<TypedEvent> EscapeReader::feed(std::string_view bytes) {
  std::vector<TypedEvent> events;
  auto add_input = [&](std::string_view b) {
    if (b.empty()) return;
    if (events.empty() || events.back().command) events.push_back({});
    events.back().input.append(b);
  };
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (after_escape_) {
      after_escape_ = false;
      start = i + 1;
      if (c == *key_) {  // the escape twice: the key itself, for the shell
        add_input(std::string_view(&c, 1));
        continue;
      }
      EscapeCommand cmd = EscapeCommand::unknown;
      switch (c) {
        case '?': case 'h': cmd = EscapeCommand::help; break;
        case 'i': cmd = EscapeCommand::inspection; break;
        case 'q': case 'x': cmd = EscapeCommand::quit; break;
        case 's': cmd = EscapeCommand::sync; break;
        case 'u': cmd = EscapeCommand::unmount; break;
        case 'z': cmd = EscapeCommand::suspend; break;
        default: break;
      }
      events.push_back({"", cmd, c});
    } else if (key_ && c == *key_) {
      add_input(bytes.substr(start, i - start));
      after_escape_ = true;
      start = i + 1;
    }
  }
  if (!after_escape_ && start < bytes.size()) add_input(bytes.substr(start));
  return events;
}

std::string escape_help(char key) {
  std::string k = escape_key_name(key);
  return "virt-rescue escape keys, typed after " + k + ":\n"
         "  ? or h   this list\n"
         "  i        what -i found (the operating system and its filesystems)\n"
         "  q or x   quit now (the disks are synced first)\n"
         "  s        sync the filesystems\n"
         "  u        unmount every guest filesystem (not the appliance's)\n"
         "  z        suspend virt-rescue (the shell keeps running)\n"
         "  " + k + "       send " + k + " itself to the shell\n";
}

}  // namespace vt::rescue_tool
