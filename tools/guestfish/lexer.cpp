#include "lexer.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace vt::fish {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int digit_value(char c, int base) {
  int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
  return v < base ? v : -1;
}

// \ooo and \xhh take exactly 3 octal or 2 hex digits, as in guestfish.
char numeric_escape(const std::string& s, size_t& i, int base, size_t ndigits) {
  int value = 0;
  for (size_t k = 0; k < ndigits; ++k) {
    int d = i + k < s.size() ? digit_value(s[i + k], base) : -1;
    if (d < 0)
      throw SyntaxError(std::string("invalid escape sequence in string: \\") + (base == 16 ? "x needs 2 hex" : "ooo needs 3 octal") +
                        " digits");
    value = value * base + d;
  }
  if (value == 0 || value > 255) throw SyntaxError("\\000 and \\x00 cannot be used in strings");
  i += ndigits;
  return static_cast<char>(value);
}

// Reads a double-quoted string starting after the opening quote; leaves i
// after the closing quote.
std::string double_quoted(const std::string& s, size_t& i) {
  std::string out;
  while (i < s.size() && s[i] != '"') {
    char c = s[i++];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i >= s.size()) break;
    char e = s[i++];
    switch (e) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'x': out += numeric_escape(s, i, 16, 2); break;
      case '0': case '1': case '2': case '3':
        --i;
        out += numeric_escape(s, i, 8, 3);
        break;
      default:
        // Kept as written: string lists use \' to escape a single quote.
        out += '\\';
        out += e;
    }
  }
  if (i >= s.size()) throw SyntaxError("unterminated double quote");
  ++i;
  return out;
}

// "~" and "~user" at the start of an unquoted word are host home directories.
std::string expand_tilde(const std::string& word) {
  if (word.empty() || word[0] != '~') return word;
  size_t slash = word.find('/');
  std::string user = word.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  std::string rest = slash == std::string::npos ? "" : word.substr(slash);
  const char* home = nullptr;
  if (user.empty()) {
    home = ::getenv("HOME");
    if (!home || !*home) {
      const passwd* pw = ::getpwuid(::getuid());
      home = pw ? pw->pw_dir : nullptr;
    }
  } else {
    const passwd* pw = ::getpwnam(user.c_str());
    home = pw ? pw->pw_dir : nullptr;
  }
  return home ? home + rest : word;
}

}  // namespace

Line parse_line(const std::string& text) {
  Line line;
  size_t i = 0;
  while (i < text.size() && is_blank(text[i])) ++i;
  if (i >= text.size() || text[i] == '#') return line;
  if (text[i] == '!') {
    line.kind = Line::Kind::shell;
    line.shell = text.substr(i + 1);
    return line;
  }
  if (text.compare(i, 2, "<!") == 0) {
    line.kind = Line::Kind::shell_commands;
    line.shell = text.substr(i + 2);
    return line;
  }
  line.kind = Line::Kind::command;
  bool first = true;
  while (true) {
    while (i < text.size() && is_blank(text[i])) ++i;
    if (i >= text.size()) break;
    char c = text[i];
    if (c == '|' && !first) {
      size_t start = i + 1;
      while (start < text.size() && is_blank(text[start])) ++start;
      line.pipe = text.substr(start);
      break;
    }
    std::string word;
    if (c == '"' || c == '\'') {
      ++i;
      if (c == '"') {
        word = double_quoted(text, i);
      } else {
        size_t end = text.find('\'', i);
        if (end == std::string::npos) throw SyntaxError("unterminated single quote");
        word = text.substr(i, end - i);
        i = end + 1;
      }
      if (i < text.size() && !is_blank(text[i])) throw SyntaxError("command arguments not separated by whitespace");
    } else {
      size_t start = i;
      while (i < text.size() && !is_blank(text[i])) ++i;
      word = text.substr(start, i - start);
      if (first && word.size() > 1 && word[0] == '-') {
        line.ignore_errors = true;
        word.erase(0, 1);
      }
      if (!first && word.size() > 3 && word.compare(0, 3, "-<<") == 0)
        line.heredocs.emplace_back(line.words.size(), word.substr(3));
      else
        word = expand_tilde(word);
    }
    line.words.push_back(std::move(word));
    first = false;
  }
  if (line.words.empty()) line.kind = Line::Kind::empty;
  return line;
}

Line words_line(std::vector<std::string> words) {
  Line line;
  line.kind = words.empty() ? Line::Kind::empty : Line::Kind::command;
  line.words = std::move(words);
  for (size_t i = 0; i < line.words.size(); ++i) {
    std::string& word = line.words[i];
    if (i == 0 && word.size() > 1 && word[0] == '-') {
      line.ignore_errors = true;
      word.erase(0, 1);
    } else if (i > 0 && word.size() > 3 && word.compare(0, 3, "-<<") == 0) {
      line.heredocs.emplace_back(i, word.substr(3));
    }
  }
  return line;
}

}  // namespace vt::fish
