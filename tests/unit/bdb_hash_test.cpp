// Berkeley DB hash databases (bdb_hash.hpp) and rpm's Packages database read
// through them (read_rpm_bdb), on files made at test time by Berkeley DB's
// own db_load (skipped where it is not installed): inline values, overflow
// chains, both byte orders, checksummed pages; then truncated, looping and
// randomly damaged files, which must give an error, never a crash.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "bdb_hash.hpp"
#include "inspect_apps.hpp"
#include "process.hpp"

namespace {

using Records = std::map<std::string, std::string>;

std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

std::string db_load_program() {
  for (const char* name : {"db_load", "db5.3_load"}) {
    std::string path = vt::find_program(name);
    if (!path.empty()) return path;
  }
  return "";
}

// The bytes of a database that db_load made from `records`, with db_load's
// "-c name=value" options (db_pagesize, db_lorder, chksum).
std::string make_database(const Records& records, const std::vector<std::string>& options,
                          const std::string& type = "hash") {
  vt::TempDir dir("vt-bdb-test-");
  std::string input = "VERSION=3\nformat=bytevalue\ntype=" + type + "\nHEADER=END\n";
  for (const auto& [key, value] : records) input += " " + hex(key) + "\n " + hex(value) + "\n";
  input += "DATA=END\n";
  std::string path = dir.path() + "/db";
  std::vector<std::string> argv = {db_load_program()};
  for (const std::string& o : options) {
    argv.push_back("-c");
    argv.push_back(o);
  }
  argv.push_back(path);
  vt::CommandResult result = vt::run_command(argv, input);
  if (result.status != 0) throw std::runtime_error("db_load failed: " + result.err);
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

#define REQUIRE_DB_LOAD() \
  if (db_load_program().empty()) GTEST_SKIP() << "db_load (Berkeley DB utilities) is not installed"

Records as_map(const vt::bdb::HashDatabase& db) {
  Records out;
  for (const auto& r : db.records) out[r.key] = r.value;
  return out;
}

// Keys as rpm writes them: 32-bit header numbers in the machine's order.
std::string key32(uint32_t n, bool big_endian = false) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    int shift = big_endian ? 24 - 8 * i : 8 * i;
    out += static_cast<char>((n >> shift) & 0xff);
  }
  return out;
}

// Values of many sizes: a few bytes, about a page, several pages.
Records mixed_records(size_t count) {
  Records out;
  for (size_t i = 0; i < count; ++i) {
    std::string value;
    size_t size = (i * 397) % 3000 + (i % 5 == 0 ? 9000 : 1);
    for (size_t j = 0; j < size; ++j) value += static_cast<char>('a' + (i + j * 7) % 26);
    out[key32(static_cast<uint32_t>(i))] = value;
  }
  return out;
}

uint32_t get32(const std::string& bytes, size_t at, bool big_endian = false) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<uint8_t>(bytes[at + (big_endian ? i : 3 - i)]);
  return v;
}
void set32(std::string& bytes, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

TEST(BdbHash, InlineValues) {
  REQUIRE_DB_LOAD();
  Records records;
  for (uint32_t i = 0; i < 300; ++i) records[key32(i)] = "value " + std::to_string(i * i);
  records[key32(1000)] = "";  // an empty value
  vt::bdb::HashDatabase db = vt::bdb::read_hash_database(make_database(records, {}));
  EXPECT_FALSE(db.big_endian);
  EXPECT_EQ(db.records.size(), records.size());
  EXPECT_EQ(as_map(db), records);
}

TEST(BdbHash, OverflowChainsAndSmallPages) {
  REQUIRE_DB_LOAD();
  Records records = mixed_records(80);
  for (const char* page_size : {"db_pagesize=512", "db_pagesize=4096", "db_pagesize=65536"}) {
    vt::bdb::HashDatabase db = vt::bdb::read_hash_database(make_database(records, {page_size}));
    EXPECT_EQ(as_map(db), records) << page_size;
  }
}

TEST(BdbHash, BigEndianAndChecksummedFiles) {
  REQUIRE_DB_LOAD();
  Records records = mixed_records(40);
  vt::bdb::HashDatabase big = vt::bdb::read_hash_database(make_database(records, {"db_pagesize=512", "db_lorder=4321"}));
  EXPECT_TRUE(big.big_endian);
  EXPECT_EQ(as_map(big), records);
  vt::bdb::HashDatabase sums = vt::bdb::read_hash_database(make_database(records, {"db_pagesize=1024", "chksum=1"}));
  EXPECT_EQ(as_map(sums), records);
}

TEST(BdbHash, OtherFilesAreErrors) {
  REQUIRE_DB_LOAD();
  using vt::bdb::FormatError;
  using vt::bdb::read_hash_database;
  EXPECT_THROW(read_hash_database(""), FormatError);
  EXPECT_THROW(read_hash_database(std::string(8192, 'x')), FormatError);
  try {
    read_hash_database(make_database({{"k", "v"}}, {}, "btree"));
    FAIL() << "a btree was read";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "a Berkeley DB btree database, not a hash database");
  }
  std::string good = make_database({{"k", "v"}}, {"db_pagesize=512"});
  std::string bad = good;
  bad[24] = 1;  // encrypted
  EXPECT_THROW(read_hash_database(bad), FormatError);
  bad = good;
  set32(bad, 20, 1000);  // not a power of two
  EXPECT_THROW(read_hash_database(bad), FormatError);
  bad = good;
  set32(bad, 32, 0xffffffff);  // last page far past the end
  EXPECT_THROW(read_hash_database(bad), FormatError);
}

