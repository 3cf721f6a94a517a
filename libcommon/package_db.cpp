// The package-database parsers of list_applications (inspect_apps.hpp):
// dpkg status, pacman desc, apk installed, rpm's sqlite and Berkeley DB
// databases.
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "bdb_hash.hpp"
#include "errors.hpp"
#include "inspect_apps.hpp"
#include "rpm_header.hpp"

namespace vt::inspect {

namespace {

// Real systems have a few thousand packages; a database claiming more than
// this is not believable, and would make us hold gigabytes.
constexpr size_t kMaxApplications = 100000;
// Damaged rpm headers reported one by one; the rest only counted.
constexpr size_t kMaxHeaderWarnings = 10;
// One rpm header: rpm's own limit for header data is 256 MiB, real ones are < 1 MiB.
constexpr int kMaxRpmHeaderBlob = 64 * 1024 * 1024;

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

// Package headers turned into Applications, the same for every rpm database
// format.  A damaged header is skipped with a warning (the first few one by
// one, the rest counted), as rpm skips it too and lists the rest.
class RpmHeaderList {
 public:
  explicit RpmHeaderList(std::vector<std::string>& warnings) : warnings_(warnings) {}

  void add(std::string_view blob, int64_t number) {
    try {
      if (blob.size() > static_cast<size_t>(kMaxRpmHeaderBlob))
        throw rpm::HeaderError("header is too large (" + std::to_string(blob.size()) + " bytes)");
      rpm::HeaderFields f = rpm::parse_header(blob);
      Application a;
      a.name = std::move(f.name);
      a.epoch = f.epoch;
      a.version = std::move(f.version);
      a.release = std::move(f.release);
      a.arch = std::move(f.arch);
      a.url = std::move(f.url);
      a.summary = std::move(f.summary);
      a.description = std::move(f.description);
      add_application(apps_, std::move(a));
    } catch (const rpm::HeaderError& e) {
      if (++damaged_ <= kMaxHeaderWarnings)
        warnings_.push_back("skipping package header " + std::to_string(number) + ": " + e.what());
    }
  }

  std::vector<Application> finish() {
    if (damaged_ > kMaxHeaderWarnings)
      warnings_.push_back("skipped " + std::to_string(damaged_ - kMaxHeaderWarnings) +
                          " more damaged package headers");
    return std::move(apps_);
  }

 private:
  std::vector<std::string>& warnings_;
  std::vector<Application> apps_;
  size_t damaged_ = 0;
};

}  // namespace

void add_application(std::vector<Application>& apps, Application app) {
  if (apps.size() >= kMaxApplications)
    throw Error("the package database lists more than " + std::to_string(kMaxApplications) +
                " packages; it is not believable");
  apps.push_back(std::move(app));
}

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
        add_application(apps, std::move(a));
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
    } else if (line.starts_with("Package: ")) {
      r.name = line.substr(9);
    } else if (line.starts_with("Status: ")) {
      // "want flag status": only the last word says whether it is installed
      // ("deinstall ok config-files" is removed but keeps its configuration).
      std::string_view status = line.substr(8);
      size_t space = status.find_last_of(' ');
      r.installed = status.substr(space == std::string_view::npos ? 0 : space + 1) == "installed";
    } else if (line.starts_with("Version: ")) {
      r.version_text = line.substr(9);
      r.has_version = true;
    } else if (line.starts_with("Architecture: ")) {
      r.arch = line.substr(14);
    } else if (line.starts_with("Homepage: ")) {
      r.url = line.substr(10);
    } else if (line.starts_with("Source: ")) {
      // "Source: name (version)" when the source version differs.
      std::string_view source = line.substr(8);
      r.source = source.substr(0, source.find(' '));
    } else if (line.starts_with("Description: ")) {
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
      add_application(apps, std::move(a));
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
  RpmHeaderList headers(warnings);
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    int64_t hnum = sqlite3_column_int64(stmt.get(), 0);
    const void* blob = sqlite3_column_blob(stmt.get(), 1);
    int size = sqlite3_column_bytes(stmt.get(), 1);
    headers.add(std::string_view(static_cast<const char*>(blob), blob ? static_cast<size_t>(size) : 0), hnum);
  }
  if (rc != SQLITE_DONE) throw Error(std::string("cannot read the rpm database: ") + sqlite3_errmsg(db.get()));
  return headers.finish();
}

std::vector<Application> read_rpm_bdb(std::string_view file, std::vector<std::string>& warnings) {
  bdb::HashDatabase db;
  try {
    db = bdb::read_hash_database(file);
  } catch (const bdb::FormatError& e) {
    throw Error(std::string("not a readable rpm database (Berkeley DB): ") + e.what());
  }
  // Keys are header numbers, 32-bit in the byte order of the machine that
  // wrote them, which is the database's.  Header 0 is no package: rpm keeps
  // the next free header number there.
  struct Numbered {
    uint32_t number;
    const std::string* blob;
  };
  std::vector<Numbered> numbered;
  size_t bad_keys = 0;
  for (const bdb::HashRecord& r : db.records) {
    if (r.key.size() != 4) {
      ++bad_keys;
      continue;
    }
    uint32_t number = 0;
    for (int i = 0; i < 4; ++i) {
      auto byte = static_cast<uint8_t>(r.key[db.big_endian ? i : 3 - i]);
      number = number << 8 | byte;
    }
    if (number == 0) continue;
    numbered.push_back({number, &r.value});
  }
  if (bad_keys)
    warnings.push_back("skipped " + std::to_string(bad_keys) + " records whose keys are not header numbers");
  if (db.skipped_duplicates)
    warnings.push_back("skipped " + std::to_string(db.skipped_duplicates) + " records with duplicate data");
  // The hash order is arbitrary: read them in rpm's order, as sqlite's hnum.
  std::stable_sort(numbered.begin(), numbered.end(),
                   [](const Numbered& a, const Numbered& b) { return a.number < b.number; });
  RpmHeaderList headers(warnings);
  for (const Numbered& n : numbered) headers.add(*n.blob, n.number);
  return headers.finish();
}

}  // namespace vt::inspect
