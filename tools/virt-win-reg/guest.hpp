// The Windows guest's registry hives: found through the systemroot,
// downloaded once each to a host temporary directory, read and edited there
// with libhivex (one daemon round trip per hive, not per key), and written
// back all-or-nothing.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "handle.hpp"
#include "hive.hpp"
#include "keymap.hpp"
#include "process.hpp"

namespace vt::winreg {

class GuestRegistry {
 public:
  // `h` is launched; mounts the Windows root (read-write if `writable`).
  GuestRegistry(Handle& h, bool writable);

  // The hive holding `loc`, downloaded on first use.
  Hive& hive(const HiveLocation& loc);
  // Marks the hive of `loc` as changed: write_back() uploads it.
  void mark_changed(const HiveLocation& loc) { hives_.at(loc.hive).changed = true; }
  // For each changed hive: commit, upload to a temporary name beside the
  // original, sync, rename over the original, sync.
  void write_back();

 private:
  struct Entry {
    std::string guest_path;
    std::unique_ptr<Hive> hive;
    bool changed = false;
  };
  std::string guest_path(const HiveLocation& loc);
  std::string profile_directory(const std::string& sid);

  Handle& h_;
  bool writable_;
  TempDir tmp_;
  std::string systemroot_;
  std::map<std::string, Entry> hives_;
};

}  // namespace vt::winreg