TEST(BdbHash, PagesPastAStaleLastPageAreRead) {
  REQUIRE_DB_LOAD();
  // A guest stopped uncleanly can have pages that its metadata page does not
  // count yet.
  Records records = mixed_records(20);
  std::string bytes = make_database(records, {"db_pagesize=512"});
  ASSERT_GT(bytes.size() / 512, 10u);
  set32(bytes, 32, 1);
  EXPECT_EQ(as_map(vt::bdb::read_hash_database(bytes)), records);
}

TEST(BdbHash, DuplicateSetsAreSkippedAndUnsortedPagesRead) {
  REQUIRE_DB_LOAD();
  // db_load loads the dump's records in order, so a key given twice gets a
  // duplicate set (inline, or in pages of its own when it is large).
  vt::TempDir dir("vt-bdb-test-");
  std::string input = "VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\n"
                      " 01\n 6161\n 01\n 6262\n 02\n 6363\n 03\n " + std::string(6000, '6') + "\n 03\n 65\nDATA=END\n";
  std::string path = dir.path() + "/db";
  ASSERT_TRUE(vt::run_command({db_load_program(), "-c", "duplicates=1", "-c", "db_pagesize=512", path}, input).ok());
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  vt::bdb::HashDatabase db = vt::bdb::read_hash_database(bytes);
  EXPECT_EQ(as_map(db), (Records{{"\x02", "cc"}}));
  EXPECT_EQ(db.skipped_duplicates, 2u);
  // Hash pages from before Berkeley DB 4.6 (type 2, unsorted) read the same.
  std::string plain = make_database(mixed_records(20), {"db_pagesize=512"});
  for (size_t pgno = 1; pgno < plain.size() / 512; ++pgno)
    if (plain[pgno * 512 + 25] == 13) plain[pgno * 512 + 25] = 2;
  EXPECT_EQ(as_map(vt::bdb::read_hash_database(plain)), mixed_records(20));
}

TEST(BdbHash, EveryTruncationIsAnError) {
  REQUIRE_DB_LOAD();
  std::string good = make_database(mixed_records(12), {"db_pagesize=512"});
  ASSERT_NO_THROW(vt::bdb::read_hash_database(good));
  for (size_t n = 0; n < good.size(); n += 7) {
    try {
      vt::bdb::read_hash_database(std::string_view(good.data(), n));
      ADD_FAILURE() << "a file cut to " << n << " bytes was read";
    } catch (const vt::bdb::FormatError& e) {
      if (n >= 512) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
      }
    }
  }
}

// Finds the first overflow page of `bytes` (page size 512): its number.
uint32_t first_overflow_page(const std::string& bytes) {
  for (uint32_t pgno = 1; pgno < bytes.size() / 512; ++pgno)
    if (static_cast<uint8_t>(bytes[pgno * 512 + 25]) == 7) return pgno;
  return 0;
}

