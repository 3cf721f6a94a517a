// make-rpmdb PACKAGES OUT: writes an rpm database in the sqlite format that
// Fedora has shipped since release 33 (rpmdb.sqlite), holding one header per
// line of PACKAGES ("name epoch version release arch", epoch "-" for none).
// Inspection only reads names and versions, so a header carries just those
// tags, inside an immutable region as rpm itself writes it.
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// Tags and types from rpm's header format (rpmtag.h).
constexpr uint32_t kTagHeaderImmutable = 63;
constexpr uint32_t kTagName = 1000, kTagVersion = 1001, kTagRelease = 1002, kTagEpoch = 1003, kTagArch = 1022,
                   kTagSourceRpm = 1044;
constexpr uint32_t kTypeInt32 = 4, kTypeString = 6, kTypeBin = 7;
constexpr uint32_t kEntrySize = 16;

struct Package {
  std::string name, epoch, version, release, arch;
};

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

// A header blob as the Packages table stores it: entry count, data size,
// the index entries, then the data.  The first entry marks the immutable
// region; its trailer, at the end of the data, is an entry whose negative
// offset gives the size of the region's index.
std::string header_blob(const Package& p) {
  struct Entry {
    uint32_t tag, type, offset, count;
  };
  std::vector<Entry> entries;
  std::string data;
  auto add_string = [&](uint32_t tag, const std::string& value) {
    entries.push_back({tag, kTypeString, static_cast<uint32_t>(data.size()), 1});
    data += value;
    data += '\0';
  };
  add_string(kTagName, p.name);
  add_string(kTagVersion, p.version);
  add_string(kTagRelease, p.release);
  if (p.epoch != "-") {
    while (data.size() % 4) data += '\0';  // INT32 data is aligned
    entries.push_back({kTagEpoch, kTypeInt32, static_cast<uint32_t>(data.size()), 1});
    put_be32(data, static_cast<uint32_t>(std::stoul(p.epoch)));
  }
  add_string(kTagArch, p.arch);
  // Without a source package name rpm takes the header for a source package.
  add_string(kTagSourceRpm, p.name + "-" + p.version + "-" + p.release + ".src.rpm");

  uint32_t index_count = static_cast<uint32_t>(entries.size()) + 1;
  uint32_t trailer_offset = static_cast<uint32_t>(data.size());
  put_be32(data, kTagHeaderImmutable);
  put_be32(data, kTypeBin);
  put_be32(data, static_cast<uint32_t>(-static_cast<int32_t>(index_count * kEntrySize)));
  put_be32(data, kEntrySize);

  entries.insert(entries.begin(), {kTagHeaderImmutable, kTypeBin, trailer_offset, kEntrySize});
  std::string blob;
  put_be32(blob, index_count);
  put_be32(blob, static_cast<uint32_t>(data.size()));
  for (const Entry& e : entries) {
    put_be32(blob, e.tag);
    put_be32(blob, e.type);
    put_be32(blob, e.offset);
    put_be32(blob, e.count);
  }
  return blob + data;
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error(msg + " (in: " + sql + ")");
  }
}

Stmt prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string(sqlite3_errmsg(db)) + " (in: " + sql + ")");
  return Stmt(s);
}

void step_done(sqlite3* db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
}

std::vector<Package> read_packages(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<Package> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    Package p;
    if (!(words >> p.name >> p.epoch >> p.version >> p.release >> p.arch))
      throw std::runtime_error(path + ": expected 'name epoch version release arch': " + line);
    out.push_back(p);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make-rpmdb PACKAGES OUT.sqlite\n";
    return 1;
  }
  try {
    std::vector<Package> packages = read_packages(argv[1]);
    std::remove(argv[2]);
    sqlite3* raw = nullptr;
    int rc = sqlite3_open(argv[2], &raw);
    Db db(raw);
    if (rc != SQLITE_OK) throw std::runtime_error(std::string(argv[2]) + ": " + sqlite3_errmsg(raw));
    // The schema rpm's sqlite backend creates: Packages holds the headers,
    // every index table maps a key to (header number, position in the tag).
    exec(db.get(), "PRAGMA user_version = 1");
    exec(db.get(), "BEGIN");
    exec(db.get(), "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
    for (const char* index : {"Name", "Basenames", "Group", "Requirename", "Providename", "Conflictname",
                              "Obsoletename", "Triggername", "Dirnames", "Installtid", "Sigmd5", "Sha1header",
                              "Filetriggername", "Transfiletriggername", "Recommendname", "Suggestname",
                              "Supplementname", "Enhancename"}) {
      std::string keytype = std::string(index) == "Installtid" || std::string(index) == "Sigmd5" ? "BLOB" : "TEXT";
      exec(db.get(), std::string("CREATE TABLE '") + index + "' (key '" + keytype +
                         "' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, "
                         "FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))");
      exec(db.get(), std::string("CREATE INDEX '") + index + "_key_idx' ON '" + index + "'(key ASC)");
    }
    Stmt insert_pkg = prepare(db.get(), "INSERT INTO Packages (blob) VALUES (?)");
    Stmt insert_name = prepare(db.get(), "INSERT INTO Name (key, hnum, idx) VALUES (?, ?, 0)");
    for (const Package& p : packages) {
      std::string blob = header_blob(p);
      sqlite3_bind_blob(insert_pkg.get(), 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
      step_done(db.get(), insert_pkg.get());
      sqlite3_int64 hnum = sqlite3_last_insert_rowid(db.get());
      sqlite3_bind_text(insert_name.get(), 1, p.name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert_name.get(), 2, hnum);
      step_done(db.get(), insert_name.get());
    }
    exec(db.get(), "COMMIT");
  } catch (const std::exception& e) {
    std::cerr << "make-rpmdb: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
