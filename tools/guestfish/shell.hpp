// The guestfish shell: runs lines of the command language against one
// Handle, with guestfish's rules for errors (a script stops at the first
// one, the interactive prompt carries on, '-cmd' forgives).
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "handle.hpp"
#include "lexer.hpp"

namespace vt::fish {

// Where a line came from, for error messages: "FILE:LINE" in scripts,
// nothing on the command line or at the prompt.
struct Location {
  std::string source;  // "*stdin*", a script's file name, or empty
  size_t line = 0;
  std::string text() const { return source.empty() ? "" : source + ":" + std::to_string(line); }
};

class Shell;

// A command of guestfish itself rather than of the API.
struct Builtin {
  std::vector<const char*> names;  // the first is the canonical one
  const char* usage;
  const char* summary;
  const char* doc;
  std::function<void(Shell&, const std::vector<std::string>&)> run;
};
const std::vector<Builtin>& builtins();
const Builtin* find_builtin(const std::string& name);

class Shell {
 public:
  explicit Shell(Handle& h) : h_(h) {}
  Handle& handle() { return h_; }

  // Runs one line, printing any error; returns false if the error should
  // stop a script (it failed and was not written '-cmd').
  bool run_line(const std::string& text, const Location& where);
  // The same for a line already split into words (a command-line command).
  bool run_parsed(const Line& line, const Location& where);
  // Runs the words of one command (no pipe): the '<!' and 'time' builtins use it.
  void run_words(const std::vector<std::string>& words);
  // Runs a script; stops at the first unforgiven error.  Returns false then.
  // '-<<END' arguments take the script's following lines up to END.
  bool run_script(std::istream& in, const std::string& source);

  void request_quit() { quit_ = true; }
  bool quit_requested() const { return quit_; }

 private:
  // A line that cannot be split is reported here.
  std::optional<Line> parse_reporting(const std::string& text, const Location& where);
  void run_piped(const Line& line);
  void run_shell_commands(const std::string& command);
  void print_error(const Location& where, const std::string& name, const std::exception& e);

  Handle& h_;
  bool quit_ = false;
  Location current_;  // of the line being run, for '<!' nested lines
};

// guestfish spells API calls with '-' (mkdir-p); the table with '_'.
std::string table_name(const std::string& name);
std::string display_name(const std::string& name);

}  // namespace vt::fish