TEST(BdbHash, LoopingAndBrokenOverflowChains) {
  REQUIRE_DB_LOAD();
  std::string good = make_database({{key32(1), std::string(5000, 'z')}}, {"db_pagesize=512"});
  ASSERT_EQ(as_map(vt::bdb::read_hash_database(good)).at(key32(1)), std::string(5000, 'z'));
  uint32_t first = first_overflow_page(good);
  ASSERT_NE(first, 0u);
  uint32_t second = get32(good, first * 512 + 16);
  ASSERT_NE(second, 0u);
  auto error_of = [](const std::string& bytes) -> std::string {
    try {
      vt::bdb::read_hash_database(bytes);
    } catch (const vt::bdb::FormatError& e) {
      return e.what();
    }
    return "no error";
  };
  // The second page leads back to the first: too many bytes for the item.
  std::string bad = good;
  set32(bad, second * 512 + 16, first);
  EXPECT_NE(error_of(bad).find("longer than its item says"), std::string::npos) << error_of(bad);
  // A loop of empty pages adds no bytes: only counting pages finds it.
  bad = good;
  set32(bad, second * 512 + 16, second);
  bad[second * 512 + 22] = bad[second * 512 + 23] = 0;
  EXPECT_NE(error_of(bad).find("loops"), std::string::npos) << error_of(bad);
  // A chain leaving the file, reaching page 0 or a non-overflow page, ending early.
  bad = good;
  set32(bad, first * 512 + 16, 99999);
  EXPECT_NE(error_of(bad).find("outside the file"), std::string::npos) << error_of(bad);
  bad = good;
  bad[second * 512 + 25] = 13;
  EXPECT_NE(error_of(bad).find("not an overflow page"), std::string::npos) << error_of(bad);
  bad = good;
  set32(bad, second * 512 + 16, 0);
  EXPECT_NE(error_of(bad).find("its item says"), std::string::npos) << error_of(bad);
  bad = good;
  bad[first * 512 + 22] = static_cast<char>(0xff);
  bad[first * 512 + 23] = static_cast<char>(0xff);
  EXPECT_NE(error_of(bad).find("claims"), std::string::npos) << error_of(bad);
}

TEST(BdbHash, SharedOverflowChainsCannotMultiplyTheOutput) {
  REQUIRE_DB_LOAD();
  // One long value and many short overflow values; then every overflow item
  // is pointed at the long value's chain, which would give 40 copies of it.
  Records records;
  records[key32(0)] = std::string(30000, 'L');
  for (uint32_t i = 1; i <= 40; ++i) records[key32(i)] = std::string(300, 's');
  std::string bytes = make_database(records, {"db_pagesize=512"});
  ASSERT_EQ(as_map(vt::bdb::read_hash_database(bytes)), records);
  std::vector<size_t> offpage_items;
  uint32_t long_chain = 0;
  for (size_t pgno = 1; pgno < bytes.size() / 512; ++pgno) {
    size_t base = pgno * 512;
    if (bytes[base + 25] != 13) continue;
    uint16_t entries = static_cast<uint8_t>(bytes[base + 20]) | static_cast<uint8_t>(bytes[base + 21]) << 8;
    for (uint16_t i = 1; i < entries; i += 2) {
      size_t at = base + (static_cast<uint8_t>(bytes[base + 26 + 2 * i]) |
                          static_cast<uint8_t>(bytes[base + 27 + 2 * i]) << 8);
      if (bytes[at] != 3) continue;
      offpage_items.push_back(at);
      if (get32(bytes, at + 8) == 30000) long_chain = get32(bytes, at + 4);
    }
  }
  ASSERT_NE(long_chain, 0u);
  ASSERT_GT(offpage_items.size(), 30u);
  for (size_t at : offpage_items) {
    set32(bytes, at + 4, long_chain);
    set32(bytes, at + 8, 30000);
  }
  try {
    vt::bdb::read_hash_database(bytes);
    FAIL() << "shared chains were read";
  } catch (const vt::bdb::FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "the items add up to more bytes than the file holds");
  }
}

