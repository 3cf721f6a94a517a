#include "devices.hpp"

namespace vt {

namespace {

// device-mapper names double every '-' inside the VG and LV names and join
// the two with a single '-'.
std::string mapper_to_lv(const std::string& name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '-') continue;
    if (i + 1 < name.size() && name[i + 1] == '-') {
      ++i;
      continue;
    }
    auto undouble = [](std::string s) {
      for (size_t p = s.find("--"); p != std::string::npos; p = s.find("--", p + 1)) s.erase(p, 1);
      return s;
    };
    return "/dev/" + undouble(name.substr(0, i)) + "/" + undouble(name.substr(i + 1));
  }
  return "";
}

}  // namespace

std::string canonical_device_name(const std::string& device) {
  if (device.rfind("/dev/mapper/", 0) == 0) {
    std::string lv = mapper_to_lv(device.substr(12));
    return lv.empty() ? device : lv;
  }
  if (device.rfind("/dev/", 0) != 0) return device;
  std::string rest = device.substr(5);
  // Not an LV (/dev/VG/LV), not /dev/md*, and the first 'd' at index 1 or 2:
  // vd, hd, sd, xvd, ubd.
  if (rest.find('/') != std::string::npos || rest.empty() || rest[0] == 'm') return device;
  size_t d = rest.find('d');
  if (d == 0 || d == std::string::npos || d > 2) return device;
  return "/dev/sd" + rest.substr(d + 1);
}

}  // namespace vt
