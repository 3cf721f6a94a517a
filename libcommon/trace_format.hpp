// How -x shows arguments and results: strings quoted, lists bracketed.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "api_types.hpp"

namespace vt {

std::string trace_format(const std::string& s);
std::string trace_format(const std::vector<std::string>& v);
std::string trace_format(const std::vector<std::pair<std::string, std::string>>& v);
inline std::string trace_format(int32_t v) { return std::to_string(v); }
inline std::string trace_format(int64_t v) { return std::to_string(v); }
inline std::string trace_format(bool v) { return v ? "true" : "false"; }

// Structs: their fields on one line.
template <typename Struct>
std::string trace_format(const Struct& s) requires requires { api::to_text(s); }
{
  std::string text = api::to_text(s);
  for (auto& c : text)
    if (c == '\n') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return "<" + text + ">";
}

template <typename Struct>
std::string trace_format(const std::vector<Struct>& v) requires requires(const Struct& s) { api::to_text(s); }
{
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + trace_format(v[i]);
  return out + "]";
}

}  // namespace vt