// Many items leading into one long chain of empty overflow pages: no item
// gives a byte, so the output bound does not stop them, and each walked the
// whole chain (items x pages steps; a 256 MiB file would take hours).  The
// file is made by hand: 512-byte pages, 64 hash pages of 23 items each, then
// a chain of 1024 empty overflow pages.
TEST(BdbHash, ItemsSharingALongChainOfEmptyPagesAreAnError) {
  constexpr size_t kPage = 512, kHashPages = 64, kChainPages = 1024, kPairs = 23;
  const size_t pages = 1 + kHashPages + kChainPages;
  std::string bytes(pages * kPage, '\0');
  auto set16 = [&](size_t at, uint16_t v) {
    bytes[at] = static_cast<char>(v & 0xff);
    bytes[at + 1] = static_cast<char>(v >> 8);
  };
  set32(bytes, 12, 0x061561);  // hash magic, little-endian
  set32(bytes, 16, 9);         // version
  set32(bytes, 20, kPage);
  bytes[25] = 8;  // hash metadata page
  set32(bytes, 32, static_cast<uint32_t>(pages - 1));
  const uint32_t chain = 1 + kHashPages;
  for (size_t p = 1; p <= kHashPages; ++p) {
    size_t base = p * kPage;
    set32(bytes, base + 8, static_cast<uint32_t>(p));
    set16(base + 20, 2 * kPairs);
    bytes[base + 25] = 13;
    size_t end = kPage;
    for (size_t i = 0; i < kPairs; ++i) {
      size_t key = end - 5, data = key - 12;
      bytes[base + key] = 1;  // inline key: a header number
      set32(bytes, base + key + 1, static_cast<uint32_t>(p * kPairs + i));
      bytes[base + data] = 3;  // off-page data: first page, total length 0
      set32(bytes, base + data + 4, chain);
      set32(bytes, base + data + 8, 0);
      set16(base + 26 + 4 * i, static_cast<uint16_t>(key));
      set16(base + 28 + 4 * i, static_cast<uint16_t>(data));
      end = data;
    }
  }
  for (size_t p = chain; p < pages; ++p) {
    size_t base = p * kPage;
    set32(bytes, base + 8, static_cast<uint32_t>(p));
    set32(bytes, base + 16, p + 1 < pages ? static_cast<uint32_t>(p + 1) : 0);
    bytes[base + 25] = 7;  // overflow page holding 0 bytes
  }
  try {
    vt::bdb::read_hash_database(bytes);
    FAIL() << "every item walked the whole chain";
  } catch (const vt::bdb::FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "the overflow chains visit more pages than the file holds");
  }
}

TEST(BdbHash, RandomDamageNeverCrashes) {
  REQUIRE_DB_LOAD();
  std::vector<std::string> goods = {make_database(mixed_records(30), {"db_pagesize=512"}),
                                    make_database(mixed_records(30), {"db_pagesize=512", "db_lorder=4321"})};
  uint32_t seed = 4242;
  auto next = [&] { return seed = seed * 1103515245 + 12345; };
  int read = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string bytes = goods[round % 2];
    int flips = 1 + next() % 8;
    for (int i = 0; i < flips; ++i) {
      // Half the damage in page headers and item offsets, where it matters.
      size_t page = next() % (bytes.size() / 512);
      size_t at = page * 512 + (next() % 2 ? next() % 64 : next() % 512);
      bytes[at] = static_cast<char>(next() >> 16);
    }
    try {
      vt::bdb::HashDatabase db = vt::bdb::read_hash_database(bytes);
      size_t total = 0;
      for (const auto& r : db.records) total += r.key.size() + r.value.size();
      EXPECT_LE(total, bytes.size());
      ++read;
    } catch (const vt::bdb::FormatError&) {
    }
  }
  EXPECT_GT(read, 0);  // damage in values alone leaves a readable file
}

// --- rpm's Packages ------------------------------------------------------

namespace {

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

// An rpm header blob: entry count, data size, index entries, data; string
// entries (tag, value) and an optional epoch.
std::string rpm_header(const std::vector<std::pair<uint32_t, std::string>>& strings, int epoch = -1) {
  std::string index, data;
  auto entry = [&](uint32_t tag, uint32_t type, uint32_t count) {
    put_be32(index, tag);
    put_be32(index, type);
    put_be32(index, static_cast<uint32_t>(data.size()));
    put_be32(index, count);
  };
  for (const auto& [tag, value] : strings) {
    entry(tag, 6, 1);
    data += value;
    data += '\0';
  }
  if (epoch >= 0) {
    while (data.size() % 4) data += '\0';
    entry(1003, 4, 1);
    put_be32(data, static_cast<uint32_t>(epoch));
  }
  std::string blob;
  put_be32(blob, static_cast<uint32_t>(index.size() / 16));
  put_be32(blob, static_cast<uint32_t>(data.size()));
  return blob + index + data;
}

std::string bash_header() {
  return rpm_header({{1000, "bash"},
                     {1001, "4.4.20"},
                     {1002, "1.el8_4"},
                     {1022, "x86_64"},
                     {1020, "https://www.gnu.org/software/bash"},
                     {1004, "The GNU Bourne Again shell"},
                     {1005, std::string(3000, 'd')}},  // long enough for overflow pages
                    1);
}

}  // namespace

