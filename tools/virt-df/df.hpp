// virt-df: the work (mount each filesystem, statvfs it) and the output
// (libguestfs's virt-df table or CSV).
#pragma once

#include <string>
#include <vector>

#include "api_types.hpp"
#include "handle.hpp"
#include "options.hpp"

namespace vt::df {

struct Settings {
  bool human = false;   // -h
  bool inodes = false;  // --inodes
  bool csv = false;     // --csv
  bool uuid = false;    // --uuid
};

// One guest: the name shown in the first column (or its UUID, with --uuid,
// if it is a libvirt domain).
struct Guest {
  std::string name;
  std::string uuid;
};

// The name libguestfs shows for a guest given as -a disks and -d domains:
// the basename of its first disk or the first domain as given, and one "+"
// for each further -a or -d.
std::string guest_name(const std::vector<DiskArg>& disks);

// One row: a mountable filesystem and what statvfs said about it.
struct FilesystemStat {
  std::string device;  // canonical (/dev/sda1, /dev/VG/LV)
  api::statvfs stat;
};

// Mounts each filesystem read-only in turn and stats it; filesystems that do
// not mount (swap, unknown, damaged) are skipped, as libguestfs does.
std::vector<FilesystemStat> stat_filesystems(Handle& h);

// The title line (table or CSV).
std::string title(const Settings& s);

// The lines for one guest's filesystems.
std::string format_rows(const Guest& guest, const std::vector<FilesystemStat>& rows, const Settings& s);

}  // namespace vt::df
