// The package-database parsers of list_applications, on inline text and
// generated rpm headers, including truncated and garbage input.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "inspect_apps.hpp"
#include "process.hpp"
#include "rpm_header.hpp"

using vt::inspect::Application;

namespace {

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

struct TestEntry {
  uint32_t tag, type;
  std::string data;  // raw bytes, strings with their NUL
  uint32_t count = 1;
};

// A header blob: count, data size, index entries, data.
std::string make_header(const std::vector<TestEntry>& entries) {
  std::string index, data;
  for (const auto& e : entries) {
    put_be32(index, e.tag);
    put_be32(index, e.type);
    put_be32(index, static_cast<uint32_t>(data.size()));
    put_be32(index, e.count);
    data += e.data;
  }
  std::string blob;
  put_be32(blob, static_cast<uint32_t>(entries.size()));
  put_be32(blob, static_cast<uint32_t>(data.size()));
  return blob + index + data;
}

std::string str(const std::string& s) { return s + std::string(1, '\0'); }
std::string be32(uint32_t v) {
  std::string s;
  put_be32(s, v);
  return s;
}

std::string bash_header() {
  return make_header({{1000, 6, str("bash")},
                      {1001, 6, str("5.2.15")},
                      {1002, 6, str("3.fc38")},
                      {1004, 9, str("The GNU Bourne Again shell") + str("Le shell"), 2},
                      {1005, 9, str("The GNU Bourne Again shell (Bash) is a shell.")},
                      {1020, 6, str("https://www.gnu.org/software/bash")},
                      {1022, 6, str("x86_64")},
                      {1003, 4, be32(2)},
                      {1044, 6, str("bash-5.2.15-3.fc38.src.rpm")}});
}

}  // namespace

TEST(InspectAppsVersion, SplitsEpochVersionRelease) {
  auto v = vt::inspect::split_package_version("1:9.2p1-2+deb12u2");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->epoch, 1);
  EXPECT_EQ(v->version, "9.2p1");
  EXPECT_EQ(v->release, "2+deb12u2");
  v = vt::inspect::split_package_version("2.36");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->epoch, 0);
  EXPECT_EQ(v->version, "2.36");
  EXPECT_EQ(v->release, "");
  // Split at the first '-', as libguestfs splits.
  v = vt::inspect::split_package_version("1.2-3-4");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->version, "1.2");
  EXPECT_EQ(v->release, "3-4");
  EXPECT_FALSE(vt::inspect::split_package_version("x:1.0-1"));
  EXPECT_FALSE(vt::inspect::split_package_version(":1.0-1"));
  EXPECT_FALSE(vt::inspect::split_package_version("99999999999:1.0"));
  EXPECT_TRUE(vt::inspect::split_package_version("2147483647:1.0"));
  EXPECT_FALSE(vt::inspect::split_package_version("2147483648:1.0"));
}

TEST(InspectAppsDpkg, InstalledPackagesWithTheirFields) {
  const char* status =
      "Package: openssh-server\n"
      "Status: install ok installed\n"
      "Architecture: amd64\n"
      "Source: openssh (1:9.2p1-2)\n"
      "Version: 1:9.2p1-2+deb12u2\n"
      "Homepage: https://www.openssh.com/\n"
      "Description: secure shell (SSH) server\n"
      " OpenSSH is a free version of the SSH protocol.\n"
      " .\n"
      " This package provides the sshd server.\n"
      "\n"
      "Package: vim-tiny\n"
      "Status: deinstall ok config-files\n"
      "Architecture: amd64\n"
      "Version: 2:9.0.1378-2\n"
      "\n"
      "Package: half\n"
      "Status: install reinstreq half-installed\n"
      "Version: 1.0-1\n"
      "\n"
      "Package: badepoch\n"
      "Status: install ok installed\n"
      "Version: x:1.0-1\n"
      "\n"
      "Package: tzdata\n"
      "Status: install ok installed\n"
      "Architecture: all\n"
      "Version: 2024a-0+deb12u1\n"
      "Description: time zone data\n";  // last record without its blank line
  std::vector<Application> apps = vt::inspect::parse_dpkg_status(status);
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].name, "openssh-server");
  EXPECT_EQ(apps[0].epoch, 1);
  EXPECT_EQ(apps[0].version, "9.2p1");
  EXPECT_EQ(apps[0].release, "2+deb12u2");
  EXPECT_EQ(apps[0].arch, "amd64");
  EXPECT_EQ(apps[0].source_package, "openssh");
  EXPECT_EQ(apps[0].url, "https://www.openssh.com/");
  EXPECT_EQ(apps[0].summary, "secure shell (SSH) server");
  EXPECT_EQ(apps[0].description,
            "OpenSSH is a free version of the SSH protocol.\n.\nThis package provides the sshd server.");
  EXPECT_EQ(apps[1].name, "tzdata");
  EXPECT_EQ(apps[1].release, "0+deb12u1");
  EXPECT_EQ(apps[1].summary, "time zone data");
  EXPECT_EQ(apps[1].description, "");
}

