// .reg parsing (tools/virt-win-reg/regfile.hpp), as --merge reads a file,
// with each string encoding.  Documented failure: RegParseError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "regfile.hpp"

namespace winreg = vt::winreg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(bytes), size);
  for (auto encoding : {winreg::StringEncoding::kUtf16le, winreg::StringEncoding::kAscii}) {
    try {
      auto sections = winreg::parse_reg(in, "fuzz.reg", encoding);
      for (const auto& s : sections) {
        if (s.key.empty()) std::abort();  // parse_reg refuses empty key names
        if (s.delete_key && !s.values.empty()) std::abort();
      }
    } catch (const winreg::RegParseError&) {
    }
  }
  return 0;
}
