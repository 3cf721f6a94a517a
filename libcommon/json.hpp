// A small JSON value and parser: enough for QMP replies and for writing
// machine-readable output.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vt::json {

struct Value;
using Array = std::vector<Value>;
using Object = std::map<std::string, Value>;

struct Value {
  std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>> v = nullptr;

  bool is_object() const { return std::holds_alternative<std::shared_ptr<Object>>(v); }
  bool is_string() const { return std::holds_alternative<std::string>(v); }
  // Member lookup; nullptr if this is not an object or has no such key.
  const Value* get(const std::string& key) const;
  const std::string* as_string() const { return std::get_if<std::string>(&v); }
};

// Throws std::runtime_error on malformed input.
Value parse(std::string_view text);

// A JSON string literal, quotes included.
std::string quote(std::string_view s);

}  // namespace vt::json
