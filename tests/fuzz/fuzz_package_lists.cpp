// The text package databases (inspect_apps.hpp): dpkg status, pacman desc,
// apk installed, and the version splitter they share.  They never throw for
// garbage; the one documented Error is add_application's "more than 100000
// packages", which a fuzz input is too small to reach.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "errors.hpp"
#include "inspect_apps.hpp"

namespace inspect = vt::inspect;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string text(reinterpret_cast<const char*>(bytes), size);
  try {
    auto dpkg = inspect::parse_dpkg_status(text);
    auto apk = inspect::parse_apk_installed(text);
    auto pacman = inspect::parse_pacman_desc(text);
    for (const auto& a : dpkg)
      if (a.name.empty()) std::abort();
    for (const auto& a : apk)
      if (a.name.empty()) std::abort();
    inspect::sort_applications(dpkg);
    if (auto v = inspect::split_package_version(text)) {
      if (v->version.size() + v->release.size() > size) std::abort();
      if (v->epoch < 0) std::abort();
    }
  } catch (const vt::Error&) {
  }
  return 0;
}
