// Calls about block devices and partitions.
#include <blkid/blkid.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>

#include "daemon_calls.hpp"

namespace vt::daemon {

api::version do_version() {
  api::version v;
  std::sscanf(VT_VERSION, "%ld.%ld.%ld", &v.major, &v.minor, &v.release);
  v.extra = "";
  return v;
}

void do_ping() {}

std::vector<std::string> do_list_devices() { return guest_disks(); }

std::vector<std::string> do_list_partitions() {
  std::vector<std::string> out;
  for (const auto& d : guest_disks())
    for (auto& p : disk_partitions(d)) out.push_back(std::move(p));
  return out;
}

int64_t do_blockdev_getsize64(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno(device);
  uint64_t size = 0;
  if (::ioctl(fd.get(), BLKGETSIZE64, &size) < 0) throw_errno("BLKGETSIZE64 " + device);
  return static_cast<int64_t>(size);
}

namespace {

// /dev/sda1 -> (/dev/sda, 1) using sysfs, which knows what is a partition.
std::pair<std::string, int> split_partition(const std::string& part) {
  std::string base = part.substr(5);
  std::ifstream num_file("/sys/class/block/" + base + "/partition");
  int num = 0;
  if (!(num_file >> num)) throw DaemonError(EINVAL, part + ": not a partition");
  char target[4096];
  std::string link = "/sys/class/block/" + base;
  ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  if (n < 0) throw_errno(link);
  std::string t(target, static_cast<size_t>(n));
  t.erase(t.rfind('/'));                        // .../block/sda/sda1 -> .../block/sda
  return {"/dev/" + t.substr(t.rfind('/') + 1), num};
}

UniqueFd open_device(const std::string& device, int flags) {
  UniqueFd fd(::open(device.c_str(), flags | O_CLOEXEC));
  if (!fd) throw_errno(device);
  return fd;
}

void run_parted(const std::string& device, std::vector<std::string> args) {
  std::vector<std::string> argv = {"parted", "-s", "--", device};
  argv.insert(argv.end(), args.begin(), args.end());
  run_or_fail(argv, "parted " + device);
  wait_for_partition_nodes(device);
}

}  // namespace

void do_part_init(const std::string& device, const std::string& parttype) {
  std::string label = parttype == "mbr" || parttype == "msdos" ? "msdos" : parttype == "gpt" || parttype == "efi" ? "gpt" : "";
  if (label.empty()) throw DaemonError(EINVAL, "part_init: unknown partition table type " + parttype + " (use mbr or gpt)");
  run_parted(device, {"mklabel", label});
}

void do_part_add(const std::string& device, const std::string& prlogex, int64_t startsect, int64_t endsect) {
  std::string kind = prlogex == "p" || prlogex == "primary"    ? "primary"
                     : prlogex == "l" || prlogex == "logical"  ? "logical"
                     : prlogex == "e" || prlogex == "extended" ? "extended"
                                                               : "";
  if (kind.empty()) throw DaemonError(EINVAL, "part_add: prlogex must be p, l or e");
  if (startsect < 0) throw DaemonError(EINVAL, "part_add: startsect must not be negative");
  int64_t sectors = do_blockdev_getsize64(device) / 512;
  int64_t end = endsect < 0 ? sectors + endsect : endsect;
  run_parted(device, {"mkpart", kind, std::to_string(startsect) + "s", std::to_string(end) + "s"});
}

std::vector<api::partition> do_part_list(const std::string& device) {
  PartitionTable table(device);
  std::vector<api::partition> out;
  for (int i = 0; i < table.count(); ++i) {
    blkid_partition p = table.at(i);
    // The disk's own table only, as libguestfs's (parted's) part_list: not
    // the partitions of a BSD disklabel nested in one of its partitions,
    // which the kernel (and list_partitions) number from 5.
    if (blkid_parttable_get_parent(blkid_partition_get_table(p))) continue;
    api::partition e;
    e.part_num = blkid_partition_get_partno(p);
    e.part_start = blkid_partition_get_start(p) * 512;
    e.part_size = blkid_partition_get_size(p) * 512;
    e.part_end = e.part_start + e.part_size - 1;
    out.push_back(e);
  }
  return out;
}

std::string do_part_get_parttype(const std::string& device) { return PartitionTable(device).type(); }

std::string do_part_to_dev(const std::string& partition) { return split_partition(partition).first; }

int32_t do_part_to_partnum(const std::string& partition) { return split_partition(partition).second; }

int32_t do_part_get_mbr_id(const std::string& device, int32_t partnum) {
  PartitionTable table(device);
  if (table.type() != "msdos") throw DaemonError(EINVAL, "part_get_mbr_id: " + device + ": not an MBR partition table");
  blkid_partition part = table.by_number(partnum);
  // A BSD disklabel inside an MBR partition gives Linux partitions 5, 6...
  // too; their type is the label's, not an MBR type byte.
  blkid_parttable own = blkid_partition_get_table(part);
  const char* own_type = own ? blkid_parttable_get_type(own) : nullptr;
  if (!own_type || std::string(own_type) != "dos")
    throw DaemonError(EINVAL, "part_get_mbr_id: partition " + std::to_string(partnum) + " of " + device + " is in a " +
                                  (own_type ? own_type : "nested") + " label, not the MBR");
  return blkid_partition_get_type(part);
}

int32_t do_blockdev_getss(const std::string& device) {
  UniqueFd fd = open_device(device, O_RDONLY);
  int size = 0;
  if (::ioctl(fd.get(), BLKSSZGET, &size) < 0) throw_errno("BLKSSZGET " + device);
  return size;
}

void do_blockdev_rereadpt(const std::string& device) {
  UniqueFd fd = open_device(device, O_RDONLY);
  if (::ioctl(fd.get(), BLKRRPART, nullptr) < 0) throw_errno("re-read partition table of " + device);
  wait_for_partition_nodes(device);
}

int64_t do_blockdev_getsz(const std::string& device) { return do_blockdev_getsize64(device) / 512; }

bool do_blockdev_getro(const std::string& device) {
  UniqueFd fd = open_device(device, O_RDONLY);
  int ro = 0;
  if (::ioctl(fd.get(), BLKROGET, &ro) < 0) throw_errno("BLKROGET " + device);
  return ro != 0;
}

namespace {

void set_readonly(const std::string& device, int ro) {
  UniqueFd fd = open_device(device, O_RDONLY);
  if (::ioctl(fd.get(), BLKROSET, &ro) < 0) throw_errno("BLKROSET " + device);
}

}  // namespace

void do_blockdev_setro(const std::string& device) { set_readonly(device, 1); }
void do_blockdev_setrw(const std::string& device) { set_readonly(device, 0); }

void do_blockdev_flushbufs(const std::string& device) {
  UniqueFd fd = open_device(device, O_RDONLY);
  if (::ioctl(fd.get(), BLKFLSBUF, nullptr) < 0) throw_errno("BLKFLSBUF " + device);
}

void do_part_del(const std::string& device, int32_t partnum) {
  PartitionTable(device).by_number(partnum);  // a clear error for a missing partition
  run_parted(device, {"rm", std::to_string(partnum)});
}

void do_part_disk(const std::string& device, const std::string& parttype) {
  do_part_init(device, parttype);
  // The layout libguestfs makes (sectors 128 to N-128): room for the GPT at both ends.
  do_part_add(device, "p", 128, -128);
}

bool do_part_get_bootable(const std::string& device, int32_t partnum) {
  PartitionTable(device).by_number(partnum);
  // parted's machine-readable lines end "...:flags;" with flags comma-separated.
  std::string out = run_or_fail({"parted", "-m", "-s", "--", device, "unit", "s", "print"}, "parted " + device);
  std::string prefix = std::to_string(partnum) + ":";
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    if (!line.empty() && line.back() == ';') line.pop_back();
    std::istringstream flags(line.substr(line.rfind(':') + 1));
    for (std::string flag; std::getline(flags, flag, ',');) {
      while (!flag.empty() && flag.front() == ' ') flag.erase(0, 1);
      if (flag == "boot") return true;
    }
    return false;
  }
  throw DaemonError(EINVAL, "part_get_bootable: " + device + ": parted does not list partition " + std::to_string(partnum));
}

