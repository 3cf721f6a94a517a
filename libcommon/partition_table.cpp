#include "partition_table.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cstring>

#include "bytes.hpp"
#include "errors.hpp"

namespace vt::ptable {

using bytes::load_le;
using bytes::store_le;

namespace {

constexpr size_t kMbrEntries = 446;
constexpr size_t kGptEntrySize = 128;
// A GPT entry array larger than this is hostile, not a disk.
constexpr uint64_t kMaxGptEntries = 32768;
constexpr uint64_t kMaxMbrSectors = 0xffffffffULL;

// The byte order GPT stores a GUID's first three fields in.
constexpr int kGuidTextOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// CHS address of a sector for an MBR entry, with the geometry every tool
// uses today (255 heads, 63 sectors); past cylinder 1023 the maximum.
void store_chs(std::string& b, size_t offset, uint64_t lba) {
  constexpr uint64_t kHeads = 255, kSectors = 63;
  uint64_t cylinder = lba / (kHeads * kSectors);
  if (cylinder > 1023) {
    b[offset] = static_cast<char>(0xfe);
    b[offset + 1] = static_cast<char>(0xff);
    b[offset + 2] = static_cast<char>(0xff);
    return;
  }
  uint64_t head = (lba / kSectors) % kHeads, sector = lba % kSectors + 1;
  b[offset] = static_cast<char>(head);
  b[offset + 1] = static_cast<char>((sector & 0x3f) | ((cylinder >> 2) & 0xc0));
  b[offset + 2] = static_cast<char>(cylinder & 0xff);
}

// Filesystems that start with a boot sector (FAT, NTFS) end it with 55 AA
// too: such a sector is not a partition table.
bool is_filesystem_boot_sector(std::string_view s) {
  return s.substr(3, 8) == "NTFS    " || s.substr(54, 5) == "FAT12" || s.substr(54, 5) == "FAT16" ||
         s.substr(82, 5) == "FAT32" || s.substr(3, 8) == "EXFAT   ";
}

std::string sector_error(const std::string& what) { return "partition table: " + what; }

struct GptHeader {
  uint64_t my_lba, alternate_lba, first_usable, last_usable, entries_lba;
  uint32_t entries, entries_crc;
  Guid disk_guid;
};

// A GPT header sector, if it is one and its checksum holds.
std::optional<GptHeader> parse_gpt_header(std::string_view sector, uint64_t expected_lba) {
  if (sector.size() < 92 || sector.substr(0, 8) != "EFI PART") return std::nullopt;
  uint32_t header_size = static_cast<uint32_t>(load_le(sector, 12, 4));
  if (header_size < 92 || header_size > sector.size()) return std::nullopt;
  std::string header(sector.substr(0, header_size));
  uint32_t crc = static_cast<uint32_t>(load_le(header, 16, 4));
  store_le(header, 16, 0, 4);
  if (crc32(header) != crc) return std::nullopt;
  GptHeader h{};
  h.my_lba = load_le(header, 24, 8);
  h.alternate_lba = load_le(header, 32, 8);
  h.first_usable = load_le(header, 40, 8);
  h.last_usable = load_le(header, 48, 8);
  std::memcpy(h.disk_guid.bytes.data(), header.data() + 56, 16);
  h.entries_lba = load_le(header, 72, 8);
  h.entries = static_cast<uint32_t>(load_le(header, 80, 4));
  h.entries_crc = static_cast<uint32_t>(load_le(header, 88, 4));
  if (h.my_lba != expected_lba) return std::nullopt;
  if (load_le(header, 84, 4) != kGptEntrySize)
    throw Error(sector_error("GPT entries of " + std::to_string(load_le(header, 84, 4)) +
                             " bytes are not supported (only 128)"));
  return h;
}

Table read_gpt(const DiskReader& read, uint64_t disk_sectors, uint32_t ss) {
  std::optional<GptHeader> h = parse_gpt_header(read(ss, ss), 1);
  if (!h) h = parse_gpt_header(read((disk_sectors - 1) * ss, ss), disk_sectors - 1);
  if (!h) throw Error(sector_error("the GPT headers at both ends of the disk are damaged"));
  if (h->entries == 0 || h->entries > kMaxGptEntries)
    throw Error(sector_error("a GPT with " + std::to_string(h->entries) + " entry slots is not supported"));
  uint64_t array_bytes = uint64_t{h->entries} * kGptEntrySize;
  uint64_t array_sectors = (array_bytes + ss - 1) / ss;
  if (h->entries_lba < 2 || h->entries_lba + array_sectors > disk_sectors || h->first_usable > h->last_usable ||
      h->last_usable >= disk_sectors)
    throw Error(sector_error("the GPT header describes a disk larger than this one"));
  std::string array = read(h->entries_lba * ss, static_cast<size_t>(array_bytes));
  if (array.size() != array_bytes || crc32(array) != h->entries_crc)
    throw Error(sector_error("the GPT partition entries are damaged (checksum mismatch)"));
  Table t;
  t.scheme = Scheme::gpt;
  t.sector_size = ss;
  t.disk_sectors = disk_sectors;
  t.disk_guid = h->disk_guid;
  t.gpt_entries = h->entries;
  for (uint32_t i = 0; i < h->entries; ++i) {
    std::string_view e = std::string_view(array).substr(size_t{i} * kGptEntrySize, kGptEntrySize);
    Partition p;
    std::memcpy(p.type.bytes.data(), e.data(), 16);
    if (p.type.is_zero()) continue;
    std::memcpy(p.guid.bytes.data(), e.data() + 16, 16);
    p.number = i + 1;
    p.first_sector = load_le(e, 32, 8);
    p.last_sector = load_le(e, 40, 8);
    p.attributes = load_le(e, 48, 8);
    p.name_utf16le = std::string(e.substr(56, 72));
    if (p.first_sector > p.last_sector || p.last_sector >= disk_sectors)
      throw Error(sector_error("GPT partition " + std::to_string(p.number) + " lies outside the disk"));
    t.partitions.push_back(p);
  }
  return t;
}

}  // namespace

uint32_t crc32(std::string_view data) { return bytes::crc32_update(0xffffffffU, data) ^ 0xffffffffU; }

std::string Guid::str() const {
  static const char* hex = "0123456789ABCDEF";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    uint8_t b = bytes[static_cast<size_t>(kGuidTextOrder[i])];
    s += hex[b >> 4];
    s += hex[b & 15];
  }
  return s;
}

