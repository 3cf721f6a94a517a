// make-bsd-disk OUT DISK_MiB freebsd|netbsd|openbsd PART...: writes a raw
// disk image the way a BSD installer lays one out on an MBR disk: one MBR
// partition (a FreeBSD "slice", type 0xa5; NetBSD 0xa9; OpenBSD 0xa6)
// holding a BSD disklabel whose partitions hold the filesystems.  Linux
// shows those partitions as /dev/sda5, sda6... in label order, skipping
// the ones that stand for the slice or the disk (c; and d on NetBSD).
//
// PART is LETTER=ufs:IMAGE (an FFS image from makefs) or LETTER=swap:MiB.
//
// Debian's makefs (MirOS) writes a UFS2 superblock at 8 KiB, where FreeBSD
// never puts it and Linux never looks: FreeBSD's newfs writes it at 64 KiB.
// A UFS2 image is therefore moved to FreeBSD's layout: the superblock is
// copied to 64 KiB (which must be a free block, and is then marked used)
// and cleared at 8 KiB.  Every image also gets a fixed filesystem id, so
// that blkid's UUID, and so the golden outputs, do not change.
//
// The layout is FreeBSD's for every flavour (label at the slice's second
// sector; 16 partition entries and absolute offsets on NetBSD and OpenBSD);
// OpenBSD's own label has a few more fields in the spare room, which
// neither Linux nor inspection reads.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr uint32_t kSector = 512;
constexpr uint32_t kSliceStart = 2048;     // 1 MiB, as current installers align
constexpr uint32_t kBsdDiskMagic = 0x82564557;
constexpr uint32_t kUfs2Magic = 0x19540119;
constexpr uint32_t kUfs1Magic = 0x011954;
constexpr uint32_t kCgMagic = 0x090255;
constexpr size_t kSuperblockSize = 8192;
constexpr size_t kUfs1Superblock = 8192, kUfs2Superblock = 65536;

// Superblock (struct fs) and cylinder group (struct cg) field offsets.
constexpr size_t kFsCblkno = 12, kFsFsize = 52, kFsFrag = 56, kFsId = 144, kFsMagic = 1372;
constexpr size_t kFsSblockloc = 1000, kFsCstotalNbfree = 1016, kFsCsaddr = 1096;
constexpr size_t kCgMagicOff = 4, kCgNbfree = 28, kCgFreeoff = 96;
constexpr size_t kCsumNbfree = 4;  // in the per-group summary at fs_csaddr

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

uint32_t get32(const std::vector<uint8_t>& b, size_t at) {
  if (at + 4 > b.size()) fail("read past the end of the image");
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}
uint64_t get64(const std::vector<uint8_t>& b, size_t at) { return get32(b, at) | uint64_t(get32(b, at + 4)) << 32; }
void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b.at(at) = uint8_t(v);
  b.at(at + 1) = uint8_t(v >> 8);
}
void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.at(at + i) = uint8_t(v >> (8 * i));
}
void put64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  put32(b, at, uint32_t(v));
  put32(b, at + 4, uint32_t(v >> 32));
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path + ": cannot open");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Moves a makefs UFS2 superblock from 8 KiB to 64 KiB (see the top).
void relocate_ufs2_superblock(std::vector<uint8_t>& fs) {
  const size_t old_sb = kUfs1Superblock, new_sb = kUfs2Superblock;
  if (get64(fs, old_sb + kFsSblockloc) != old_sb) fail("UFS2 superblock does not say it is at 8 KiB");
  const uint32_t fsize = get32(fs, old_sb + kFsFsize), frag = get32(fs, old_sb + kFsFrag);
  if (fsize == 0 || frag == 0 || (fsize * frag) != kSuperblockSize) fail("expected 8 KiB blocks (makefs's default)");
  // Cylinder group 0 starts at the image's start; its free-fragment bitmap
  // has a bit per fragment, set when free.  64 KiB is one whole block.
  const size_t cg = size_t(get32(fs, old_sb + kFsCblkno)) * fsize;
  if (get32(fs, cg + kCgMagicOff) != kCgMagic) fail("cylinder group 0 has no magic number");
  const size_t first_frag = new_sb / fsize;
  const size_t bitmap = cg + get32(fs, cg + kCgFreeoff);
  for (size_t f = first_frag; f < first_frag + frag; ++f)
    if (!(fs.at(bitmap + f / 8) & (1u << (f % 8)))) fail("the block at 64 KiB is in use: make the image emptier");
  for (size_t f = first_frag; f < first_frag + frag; ++f) fs.at(bitmap + f / 8) &= uint8_t(~(1u << (f % 8)));
  // One free block fewer, in the group, its summary and the totals.  (The
  // cluster summary is left as it is: Linux mounts UFS read-only anyway.)
  const size_t csum = size_t(get64(fs, old_sb + kFsCsaddr)) * fsize;
  put32(fs, cg + kCgNbfree, get32(fs, cg + kCgNbfree) - 1);
  put32(fs, csum + kCsumNbfree, get32(fs, csum + kCsumNbfree) - 1);
  put64(fs, old_sb + kFsCstotalNbfree, get64(fs, old_sb + kFsCstotalNbfree) - 1);
  put64(fs, old_sb + kFsSblockloc, new_sb);
  std::copy_n(fs.begin() + old_sb, kSuperblockSize, fs.begin() + new_sb);
  std::fill_n(fs.begin() + old_sb, kSuperblockSize, 0);
}