void do_part_set_bootable(const std::string& device, int32_t partnum, bool bootable) {
  PartitionTable(device).by_number(partnum);
  run_parted(device, {"set", std::to_string(partnum), "boot", bootable ? "on" : "off"});
}

namespace {

constexpr int kMbrEntriesOffset = 446;
constexpr int kMbrEntrySize = 16;
constexpr int kMbrTypeOffset = 4;
constexpr int kMbrStartOffset = 8;

struct Sector {
  unsigned char bytes[512];
};

Sector read_sector(int fd, uint64_t lba, const std::string& device) {
  Sector s;
  if (::pread(fd, s.bytes, sizeof s.bytes, static_cast<off_t>(lba * 512)) != static_cast<ssize_t>(sizeof s.bytes))
    throw_errno("read " + device + " sector " + std::to_string(lba));
  if (s.bytes[510] != 0x55 || s.bytes[511] != 0xaa)
    throw DaemonError(EINVAL, device + ": sector " + std::to_string(lba) + " is not a valid MBR/EBR");
  return s;
}

uint32_t le32(const unsigned char* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24; }

bool is_extended(unsigned char type) { return type == 0x05 || type == 0x0f || type == 0x85; }

// Where the type byte of MBR partition `partnum` is on the disk: in the MBR
// for 1-4, in the N-th boot record of the extended partition's chain for 5+.
uint64_t mbr_type_byte_offset(int fd, const std::string& device, int partnum) {
  if (partnum >= 1 && partnum <= 4) return kMbrEntriesOffset + (partnum - 1) * kMbrEntrySize + kMbrTypeOffset;
  Sector mbr = read_sector(fd, 0, device);
  uint64_t ext_start = 0;
  for (int i = 0; i < 4; ++i) {
    const unsigned char* e = mbr.bytes + kMbrEntriesOffset + i * kMbrEntrySize;
    if (is_extended(e[kMbrTypeOffset])) ext_start = le32(e + kMbrStartOffset);
  }
  if (ext_start == 0) throw DaemonError(ENOENT, device + ": no partition number " + std::to_string(partnum));
  uint64_t ebr = ext_start;
  // Each EBR's second entry points at the next EBR, relative to the extended partition.
  for (int n = 5; n < 5 + 256; ++n) {
    Sector s = read_sector(fd, ebr, device);
    if (n == partnum) return ebr * 512 + kMbrEntriesOffset + kMbrTypeOffset;
    uint32_t next = le32(s.bytes + kMbrEntriesOffset + kMbrEntrySize + kMbrStartOffset);
    if (next == 0) break;
    ebr = ext_start + next;
  }
  throw DaemonError(ENOENT, device + ": no partition number " + std::to_string(partnum));
}

}  // namespace

