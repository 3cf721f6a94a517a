// MBR and GPT partition tables read and written on the host, from and to
// bytes: virt-resize lays out its target disk without a round trip to the
// appliance per partition.  The bytes come from the guest: every field is
// checked before it is used.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vt::ptable {

// A GUID as GPT stores it (the first three fields little-endian).
struct Guid {
  std::array<uint8_t, 16> bytes{};
  // "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", as sgdisk and parted print it.
  std::string str() const;
  static std::optional<Guid> parse(std::string_view text);
  static Guid random();
  bool is_zero() const;
  bool operator==(const Guid&) const = default;
};

enum class Scheme { mbr, gpt };

struct Partition {
  uint32_t number = 0;        // MBR: 1-4 (primary or extended); GPT: entry index + 1
  uint64_t first_sector = 0;
  uint64_t last_sector = 0;   // inclusive
  // MBR
  uint8_t mbr_type = 0;       // 0x83, 0x07, 0x05 (extended), …
  bool bootable = false;
  // GPT
  Guid type;
  Guid guid;
  uint64_t attributes = 0;
  std::string name_utf16le = std::string(72, '\0');  // the raw name field, so a copy keeps it exactly

  uint64_t sectors() const { return last_sector - first_sector + 1; }
  bool is_extended() const { return mbr_type == 0x05 || mbr_type == 0x0f; }
  // The GPT name as UTF-8 (for messages and tests).
  std::string name() const;
  void set_name(std::string_view ascii);
};

struct Table {
  Scheme scheme = Scheme::mbr;
  uint32_t sector_size = 512;
  uint64_t disk_sectors = 0;
  uint32_t mbr_signature = 0;     // MBR: the disk signature at byte 440
  Guid disk_guid;                 // GPT
  uint32_t gpt_entries = 128;     // GPT: the number of slots in the entry array
  std::vector<Partition> partitions;  // by number; MBR: primaries and the extended partition only

  const char* scheme_name() const { return scheme == Scheme::gpt ? "gpt" : "msdos"; }
  // The sectors partitions may use: GPT keeps its header and entries out.
  uint64_t first_usable() const;
  uint64_t last_usable() const;
  // The end of the table itself at the start of the disk (byte offset): what
  // follows, up to the first partition, is boot loader space.
  uint64_t head_bytes() const;
};

// Reads `length` bytes of the disk at `offset`.
using DiskReader = std::function<std::string(uint64_t offset, size_t length)>;

// The partition table of a disk of `disk_sectors` sectors, or nullopt if it
// has none that we know (no boot signature, a filesystem boot sector).
// Throws Error for a table that is recognisably MBR or GPT but damaged.
std::optional<Table> read_table(const DiskReader& read, uint64_t disk_sectors, uint32_t sector_size = 512);

struct Region {
  uint64_t offset;
  std::string bytes;
};
// The bytes that hold `table` on its disk, each at its offset: for MBR the
// disk signature, the four entries and the boot signature (bytes 440-511;
// the boot code before them is the caller's); for GPT the protective MBR's
// part of the same, both headers and both entry arrays.  Throws Error if a
// partition does not fit the scheme or the disk.
std::vector<Region> encode_table(const Table& table);

uint32_t crc32(std::string_view data);

}  // namespace vt::ptable