// A UFS image ready to place: UFS2 moved to 64 KiB, a fixed filesystem id
// (told apart by the partition's letter).
std::vector<uint8_t> prepare_ufs(const std::string& path, char letter) {
  auto fs = read_file(path);
  if (fs.size() < kUfs2Superblock + kSuperblockSize || fs.size() % kSector) fail(path + ": too small for UFS");
  size_t sb;
  if (get32(fs, kUfs1Superblock + kFsMagic) == kUfs2Magic) {
    relocate_ufs2_superblock(fs);
    sb = kUfs2Superblock;
  } else if (get32(fs, kUfs1Superblock + kFsMagic) == kUfs1Magic) {
    sb = kUfs1Superblock;
  } else {
    fail(path + ": no UFS superblock at 8 KiB");
  }
  put32(fs, sb + kFsId, 0x5eedb5d0);
  put32(fs, sb + kFsId + 4, 0x0000f000 | uint32_t(letter));
  return fs;
}

struct Partition {
  char letter;
  uint8_t fstype;  // 1 swap, 7 4.2BSD (FFS)
  std::vector<uint8_t> contents;  // empty for swap
  uint32_t sectors = 0;
  uint32_t offset = 0;  // from the slice's start
  uint32_t fsize = 0, frag = 0;  // the filesystem's fragment size and fragments per block
};

enum class Flavour { freebsd, netbsd, openbsd };

Partition parse_partition(const std::string& arg, Flavour flavour) {
  // LETTER=ufs:IMAGE or LETTER=swap:MiB; not a letter standing for the
  // slice or the disk.
  // FreeBSD labels have 8 entries, the others 16.
  const char last = flavour == Flavour::freebsd ? 'h' : 'p';
  if (arg.size() < 4 || arg[1] != '=' || arg[0] < 'a' || arg[0] > last || arg[0] == 'c' ||
      (flavour == Flavour::netbsd && arg[0] == 'd'))
    fail(arg + ": bad PART");
  Partition p;
  p.letter = arg[0];
  std::string kind = arg.substr(2, arg.find(':') - 2), value = arg.substr(arg.find(':') + 1);
  if (kind == "ufs") {
    p.fstype = 7;
    p.contents = prepare_ufs(value, p.letter);
    p.sectors = uint32_t(p.contents.size() / kSector);
    size_t sb = get32(p.contents, kUfs2Superblock + kFsMagic) == kUfs2Magic ? kUfs2Superblock : kUfs1Superblock;
    p.fsize = get32(p.contents, sb + kFsFsize);
    p.frag = get32(p.contents, sb + kFsFrag);
  } else if (kind == "swap") {
    p.fstype = 1;
    p.sectors = uint32_t(std::stoul(value) * 1024 * 1024 / kSector);
  } else {
    fail(arg + ": kind must be ufs or swap");
  }
  return p;
}

