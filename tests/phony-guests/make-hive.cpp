// make-hive EMPTY SPEC OUT: copies the empty registry hive EMPTY to OUT with
// the keys and values of SPEC added through libhivex's write API.
//
// The guestfish hivex commands cannot do this job: their text arguments
// cannot carry NUL bytes, and every REG_SZ (UTF-16LE) or REG_DWORD value has
// some.  SPEC is a small subset of the .reg format of regedit:
//   [Path\Below\The\Root]          a key, made with its parents if missing
//   "Name"="text"                  REG_SZ, stored as UTF-16LE with a final NUL
//   "Name"=dword:0000000a          REG_DWORD
//   "Name"=hex:01,02               REG_BINARY; hex(N): with any other type N
// Lines starting with ';' are comments; in names and text, \\ and \" escape.
#include <hivex.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "hive_type.hpp"

namespace {

struct HiveCloser {
  void operator()(hive_h* h) const { hivex_close(h); }
};
using Hive = std::unique_ptr<hive_h, HiveCloser>;

struct Value {
  std::string name;
  hive_type type;
  std::string data;
};

std::runtime_error fail(const std::string& where, const std::string& what) {
  return std::runtime_error(where + ": " + what);
}

// Reads a quoted string starting at text[pos] == '"'; leaves pos after it.
std::string quoted(const std::string& text, size_t& pos, const std::string& where) {
  std::string out;
  for (++pos; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c == '\\') {
      if (++pos == text.size()) break;
      c = text[pos];
    }
    out += c;
  }
  throw fail(where, "unterminated string");
}

std::string utf16le(const std::string& utf8, const std::string& where) {
  std::string out;
  auto put = [&out](uint32_t unit) {
    out += static_cast<char>(unit & 0xff);
    out += static_cast<char>(unit >> 8);
  };
  for (size_t i = 0; i < utf8.size();) {
    auto byte = static_cast<unsigned char>(utf8[i]);
    int extra = byte < 0x80 ? 0 : (byte & 0xe0) == 0xc0 ? 1 : (byte & 0xf0) == 0xe0 ? 2 : (byte & 0xf8) == 0xf0 ? 3 : -1;
    if (extra < 0 || (extra > 0 && i + extra >= utf8.size())) throw fail(where, "invalid UTF-8");
    uint32_t cp = extra == 0 ? byte : byte & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    i += extra + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 | (cp >> 10));
      put(0xdc00 | (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
  put(0);
  return out;
}

std::string hex_bytes(const std::string& text, const std::string& where) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    std::string byte = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (byte.size() != 2 || byte.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      throw fail(where, "bad hex byte '" + byte + "'");
    out += static_cast<char>(std::stoul(byte, nullptr, 16));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

Value parse_value(const std::string& line, const std::string& where) {
  size_t pos = 0;
  Value v;
  v.name = quoted(line, pos, where);
  if (pos >= line.size() || line[pos] != '=') throw fail(where, "expected '=' after the value name");
  std::string rest = line.substr(pos + 1);
  if (!rest.empty() && rest[0] == '"') {
    size_t p = 0;
    v.type = hive_t_REG_SZ;
    v.data = utf16le(quoted(rest, p, where), where);
  } else if (rest.rfind("dword:", 0) == 0) {
    std::string digits = rest.substr(6);
    if (digits.size() != 8 || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      throw fail(where, "dword needs 8 hex digits");
    uint32_t n = static_cast<uint32_t>(std::stoul(digits, nullptr, 16));
    v.type = hive_t_REG_DWORD;
    for (int i = 0; i < 4; ++i) v.data += static_cast<char>((n >> (8 * i)) & 0xff);
  } else if (rest.rfind("hex:", 0) == 0) {
    v.type = hive_t_REG_BINARY;
    v.data = hex_bytes(rest.substr(4), where);
  } else if (rest.rfind("hex(", 0) == 0 && rest.find("):") != std::string::npos) {
    size_t close = rest.find("):");
    vt::winreg::set_hive_type_number(v.type, static_cast<uint32_t>(std::stoul(rest.substr(4, close - 4), nullptr, 16)));
    v.data = hex_bytes(rest.substr(close + 2), where);
  } else {
    throw fail(where, "unknown value data '" + rest + "'");
  }
  return v;
}

// The node at `path` (backslash-separated, below the root), made if missing.
hive_node_h make_key(hive_h* h, const std::string& path, const std::string& where) {
  hive_node_h node = hivex_root(h);
  size_t pos = 0;
  while (pos <= path.size() && !path.empty()) {
    size_t sep = path.find('\\', pos);
    std::string name = path.substr(pos, sep == std::string::npos ? std::string::npos : sep - pos);
    if (name.empty()) throw fail(where, "empty key name in " + path);
    errno = 0;
    hive_node_h child = hivex_node_get_child(h, node, name.c_str());
    if (child == 0 && errno != 0) throw fail(where, "hivex_node_get_child: " + std::string(std::strerror(errno)));
    if (child == 0) child = hivex_node_add_child(h, node, name.c_str());
    if (child == 0) throw fail(where, "hivex_node_add_child " + name + ": " + std::strerror(errno));
    node = child;
    if (sep == std::string::npos) break;
    pos = sep + 1;
  }
  return node;
}

void set_value(hive_h* h, hive_node_h node, const Value& v, const std::string& where) {
  hive_set_value sv;
  sv.key = const_cast<char*>(v.name.c_str());
  sv.t = v.type;
  sv.len = v.data.size();
  sv.value = const_cast<char*>(v.data.data());
  if (hivex_node_set_value(h, node, &sv, 0) < 0)
    throw fail(where, "hivex_node_set_value " + v.name + ": " + std::strerror(errno));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: make-hive EMPTY-HIVE SPEC OUT\n";
    return 1;
  }
  try {
    Hive hive(hivex_open(argv[1], HIVEX_OPEN_WRITE));
    if (!hive) throw fail(argv[1], std::strerror(errno));
    std::ifstream spec(argv[2]);
    if (!spec) throw fail(argv[2], "cannot open");
    std::string line, where;
    hive_node_h node = 0;
    for (int lineno = 1; std::getline(spec, line); ++lineno) {
      where = std::string(argv[2]) + ":" + std::to_string(lineno);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == ';') continue;
      if (line[0] == '[') {
        if (line.back() != ']') throw fail(where, "expected ']' at the end of the key");
        node = make_key(hive.get(), line.substr(1, line.size() - 2), where);
      } else if (line[0] == '"') {
        if (node == 0) throw fail(where, "a value before any [key]");
        set_value(hive.get(), node, parse_value(line, where), where);
      } else {
        throw fail(where, "expected [key] or \"name\"=data");
      }
    }
    if (hivex_commit(hive.get(), argv[3], 0) < 0) throw fail(argv[3], std::strerror(errno));
  } catch (const std::exception& e) {
    std::cerr << "make-hive: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