void do_part_set_mbr_id(const std::string& device, int32_t partnum, int32_t idbyte) {
  if (idbyte < 0 || idbyte > 255) throw DaemonError(EINVAL, "part_set_mbr_id: idbyte must be 0-255 (0x00-0xff)");
  {
    PartitionTable table(device);
    if (table.type() != "msdos")
      throw DaemonError(EINVAL, "part_set_mbr_id: " + device + ": not an MBR partition table");
    table.by_number(partnum);
  }
  // parted 3.5 sets only the types it has flags for, and sfdisk is not in
  // the appliance: write the byte ourselves.
  UniqueFd fd = open_device(device, O_RDWR);
  uint64_t offset = mbr_type_byte_offset(fd.get(), device, partnum);
  unsigned char byte = static_cast<unsigned char>(idbyte);
  if (::pwrite(fd.get(), &byte, 1, static_cast<off_t>(offset)) != 1) throw_errno("write " + device);
  if (::fsync(fd.get()) < 0) throw_errno("fsync " + device);
}

namespace {

// "8-4-4-4-12" hexadecimal digits.
bool is_guid(const std::string& s) {
  static const std::regex guid("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$");
  return std::regex_match(s, guid);
}

void require_gpt(const char* call, const std::string& device) {
  if (PartitionTable(device).type() != "gpt")
    throw DaemonError(EINVAL, std::string(call) + ": " + device + ": not a GPT partition table");
}

// One "Field: value" line of `sgdisk -i N` (or `sgdisk -p` when partnum is 0).
// sgdisk reads an MBR disk by converting it in memory, which is what
// part_get_gpt_type wants; it never writes without an action option.
std::string sgdisk_field(const std::string& device, int partnum, const std::string& field) {
  std::vector<std::string> argv = {"sgdisk"};
  argv.push_back(partnum > 0 ? "--info=" + std::to_string(partnum) : "--print");
  argv.push_back(device);
  std::string out = run_or_fail(argv, "sgdisk " + device);
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(field + ": ", 0) == 0) return line.substr(field.size() + 2);
  throw DaemonError(ENOENT, device + ": no partition number " + std::to_string(partnum));
}

