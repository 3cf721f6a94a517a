#include "text.hpp"

#include <cstdint>
#include <vector>

#include "errors.hpp"

namespace vt::winreg {

namespace {

// The code points of `utf8`; throws on malformed sequences.
std::vector<uint32_t> decode_utf8(std::string_view utf8) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < utf8.size();) {
    auto byte = static_cast<unsigned char>(utf8[i]);
    int extra = byte < 0x80 ? 0 : (byte & 0xe0) == 0xc0 ? 1 : (byte & 0xf0) == 0xe0 ? 2 : (byte & 0xf8) == 0xf0 ? 3 : -1;
    if (extra < 0 || i + extra >= utf8.size()) throw Error("invalid UTF-8 text");
    uint32_t cp = extra == 0 ? byte : byte & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) {
      auto cont = static_cast<unsigned char>(utf8[i + k]);
      if ((cont & 0xc0) != 0x80) throw Error("invalid UTF-8 text");
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw Error("invalid UTF-8 text");
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

void put_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

}  // namespace

std::string utf8_to_utf16le(std::string_view utf8) {
  std::string out;
  auto put = [&out](uint32_t unit) {
    out += static_cast<char>(unit & 0xff);
    out += static_cast<char>(unit >> 8);
  };
  for (uint32_t cp : decode_utf8(utf8)) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 | (cp >> 10));
      put(0xdc00 | (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
  return out;
}

std::string utf16le_to_utf8(std::string_view utf16) {
  constexpr uint32_t kReplacement = 0xfffd;
  std::string out;
  size_t units = utf16.size() / 2;
  auto unit_at = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(utf16[2 * i])) |
           (static_cast<uint32_t>(static_cast<unsigned char>(utf16[2 * i + 1])) << 8);
  };
  for (size_t i = 0; i < units; ++i) {
    uint32_t u = unit_at(i);
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < units && unit_at(i + 1) >= 0xdc00 && unit_at(i + 1) <= 0xdfff) {
      put_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (unit_at(i + 1) - 0xdc00));
      ++i;
    } else if (u >= 0xd800 && u <= 0xdfff) {
      put_utf8(out, kReplacement);
    } else {
      put_utf8(out, u);
    }
  }
  if (utf16.size() % 2) put_utf8(out, kReplacement);
  return out;
}

std::string utf8_to_ascii(std::string_view utf8) {
  std::string out;
  for (uint32_t cp : decode_utf8(utf8)) out += cp < 0x80 ? static_cast<char>(cp) : '?';
  return out;
}

}  // namespace vt::winreg
