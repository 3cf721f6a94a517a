// The parsers of Windows inspection (inspect_windows.hpp) over values and
// files of the guest's: MountedDevices values of the SYSTEM hive, the
// CurrentVersion string, boot.ini.  Input: a type byte, then the value's
// name, a NUL, and its data (also used whole as the text of the others).
// Documented: nullopt / nothing for garbage; inspection catches vt::Error
// around parse_mounted_device.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>

#include "errors.hpp"
#include "inspect.hpp"
#include "inspect_windows.hpp"

namespace windows = vt::inspect::windows;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 1) return 0;
  std::string_view rest(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  size_t nul = rest.find('\0');
  std::string key(rest.substr(0, nul));
  std::string data(nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1));
  int64_t type = bytes[0] < 0x80 ? 3 : bytes[0] - 0x80;  // mostly REG_BINARY
  try {
    if (auto dev = windows::parse_mounted_device(key, type, data)) {
      if (dev->drive_letter.size() != 1) std::abort();
      (void)windows::mbr_signature_ptuuid(dev->mbr_signature);
    }
  } catch (const vt::Error&) {
  }
  std::string text(rest);
  if (auto v = windows::parse_windows_version(text))
    if (v->first < 0 || v->second < 0) std::abort();
  for (const auto& root : windows::boot_ini_systemroots(text))
    if (root.empty() || root[0] != '/') std::abort();
  vt::inspect::OsFacts facts;
  facts.type = "windows";
  facts.product_name = key;
  if (auto v = windows::parse_windows_version(data)) std::tie(facts.major_version, facts.minor_version) = *v;
  (void)windows::windows_osinfo(facts);
  return 0;
}
