// Berkeley DB hash databases (bdb_hash.hpp).  The facts of the format, as
// Berkeley DB 4.x/5.x write it (checked against files made by db_load 5.3):
//
// The file is a sequence of pages of one size.  Page 0 is the metadata page:
// magic 0x061561 at byte 12 in the file's byte order (which says the order
// of every number in the page headers), version at 16, page size at 20,
// encryption algorithm at 24, page type (8: hash metadata) at 25, flags at 26
// (bit 0: pages carry checksums), last page number at 32, database flags at
// 48.  Every page starts with a header: lsn (8 bytes), page number (4),
// previous and next page (4 each), entry count (2) at 20, hf_offset (2) at
// 22, level (1) at 24, type (1) at 25; checksummed files add 6 bytes to it.
//
// Hash pages (type 13, or 2 before sorted pages existed) hold `entries`
// 2-byte item offsets after the header; items alternate key, data, and are
// packed from the page's end, so item i spans from its offset to item i-1's
// (the page's end for item 0).  An item's first byte is its type: 1, the
// bytes follow; 3, the bytes are elsewhere (3 bytes padding, first overflow
// page, total length); 2 and 4 are duplicate sets, which rpm does not use.
// Overflow pages (type 7) chain through their next-page field and carry
// hf_offset bytes of the value after the header.
#include "bdb_hash.hpp"

#include <algorithm>
#include <cstdint>

namespace vt::bdb {

namespace {

constexpr uint32_t kHashMagic = 0x061561;
constexpr uint32_t kBtreeMagic = 0x053162;
constexpr uint32_t kQueueMagic = 0x042253;

constexpr uint8_t kPageHashUnsorted = 2;
constexpr uint8_t kPageOverflow = 7;
constexpr uint8_t kPageHashMeta = 8;
constexpr uint8_t kPageHash = 13;

constexpr uint8_t kItemKeyData = 1;
constexpr uint8_t kItemDuplicate = 2;
constexpr uint8_t kItemOffPage = 3;
constexpr uint8_t kItemOffDuplicate = 4;

constexpr size_t kPageHeaderSize = 26;
constexpr size_t kChecksumSize = 6;  // 2 bytes padding, 4 bytes checksum
constexpr size_t kOffPageItemSize = 12;

constexpr uint8_t kMetaChecksum = 0x01;
constexpr uint8_t kMetaPartitioned = 0x02 | 0x04;
constexpr uint32_t kHashSubdatabases = 0x02;

constexpr uint32_t kMinPageSize = 512;
constexpr uint32_t kMaxPageSize = 65536;

std::string hex(uint32_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), digits[value & 0xf]);
    value >>= 4;
  } while (value);
  return "0x" + out;
}

class Reader {
 public:
  Reader(std::string_view file, bool big_endian) : file_(file), big_endian_(big_endian) {}

  uint8_t u8(size_t offset) const {
    check(offset, 1);
    return static_cast<uint8_t>(file_[offset]);
  }
  uint16_t u16(size_t offset) const { return static_cast<uint16_t>(number(offset, 2)); }
  uint32_t u32(size_t offset) const { return number(offset, 4); }
  std::string_view bytes(size_t offset, size_t size) const {
    check(offset, size);
    return file_.substr(offset, size);
  }

 private:
  void check(size_t offset, size_t size) const {
    if (offset > file_.size() || size > file_.size() - offset)
      throw FormatError("read past the end of the file at byte " + std::to_string(offset));
  }
  uint32_t number(size_t offset, size_t size) const {
    check(offset, size);
    uint32_t value = 0;
    for (size_t i = 0; i < size; ++i) {
      auto byte = static_cast<uint8_t>(file_[offset + (big_endian_ ? i : size - 1 - i)]);
      value = value << 8 | byte;
    }
    return value;
  }
  std::string_view file_;
  bool big_endian_;
};

class Parser {
 public:
  explicit Parser(std::string_view file) : file_(file), r_(file, false) {}

  HashDatabase parse() {
    read_meta();
    for (uint32_t pgno = 1; pgno < page_count_; ++pgno) {
      uint8_t type = r_.u8(page(pgno) + 25);
      if (type == kPageHash || type == kPageHashUnsorted) read_hash_page(pgno);
    }
    return std::move(db_);
  }

