#include "regfile.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "text.hpp"

namespace vt::winreg {

namespace {

constexpr uint32_t kRegSz = 1, kRegBinary = 3, kRegDword = 4;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_blank_or_comment(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  return i == std::string_view::npos || line[i] == ';';
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The text of the file as UTF-8: a UTF-16LE file (regedit's own format,
// with a BOM) is converted, a UTF-8 BOM dropped.
std::string file_text(std::string_view bytes, const std::string& source) {
  if (bytes.size() >= 2 && bytes[0] == '\xff' && bytes[1] == '\xfe') {
    if (bytes.size() % 2) throw RegParseError(source + ": a UTF-16LE file with an odd number of bytes");
    return utf16le_to_utf8(bytes.substr(2));
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xef\xbb\xbf") bytes.remove_prefix(3);
  return std::string(bytes);
}

struct LogicalLine {
  int number;  // of its first physical line
  std::string text;
};

// Physical lines joined where a line ends in a backslash (spaces after it
// are allowed: pasted files often have them); CR LF and LF both end lines.
std::vector<LogicalLine> logical_lines(const std::string& text) {
  std::vector<LogicalLine> lines;
  bool continuing = false;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view body = trim_right(line);
    bool continues = !body.empty() && body.back() == '\\';
    if (continues) {
      // A value ending in an escaped backslash inside quotes is not a
      // continuation, but such a line ends with '"', not '\\'.
      line = body.substr(0, body.size() - 1);
    }
    if (continuing) {
      lines.back().text += line;
    } else {
      lines.push_back({number, std::string(line)});
    }
    continuing = continues;
  }
  return lines;
}

// A quoted string at text[pos] == '"'; \x stands for x.  Leaves pos after
// the closing quote; nullopt if unterminated.
std::optional<std::string> quoted(std::string_view text, size_t& pos) {
  if (pos >= text.size() || text[pos] != '"') return std::nullopt;
  std::string out;
  for (++pos; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c == '\\') {
      if (++pos == text.size()) return std::nullopt;
      c = text[pos];
    }
    out += c;
  }
  return std::nullopt;
}

std::optional<std::string> hex_data(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    digits += c;
  }
  if (digits.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < digits.size(); i += 2) out += static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16));
  return out;
}

bool all_hex(std::string_view s, size_t max_len) {
  return !s.empty() && s.size() <= max_len &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string encode_string(const std::string& text, StringEncoding encoding) {
  // Registry strings carry their final NUL.
  std::string with_nul = text + '\0';
  return encoding == StringEncoding::kUtf16le ? utf8_to_utf16le(with_nul) : utf8_to_ascii(with_nul);
}

// The data after '=': "text", dword:, hex:, hex(N):, str:"text", str(N):"text".
std::optional<HiveValue> value_data(std::string name, std::string_view data, StringEncoding encoding) {
  HiveValue v;
  v.name = std::move(name);
  data = trim_right(data);
  auto string_value = [&](uint32_t type, std::string_view quoted_text) -> std::optional<HiveValue> {
    size_t pos = 0;
    auto text = quoted(quoted_text, pos);
    if (!text || pos != quoted_text.size()) return std::nullopt;
    v.type = type;
    v.data = encode_string(*text, encoding);
    return v;
  };
  if (data.starts_with("\"")) return string_value(kRegSz, data);
  if (data.starts_with("dword:")) {
    std::string_view digits = data.substr(6);
    if (!all_hex(digits, 8)) return std::nullopt;
    auto n = static_cast<uint32_t>(std::stoul(std::string(digits), nullptr, 16));
    v.type = kRegDword;
    for (int i = 0; i < 4; ++i) v.data += static_cast<char>((n >> (8 * i)) & 0xff);
    return v;
  }
  if (data.starts_with("hex:")) {
    auto bytes = hex_data(data.substr(4));
    if (!bytes) return std::nullopt;
    v.type = kRegBinary;
    v.data = *bytes;
    return v;
  }
  if (data.starts_with("str:")) return string_value(kRegSz, data.substr(4));
  for (std::string_view kind : {"hex(", "str("}) {
    if (!data.starts_with(kind)) continue;
    size_t close = data.find("):");
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view type = data.substr(4, close - 4);
    if (!all_hex(type, 8)) return std::nullopt;
    auto type_number = static_cast<uint32_t>(std::stoul(std::string(type), nullptr, 16));
    std::string_view rest = data.substr(close + 2);
    if (kind == "str(") return string_value(type_number, rest);
    auto bytes = hex_data(rest);
    if (!bytes) return std::nullopt;
    v.type = type_number;
    v.data = *bytes;
    return v;
  }
  return std::nullopt;
}

void add_value(RegSection& section, HiveValue value) {
  auto same = [&](const HiveValue& v) { return lower(v.name) == lower(value.name); };
  section.values.erase(std::remove_if(section.values.begin(), section.values.end(), same), section.values.end());
  section.values.push_back(std::move(value));
}

}  // namespace

