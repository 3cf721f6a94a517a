#include "json.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace vt::json {

const Value* Value::get(const std::string& key) const {
  auto* obj = std::get_if<std::shared_ptr<Object>>(&v);
  if (!obj) return nullptr;
  auto it = (*obj)->find(key);
  return it == (*obj)->end() ? nullptr : &it->second;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Value parse_document() {
    Value v = parse_value(0);
    skip_ws();
    if (pos_ != t_.size()) fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("JSON: ") + what + " at offset " + std::to_string(pos_));
  }
  void skip_ws() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\r' || t_[pos_] == '\t')) ++pos_;
  }
  char peek() {
    skip_ws();
    if (pos_ >= t_.size()) fail("unexpected end");
    return t_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail("unexpected character");
    ++pos_;
  }
  bool consume_word(std::string_view w) {
    if (t_.substr(pos_, w.size()) == w) {
      pos_ += w.size();
      return true;
    }
    return false;
  }

  Value parse_value(int depth) {
    if (depth > 64) fail("nesting too deep");
    Value out;
    char c = peek();
    if (c == '{') {
      ++pos_;
      auto obj = std::make_shared<Object>();
      if (peek() == '}') {
        ++pos_;
      } else {
        for (;;) {
          if (peek() != '"') fail("expected a key");
          std::string key = parse_string();
          expect(':');
          (*obj)[key] = parse_value(depth + 1);
          if (peek() == ',') {
            ++pos_;
            continue;
          }
          expect('}');
          break;
        }
      }
      out.v = obj;
    } else if (c == '[') {
      ++pos_;
      auto arr = std::make_shared<Array>();
      if (peek() == ']') {
        ++pos_;
      } else {
        for (;;) {
          arr->push_back(parse_value(depth + 1));
          if (peek() == ',') {
            ++pos_;
            continue;
          }
          expect(']');
          break;
        }
      }
      out.v = arr;
    } else if (c == '"') {
      out.v = parse_string();
    } else if (consume_word("true")) {
      out.v = true;
    } else if (consume_word("false")) {
      out.v = false;
    } else if (consume_word("null")) {
      out.v = nullptr;
    } else {
      size_t start = pos_;
      while (pos_ < t_.size() && (std::isdigit(static_cast<unsigned char>(t_[pos_])) || t_[pos_] == '-' ||
                                  t_[pos_] == '+' || t_[pos_] == '.' || t_[pos_] == 'e' || t_[pos_] == 'E'))
        ++pos_;
      if (start == pos_) fail("unexpected character");
      out.v = std::strtod(std::string(t_.substr(start, pos_ - start)).c_str(), nullptr);
    }
    return out;
  }

  std::string parse_string() {
    expect('"');
    std::string s;
    while (pos_ < t_.size() && t_[pos_] != '"') {
      char c = t_[pos_++];
      if (c != '\\') {
        s += c;
        continue;
      }
      if (pos_ >= t_.size()) fail("bad escape");
      char e = t_[pos_++];
      switch (e) {
        case 'n': s += '\n'; break;
        case 't': s += '\t'; break;
        case 'r': s += '\r'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'u': {
          // Exactly four hex digits.  std::stoul threw std::invalid_argument
          // (not the std::runtime_error promised) when they were not digits
          // ("zzzz"), and took "-001" or " 0x1" for numbers: found by
          // tests/fuzz/fuzz_json.
          if (pos_ + 4 > t_.size()) fail("bad \\u escape");
          unsigned cp = 0;
          for (int i = 0; i < 4; ++i) {
            char h = t_[pos_ + i];
            int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (digit < 0) fail("bad \\u escape");
            cp = cp * 16 + static_cast<unsigned>(digit);
          }
          pos_ += 4;
          // UTF-8 encode (surrogate pairs are not expected from QMP).
          if (cp < 0x80) {
            s += static_cast<char>(cp);
          } else if (cp < 0x800) {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default: s += e;
      }
    }
    if (pos_ >= t_.size()) fail("unterminated string");
    ++pos_;
    return s;
  }

  std::string_view t_;
  size_t pos_ = 0;
};

}  // namespace

Value parse(std::string_view text) { return Parser(text).parse_document(); }

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace vt::json
