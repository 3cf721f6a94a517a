// Text conversions between the host's UTF-8 and the registry's UTF-16LE.
#pragma once

#include <string>
#include <string_view>

namespace vt::winreg {

// UTF-8 -> UTF-16LE.  Throws Error on invalid UTF-8.
std::string utf8_to_utf16le(std::string_view utf8);
// UTF-16LE -> UTF-8; unpaired surrogates and a trailing odd byte become
// U+FFFD, as a lenient decoder does (guest data may be anything).
std::string utf16le_to_utf8(std::string_view utf16);
// UTF-8 -> 7-bit ASCII; every non-ASCII character becomes '?'.
std::string utf8_to_ascii(std::string_view utf8);

}  // namespace vt::winreg
