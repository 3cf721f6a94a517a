#include "interactive.hpp"

#include <editline/readline.h>

#include <cstdlib>
#include <iostream>
#include <memory>

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

struct FreeLine {
  void operator()(char* p) const { std::free(p); }
};

}  // namespace

void run_interactive(Shell& shell) {
  History history;
  rl_readline_name = "guestfish";
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