TEST(InspectAppsDpkg, GarbageGivesNothing) {
  EXPECT_TRUE(vt::inspect::parse_dpkg_status("").empty());
  EXPECT_TRUE(vt::inspect::parse_dpkg_status(std::string("\0\0\n\xff\xfe Package:\n\n", 15)).empty());
  EXPECT_TRUE(vt::inspect::parse_dpkg_status(" continuation\nStatus: installed\n\n").empty());
  // A name is needed, a version too.
  EXPECT_TRUE(vt::inspect::parse_dpkg_status("Status: install ok installed\nVersion: 1\n\n").empty());
  EXPECT_TRUE(vt::inspect::parse_dpkg_status("Package: a\nStatus: install ok installed\n\n").empty());
}

TEST(InspectAppsPacman, DescFile) {
  auto app = vt::inspect::parse_pacman_desc(
      "%NAME%\nlinux\n\n%VERSION%\n1:6.6.1.arch1-1\n\n%BASE%\nlinux\n\n%DESC%\nThe Linux kernel and modules\n\n"
      "%URL%\nhttps://github.com/archlinux/linux\n\n%ARCH%\nx86_64\n\n%BUILDDATE%\n1699000000\n");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->name, "linux");
  EXPECT_EQ(app->epoch, 1);
  EXPECT_EQ(app->version, "6.6.1.arch1");
  EXPECT_EQ(app->release, "1");
  EXPECT_EQ(app->arch, "x86_64");
  EXPECT_EQ(app->url, "https://github.com/archlinux/linux");
  EXPECT_EQ(app->description, "The Linux kernel and modules");
  EXPECT_EQ(app->summary, "");
}

TEST(InspectAppsPacman, MissingFieldsOrReleaseGiveNothing) {
  EXPECT_FALSE(vt::inspect::parse_pacman_desc(""));
  EXPECT_FALSE(vt::inspect::parse_pacman_desc("%NAME%\nx\n\n%VERSION%\n1.0-1\n"));            // no arch
  EXPECT_FALSE(vt::inspect::parse_pacman_desc("%NAME%\nx\n\n%VERSION%\n1.0\n\n%ARCH%\nany\n"));  // no release
  EXPECT_FALSE(vt::inspect::parse_pacman_desc("%NAME%\nx\n\n%VERSION%\nq:1.0-1\n\n%ARCH%\nany\n"));
  EXPECT_FALSE(vt::inspect::parse_pacman_desc("%NAME%\n%VERSION%\n%ARCH%\n"));  // keys as values: no version
  EXPECT_FALSE(vt::inspect::parse_pacman_desc(std::string("\0%NAME%\n\xff", 10)));
}

TEST(InspectAppsApk, InstalledDatabase) {
  std::vector<Application> apps = vt::inspect::parse_apk_installed(
      "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nS:383152\nI:622592\nT:the musl c library\n"
      "U:https://musl.libc.org/\nL:MIT\no:musl\n\n"
      "P:busybox\nV:1.36.1-r5\nA:x86_64\nT:Size optimized toolbox\nU:https://busybox.net/\n"
      "F:bin\nR:busybox\nbroken line\nX\n");
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].name, "musl");
  EXPECT_EQ(apps[0].version, "1.2.4");
  EXPECT_EQ(apps[0].release, "2");
  EXPECT_EQ(apps[0].arch, "x86_64");
  EXPECT_EQ(apps[0].url, "https://musl.libc.org/");
  EXPECT_EQ(apps[0].description, "the musl c library");
  EXPECT_EQ(apps[1].name, "busybox");
  EXPECT_EQ(apps[1].release, "5");
  EXPECT_TRUE(vt::inspect::parse_apk_installed("P:\nV:\n\n:::\n\nV:1.0\n\n").empty());
}

TEST(InspectAppsSort, ByNameBytewiseStable) {
  std::vector<Application> apps(4);
  apps[0].name = "zlib";
  apps[1].name = "NetworkManager";
  apps[2].name = "glibc";
  apps[2].arch = "x86_64";
  apps[3].name = "glibc";
  apps[3].arch = "i686";
  vt::inspect::sort_applications(apps);
  EXPECT_EQ(apps[0].name, "NetworkManager");
  EXPECT_EQ(apps[1].arch, "x86_64");
  EXPECT_EQ(apps[2].arch, "i686");
  EXPECT_EQ(apps[3].name, "zlib");
}

TEST(InspectAppsRpmHeader, ReadsTheFieldsInspectionNeeds) {
  vt::rpm::HeaderFields f = vt::rpm::parse_header(bash_header());
  EXPECT_EQ(f.name, "bash");
  EXPECT_EQ(f.epoch, 2);
  EXPECT_EQ(f.version, "5.2.15");
  EXPECT_EQ(f.release, "3.fc38");
  EXPECT_EQ(f.arch, "x86_64");
  EXPECT_EQ(f.url, "https://www.gnu.org/software/bash");
  EXPECT_EQ(f.summary, "The GNU Bourne Again shell");
  EXPECT_EQ(f.description, "The GNU Bourne Again shell (Bash) is a shell.");
  EXPECT_EQ(f.source_rpm, "bash-5.2.15-3.fc38.src.rpm");
}

