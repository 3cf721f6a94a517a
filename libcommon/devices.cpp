#include "devices.hpp"

#include "inspect_fstab.hpp"

namespace vt {

std::string canonical_device_name(const std::string& device) {
  // Only a name with one single '-' (device-mapper doubles those inside
  // the VG and LV names) is an LV: luks-UUID stays as it is.
  if (device.rfind("/dev/mapper/", 0) == 0) return inspect::mapper_to_lv(device).value_or(device);
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