std::optional<Guid> Guid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Guid g;
  size_t pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
      if (text[pos] != '-') return std::nullopt;
      ++pos;
    }
    int hi = hex_value(text[pos]), lo = hex_value(text[pos + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    g.bytes[static_cast<size_t>(kGuidTextOrder[i])] = static_cast<uint8_t>(hi << 4 | lo);
    pos += 2;
  }
  return g;
}

Guid Guid::random() {
  Guid g;
  if (::getrandom(g.bytes.data(), g.bytes.size(), 0) != static_cast<ssize_t>(g.bytes.size()))
    throw Error(errno_message("getrandom", errno));
  g.bytes[7] = static_cast<uint8_t>((g.bytes[7] & 0x0f) | 0x40);  // version 4 (random)
  g.bytes[8] = static_cast<uint8_t>((g.bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return g;
}

bool Guid::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

std::string Partition::name() const {
  std::string out;
  for (size_t i = 0; i + 1 < name_utf16le.size(); i += 2) {
    uint32_t c = static_cast<uint32_t>(load_le(name_utf16le, i, 2));
    if (c == 0) break;
    if (c >= 0xd800 && c <= 0xdbff && i + 3 < name_utf16le.size()) {
      uint32_t lo = static_cast<uint32_t>(load_le(name_utf16le, i + 2, 2));
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i += 2;
      }
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xe0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

void Partition::set_name(std::string_view ascii) {
  name_utf16le.assign(72, '\0');
  for (size_t i = 0; i < ascii.size() && i < 36; ++i) name_utf16le[2 * i] = ascii[i];
}

uint64_t Table::first_usable() const {
  if (scheme == Scheme::mbr) return 1;
  return 2 + (uint64_t{gpt_entries} * kGptEntrySize + sector_size - 1) / sector_size;
}

uint64_t Table::last_usable() const {
  if (scheme == Scheme::mbr) return std::min(disk_sectors, kMaxMbrSectors + 1) - 1;
  return disk_sectors - first_usable();
}

uint64_t Table::head_bytes() const { return first_usable() * sector_size; }

std::optional<Table> read_table(const DiskReader& read, uint64_t disk_sectors, uint32_t ss) {
  if (ss < 512 || disk_sectors < 3) return std::nullopt;
  std::string mbr = read(0, ss);
  if (mbr.size() < 512 || static_cast<uint8_t>(mbr[510]) != 0x55 || static_cast<uint8_t>(mbr[511]) != 0xaa ||
      is_filesystem_boot_sector(mbr))
    return std::nullopt;
  Table t;
  t.scheme = Scheme::mbr;
  t.sector_size = ss;
  t.disk_sectors = disk_sectors;
  t.mbr_signature = static_cast<uint32_t>(load_le(mbr, 440, 4));
  for (uint32_t i = 0; i < 4; ++i) {
    size_t e = kMbrEntries + 16 * i;
    uint8_t status = static_cast<uint8_t>(mbr[e]);
    // Anything else is boot code, not a partition entry.
    if (status != 0 && status != 0x80) return std::nullopt;
    uint8_t type = static_cast<uint8_t>(mbr[e + 4]);
    if (type == 0xee) return read_gpt(read, disk_sectors, ss);
    uint64_t first = load_le(mbr, e + 8, 4), count = load_le(mbr, e + 12, 4);
    if (type == 0 || count == 0) continue;
    Partition p;
    p.number = i + 1;
    p.first_sector = first;
    p.last_sector = first + count - 1;
    p.mbr_type = type;
    p.bootable = status == 0x80;
    if (first == 0 || p.last_sector >= disk_sectors)
      throw Error(sector_error("MBR partition " + std::to_string(p.number) + " lies outside the disk"));
    t.partitions.push_back(p);
  }
  return t;
}

std::vector<Region> encode_table(const Table& t) {
  const uint32_t ss = t.sector_size;
  for (const auto& p : t.partitions) {
    std::string which = "partition " + std::to_string(p.number);
    if (p.first_sector > p.last_sector) throw Error(sector_error(which + " ends before it starts"));
    if (p.first_sector < t.first_usable() || p.last_sector > t.last_usable())
      throw Error(sector_error(which + " (sectors " + std::to_string(p.first_sector) + "-" +
                               std::to_string(p.last_sector) + ") does not fit the " +
                               (t.scheme == Scheme::gpt ? "GPT" : "MBR") + " of a disk of " +
                               std::to_string(t.disk_sectors) + " sectors"));
    uint32_t max_number = t.scheme == Scheme::mbr ? 4 : t.gpt_entries;
    if (p.number < 1 || p.number > max_number) throw Error(sector_error(which + " has no slot in the table"));
  }
  // Bytes 440-511 of sector 0: disk signature, 2 reserved bytes, 4 entries, 55 AA.
  std::string mbr(72, '\0');
  mbr[70] = 0x55;
  mbr[71] = static_cast<char>(0xaa);
  auto mbr_entry = [&](size_t slot, uint8_t status, uint8_t type, uint64_t first, uint64_t count) {
    size_t e = 6 + 16 * slot;
    mbr[e] = static_cast<char>(status);
    store_chs(mbr, e + 1, first);
    mbr[e + 4] = static_cast<char>(type);
    store_chs(mbr, e + 5, first + count - 1);
    store_le(mbr, e + 8, first, 4);
    store_le(mbr, e + 12, count, 4);
  };
  std::vector<Region> regions;
  if (t.scheme == Scheme::mbr) {
    store_le(mbr, 0, t.mbr_signature, 4);
    for (const auto& p : t.partitions) mbr_entry(p.number - 1, p.bootable ? 0x80 : 0, p.mbr_type, p.first_sector, p.sectors());
    regions.push_back({440, mbr});
    return regions;
  }
  // The protective MBR covers the whole disk (as far as 32 bits reach).
  mbr_entry(0, 0, 0xee, 1, std::min(t.disk_sectors - 1, kMaxMbrSectors));
  regions.push_back({440, mbr});

  std::string array(size_t{t.gpt_entries} * kGptEntrySize, '\0');
  for (const auto& p : t.partitions) {
    size_t e = size_t{p.number - 1} * kGptEntrySize;
    std::memcpy(array.data() + e, p.type.bytes.data(), 16);
    std::memcpy(array.data() + e + 16, p.guid.bytes.data(), 16);
    store_le(array, e + 32, p.first_sector, 8);
    store_le(array, e + 40, p.last_sector, 8);
    store_le(array, e + 48, p.attributes, 8);
    std::memcpy(array.data() + e + 56, p.name_utf16le.data(), std::min<size_t>(72, p.name_utf16le.size()));
  }
  uint64_t array_sectors = t.first_usable() - 2;
  std::string padded_array = array;
  padded_array.resize(static_cast<size_t>(array_sectors * ss), '\0');
  uint64_t last_lba = t.disk_sectors - 1;
  auto header = [&](uint64_t my_lba, uint64_t alternate_lba, uint64_t entries_lba) {
    std::string h(ss, '\0');
    std::memcpy(h.data(), "EFI PART", 8);
    store_le(h, 8, 0x00010000, 4);
    store_le(h, 12, 92, 4);
    store_le(h, 24, my_lba, 8);
    store_le(h, 32, alternate_lba, 8);
    store_le(h, 40, t.first_usable(), 8);
    store_le(h, 48, t.last_usable(), 8);
    std::memcpy(h.data() + 56, t.disk_guid.bytes.data(), 16);
    store_le(h, 72, entries_lba, 8);
    store_le(h, 80, t.gpt_entries, 4);
    store_le(h, 84, kGptEntrySize, 4);
    store_le(h, 88, crc32(array), 4);
    store_le(h, 16, crc32(std::string_view(h).substr(0, 92)), 4);
    return h;
  };
  regions.push_back({ss, header(1, last_lba, 2) + padded_array});
  uint64_t backup_array_lba = last_lba - array_sectors;
  regions.push_back({backup_array_lba * ss, padded_array + header(last_lba, 1, backup_array_lba)});
  return regions;
}

}  // namespace vt::ptable
