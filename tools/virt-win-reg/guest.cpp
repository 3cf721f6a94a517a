#include "guest.hpp"

#include <algorithm>
#include <cctype>

#include "errors.hpp"
#include "inspect.hpp"

namespace vt::winreg {

namespace {

// Finds the one Windows root by inspection and mounts its filesystems, as
// libguestfs's virt-win-reg does; returns its systemroot ("/Windows").
std::string mount_windows_root(Handle& h, bool writable) {
  std::vector<std::string> roots = inspect::inspect_os(h);
  if (roots.empty()) throw Error("no operating system could be detected inside this disk image");
  if (roots.size() > 1) throw Error("multiboot operating systems are not supported");
  const inspect::Root* root = h.inspection().find(roots.front());
  if (!root || root->facts.type != "windows" || root->facts.windows_systemroot.empty())
    throw Error("the operating system in this disk image (" + (root ? root->facts.type : "unknown") +
                ") is not Windows");
  inspect::mount_root(h, *root, !writable);
  return root->facts.windows_systemroot;
}

// `text` with the first occurrence of `what`, in any case, replaced.
std::string replace_first_icase(std::string text, const std::string& what, const std::string& with) {
  auto it = std::search(text.begin(), text.end(), what.begin(), what.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  if (it != text.end()) text.replace(static_cast<size_t>(it - text.begin()), what.size(), with);
  return text;
}

}  // namespace

GuestRegistry::GuestRegistry(Handle& h, bool writable)
    : h_(h), writable_(writable), tmp_("virt-win-reg"), systemroot_(mount_windows_root(h, writable)) {}

std::string GuestRegistry::profile_directory(const std::string& sid) {
  HiveLocation software = map_registry_path("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\" + sid);
  Hive& hive = this->hive(software);
  auto node = hive.lookup(software.path);
  std::optional<hive_value_h> value;
  if (node) value = hive.find_value(*node, "ProfileImagePath");
  if (!value) throw Error("HKEY_USERS\\" + sid + ": no such user in the guest's ProfileList");
  // A REG_EXPAND_SZ: "%SystemDrive%\\Users\\Name" or "C:\\Users\\Name".
  auto text = hive.string_value(*value);
  if (!text) hive.fail("reading ProfileImagePath of " + sid);
  std::string dir = *text;
  dir = replace_first_icase(dir, "%systemroot%", systemroot_);
  dir = replace_first_icase(dir, "%systemdrive%", "");
  if (dir.size() >= 2 && (dir[0] == 'c' || dir[0] == 'C') && dir[1] == ':') dir.erase(0, 2);
  for (auto& c : dir)
    if (c == '\\') c = '/';
  return dir;
}

std::string GuestRegistry::guest_path(const HiveLocation& loc) {
  using Kind = HiveLocation::Kind;
  switch (loc.kind) {
    case Kind::kConfig:
      return h_.case_sensitive_path(systemroot_ + "/system32/config/" + loc.hive);
    case Kind::kBcd:
      for (const char* candidate : {"/boot/bcd", "/efi/microsoft/boot/bcd"}) {
        try {
          std::string path = h_.case_sensitive_path(candidate);
          if (h_.is_file(path, {})) return path;
        } catch (const Error&) {
        }
      }
      throw Error("HKEY_LOCAL_MACHINE\\BCD: this guest has no boot configuration hive (/Boot/BCD)");
    case Kind::kUserSid:
      return h_.case_sensitive_path(profile_directory(loc.detail) + "/ntuser.dat");
    case Kind::kUserName:
      for (const char* home : {"/Users/", "/Documents and Settings/"}) {
        try {
          std::string dir = h_.case_sensitive_path(home + loc.detail);
          if (h_.is_dir(dir, {})) return h_.case_sensitive_path(dir + "/ntuser.dat");
        } catch (const Error&) {
        }
      }
      throw Error("HKEY_USERS\\" + loc.detail + ": cannot find the user's directory");
  }
  throw Error("internal error: unknown hive kind");
}

Hive& GuestRegistry::hive(const HiveLocation& loc) {
  auto found = hives_.find(loc.hive);
  if (found != hives_.end()) return *found->second.hive;
  Entry e;
  e.guest_path = guest_path(loc);
  std::string local;
  try {
    local = inspect::download_guest_file(h_, e.guest_path, kMaxHiveBytes, tmp_, std::to_string(hives_.size()));
  } catch (const CallError& err) {
    throw Error(e.guest_path + ": could not copy the registry file out of the guest: " + err.what());
  }
  e.hive = std::make_unique<Hive>(local, e.guest_path, writable_);
  return *hives_.emplace(loc.hive, std::move(e)).first->second.hive;
}

void GuestRegistry::write_back() {
  for (auto& [name, e] : hives_) {
    if (!e.changed) continue;
    e.hive->commit();
  }
  for (auto& [name, e] : hives_) {
    if (!e.changed) continue;
    // Same directory, so the rename is atomic and never crosses filesystems.
    std::string temporary = e.guest_path + ".virt-win-reg-new";
    try {
      // hivex_commit wrote the file the hive was opened from.
      h_.upload(e.hive->path(), temporary);
      h_.sync();
      h_.mv(temporary, e.guest_path);
      h_.sync();
    } catch (const Error& err) {
      try {
        h_.rm_f(temporary);
      } catch (const Error&) {
      }
      throw Error(e.guest_path + ": could not write the registry file back: " + err.what());
    }
  }
}

}  // namespace vt::winreg
