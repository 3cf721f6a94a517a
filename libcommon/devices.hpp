// Device names as the libguestfs tools print them.
#pragma once

#include <string>

namespace vt {

// /dev/vda1, /dev/hda1, /dev/xvda1 -> /dev/sda1; /dev/mapper/VG-LV -> /dev/VG/LV;
// anything else unchanged.
std::string canonical_device_name(const std::string& device);

}  // namespace vt
