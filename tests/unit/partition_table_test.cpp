// MBR and GPT tables (partition_table.hpp): what encode_table writes reads
// back the same, sfdisk's own tables read as sfdisk made them (where it is
// installed), and damaged or hostile bytes give an error or "no table",
// never a crash.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <unistd.h>

#include "errors.hpp"
#include "partition_table.hpp"
#include "process.hpp"

using namespace vt::ptable;

namespace {

constexpr uint64_t kSectors = 262144;  // 128 MiB

// A disk image in memory, sparse: only the sectors written hold bytes (the
// tables live at both ends of a 128 MiB disk).
struct MemoryDisk {
  std::map<uint64_t, std::string> sectors;  // sector number → 512 bytes
  uint64_t size;
  explicit MemoryDisk(uint64_t disk_sectors) : size(disk_sectors * 512) {}
  std::string& sector(uint64_t n) {
    auto [it, added] = sectors.try_emplace(n, std::string(512, '\0'));
    return it->second;
  }
  char& byte(uint64_t offset) { return sector(offset / 512)[offset % 512]; }
  void write(uint64_t offset, const std::string& bytes) {
    for (size_t i = 0; i < bytes.size(); ++i) byte(offset + i) = bytes[i];
  }
  void write(const std::vector<Region>& regions) {
    for (const auto& r : regions) write(r.offset, r.bytes);
  }
  std::string read(uint64_t offset, size_t length) const {
    if (offset >= size) return {};
    length = static_cast<size_t>(std::min<uint64_t>(length, size - offset));
    std::string out(length, '\0');
    for (size_t i = 0; i < length; ++i) {
      auto it = sectors.find((offset + i) / 512);
      if (it != sectors.end()) out[i] = it->second[(offset + i) % 512];
    }
    return out;
  }
  DiskReader reader() const {
    return [this](uint64_t offset, size_t length) { return read(offset, length); };
  }
};

Table sample(Scheme scheme) {
  Table t;
  t.scheme = scheme;
  t.disk_sectors = kSectors;
  t.mbr_signature = 0x12345678;
  t.disk_guid = *Guid::parse("01234567-89AB-CDEF-0123-456789ABCDEF");
  Partition a;
  a.number = 1;
  a.first_sector = 2048;
  a.last_sector = 34815;
  a.mbr_type = 0x83;
  a.bootable = true;
  a.type = *Guid::parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
  a.guid = *Guid::parse("11111111-2222-3333-4444-555555555555");
  a.set_name("EFI System Partition");
  a.attributes = 1ULL << 63;
  Partition b = a;
  b.number = 2;
  b.first_sector = 34816;
  b.last_sector = scheme == Scheme::gpt ? kSectors - 34 : kSectors - 1;
  b.mbr_type = 0x8e;
  b.bootable = false;
  b.type = *Guid::parse("E6D6D379-F507-44C2-A23C-238F2A3DF928");
  b.guid = Guid::random();
  b.set_name("");
  b.attributes = 0;
  t.partitions = {a, b};
  return t;
}

}  // namespace

TEST(Guid, TextRoundTripInGptByteOrder) {
  auto g = Guid::parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->bytes[0], 0x28);  // the first field is little-endian on disk
  EXPECT_EQ(g->bytes[8], 0xBA);  // the last two are not
  EXPECT_EQ(g->str(), "C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
  EXPECT_FALSE(Guid::parse("C12A7328F81F11D2BA4B00A0C93EC93B"));
  EXPECT_FALSE(Guid::parse("X12A7328-F81F-11D2-BA4B-00A0C93EC93B"));
  EXPECT_NE(Guid::random(), Guid::random());
}

TEST(PartitionTable, MbrRoundTrip) {
  MemoryDisk disk(kSectors);
  Table t = sample(Scheme::mbr);
  disk.write(encode_table(t));
  auto back = read_table(disk.reader(), kSectors);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->scheme, Scheme::mbr);
  EXPECT_EQ(back->mbr_signature, 0x12345678u);
  ASSERT_EQ(back->partitions.size(), 2u);
  EXPECT_EQ(back->partitions[0].first_sector, 2048u);
  EXPECT_EQ(back->partitions[0].last_sector, 34815u);
  EXPECT_TRUE(back->partitions[0].bootable);
  EXPECT_EQ(back->partitions[1].mbr_type, 0x8e);
  EXPECT_EQ(back->partitions[1].last_sector, kSectors - 1);
  // Only bytes 440-511 are the table's: the boot code stays the caller's.
  auto regions = encode_table(t);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].offset, 440u);
  EXPECT_EQ(regions[0].bytes.size(), 72u);
}