std::string first_word(const std::string& s) { return s.substr(0, s.find(' ')); }

void run_sgdisk(const std::string& device, std::initializer_list<std::string> args) {
  std::vector<std::string> argv = {"sgdisk"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(device);
  run_or_fail(argv, "sgdisk " + device);
  wait_for_partition_nodes(device);
}

void check_guid(const char* call, const std::string& guid) {
  if (!is_guid(guid)) throw DaemonError(EINVAL, std::string(call) + ": " + guid + ": not a GUID");
}

}  // namespace

std::string do_part_get_gpt_type(const std::string& device, int32_t partnum) {
  PartitionTable(device).by_number(partnum);
  return first_word(sgdisk_field(device, partnum, "Partition GUID code"));
}

void do_part_set_gpt_type(const std::string& device, int32_t partnum, const std::string& guid) {
  check_guid("part_set_gpt_type", guid);
  require_gpt("part_set_gpt_type", device);
  PartitionTable(device).by_number(partnum);
  run_sgdisk(device, {"--typecode=" + std::to_string(partnum) + ":" + guid});
}

std::string do_part_get_gpt_guid(const std::string& device, int32_t partnum) {
  require_gpt("part_get_gpt_guid", device);
  PartitionTable(device).by_number(partnum);
  return first_word(sgdisk_field(device, partnum, "Partition unique GUID"));
}

void do_part_set_gpt_guid(const std::string& device, int32_t partnum, const std::string& guid) {
  check_guid("part_set_gpt_guid", guid);
  require_gpt("part_set_gpt_guid", device);
  PartitionTable(device).by_number(partnum);
  run_sgdisk(device, {"--partition-guid=" + std::to_string(partnum) + ":" + guid});
}

std::string do_part_get_disk_guid(const std::string& device) {
  require_gpt("part_get_disk_guid", device);
  return first_word(sgdisk_field(device, 0, "Disk identifier (GUID)"));
}

std::string do_part_get_name(const std::string& device, int32_t partnum) {
  require_gpt("part_get_name", device);
  PartitionTable(device).by_number(partnum);
  // Partition name: 'NAME'
  std::string quoted = sgdisk_field(device, partnum, "Partition name");
  if (quoted.size() < 2 || quoted.front() != '\'' || quoted.back() != '\'')
    throw DaemonError(EIO, "part_get_name: " + device + ": unexpected sgdisk output: " + quoted);
  return quoted.substr(1, quoted.size() - 2);
}

