#include <algorithm>
#include <cstring>

#include "commands.hpp"

namespace vt {

CommandArgs::CommandArgs(const std::string& usage, const std::vector<std::string>& argv, size_t required)
    : usage_(usage) {
  for (size_t i = 0; i < argv.size(); ++i) {
    auto colon = argv[i].find(':');
    // Optional arguments come after the required ones, as name:value.
    if (i >= required && colon != std::string::npos && colon > 0)
      optargs_.emplace_back(argv[i].substr(0, colon), argv[i].substr(colon + 1));
    else
      argv_.push_back(argv[i]);
  }
  if (argv_.size() != required)
    throw UsageError("wrong number of arguments (" + std::to_string(argv_.size()) + " for " +
                     std::to_string(required) + "); usage: " + usage_);
}

std::optional<std::string> CommandArgs::optional(const std::string& name) {
  auto it = std::find_if(optargs_.begin(), optargs_.end(), [&](const auto& p) { return p.first == name; });
  if (it == optargs_.end()) return std::nullopt;
  std::string v = it->second;
  optargs_.erase(it);
  return v;
}

void CommandArgs::check_no_unknown_optargs() const {
  if (!optargs_.empty()) throw UsageError("unknown optional argument '" + optargs_[0].first + "'; usage: " + usage_);
}

int64_t parse_int64(const std::string& s) {
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used, 0);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw UsageError("'" + s + "' is not an integer");
}

int32_t parse_int(const std::string& s) {
  int64_t v = parse_int64(s);
  if (v < INT32_MIN || v > INT32_MAX) throw UsageError("'" + s + "' is out of range for a 32-bit integer");
  return static_cast<int32_t>(v);
}

bool parse_bool(const std::string& s) {
  std::string l = s;
  std::transform(l.begin(), l.end(), l.begin(), ::tolower);
  if (l == "true" || l == "yes" || l == "on" || l == "1") return true;
  if (l == "false" || l == "no" || l == "off" || l == "0") return false;
  throw UsageError("'" + s + "' is not a boolean (true or false)");
}

namespace {

// Words separated by `blanks`; `quote` groups a word (possibly empty).  With
// `backslash_quote`, \ before the quote character makes it literal.
// Returns false if a quote is left open.
bool split_quoted(const std::string& s, char quote, const char* blanks, bool backslash_quote,
                  std::vector<std::string>& out) {
  std::string cur;
  bool in_quotes = false, have = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (backslash_quote && c == '\\' && i + 1 < s.size() && s[i + 1] == quote) {
      cur += quote;
      have = true;
      ++i;
    } else if (c == quote) {
      in_quotes = !in_quotes;
      have = true;
    } else if (!in_quotes && c != '\0' && std::strchr(blanks, c)) {
      if (have) out.push_back(cur);
      cur.clear();
      have = false;
    } else {
      cur += c;
      have = true;
    }
  }
  if (have) out.push_back(cur);
  return !in_quotes;
}

}  // namespace

// As guestfish: blanks separate the elements, 'single quotes' keep blanks
// inside one, \' is a literal quote.  Other backslashes are kept as written.
std::vector<std::string> parse_string_list(const std::string& s) {
  std::vector<std::string> out;
  if (!split_quoted(s, '\'', " \t\n", true, out))
    throw UsageError("unterminated single quote in the list \"" + s + "\"");
  return out;
}

std::string join_lines(const std::vector<std::string>& v) {
  // One element a line: a guest's file name holding a newline would pass
  // for two, and one holding a terminal escape would drive the terminal,
  // so control bytes are shown as \xNN.
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += '\n';
    for (unsigned char c : v[i]) {
      if (c < 0x20 || c == 0x7f) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out;
}

std::vector<std::string> split_command_words(const std::string& line) {
  std::vector<std::string> out;
  split_quoted(line, '"', " \t", false, out);
  return out;
}

}  // namespace vt