StringEncoding parse_encoding(const std::string& name) {
  std::string n = lower(name);
  if (n == "utf-16le" || n == "utf16le" || n == "utf-16" || n == "ucs-2le") return StringEncoding::kUtf16le;
  if (n == "ascii" || n == "us-ascii") return StringEncoding::kAscii;
  throw Error("--encoding " + name + ": unknown encoding; use UTF-16LE or ASCII");
}

std::vector<RegSection> parse_reg(std::string_view bytes, const std::string& source, StringEncoding encoding) {
  std::string text = file_text(bytes, source);
  std::vector<RegSection> sections;
  bool in_section = false;
  for (const auto& [number, line] : logical_lines(text)) {
    auto error = [&, number = number, &line = line](const std::string& what) {
      std::string shown = line.size() > 80 ? line.substr(0, 80) + "..." : line;
      return RegParseError(source + ":" + std::to_string(number) + ": parse error: " + what + " near: " + shown);
    };
    std::string_view l = trim_right(line);
    if (!l.empty() && l.front() == '[') {
      if (l.back() != ']') throw error("expected ']' at the end of the key");
      RegSection s;
      s.line = number;
      s.delete_key = l.size() > 1 && l[1] == '-';
      s.key = std::string(l.substr(s.delete_key ? 2 : 1, l.size() - (s.delete_key ? 3 : 2)));
      if (s.key.empty()) throw error("empty key name");
      sections.push_back(std::move(s));
      // Values may follow a [KEY], not a [-KEY].
      in_section = !sections.back().delete_key;
      continue;
    }
    if (is_blank_or_comment(l)) {
      in_section = false;
      continue;
    }
    if (!in_section) {
      if (sections.empty() && (l.find("Windows Registry Editor Version") != std::string_view::npos ||
                               l.starts_with("REGEDIT")))
        continue;
      throw error("unexpected text outside a [key] section");
    }
    RegSection& section = sections.back();
    std::string name;
    std::string_view rest;
    if (l.starts_with("@=")) {
      rest = l.substr(2);
    } else if (l.starts_with("\"")) {
      size_t pos = 0;
      auto n = quoted(l, pos);
      if (!n) throw error("unterminated value name");
      if (pos >= l.size() || l[pos] != '=') throw error("expected '=' after the value name");
      name = *n;
      rest = l.substr(pos + 1);
    } else {
      throw error("expected \"name\"=data or @=data");
    }
    if (rest == "-") {
      section.deletions.push_back(name);
      continue;
    }
    std::optional<HiveValue> value;
    try {
      value = value_data(name, rest, encoding);
    } catch (const Error& e) {
      throw error(e.what());
    }
    if (!value) throw error("cannot parse the value's data");
    add_value(section, std::move(*value));
  }
  return sections;
}

}  // namespace vt::winreg