void do_part_set_name(const std::string& device, int32_t partnum, const std::string& name) {
  require_gpt("part_set_name", device);
  PartitionTable(device).by_number(partnum);
  // parted splits its arguments into words again; inside single quotes a
  // backslash escapes the next character.  (sgdisk -c cuts names at a ':'.)
  std::string quoted = "'";
  for (char c : name) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += "'";
  run_parted(device, {"name", std::to_string(partnum), quoted});
}

void do_part_resize(const std::string& device, int32_t partnum, int64_t endsect) {
  PartitionTable(device).by_number(partnum);
  int64_t sectors = do_blockdev_getsize64(device) / 512;
  int64_t end = endsect < 0 ? sectors + endsect : endsect;
  // parted asks before shrinking; ---pretend-input-tty lets it take "Yes" from stdin.
  std::vector<std::string> argv = {"parted", "---pretend-input-tty", "--", device,
                                   "resizepart", std::to_string(partnum), std::to_string(end) + "s"};
  CommandResult r = run_command(argv, "Yes\n");
  if (!r.ok()) {
    std::string err = r.err.empty() ? r.out : r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    throw DaemonError(EIO, "part_resize: parted " + device + ": " + err);
  }
  wait_for_partition_nodes(device);
}

void do_part_expand_gpt(const std::string& device) {
  // sgdisk -e on an MBR disk would convert it to GPT.
  require_gpt("part_expand_gpt", device);
  run_sgdisk(device, {"--move-second-header"});
}

namespace {

// A device-mapper name of an LVM volume, VG-LV with each '-' inside either
// doubled: its VG and LV names.
std::optional<std::pair<std::string, std::string>> split_dm_lvm_name(const std::string& name) {
  auto undouble = [](std::string s) {
    for (size_t p = s.find("--"); p != std::string::npos; p = s.find("--", p + 1)) s.erase(p, 1);
    return s;
  };
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '-') continue;
    if (i + 1 < name.size() && name[i + 1] == '-') {
      ++i;
      continue;
    }
    return std::pair{undouble(name.substr(0, i)), undouble(name.substr(i + 1))};
  }
  return std::nullopt;
}

// The device-mapper name of sysfs block device `sysname` (dm-3) if LVM
// made it (dm UUID "LVM-" + VG UUID + LV UUID); with `layers` also the
// hidden layers of thin pools, RAID, … (which add a suffix to that UUID).
std::optional<std::string> lvm_dm_name(const std::string& sysname, bool layers = false) {
  std::string uuid, name;
  std::ifstream("/sys/class/block/" + sysname + "/dm/uuid") >> uuid;
  std::ifstream("/sys/class/block/" + sysname + "/dm/name") >> name;
  if (uuid.rfind("LVM-", 0) != 0 || (uuid.size() != 4 + 64 && !layers) || name.empty()) return std::nullopt;
  return name;
}

// The dm device behind /dev/mapper/NAME or /dev/dm-N, if it is an LVM
// logical volume: its /dev/VG/LV name.
std::optional<std::string> lvm_name_of_dm(const std::string& device) {
  struct stat st {};
  if (::stat(device.c_str(), &st) < 0 || !S_ISBLK(st.st_mode)) return std::nullopt;
  char link[4096];
  std::string sys = "/sys/dev/block/" + std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
  ssize_t n = ::readlink(sys.c_str(), link, sizeof link - 1);
  if (n <= 0) return std::nullopt;
  std::string sysname(link, static_cast<size_t>(n));
  auto name = lvm_dm_name(sysname.substr(sysname.rfind('/') + 1));
  if (!name) return std::nullopt;
  auto vg_lv = split_dm_lvm_name(*name);
  if (!vg_lv) return std::nullopt;
  return "/dev/" + vg_lv->first + "/" + vg_lv->second;
}

}  // namespace

