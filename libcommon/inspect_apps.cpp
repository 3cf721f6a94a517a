// list_applications: the installed packages of an inspected guest, from its
// package database (dpkg, rpm, pacman, apk) or, for Windows, its registry
// (inspect_windows.cpp).  Fields are filled as libguestfs fills them.
#include "inspect_apps.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "errors.hpp"
#include "handle.hpp"
#include "process.hpp"
#include "rpm_header.hpp"

namespace vt::inspect {

namespace {

// Package databases are read whole: a guest must not make us read gigabytes.
constexpr uint64_t kMaxDatabaseSize = 256 * 1024 * 1024;
// A pacman desc file is a few hundred bytes; libguestfs skips larger than 8 KiB.
constexpr uint64_t kMaxPacmanDescSize = 8192;
// One rpm header: rpm's own limit for header data is 256 MiB, real ones are < 1 MiB.
constexpr int kMaxRpmHeaderBlob = 64 * 1024 * 1024;

void warn(const std::string& message) { std::cerr << "warning: " << message << "\n"; }

// Calls f(line) for each line of text, without its '\n'.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    f(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::optional<int32_t> parse_epoch(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > INT32_MAX) return std::nullopt;
  return static_cast<int32_t>(value);
}

// The guest file `path`, downloaded into `dir` and read back; refused above `limit`.
std::string read_guest_file(Handle& h, const std::string& path, uint64_t limit, const TempDir& dir) {
  int64_t size = h.filesize(path);
  if (size < 0 || static_cast<uint64_t>(size) > limit)
    throw Error(path + ": the file is too large (" + std::to_string(size) + " bytes, the limit is " +
                std::to_string(limit) + ")");
  std::string host_path = dir.path() + "/file";
  h.download(path, host_path);
  std::ifstream in(host_path, std::ios::binary);
  if (!in) throw Error(errno_message("open " + host_path, errno));
  std::string data;
  data.resize(limit + 1 < 65536 ? limit + 1 : 65536);
  std::string out;
  while (in.read(data.data(), static_cast<std::streamsize>(data.size())) || in.gcount() > 0) {
    out.append(data.data(), static_cast<size_t>(in.gcount()));
    if (out.size() > limit) throw Error(path + ": the file grew past the size limit while it was read");
  }
  ::unlink(host_path.c_str());
  return out;
}

Application application(std::string name, const PackageVersion& v) {
  Application a;
  a.name = std::move(name);
  a.epoch = v.epoch;
  a.version = v.version;
  a.release = v.release;
  return a;
}

// --- sqlite, opened as read-only as it can be ---------------------------

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

std::string uri_escape(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::vector<Application> list_deb(Handle& h, const TempDir& dir) {
  return parse_dpkg_status(read_guest_file(h, "/var/lib/dpkg/status", kMaxDatabaseSize, dir));
}

std::vector<Application> list_rpm(Handle& h, const TempDir& dir) {
  // Fedora 36 and later keep the database under /usr (/var/lib/rpm is a
  // symbolic link to it); older sqlite guests have it in /var/lib/rpm.
  for (const char* path : {"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite"}) {
    if (!h.is_file(path, {.followsymlinks = true})) continue;
    std::string host_path = dir.path() + "/rpmdb.sqlite";
    int64_t size = h.filesize(path);
    if (size < 0 || static_cast<uint64_t>(size) > kMaxDatabaseSize)
      throw Error(std::string(path) + ": the rpm database is too large (" + std::to_string(size) +
                  " bytes, the limit is " + std::to_string(kMaxDatabaseSize) + ")");
    h.download(path, host_path);
    struct stat st;
    if (::stat(host_path.c_str(), &st) != 0) throw Error(errno_message("stat " + host_path, errno));
    if (static_cast<uint64_t>(st.st_size) > kMaxDatabaseSize)
      throw Error(std::string(path) + ": the rpm database grew past the size limit while it was read");
    std::vector<std::string> warnings;
    std::vector<Application> apps;
    try {
      apps = read_rpm_sqlite(host_path, warnings);
    } catch (const Error& e) {
      throw Error(std::string(path) + ": " + e.what());
    }
    for (const auto& w : warnings) warn(std::string(path) + ": " + w);
    return apps;
  }
  for (const char* path : {"/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/Packages",
                           "/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages.db"}) {
    if (h.is_file(path, {.followsymlinks = true})) {
      warn(std::string(path) + ": this rpm database format (Berkeley DB or ndb) is not supported; "
           "no applications are listed");
      return {};
    }
  }
  warn("no rpm database found (/var/lib/rpm, /usr/lib/sysimage/rpm); no applications are listed");
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
    if (auto app = parse_pacman_desc(text)) apps.push_back(std::move(*app));
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

std::optional<PackageVersion> split_package_version(std::string_view text) {
  PackageVersion v;
  size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    auto epoch = parse_epoch(text.substr(0, colon));
    if (!epoch) return std::nullopt;
    v.epoch = *epoch;
    text.remove_prefix(colon + 1);
  }
  size_t dash = text.find('-');
  v.version = std::string(text.substr(0, dash));
  if (dash != std::string_view::npos) v.release = std::string(text.substr(dash + 1));
  return v;
}

std::vector<Application> parse_dpkg_status(std::string_view text) {
  std::vector<Application> apps;
  struct Record {
    std::string name, version_text, arch, url, source, summary, description;
    bool installed = false, has_version = false, in_description = false, description_started = false;
  } r;
  auto finish = [&] {
    if (r.installed && !r.name.empty() && r.has_version) {
      if (auto v = split_package_version(r.version_text)) {
        Application a = application(r.name, *v);
        a.arch = r.arch;
        a.url = r.url;
        a.source_package = r.source;
        a.summary = r.summary;
        a.description = r.description;
        apps.push_back(std::move(a));
      }
    }
    r = Record{};
  };
  for_each_line(text, [&](std::string_view line) {
    if (!line.empty() && line[0] == ' ' && r.in_description) {
      if (r.description_started) r.description += '\n';
      r.description += line.substr(1);
      r.description_started = true;
      return;
    }
    r.in_description = false;
    if (line.empty()) {
      finish();
    } else if (starts_with(line, "Package: ")) {
      r.name = line.substr(9);
    } else if (starts_with(line, "Status: ")) {
      // "want flag status": only the last word says whether it is installed
      // ("deinstall ok config-files" is removed but keeps its configuration).
      std::string_view status = line.substr(8);
      size_t space = status.find_last_of(' ');
      r.installed = status.substr(space == std::string_view::npos ? 0 : space + 1) == "installed";
    } else if (starts_with(line, "Version: ")) {
      r.version_text = line.substr(9);
      r.has_version = true;
    } else if (starts_with(line, "Architecture: ")) {
      r.arch = line.substr(14);
    } else if (starts_with(line, "Homepage: ")) {
      r.url = line.substr(10);
    } else if (starts_with(line, "Source: ")) {
      // "Source: name (version)" when the source version differs.
      std::string_view source = line.substr(8);
      r.source = source.substr(0, source.find(' '));
    } else if (starts_with(line, "Description: ")) {
      r.summary = line.substr(13);
      r.description.clear();
      r.in_description = true;
      r.description_started = false;
    }
  });
  finish();  // a last record without its blank line
  return apps;
}

std::optional<Application> parse_pacman_desc(std::string_view text) {
  std::optional<std::string> name, version, desc, arch, url;
  std::optional<std::string>* key = nullptr;
  for_each_line(text, [&](std::string_view line) {
    if (line.empty()) {
      key = nullptr;
    } else if (key) {
      *key = std::string(line);
      key = nullptr;
    } else if (line == "%NAME%") {
      key = &name;
    } else if (line == "%VERSION%") {
      key = &version;
    } else if (line == "%DESC%") {
      key = &desc;
    } else if (line == "%URL%") {
      key = &url;
    } else if (line == "%ARCH%") {
      key = &arch;
    }
  });
  if (!name || !version || !arch) return std::nullopt;
  auto v = split_package_version(*version);
  // pacman versions always carry a release ("pkgver-pkgrel").
  if (!v || v->version.empty() || v->release.empty() || version->find('-') == std::string::npos)
    return std::nullopt;
  Application a = application(*name, *v);
  a.arch = *arch;
  a.url = url.value_or("");
  a.description = desc.value_or("");
  return a;
}

std::vector<Application> parse_apk_installed(std::string_view text) {
  std::vector<Application> apps;
  struct Record {
    std::string name, arch, url, description;
    std::optional<PackageVersion> version;
    bool bad_version = false;
  } r;
  auto finish = [&] {
    if (!r.name.empty() && r.version && !r.bad_version) {
      Application a = application(r.name, *r.version);
      a.arch = r.arch;
      a.url = r.url;
      a.description = r.description;
      apps.push_back(std::move(a));
    }
    r = Record{};
  };
  for_each_line(text, [&](std::string_view line) {
    if (line.empty()) {
      finish();
      return;
    }
    if (line.size() < 2 || line[1] != ':') return;  // not "X:value"
    std::string value(line.substr(2));
    switch (line[0]) {
      case 'P': r.name = value; break;
      case 'A': r.arch = value; break;
      case 'T': r.description = value; break;
      case 'U': r.url = value; break;
      case 'V': {
        r.version = split_package_version(value);
        r.bad_version = !r.version;
        // apk writes its revision as "r3".
        if (r.version && !r.version->release.empty() && r.version->release[0] == 'r')
          r.version->release.erase(0, 1);
        break;
      }
      default: break;
    }
  });
  finish();
  return apps;
}

void sort_applications(std::vector<Application>& apps) {
  std::stable_sort(apps.begin(), apps.end(),
                   [](const Application& a, const Application& b) { return a.name < b.name; });
}

std::vector<Application> read_rpm_sqlite(const std::string& host_path, std::vector<std::string>& warnings) {
  // immutable=1: no locking, no journal or WAL lookup; the file is a private
  // copy that nobody else writes.
  std::string uri = "file:" + uri_escape(host_path) + "?immutable=1";
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK)
    throw Error(std::string("cannot open the rpm database: ") + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  // The schema is the guest's: nothing in it may run functions or change
  // anything, and no value may be huge.
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, kMaxRpmHeaderBlob);

  sqlite3_stmt* raw_stmt = nullptr;
  rc = sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &raw_stmt, nullptr);
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(raw_stmt);
  if (rc != SQLITE_OK)
    throw Error(std::string("not an rpm database (no Packages table): ") + sqlite3_errmsg(db.get()));
  std::vector<Application> apps;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    int64_t hnum = sqlite3_column_int64(stmt.get(), 0);
    const void* blob = sqlite3_column_blob(stmt.get(), 1);
    int size = sqlite3_column_bytes(stmt.get(), 1);
    try {
      rpm::HeaderFields f =
          rpm::parse_header(std::string_view(static_cast<const char*>(blob), blob ? static_cast<size_t>(size) : 0));
      Application a;
      a.name = std::move(f.name);
      a.epoch = f.epoch;
      a.version = std::move(f.version);
      a.release = std::move(f.release);
      a.arch = std::move(f.arch);
      a.url = std::move(f.url);
      a.summary = std::move(f.summary);
      a.description = std::move(f.description);
      apps.push_back(std::move(a));
    } catch (const rpm::HeaderError& e) {
      // rpm skips a damaged header too, and lists the rest.
      warnings.push_back("skipping package header " + std::to_string(hnum) + ": " + e.what());
    }
  }
  if (rc != SQLITE_DONE) throw Error(std::string("cannot read the rpm database: ") + sqlite3_errmsg(db.get()));
  return apps;
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
