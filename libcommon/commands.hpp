// Calls as text commands: guestfish's command language and the API table's
// tests both go through run_command, which is generated from the table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"
#include "handle.hpp"

namespace vt {

struct CommandInfo {
  const char* name;
  const char* usage;    // "mkfs fstype device [blocksize:..] …"
  const char* summary;
  const char* doc;
  size_t required_args;
};

const std::vector<CommandInfo>& all_commands();

class UnknownCommand : public Error {
 public:
  explicit UnknownCommand(const std::string& name) : Error(name + ": unknown command") {}
};

// Wrong number or form of arguments; the message includes the usage line.
class UsageError : public Error {
 public:
  using Error::Error;
};

// Runs one call from its textual arguments and returns what guestfish would
// print (without the final newline).
std::string run_command(Handle& h, const std::string& name, const std::vector<std::string>& argv);

// Splits a command's arguments into positional ones and NAME:VALUE optional ones.
class CommandArgs {
 public:
  CommandArgs(const std::string& usage, const std::vector<std::string>& argv, size_t required);
  const std::string& positional(size_t i) const { return argv_[i]; }
  std::optional<std::string> optional(const std::string& name);
  void check_no_unknown_optargs() const;

 private:
  std::string usage_;
  std::vector<std::string> argv_;
  std::vector<std::pair<std::string, std::string>> optargs_;
};

int32_t parse_int(const std::string& s);
int64_t parse_int64(const std::string& s);
bool parse_bool(const std::string& s);
// Whitespace-separated words, as guestfish takes string lists.
std::vector<std::string> parse_string_list(const std::string& s);
std::string join_lines(const std::vector<std::string>& v);

// A command line split into words: blanks separate, double quotes group.
std::vector<std::string> split_command_words(const std::string& line);

}  // namespace vt