 private:
  size_t page(uint32_t pgno) const { return static_cast<size_t>(pgno) * page_size_; }

  void read_meta() {
    if (file_.size() < 512) throw FormatError("not a Berkeley DB database: the file is too short");
    Reader little(file_, false), big(file_, true);
    uint32_t magic = little.u32(12);
    if (magic != kHashMagic) {
      magic = big.u32(12);
      if (magic != kHashMagic) {
        uint32_t any = little.u32(12);
        if (any == kBtreeMagic || big.u32(12) == kBtreeMagic)
          throw FormatError("a Berkeley DB btree database, not a hash database");
        if (any == kQueueMagic || big.u32(12) == kQueueMagic)
          throw FormatError("a Berkeley DB queue database, not a hash database");
        throw FormatError("not a Berkeley DB hash database (magic number " + hex(little.u32(12)) + ")");
      }
      db_.big_endian = true;
    }
    r_ = Reader(file_, db_.big_endian);
    uint32_t version = r_.u32(16);
    if (version < 7 || version > 10)
      throw FormatError("unsupported Berkeley DB hash version " + std::to_string(version));
    page_size_ = r_.u32(20);
    if (page_size_ < kMinPageSize || page_size_ > kMaxPageSize || (page_size_ & (page_size_ - 1)))
      throw FormatError("bad page size " + std::to_string(page_size_));
    if (r_.u8(24) != 0) throw FormatError("the database is encrypted");
    if (r_.u8(25) != kPageHashMeta)
      throw FormatError("page 0 is not a hash metadata page (type " + std::to_string(r_.u8(25)) + ")");
    uint8_t meta_flags = r_.u8(26);
    if (meta_flags & kMetaPartitioned) throw FormatError("partitioned databases are not supported");
    if (meta_flags & kMetaChecksum) header_size_ += kChecksumSize;
    if (r_.u32(48) & kHashSubdatabases)
      throw FormatError("the file holds several databases; only single-database files are supported");
    uint32_t last_pgno = r_.u32(32);
    // The file ends at its last page; anything shorter was cut off.
    if (static_cast<uint64_t>(last_pgno) + 1 > file_.size() / page_size_)
      throw FormatError("the file is truncated: its last page is " + std::to_string(last_pgno) + " but it holds " +
                        std::to_string(file_.size() / page_size_) + " pages of " + std::to_string(page_size_) +
                        " bytes");
    // Pages past it are read too: a guest that was not shut down cleanly
    // may have written them without updating the metadata page.
    page_count_ = static_cast<uint32_t>(std::min<uint64_t>(file_.size() / page_size_, UINT32_MAX));
  }

  // The bytes [begin, end) of item `index` on the hash page at `base`.
  std::string_view item(size_t base, uint32_t pgno, uint16_t entries, uint16_t index) const {
    size_t first_free = header_size_ + 2 * static_cast<size_t>(entries);
    size_t begin = r_.u16(base + header_size_ + 2 * index);
    size_t end = index == 0 ? page_size_ : r_.u16(base + header_size_ + 2 * (index - 1));
    if (begin < first_free || begin >= end || end > page_size_)
      throw FormatError("page " + std::to_string(pgno) + ": item " + std::to_string(index) +
                        " has a bad offset (" + std::to_string(begin) + ")");
    return r_.bytes(base + begin, end - begin);
  }

