// list_applications: the installed packages of an inspected guest, from its
// package database (dpkg, rpm, pacman, apk) or, for Windows, its registry
// (inspect_windows.cpp).  Fields are filled as libguestfs fills them; the
// parsers are in package_db.cpp.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "errors.hpp"
#include "handle.hpp"
#include "inspect.hpp"
#include "inspect_apps.hpp"
#include "process.hpp"

namespace vt::inspect {

namespace {

// Package databases are read whole: a guest must not make us read gigabytes.
constexpr uint64_t kMaxDatabaseSize = 256 * 1024 * 1024;
// A pacman desc file is a few hundred bytes; libguestfs skips larger than 8 KiB.
constexpr uint64_t kMaxPacmanDescSize = 8192;
void warn(const Handle& h, const std::string& message) { std::cerr << h.program_name() << ": warning: " << message << "\n"; }

// The guest file `path`, whole; refused above `limit` bytes.
std::string read_guest_file(Handle& h, const std::string& path, uint64_t limit, const TempDir& dir) {
  std::string host_path = download_guest_file(h, path, limit, dir, "file");
  std::ifstream in(host_path, std::ios::binary);
  if (!in) throw Error(errno_message("open " + host_path, errno));
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ::unlink(host_path.c_str());
  if (out.size() > limit) throw Error(path + ": the file grew past the size limit while it was read");
  return out;
}

std::vector<Application> list_deb(Handle& h, const TempDir& dir) {
  return parse_dpkg_status(read_guest_file(h, "/var/lib/dpkg/status", kMaxDatabaseSize, dir));
}

// Runs one rpm database reader on the guest file `path`: its errors and
// warnings name the file.
template <typename Reader>
std::vector<Application> read_rpm_database(const Handle& h, const std::string& path, Reader reader) {
  std::vector<std::string> warnings;
  std::vector<Application> apps;
  try {
    apps = reader(warnings);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  for (const auto& w : warnings) warn(h, path + ": " + w);
  return apps;
}

std::vector<Application> list_rpm(Handle& h, const TempDir& dir) {
  // Fedora 36 and later keep the database under /usr (/var/lib/rpm is a
  // symbolic link to it); older sqlite guests have it in /var/lib/rpm.
  for (const char* path : {"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite"}) {
    if (!h.is_file(path, {.followsymlinks = true})) continue;
    std::string host_path = download_guest_file(h, path, kMaxDatabaseSize, dir, "rpmdb.sqlite");
    auto apps = read_rpm_database(h, path, [&](auto& warnings) { return read_rpm_sqlite(host_path, warnings); });
    // Only the main file is read: changes still in the write-ahead log (a
    // guest that was not shut down cleanly) are not seen.
    std::string wal = std::string(path) + "-wal";
    if (h.is_file(wal, {.followsymlinks = true}) && h.filesize(wal) > 0)
      warn(h, wal + ": the rpm database has changes that were not checkpointed; they are not listed");
    return apps;
  }
  // The Berkeley DB format of RHEL/CentOS 8 and older, Fedora 32 and older.
  for (const char* path : {"/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/Packages"}) {
    if (!h.is_file(path, {.followsymlinks = true})) continue;
    std::string bytes = read_guest_file(h, path, kMaxDatabaseSize, dir);
    return read_rpm_database(h, path, [&](auto& warnings) { return read_rpm_bdb(bytes, warnings); });
  }
  for (const char* path : {"/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages.db"}) {
    if (h.is_file(path, {.followsymlinks = true})) {
      warn(h, std::string(path) + ": this rpm database format (ndb) is not supported; no applications are listed");
      return {};
    }
  }
  warn(h, "no rpm database found (/var/lib/rpm, /usr/lib/sysimage/rpm); no applications are listed");
  return {};
}

std::vector<Application> list_pacman(Handle& h, const TempDir& dir) {
  const std::string local = "/var/lib/pacman/local";
  std::vector<Application> apps;
  for (const std::string& entry : h.ls(local)) {
    std::string package_dir = local + "/" + entry;
    if (!h.is_dir(package_dir)) continue;
    // A missing or oversized desc means a damaged entry: skipped, as libguestfs does.
    std::string desc_path = package_dir + "/desc";
    if (!h.is_file(desc_path)) continue;
    std::string text;
    try {
      text = read_guest_file(h, desc_path, kMaxPacmanDescSize, dir);
    } catch (const Error&) {
      continue;
    }
    if (auto app = parse_pacman_desc(text)) add_application(apps, std::move(*app));
  }
  return apps;
}

std::vector<Application> list_apk(Handle& h, const TempDir& dir) {
  // Alpine 3.23 moved the database under /usr; /lib/apk is a link to it there.
  for (const char* path : {"/lib/apk/db/installed", "/usr/lib/apk/db/installed"})
    if (h.is_file(path, {.followsymlinks = true}))
      return parse_apk_installed(read_guest_file(h, path, kMaxDatabaseSize, dir));
  throw Error("/lib/apk/db/installed: the apk database is missing");
}

}  // namespace

std::string download_guest_file(Handle& h, const std::string& path, uint64_t limit, const TempDir& dir,
                                const std::string& name) {
  int64_t size = h.filesize(path);
  if (size < 0 || static_cast<uint64_t>(size) > limit)
    throw Error(path + ": the file is too large (" + std::to_string(size) + " bytes, the limit is " +
                std::to_string(limit) + ")");
  std::string host_path = dir.path() + "/" + name;
  h.download(path, host_path);
  struct stat st;
  if (::stat(host_path.c_str(), &st) != 0) throw Error(errno_message("stat " + host_path, errno));
  if (static_cast<uint64_t>(st.st_size) > limit)
    throw Error(path + ": the file grew past the size limit while it was copied");
  return host_path;
}

std::vector<Application> list_applications(Handle& h, const Root& root) {
  std::vector<Application> apps;
  if (root.facts.type == "windows") {
    apps = list_windows_applications(h, root);
  } else {
    TempDir dir("vt-apps-");
    const std::string& format = root.facts.package_format;
    if (format == "deb") apps = list_deb(h, dir);
    else if (format == "rpm") apps = list_rpm(h, dir);
    else if (format == "pacman") apps = list_pacman(h, dir);
    else if (format == "apk") apps = list_apk(h, dir);
    // Other formats (ebuild, xbps, pkgsrc...): none listed, as libguestfs.
  }
  sort_applications(apps);
  return apps;
}

}  // namespace vt::inspect
