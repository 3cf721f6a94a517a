// The JSON parser (json.hpp) behind QMP replies and qemu-img's output:
// documented to throw std::runtime_error on malformed input, nothing else.
// Any string must also survive quote() and parse() unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "json.hpp"

namespace json = vt::json;

namespace {

// Walks a parsed value the way QMP's reader looks at one.
size_t walk(const json::Value& v, int depth) {
  if (depth > 100) std::abort();  // the parser caps nesting
  size_t n = 1;
  if (auto* obj = std::get_if<std::shared_ptr<json::Object>>(&v.v)) {
    for (const auto& [key, member] : **obj) {
      if (v.get(key) != &member) std::abort();
      n += walk(member, depth + 1);
    }
  } else if (auto* arr = std::get_if<std::shared_ptr<json::Array>>(&v.v)) {
    for (const auto& item : **arr) n += walk(item, depth + 1);
  }
  (void)v.as_string();
  (void)v.get("return");
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(bytes), size);
  try {
    json::Value v = json::parse(in);
    walk(v, 0);
  } catch (const std::runtime_error&) {
  }
  // quote() gives a literal that parses back to the same bytes.
  std::string s(in);
  json::Value q = json::parse(json::quote(s));
  if (!q.as_string() || *q.as_string() != s) std::abort();
  return 0;
}