std::optional<std::vector<std::string>> active_plain_lvs() {
  // The suffixes LVM reserves for the hidden LVs it makes, and the names
  // of its temporary ones.
  static constexpr std::string_view kHidden[] = {"_cdata", "_cmeta", "_corig", "_cvol", "_imeta", "_iorig",
                                                 "_mimage", "_mlog", "_pmspare", "_rimage", "_rmeta", "_tdata",
                                                 "_tmeta", "_vdata", "_vorigin", "_wcorig"};
  std::vector<std::string> lvs;
  DIR* dir = ::opendir("/sys/class/block");
  if (!dir) return std::nullopt;
  std::unique_ptr<DIR, int (*)(DIR*)> closer(dir, ::closedir);
  while (dirent* e = ::readdir(dir)) {
    std::string sysname = e->d_name;
    if (sysname.rfind("dm-", 0) != 0) continue;
    std::string uuid;
    std::ifstream("/sys/class/block/" + sysname + "/dm/uuid") >> uuid;
    if (uuid.rfind("LVM-", 0) != 0) continue;  // LUKS, or another device-mapper user
    auto name = lvm_dm_name(sysname);          // nullopt for a layer ("-real", "-tpool"...)
    auto vg_lv = name ? split_dm_lvm_name(*name) : std::nullopt;
    if (!vg_lv) return std::nullopt;
    const std::string& lv = vg_lv->second;
    if (lv.rfind("pvmove", 0) == 0 || lv.rfind("snapshot", 0) == 0) return std::nullopt;
    for (auto hidden : kHidden)
      if (lv.find(hidden) != std::string::npos) return std::nullopt;
    lvs.push_back("/dev/" + vg_lv->first + "/" + lv);
  }
  std::sort(lvs.begin(), lvs.end());
  return lvs;
}

std::string do_canonical_device_name(const std::string& device) {
  if (device.rfind("/dev/hd", 0) == 0 || device.rfind("/dev/vd", 0) == 0) return "/dev/sd" + device.substr(7);
  if (device.rfind("/dev/mapper/", 0) == 0 || device.rfind("/dev/dm-", 0) == 0) {
    if (device.find("..") == std::string::npos)
      if (auto lv = lvm_name_of_dm(device)) return *lv;
  }
  return device;
}


void do_internal_add_disks(int32_t count) {
  auto started = std::chrono::steady_clock::now();
  auto log_step = [&started](const char* what) {
    if (g_verbose)
      std::fprintf(stderr, "virt-tools-daemon: internal_add_disks: %s after %lld ms\n", what,
                   static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - started)
                                              .count()));
  };
  // Hot-plugged SCSI disks are scanned by the kernel in the background.
  for (int i = 0; static_cast<int>(guest_disks().size()) < count; ++i) {
    if (i > 30000) throw DaemonError(ETIMEDOUT, "hot-added disks did not appear in the appliance");
    ::usleep(1000);
  }
  log_step("disks seen");
  bool has_pv = false;
  std::vector<std::string> all_devices;
  for (const auto& disk : guest_disks()) {
    // The sysfs entry appears before the disk can be opened.
    for (int i = 0;; ++i) {
      UniqueFd fd(::open(disk.c_str(), O_RDONLY | O_CLOEXEC));
      if (fd) break;
      if (i > 10000) throw_errno("open " + disk);
      ::usleep(1000);
    }
    wait_for_partition_nodes(disk);
    std::vector<std::string> devs = disk_partitions(disk);
    devs.push_back(disk);
    for (const auto& d : devs)
      if (!has_pv && has_lvm_label(d)) has_pv = true;
    all_devices.insert(all_devices.end(), devs.begin(), devs.end());
  }
  log_step("disks probed");
  // Only pay for LVM when there is something for it to find.
  if (has_pv) {
    load_module("dm_mod");  // saves lvm running modprobe for it
    lvm_activate(all_devices);
  } else {
    lvm_none_found();
  }
}

