// The pure parts of Windows inspection (inspect_windows.cpp), unit-tested
// without an appliance: registry value decoding, MountedDevices blobs,
// boot.ini, the version and libosinfo mappings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "inspect.hpp"

namespace vt::inspect::windows {

// Registry value types (winnt.h).
inline constexpr int64_t kRegSz = 1;
inline constexpr int64_t kRegBinary = 3;
inline constexpr int64_t kRegDword = 4;
inline constexpr int64_t kRegDwordBigEndian = 5;

// The number a REG_DWORD or REG_DWORD_BIG_ENDIAN value holds, or nullopt
// for another type or data that is not 4 bytes (as libhivex refuses them).
std::optional<uint32_t> registry_dword(int64_t type, const std::string& data);

// Where a \DosDevices\X: value of HKLM\SYSTEM\MountedDevices says drive X
// is.  On an MBR disk: the disk's signature (the 4 bytes at 0x1b8 of sector
// 0) and the partition's start in bytes; on a GPT disk: the partition's
// unique GUID, in lower case as blkid prints it.
struct MountedDevice {
  std::string drive_letter;  // as the key spells it: "C"
  bool gpt = false;
  uint32_t mbr_signature = 0;
  uint64_t mbr_offset = 0;
  std::string gpt_guid;
};

// Decodes one MountedDevices value as libguestfs does: only keys
// "\DosDevices\X:" (prefix compared without regard to case, X a letter) of
// type REG_BINARY whose data is 12 bytes (MBR) or at least 24 starting
// "DMIO:ID:" (GPT); anything else is nullopt.
std::optional<MountedDevice> parse_mounted_device(const std::string& key, int64_t type, const std::string& data);

// blkid's PTUUID for an MBR disk signature: 8 lower-case hex digits.
std::string mbr_signature_ptuuid(uint32_t signature);

// "6.1" -> {6, 1} (HKLM\SOFTWARE\...\CurrentVersion of Windows before 10).
std::optional<std::pair<int, int>> parse_windows_version(const std::string& text);

// The systemroots the [operating systems] section of a boot.ini names,
// in order, as guest paths with '/' for '\': "multi(0)disk(0)rdisk(0)
// partition(1)\WINDOWS=..." gives "/WINDOWS".
std::vector<std::string> boot_ini_systemroots(const std::string& text);

// The libosinfo short id libguestfs 1.48's inspect_get_osinfo gives a
// Windows guest ("win7", "win2k12r2", "win10", "win2k19"...), from the
// version, product name and product variant; "unknown" otherwise.
std::string windows_osinfo(const OsFacts& facts);

}  // namespace vt::inspect::windows