TEST(InspectAppsRpmHeader, EveryTruncationIsAnErrorNotACrash) {
  std::string blob = bash_header();
  for (size_t n = 0; n < blob.size(); ++n)
    EXPECT_THROW(vt::rpm::parse_header(std::string_view(blob.data(), n)), vt::rpm::HeaderError) << n;
}

TEST(InspectAppsRpmHeader, MalformedHeadersAreErrors) {
  using vt::rpm::HeaderError;
  using vt::rpm::parse_header;
  // Counts that promise more than the blob holds, or absurd ones.
  EXPECT_THROW(parse_header(be32(0xffffffff) + be32(0xffffffff)), HeaderError);
  EXPECT_THROW(parse_header(be32(0) + be32(0)), HeaderError);
  EXPECT_THROW(parse_header(be32(1) + be32(0x7fffffff) + std::string(64, 'x')), HeaderError);
  // A string offset outside the data; a string without its NUL.
  std::string index;
  put_be32(index, 1000);
  put_be32(index, 6);
  put_be32(index, 0x10000);
  put_be32(index, 1);
  EXPECT_THROW(parse_header(be32(1) + be32(4) + index + str("abc")), HeaderError);
  EXPECT_THROW(parse_header(make_header({{1000, 6, "abcd"}})), HeaderError);  // unterminated
  // Wrong types, unknown types, an epoch past the data.
  EXPECT_THROW(parse_header(make_header({{1000, 4, be32(1)}, {1001, 6, str("1")}, {1002, 6, str("1")}})),
               HeaderError);
  EXPECT_THROW(parse_header(make_header({{1000, 6, str("a")}, {1001, 6, str("1")}, {1002, 6, str("1")},
                                         {5000, 77, ""}})),
               HeaderError);
  EXPECT_THROW(parse_header(make_header({{1000, 6, str("a")}, {1001, 6, str("1")}, {1002, 6, str("1")},
                                         {1003, 4, "\1\2"}})),
               HeaderError);
  // No name, no version.
  EXPECT_THROW(parse_header(make_header({{1001, 6, str("1")}, {1002, 6, str("1")}})), HeaderError);
  EXPECT_THROW(parse_header(make_header({{1000, 6, str("a")}, {1002, 6, str("1")}})), HeaderError);
}

TEST(InspectAppsRpmHeader, RandomGarbageNeverCrashes) {
  uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1103515245 + 12345; };
  std::string good = bash_header();
  for (int round = 0; round < 20000; ++round) {
    std::string blob = good;
    int flips = 1 + next() % 8;
    for (int i = 0; i < flips; ++i) blob[next() % blob.size()] = static_cast<char>(next() >> 16);
    try {
      vt::rpm::parse_header(blob);
    } catch (const vt::rpm::HeaderError&) {
    }
  }
}

TEST(InspectAppsRpmSqlite, ReadsPackagesSkipsDamagedHeaders) {
  vt::TempDir dir("vt-apps-test-");
  std::string path = dir.path() + "/rpmdb.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* insert = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &insert, nullptr), SQLITE_OK);
  for (const std::string& blob : {bash_header(), std::string("garbage!"),
                                  make_header({{1000, 6, str("gpg-pubkey")}, {1001, 6, str("abc")},
                                               {1002, 6, str("def")}})}) {
    sqlite3_bind_blob(insert, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);

  std::vector<std::string> warnings;
  std::vector<Application> apps = vt::inspect::read_rpm_sqlite(path, warnings);
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].name, "bash");
  EXPECT_EQ(apps[0].epoch, 2);
  EXPECT_EQ(apps[0].summary, "The GNU Bourne Again shell");
  EXPECT_EQ(apps[0].source_package, "");  // as libguestfs: not filled for rpm
  EXPECT_EQ(apps[1].name, "gpg-pubkey");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "skipping package header 2: header has a bad entry count (1734439522)");
}

TEST(InspectAppsRpmSqlite, NotADatabaseIsAnError) {
  vt::TempDir dir("vt-apps-test-");
  std::string path = dir.path() + "/rpmdb.sqlite";
  std::vector<std::string> warnings;
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("this is not sqlite at all, just text that is long enough to look like a header", f);
    std::fclose(f);
  }
  EXPECT_THROW(vt::inspect::read_rpm_sqlite(path, warnings), vt::Error);
  // A sqlite file without the Packages table.
  std::remove(path.c_str());
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE Other (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_THROW(vt::inspect::read_rpm_sqlite(path, warnings), vt::Error);
  EXPECT_THROW(vt::inspect::read_rpm_sqlite(dir.path() + "/missing", warnings), vt::Error);
}
