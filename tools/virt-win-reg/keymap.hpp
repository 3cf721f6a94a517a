// Which hive file holds a registry key, as libguestfs's virt-win-reg maps
// them: HKLM\SAM, SECURITY, SOFTWARE, SYSTEM (systemroot\System32\config),
// HKLM\BCD (the boot store, where present), HKU\.DEFAULT, HKU\<SID> (its
// NTUSER.DAT, found through ProfileList), HKU\<user name>.  HKLM and HKU
// abbreviate; names match case-insensitively.
#pragma once

#include <string>

namespace vt::winreg {

struct HiveLocation {
  enum class Kind {
    kConfig,    // systemroot/System32/config/<file>
    kBcd,       // /Boot/BCD or /EFI/Microsoft/Boot/BCD
    kUserSid,   // <ProfileImagePath of sid>/NTUSER.DAT
    kUserName,  // /Users/<name>/NTUSER.DAT or /Documents and Settings/<name>/NTUSER.DAT
  };
  Kind kind = Kind::kConfig;
  std::string hive;    // identifies the hive: "software", "S-1-5-21-…", "user_Phony"
  std::string detail;  // kConfig: file name; kUserSid: the SID; kUserName: the user name
  std::string path;    // the key inside the hive: "\\" or "\\Microsoft\\Windows"
  std::string prefix;  // what exports put before `path`: "HKEY_LOCAL_MACHINE\\SOFTWARE"
};

// Throws Error "KEY: not a supported Windows Registry path" when no hive holds it.
HiveLocation map_registry_path(const std::string& key);

}  // namespace vt::winreg
