// Berkeley DB hash databases (bdb_hash.hpp) and rpm's Packages database read
// through them (inspect_apps.hpp read_rpm_bdb).  Documented failures:
// bdb::FormatError, and vt::Error from read_rpm_bdb.  The records never add
// up to more bytes than the file holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bdb_hash.hpp"
#include "errors.hpp"
#include "inspect_apps.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string file(reinterpret_cast<const char*>(bytes), size);
  try {
    auto db = vt::bdb::read_hash_database(file);
    size_t total = 0;
    for (const auto& r : db.records) total += r.key.size() + r.value.size();
    if (total > size) std::abort();
  } catch (const vt::bdb::FormatError&) {
  }
  try {
    std::vector<std::string> warnings;
    auto apps = vt::inspect::read_rpm_bdb(file, warnings);
    for (const auto& a : apps)
      if (a.name.empty()) std::abort();
  } catch (const vt::Error&) {
  }
  return 0;
}