TEST(RpmBdb, ListsPackagesAsTheSqliteDatabaseDoes) {
  REQUIRE_DB_LOAD();
  for (bool big_endian : {false, true}) {
    Records records;
    records[key32(0, big_endian)] = key32(4, big_endian);  // rpm's next header number
    records[key32(1, big_endian)] = bash_header();
    records[key32(2, big_endian)] = "garbage!";
    records[key32(3, big_endian)] = rpm_header({{1000, "gpg-pubkey"}, {1001, "abc"}, {1002, "def"}});
    std::vector<std::string> options = {"db_pagesize=512"};
    if (big_endian) options.push_back("db_lorder=4321");
    std::vector<std::string> warnings;
    std::vector<vt::inspect::Application> apps = vt::inspect::read_rpm_bdb(make_database(records, options), warnings);
    ASSERT_EQ(apps.size(), 2u);
    EXPECT_EQ(apps[0].name, "bash");
    EXPECT_EQ(apps[0].epoch, 1);
    EXPECT_EQ(apps[0].version, "4.4.20");
    EXPECT_EQ(apps[0].release, "1.el8_4");
    EXPECT_EQ(apps[0].arch, "x86_64");
    EXPECT_EQ(apps[0].url, "https://www.gnu.org/software/bash");
    EXPECT_EQ(apps[0].summary, "The GNU Bourne Again shell");
    EXPECT_EQ(apps[0].description, std::string(3000, 'd'));
    EXPECT_EQ(apps[0].source_package, "");
    EXPECT_EQ(apps[1].name, "gpg-pubkey");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], "skipping package header 2: header has a bad entry count (1734439522)");
  }
}

TEST(RpmBdb, ManyDamagedHeadersAndOddKeys) {
  REQUIRE_DB_LOAD();
  Records records;
  for (uint32_t i = 1; i <= 15; ++i) records[key32(i)] = "text";
  records["odd key"] = bash_header();
  std::vector<std::string> warnings;
  EXPECT_TRUE(vt::inspect::read_rpm_bdb(make_database(records, {}), warnings).empty());
  ASSERT_EQ(warnings.size(), 12u);
  EXPECT_EQ(warnings[0], "skipped 1 records whose keys are not header numbers");
  EXPECT_EQ(warnings[1], "skipping package header 1: header is truncated (4 bytes)");
  EXPECT_EQ(warnings[11], "skipped 5 more damaged package headers");
}

TEST(RpmBdb, NotADatabaseIsAnError) {
  std::vector<std::string> warnings;
  try {
    vt::inspect::read_rpm_bdb(std::string(4096, '\0'), warnings);
    FAIL() << "zeros were read";
  } catch (const vt::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "not a readable rpm database (Berkeley DB): not a Berkeley DB hash database (magic number 0x0)");
  }
}

TEST(RpmBdb, RandomDamageNeverCrashes) {
  REQUIRE_DB_LOAD();
  Records records;
  records[key32(0)] = key32(30);
  for (uint32_t i = 1; i < 30; ++i) records[key32(i)] = bash_header();
  std::string good = make_database(records, {"db_pagesize=1024"});
  uint32_t seed = 99;
  auto next = [&] { return seed = seed * 1103515245 + 12345; };
  int listed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = good;
    for (int i = 0, flips = 1 + next() % 6; i < flips; ++i)
      bytes[next() % bytes.size()] = static_cast<char>(next() >> 16);
    std::vector<std::string> warnings;
    try {
      listed += !vt::inspect::read_rpm_bdb(bytes, warnings).empty();
    } catch (const vt::Error&) {
    }
    EXPECT_LE(warnings.size(), 13u);
  }
  EXPECT_GT(listed, 0);
}
