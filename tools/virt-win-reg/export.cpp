#include "export.hpp"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "hive_type.hpp"
#include "text.hpp"

namespace vt::winreg {

namespace {

constexpr uint32_t kRegSz = 1, kRegExpandSz = 2, kRegDword = 4, kRegLink = 6, kRegMultiSz = 7, kRegQword = 0xb;
// Deeper than any real registry; a corrupt hive whose subkeys loop stops here.
constexpr int kMaxDepth = 512;

std::string escape_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

std::string hex_type(uint32_t type) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%x", type);
  return buf;
}

std::string hex_bytes(const std::string& data) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 3);
  for (size_t i = 0; i < data.size(); ++i) {
    if (i) out += ',';
    auto b = static_cast<unsigned char>(data[i]);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

void export_node(const Hive& hive, hive_node_h node, const std::string& path, const ExportOptions& options,
                 std::ostream& out, int depth) {
  if (depth > kMaxDepth) throw Error(hive.name() + ": the key tree is too deep or loops at " + path);
  std::string prefix = options.prefix;
  if (!prefix.empty() && prefix.back() == '\\') prefix.pop_back();
  out << '[' << prefix << path << "]\n";

  std::vector<HiveValue> values;
  for (hive_value_h v : hive.value_handles(node)) {
    try {
      values.push_back(hive.value(v));
    } catch (const Error& e) {
      std::cerr << "virt-win-reg: warning: skipping an unreadable value in " << path << ": " << e.what() << "\n";
    }
  }
  std::stable_sort(values.begin(), values.end(), [](const HiveValue& a, const HiveValue& b) { return a.name < b.name; });
  for (const auto& v : values) out << format_value(v, options.printable_strings) << '\n';
  out << '\n';

  std::vector<std::pair<std::string, hive_node_h>> children;
  for (hive_node_h child : hive.children(node)) children.emplace_back(hive.node_name(child), child);
  std::stable_sort(children.begin(), children.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, child] : children)
    export_node(hive, child, (path == "\\" ? path : path + "\\") + name, options, out, depth + 1);
}

}  // namespace

std::string format_value(const HiveValue& value, bool printable_strings) {
  std::string line = value.name.empty() ? "@=" : "\"" + escape_name(value.name) + "\"=";
  if (value.type == kRegDword && value.data.size() == 4) {
    uint32_t n = 0;
    for (int i = 3; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(value.data[i]);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", n);
    line += "dword:";
    line += buf;
  } else if (printable_strings && (value.type == kRegSz || value.type == kRegExpandSz)) {
    std::string text = utf16le_to_utf8(value.data);
    if (!text.empty() && text.back() == '\0') text.pop_back();
    std::string quoted;
    for (char c : text) {
      if (c == '"') quoted += '\\';
      quoted += c;
    }
    line += "str(" + hex_type(value.type) + "):\"" + quoted + "\"";
  } else {
    line += "hex(" + hex_type(value.type) + "):" + hex_bytes(value.data);
  }
  return line;
}

void export_key(const Hive& hive, hive_node_h node, const ExportOptions& options, std::ostream& out) {
  export_node(hive, node, hive.canonical_path(node), options, out, 0);
}

void print_value_data(const Hive& hive, hive_value_h value, std::ostream& out) {
  hive_h* h = hive.handle();
  hive_type type;
  size_t len = 0;
  errno = 0;
  if (hivex_value_type(h, value, &type, &len) < 0) hive.fail("reading a value's type");
  auto check = [&](bool ok) {
    if (!ok) hive.fail("reading a value's data");
  };
  switch (hive_type_number(type)) {
    case kRegSz:
    case kRegExpandSz:
    case kRegLink: {
      errno = 0;
      std::unique_ptr<char, decltype(&std::free)> text(hivex_value_string(h, value), &std::free);
      check(text != nullptr);
      out << text.get() << '\n';
      break;
    }
    case kRegDword:
    case kRegDword + 1: {
      errno = 0;
      int32_t n = hivex_value_dword(h, value);
      check(n != -1 || errno == 0);
      out << n << '\n';
      break;
    }
    case kRegQword: {
      errno = 0;
      int64_t n = hivex_value_qword(h, value);
      check(n != -1 || errno == 0);
      out << n << '\n';
      break;
    }
    case kRegMultiSz: {
      errno = 0;
      char** strings = hivex_value_multiple_strings(h, value);
      check(strings != nullptr);
      for (size_t i = 0; strings[i]; ++i) {
        out << strings[i] << '\n';
        std::free(strings[i]);
      }
      std::free(strings);
      break;
    }
    default: {
      HiveValue v = hive.value(value);
      out << v.data;
      break;
    }
  }
}

}  // namespace vt::winreg
