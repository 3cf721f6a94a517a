#include "interactive.hpp"

#include <editline/readline.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <vector>

#include "commands.hpp"

namespace vt::fish {
namespace {

// ~/.guestfish, as the real guestfish keeps it; empty without a home.
std::string history_file() {
  const char* home = ::getenv("HOME");
  return home && *home ? std::string(home) + "/.guestfish" : "";
}

// Saves the history however the session ends (quit, ^D, an exception).
class History {
 public:
  History() : file_(history_file()) {
    using_history();
    stifle_history(500);
    if (!file_.empty()) read_history(file_.c_str());
  }
  ~History() {
    if (!file_.empty()) write_history(file_.c_str());
  }
  History(const History&) = delete;
  History& operator=(const History&) = delete;

 private:
  std::string file_;
};

// Every command name as guestfish spells it, for tab completion.
std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& b : builtins())
    for (const char* n : b.names) names.push_back(n);
  for (const auto& c : all_commands())
    if (std::string(c.name).rfind("internal_", 0) != 0) names.push_back(display_name(c.name));
  std::sort(names.begin(), names.end());
  return names;
}

// readline's generator protocol: called with state 0 first, then until it
// returns NULL; each match is malloc'ed for readline to free.
char* next_command_name(const char* text, int state) {
  static const std::vector<std::string> names = command_names();
  static size_t next = 0;
  if (state == 0) next = 0;
  std::string prefix = text;
  while (next < names.size()) {
    const std::string& name = names[next++];
    if (name.compare(0, prefix.size(), prefix) == 0) return ::strdup(name.c_str());
  }
  return nullptr;
}

// The first word completes to a command; later words to host file names.
char** complete(const char* text, int start, int) {
  if (start == 0) return rl_completion_matches(text, next_command_name);
  return nullptr;
}

struct FreeLine {
  void operator()(char* p) const { std::free(p); }
};

}  // namespace

void run_interactive(Shell& shell) {
  History history;
  rl_readline_name = "guestfish";
  rl_attempted_completion_function = complete;
  while (!shell.quit_requested()) {
    std::unique_ptr<char, FreeLine> line(readline("><fs> "));
    if (!line) {
      std::cout << "\n";
      break;
    }
    std::string text = line.get();
    if (text.find_first_not_of(" \t") != std::string::npos) add_history(line.get());
    shell.run_line(text, Location{});
  }
}

}  // namespace vt::fish
