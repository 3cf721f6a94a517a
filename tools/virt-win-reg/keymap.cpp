#include "keymap.hpp"

#include <regex>

#include "errors.hpp"

namespace vt::winreg {

namespace {

using std::regex_constants::icase;

std::string inner_path(const std::ssub_match& m) { return m.matched && m.length() > 0 ? m.str() : "\\"; }

}  // namespace

HiveLocation map_registry_path(const std::string& key) {
  static const std::regex machine(R"(^\\?(?:HKEY_LOCAL_MACHINE|HKLM)\\(SAM|SECURITY|SOFTWARE|SYSTEM|BCD)(\\.*)?$)", icase);
  // libguestfs exports HKU\.DEFAULT as HKEY_LOCAL_MACHINE\.DEFAULT: accept
  // that spelling too so its files merge.
  static const std::regex default_user(R"(^\\?(?:HKEY_USERS|HKU|HKEY_LOCAL_MACHINE|HKLM)\\\.DEFAULT(\\.*)?$)", icase);
  static const std::regex sid(R"(^\\?(?:HKEY_USERS|HKU)\\(S-1-5-[-0-9]+)(\\.*)?$)", icase);
  static const std::regex well_known(R"(^\\?(?:HKEY_USERS|HKU)\\(LocalSystem|LocalService|NetworkService)(\\.*)?$)", icase);
  static const std::regex user(R"(^\\?(?:HKEY_USERS|HKU)\\([^\\]+)(\\.*)?$)", icase);

  std::smatch m;
  HiveLocation loc;
  if (std::regex_match(key, m, machine)) {
    std::string name = m[1].str();
    for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    loc.kind = name == "BCD" ? HiveLocation::Kind::kBcd : HiveLocation::Kind::kConfig;
    loc.hive = name;
    for (auto& c : loc.hive) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    loc.detail = name;
    loc.path = inner_path(m[2]);
    loc.prefix = "HKEY_LOCAL_MACHINE\\" + name;
  } else if (std::regex_match(key, m, default_user)) {
    loc.hive = "default";
    loc.detail = "DEFAULT";
    loc.path = inner_path(m[1]);
    loc.prefix = "HKEY_USERS\\.DEFAULT";
  } else if (std::regex_match(key, m, sid) || std::regex_match(key, m, well_known)) {
    std::string id = m[1].str();
    std::string lower_id = id;
    for (auto& c : lower_id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower_id == "localsystem") id = "S-1-5-18";
    if (lower_id == "localservice") id = "S-1-5-19";
    if (lower_id == "networkservice") id = "S-1-5-20";
    if (id[0] == 's') id[0] = 'S';
    loc.kind = HiveLocation::Kind::kUserSid;
    loc.hive = id;
    loc.detail = id;
    loc.path = inner_path(m[2]);
    loc.prefix = "HKEY_USERS\\" + id;
  } else if (std::regex_match(key, m, user) && m[1].str() != "." && m[1].str() != ".." &&
             m[1].str().find('/') == std::string::npos) {
    loc.kind = HiveLocation::Kind::kUserName;
    loc.hive = "user_" + m[1].str();
    loc.detail = m[1].str();
    loc.path = inner_path(m[2]);
    loc.prefix = "HKEY_USERS\\" + m[1].str();
  } else {
    throw Error(key + ": not a supported Windows Registry path");
  }
  return loc;
}

}  // namespace vt::winreg
