// rpm package headers (rpm_header.hpp) as rpm's databases store them.
// Documented failure: HeaderError; never a read outside the blob.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rpm_header.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  // A copy of exactly `size` bytes, so that ASan sees any read past the end.
  std::string blob(reinterpret_cast<const char*>(bytes), size);
  try {
    auto f = vt::rpm::parse_header(blob);
    if (f.name.empty()) std::abort();
    // Entries may share their data, so only each string alone is bounded.
    for (const std::string* s : {&f.name, &f.version, &f.release, &f.arch, &f.summary, &f.description})
      if (s->size() >= size) std::abort();
  } catch (const vt::rpm::HeaderError&) {
  }
  return 0;
}