namespace {

// The guest disk on SCSI target `target` of the library's controller
// (sysfs names it HOST:CHANNEL:TARGET:LUN), or "" if there is none.
std::string disk_on_scsi_target(int32_t target) {
  for (const auto& disk : guest_disks()) {
    char link[4096];
    std::string sys = "/sys/block/" + disk.substr(5) + "/device";
    ssize_t n = ::readlink(sys.c_str(), link, sizeof link - 1);
    if (n <= 0) continue;
    std::string hctl(link, static_cast<size_t>(n));
    hctl = hctl.substr(hctl.rfind('/') + 1);
    unsigned h = 0, c = 0, t = 0, l = 0;
    if (std::sscanf(hctl.c_str(), "%u:%u:%u:%u", &h, &c, &t, &l) == 4 && c == 0 && l == 0 &&
        t == static_cast<unsigned>(target))
      return disk;
  }
  return "";
}

// The names of the volume groups with a physical volume on `disk` (or one
// of its partitions), from the holders device-mapper lists in sysfs.
std::vector<std::string> volume_groups_on(const std::string& disk) {
  std::vector<std::string> devs = disk_partitions(disk);
  devs.push_back(disk);
  std::vector<std::string> vgs;
  for (const auto& dev : devs) {
    std::string holders = "/sys/class/block/" + dev.substr(5) + "/holders";
    DIR* d = ::opendir(holders.c_str());
    if (!d) continue;
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      auto name = lvm_dm_name(e->d_name, /*layers=*/true);
      auto vg_lv = name ? split_dm_lvm_name(*name) : std::nullopt;
      if (!vg_lv) continue;
      const std::string& vg = vg_lv->first;
      if (std::find(vgs.begin(), vgs.end(), vg) == vgs.end()) vgs.push_back(vg);
    }
    ::closedir(d);
  }
  return vgs;
}

// Deactivates volume group `vg` as vgchange -an would, when every LV of it
// is a plain one that nothing holds or has open: its device-mapper devices
// and the /dev entries lvm makes for them go, with no lvm process (about
// 0.25 s under TCG).  False, with nothing changed, when lvm should do it.
bool deactivate_plain_vg(const std::string& vg) {
  struct Active {
    std::string dm_name, lv;
  };
  std::vector<Active> active;
  DIR* dir = ::opendir("/sys/class/block");
  if (!dir) return false;
  std::unique_ptr<DIR, int (*)(DIR*)> closer(dir, ::closedir);
  while (dirent* e = ::readdir(dir)) {
    std::string sysname = e->d_name;
    if (sysname.rfind("dm-", 0) != 0) continue;
    auto layered = lvm_dm_name(sysname, /*layers=*/true);
    auto layered_vg_lv = layered ? split_dm_lvm_name(*layered) : std::nullopt;
    if (!layered_vg_lv || layered_vg_lv->first != vg) continue;
    if (!lvm_dm_name(sysname)) return false;  // a layer of a thin pool, snapshot, RAID...
    std::string holders = "/sys/class/block/" + sysname + "/holders";
    DIR* held = ::opendir(holders.c_str());
    if (!held) return false;
    bool held_by_something = false;
    while (dirent* h = ::readdir(held))
      if (h->d_name[0] != '.') held_by_something = true;
    ::closedir(held);
    unsigned dev_major = 0, dev_minor = 0;
    char colon = 0;
    std::ifstream("/sys/class/block/" + sysname + "/dev") >> dev_major >> colon >> dev_minor;
    if (held_by_something || colon != ':' || dm_open_count(makedev(dev_major, dev_minor)) != 0) return false;
    active.push_back({*layered, layered_vg_lv->second});
  }
  for (const auto& a : active) {
    if (!dm_remove_device(a.dm_name)) return false;  // the rest is for lvm to finish
    ::unlink(("/dev/mapper/" + a.dm_name).c_str());
    ::unlink(("/dev/" + vg + "/" + a.lv).c_str());
  }
  if (!active.empty()) ::rmdir(("/dev/" + vg).c_str());
  return true;
}

}  // namespace