  void read_hash_page(uint32_t pgno) {
    size_t base = page(pgno);
    if (r_.u32(base + 8) != pgno)
      throw FormatError("page " + std::to_string(pgno) + " says it is page " + std::to_string(r_.u32(base + 8)));
    uint16_t entries = r_.u16(base + 20);
    if (entries % 2 != 0 || header_size_ + 2 * static_cast<size_t>(entries) > page_size_)
      throw FormatError("page " + std::to_string(pgno) + ": bad item count " + std::to_string(entries));
    for (uint16_t i = 0; i < entries; i += 2) {
      std::string_view key = item(base, pgno, entries, i);
      std::string_view data = item(base, pgno, entries, i + 1);
      auto key_type = static_cast<uint8_t>(key[0]), data_type = static_cast<uint8_t>(data[0]);
      if (key_type != kItemKeyData && key_type != kItemOffPage)
        throw FormatError("page " + std::to_string(pgno) + ": item " + std::to_string(i) +
                          " has a bad key type " + std::to_string(key_type));
      if (data_type == kItemDuplicate || data_type == kItemOffDuplicate) {
        ++db_.skipped_duplicates;
        continue;
      }
      if (data_type != kItemKeyData && data_type != kItemOffPage)
        throw FormatError("page " + std::to_string(pgno) + ": item " + std::to_string(i + 1) +
                          " has a bad type " + std::to_string(data_type));
      HashRecord record;
      record.key = value(pgno, key);
      record.value = value(pgno, data);
      db_.records.push_back(std::move(record));
    }
  }

  // An item's bytes: inline, or gathered from its overflow chain.
  std::string value(uint32_t pgno, std::string_view item) {
    std::string out;
    if (static_cast<uint8_t>(item[0]) == kItemKeyData) {
      out = item.substr(1);
    } else {
      if (item.size() != kOffPageItemSize)
        throw FormatError("page " + std::to_string(pgno) + ": an overflow reference of " +
                          std::to_string(item.size()) + " bytes");
      size_t at = static_cast<size_t>(item.data() - file_.data());
      out = overflow_chain(r_.u32(at + 4), r_.u32(at + 8));
    }
    // A sound file holds every byte it gives once: more means overflow
    // chains that are shared between items, which could give gigabytes.
    output_size_ += out.size();
    if (output_size_ > file_.size()) throw FormatError("the items add up to more bytes than the file holds");
    // Likewise for pages: a sound file's chains are disjoint, so together
    // they visit each page at most once.  A chain of empty overflow pages
    // gives no bytes, and many items leading into one cost items x pages
    // steps (hours for a 256 MiB file; seen reading the code for
    // tests/fuzz/fuzz_bdb, whose inputs are too small to time out).  Each
    // chain is bounded by the page count, so checking after each keeps the
    // whole walk linear.
    if (overflow_pages_ > page_count_) throw FormatError("the overflow chains visit more pages than the file holds");
    return out;
  }

  std::string overflow_chain(uint32_t first, uint32_t total_length) {
    if (total_length > file_.size())
      throw FormatError("an overflow item of " + std::to_string(total_length) + " bytes, more than the file");
    std::string out;
    out.reserve(total_length);
    uint32_t pgno = first;
    for (uint32_t steps = 0;; ++steps) {
      if (steps >= page_count_) throw FormatError("the overflow chain from page " + std::to_string(first) + " loops");
      if (pgno == 0 || pgno >= page_count_)
        throw FormatError("an overflow chain leads to page " + std::to_string(pgno) + ", outside the file");
      ++overflow_pages_;
      size_t base = page(pgno);
      if (r_.u8(base + 25) != kPageOverflow)
        throw FormatError("page " + std::to_string(pgno) + " is in an overflow chain but is not an overflow page");
      size_t length = r_.u16(base + 22);
      if (length > page_size_ - header_size_)
        throw FormatError("overflow page " + std::to_string(pgno) + " claims " + std::to_string(length) + " bytes");
      if (out.size() + length > total_length)
        throw FormatError("the overflow chain from page " + std::to_string(first) + " is longer than its item says");
      out += r_.bytes(base + header_size_, length);
      pgno = r_.u32(base + 16);
      if (pgno == 0) break;
    }
    if (out.size() != total_length)
      throw FormatError("the overflow chain from page " + std::to_string(first) + " holds " +
                        std::to_string(out.size()) + " bytes, its item says " + std::to_string(total_length));
    return out;
  }

  std::string_view file_;
  Reader r_;
  HashDatabase db_;
  uint32_t page_size_ = 0;
  uint32_t page_count_ = 0;
  size_t header_size_ = kPageHeaderSize;
  size_t output_size_ = 0;
  uint64_t overflow_pages_ = 0;  // visited by all the overflow chains so far
};

}  // namespace

HashDatabase read_hash_database(std::string_view file) { return Parser(file).parse(); }

}  // namespace vt::bdb