TEST(PartitionTable, GptRoundTripWithBackupAtTheEnd) {
  MemoryDisk disk(kSectors);
  Table t = sample(Scheme::gpt);
  disk.write(encode_table(t));
  auto back = read_table(disk.reader(), kSectors);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->scheme, Scheme::gpt);
  EXPECT_EQ(back->disk_guid.str(), "01234567-89AB-CDEF-0123-456789ABCDEF");
  ASSERT_EQ(back->partitions.size(), 2u);
  EXPECT_EQ(back->partitions[0].name(), "EFI System Partition");
  EXPECT_EQ(back->partitions[0].attributes, 1ULL << 63);
  EXPECT_EQ(back->partitions[0].guid, t.partitions[0].guid);
  EXPECT_EQ(back->partitions[1].guid, t.partitions[1].guid);
  EXPECT_EQ(back->partitions[1].last_sector, kSectors - 34);
  EXPECT_EQ(back->first_usable(), 34u);
  EXPECT_EQ(back->last_usable(), kSectors - 34);
  // The backup header is the last sector and points back at the primary.
  std::string backup = disk.read((kSectors - 1) * 512, 512);
  EXPECT_EQ(backup.substr(0, 8), "EFI PART");
  // With the primary destroyed, the backup still gives the table.
  disk.write(512, std::string(512, '\0'));
  auto from_backup = read_table(disk.reader(), kSectors);
  ASSERT_TRUE(from_backup);
  EXPECT_EQ(from_backup->partitions.size(), 2u);
}

TEST(PartitionTable, GptEntryCorruptionIsAnError) {
  MemoryDisk disk(kSectors);
  disk.write(encode_table(sample(Scheme::gpt)));
  // One flipped byte in each entry array: neither checksum holds.
  disk.byte(1024 + 40) ^= 1;
  disk.byte((kSectors - 33) * 512 + 40) ^= 1;
  EXPECT_THROW(read_table(disk.reader(), kSectors), vt::Error);
}

TEST(PartitionTable, NoTableOnBlankDiskOrFilesystemBootSector) {
  MemoryDisk disk(64);
  EXPECT_FALSE(read_table(disk.reader(), 64));
  // A FAT boot sector also ends with 55 AA.
  disk.byte(510) = 0x55;
  disk.byte(511) = static_cast<char>(0xaa);
  disk.write(82, "FAT32   ");
  EXPECT_FALSE(read_table(disk.reader(), 64));
}

TEST(PartitionTable, MbrPartitionPastTheEndIsAnError) {
  MemoryDisk disk(kSectors);
  disk.write(encode_table(sample(Scheme::mbr)));
  EXPECT_THROW(read_table(disk.reader(), kSectors / 2), vt::Error);
}

TEST(PartitionTable, EncodeRefusesWhatDoesNotFit) {
  Table t = sample(Scheme::gpt);
  t.partitions[1].last_sector = kSectors - 1;  // over the backup GPT
  EXPECT_THROW(encode_table(t), vt::Error);
  t = sample(Scheme::mbr);
  t.partitions[1].number = 5;  // logical partitions are not the table's
  EXPECT_THROW(encode_table(t), vt::Error);
}

TEST(PartitionTable, RandomBytesNeverCrash) {
  std::mt19937 rng(1234);
  MemoryDisk disk(kSectors);
  disk.write(encode_table(sample(Scheme::gpt)));
  for (int round = 0; round < 300; ++round) {
    MemoryDisk damaged = disk;
    for (int i = 0; i < 8; ++i) damaged.byte(rng() % (34 * 512)) = static_cast<char>(rng());
    try {
      (void)read_table(damaged.reader(), kSectors);
    } catch (const vt::Error&) {
    }
  }
}

// sfdisk, where installed, is the reference for both schemes.
TEST(PartitionTable, ReadsSfdiskTables) {
  std::string sfdisk = vt::find_program("sfdisk");
  if (sfdisk.empty()) GTEST_SKIP() << "sfdisk not installed";
  for (const char* label : {"dos", "gpt"}) {
    vt::TempDir dir("pt-test-");
    std::string image = dir.path() + "/disk.img";
    std::ofstream(image).close();
    ASSERT_EQ(::truncate(image.c_str(), kSectors * 512), 0);
    std::string script = std::string("label: ") + label + "\n2048,32768,L,*\n34816,65536,L\n";
    auto r = vt::run_command({sfdisk, "--quiet", "--no-reread", "--no-tell-kernel", image}, script);
    ASSERT_TRUE(r.ok()) << r.err;
    std::ifstream in(image, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    MemoryDisk disk(kSectors);
    disk.write(0, ss.str().substr(0, 64 * 512));
    disk.write((kSectors - 64) * 512, ss.str().substr((kSectors - 64) * 512));
    auto t = read_table(disk.reader(), kSectors);
    ASSERT_TRUE(t) << label;
    EXPECT_EQ(t->scheme, std::string(label) == "gpt" ? Scheme::gpt : Scheme::mbr);
    ASSERT_EQ(t->partitions.size(), 2u);
    EXPECT_EQ(t->partitions[0].first_sector, 2048u);
    EXPECT_EQ(t->partitions[0].sectors(), 32768u);
    EXPECT_EQ(t->partitions[1].first_sector, 34816u);
    EXPECT_EQ(t->partitions[1].sectors(), 65536u);
    // And what we write, sfdisk reads the same.
    disk.write(encode_table(*t));
    {
      std::fstream out(image, std::ios::binary | std::ios::in | std::ios::out);
      for (const auto& [n, bytes] : disk.sectors) out.seekp(static_cast<std::streamoff>(n * 512)).write(bytes.data(), 512);
    }
    auto dump = vt::run_command({sfdisk, "--dump", image});
    ASSERT_TRUE(dump.ok()) << dump.err;
    EXPECT_NE(dump.out.find("start=       34816, size=       65536"), std::string::npos) << dump.out;
  }
}