// The label at the slice's second sector (FreeBSD and OpenBSD alike).
// d_partitions[] starts at 148; each entry is size, offset, fsize, fstype,
// frag, cpg.  FreeBSD: 'c' covers the slice, offsets are relative to it.
// OpenBSD: 'c' is the whole disk.  NetBSD: 'c' the NetBSD partition, 'd'
// the whole disk.  Both with absolute offsets.  They are entered with no
// type, which is how Linux skips them whatever their extent.
std::vector<uint8_t> disklabel(const std::vector<Partition>& parts, Flavour flavour, uint32_t disk_sectors,
                               uint32_t slice_sectors) {
  std::vector<uint8_t> label(kSector, 0);
  const bool absolute = flavour != Flavour::freebsd;
  const uint16_t npartitions = absolute ? 16 : 8;
  put32(label, 0, kBsdDiskMagic);
  put16(label, 4, 4);  // DTYPE_SCSI
  std::memcpy(&label[8], "phony", 5);
  put32(label, 40, kSector);
  put32(label, 44, 63);   // sectors per track
  put32(label, 48, 255);  // tracks per cylinder
  put32(label, 56, 63 * 255);
  put32(label, 52, disk_sectors / (63 * 255));
  put32(label, 60, disk_sectors);
  put16(label, 72, 3600);  // rpm
  put16(label, 74, 1);     // interleave
  put32(label, 132, kBsdDiskMagic);
  put16(label, 138, npartitions);
  put32(label, 140, 8192);   // boot area
  put32(label, 144, 65536);  // largest superblock
  const uint32_t base = absolute ? kSliceStart : 0;
  auto entry = [&](char letter) { return 148 + size_t(letter - 'a') * 16; };
  switch (flavour) {
    case Flavour::freebsd:
      put32(label, entry('c'), slice_sectors);
      break;
    case Flavour::openbsd:
      put32(label, entry('c'), disk_sectors);
      break;
    case Flavour::netbsd:
      put32(label, entry('c'), slice_sectors);
      put32(label, entry('c') + 4, kSliceStart);
      put32(label, entry('d'), disk_sectors);
      break;
  }
  for (const auto& p : parts) {
    put32(label, entry(p.letter), p.sectors);
    put32(label, entry(p.letter) + 4, base + p.offset);
    label.at(entry(p.letter) + 12) = p.fstype;
    put32(label, entry(p.letter) + 8, p.fsize);
    label.at(entry(p.letter) + 13) = uint8_t(p.frag);
  }
  // The checksum XORs the label's 16-bit words up to its last partition.
  uint16_t sum = 0;
  for (size_t i = 0; i < 148 + size_t(npartitions) * 16; i += 2) sum ^= uint16_t(label[i] | label[i + 1] << 8);
  put16(label, 136, sum);
  return label;
}

void write_disk(const std::string& out_path, uint32_t disk_mib, Flavour flavour, std::vector<Partition> parts) {
  const uint32_t disk_sectors = disk_mib * 1024 * 2;
  const uint32_t slice_sectors = disk_sectors - kSliceStart;
  // Partitions follow the 8 KiB boot area, in letter order.
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.letter < b.letter; });
  uint32_t next = 16;
  for (auto& p : parts) {
    p.offset = next;
    next += p.sectors;
  }
  if (next > slice_sectors) fail("the partitions do not fit on the disk");

  std::vector<uint8_t> mbr(kSector, 0);
  const size_t e = 446;  // the first of four partition entries
  mbr[e] = 0x80;         // active
  mbr[e + 1] = 0xfe, mbr[e + 2] = 0xff, mbr[e + 3] = 0xff;  // CHS: use LBA
  mbr[e + 4] = flavour == Flavour::freebsd ? 0xa5 : flavour == Flavour::netbsd ? 0xa9 : 0xa6;
  mbr[e + 5] = 0xfe, mbr[e + 6] = 0xff, mbr[e + 7] = 0xff;
  put32(mbr, e + 8, kSliceStart);
  put32(mbr, e + 12, slice_sectors);
  mbr[510] = 0x55, mbr[511] = 0xaa;

  std::fstream out(out_path, std::ios::binary | std::ios::in | std::ios::out | std::ios::trunc);
  if (!out) fail(out_path + ": cannot create");
  auto write_at = [&](uint64_t sector, const std::vector<uint8_t>& bytes) {
    out.seekp(std::streamoff(sector * kSector));
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  };
  write_at(0, mbr);
  write_at(kSliceStart + 1, disklabel(parts, flavour, disk_sectors, slice_sectors));
  for (const auto& p : parts)
    if (!p.contents.empty()) write_at(kSliceStart + p.offset, p.contents);
  // Sparse to full size: the last byte.
  write_at(uint64_t(disk_sectors) - 1, std::vector<uint8_t>(kSector, 0));
  out.close();
  if (!out) fail(out_path + ": write failed");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: make-bsd-disk OUT DISK_MiB freebsd|netbsd|openbsd LETTER=ufs:IMAGE|LETTER=swap:MiB...\n";
    return 1;
  }
  try {
    std::string name = argv[3];
    Flavour flavour = name == "freebsd"   ? Flavour::freebsd
                      : name == "netbsd"  ? Flavour::netbsd
                      : name == "openbsd" ? Flavour::openbsd
                                          : (fail(name + ": flavour must be freebsd, netbsd or openbsd"), Flavour::freebsd);
    std::vector<Partition> parts;
    for (int i = 4; i < argc; ++i) parts.push_back(parse_partition(argv[i], flavour));
    write_disk(argv[1], uint32_t(std::stoul(argv[2])), flavour, std::move(parts));
  } catch (const std::exception& e) {
    std::cerr << "make-bsd-disk: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