void do_internal_unplug_disk(int32_t target) {
  if (target < 0) throw DaemonError(EINVAL, "internal_unplug_disk: target must not be negative");
  std::string disk = disk_on_scsi_target(target);
  if (disk.empty()) throw DaemonError(ENOENT, "internal_unplug_disk: no disk on SCSI target " + std::to_string(target));
  std::ifstream mounts("/proc/self/mounts");
  for (std::string source, rest; mounts >> source && std::getline(mounts, rest);)
    if (source == disk || (source.rfind(disk, 0) == 0 && std::isdigit(static_cast<unsigned char>(source[disk.size()]))))
      throw DaemonError(EBUSY, "internal_unplug_disk: " + source + " is mounted");
  for (const auto& vg : volume_groups_on(disk))
    if (!deactivate_plain_vg(vg))
      run_or_fail(lvm_command({"vgchange", "--quiet", "-an", vg}), "vgchange -an " + vg);
  {
    UniqueFd fd(::open(disk.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd) ::ioctl(fd.get(), BLKFLSBUF, 0);
  }
  // Removing the disk here first means the kernel has let go of it, with
  // nothing half-done, before QEMU takes it away.
  std::ofstream del("/sys/block/" + disk.substr(5) + "/device/delete");
  del << "1\n";
  del.flush();
  if (!del) throw DaemonError(EIO, "internal_unplug_disk: " + disk + ": the kernel refused to remove it");
  for (int i = 0; ::access(("/sys/block/" + disk.substr(5)).c_str(), F_OK) == 0; ++i) {
    if (i > 10000) throw DaemonError(ETIMEDOUT, "internal_unplug_disk: " + disk + " did not go away");
    ::usleep(1000);
  }
}

std::string do_pread_device(const std::string& device, int32_t count, int64_t offset) {
  if (count < 0) throw DaemonError(EINVAL, "pread_device: " + device + ": count is negative");
  if (offset < 0) throw DaemonError(EINVAL, "pread_device: " + device + ": offset is negative");
  if (static_cast<uint64_t>(count) > proto::kMaxMessage - 4096)
    throw DaemonError(EINVAL, "pread_device: " + device + ": count is too large for the protocol; use smaller reads");
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("pread_device: " + device);
  std::string data(static_cast<size_t>(count), '\0');
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::pread(fd.get(), data.data() + got, data.size() - got, static_cast<off_t>(offset + static_cast<int64_t>(got)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("pread_device: " + device);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return data;
}

int32_t do_pwrite_device(const std::string& device, const std::string& content, int64_t offset) {
  if (offset < 0) throw DaemonError(EINVAL, "pwrite_device: " + device + ": offset is negative");
  UniqueFd fd(::open(device.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw_errno("pwrite_device: " + device);
  uint64_t size = 0;
  if (::ioctl(fd.get(), BLKGETSIZE64, &size) < 0) throw_errno("pwrite_device: " + device);
  // Past the end the kernel would say ENOSPC; a short write says it better.
  size_t len = static_cast<uint64_t>(offset) >= size ? 0 : static_cast<size_t>(std::min<uint64_t>(content.size(), size - static_cast<uint64_t>(offset)));
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pwrite(fd.get(), content.data() + done, len - done, static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw_errno("pwrite_device: " + device);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) < 0) throw_errno("pwrite_device: fsync " + device);
  return static_cast<int32_t>(done);
}

void do_sync() { ::sync(); }

std::string do_command(const std::vector<std::string>& arguments) {
  if (arguments.empty()) throw DaemonError(EINVAL, "command: no program given");
  return run_or_fail(arguments, arguments[0]);
}

}  // namespace vt::daemon
