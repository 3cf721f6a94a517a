#include "trace_format.hpp"

namespace vt {

std::string trace_format(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string trace_format(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + trace_format(v[i]);
  return out + "]";
}

std::string trace_format(const std::vector<std::pair<std::string, std::string>>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + trace_format(v[i].first) + ": " + trace_format(v[i].second);
  return out + "}";
}

}  // namespace vt
