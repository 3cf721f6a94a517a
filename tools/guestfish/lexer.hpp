// guestfish's command language, one line at a time: words split on blanks,
// "double quotes" with backslash escapes, 'single quotes' taken literally,
// a leading '-' that forgives the command's errors, '| shell' after a word,
// and the whole-line forms '# comment', '!shell' and '<!shell'.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"

namespace vt::fish {

struct Line {
  enum class Kind { empty, command, shell, shell_commands };
  Kind kind = Kind::empty;
  std::vector<std::string> words;   // command: the name, then its arguments
  bool ignore_errors = false;       // the command was written '-name'
  std::optional<std::string> pipe;  // command: what follows the first unquoted '|'
  std::string shell;                // shell / shell_commands: the host command
  // Unquoted '-<<END' words: the script's next lines up to END are the data
  // of that (host file) argument.  Pairs of word index and END.
  std::vector<std::pair<size_t, std::string>> heredocs;
};

// A line that cannot be split (unterminated quote, bad escape, …).
class SyntaxError : public Error {
 public:
  using Error::Error;
};

Line parse_line(const std::string& text);
// A command already split into words (guestfish's own command line).
Line words_line(std::vector<std::string> words);

}  // namespace vt::fish
