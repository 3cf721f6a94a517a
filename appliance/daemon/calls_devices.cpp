// Calls about block devices and partitions.
#include <blkid/blkid.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

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
  return blkid_partition_get_type(table.by_number(partnum));
}

void do_internal_add_disks(int32_t count) {
  // Hot-plugged SCSI disks are scanned by the kernel in the background.
  for (int i = 0; static_cast<int>(guest_disks().size()) < count; ++i) {
    if (i > 30000) throw DaemonError(ETIMEDOUT, "hot-added disks did not appear in the appliance");
    ::usleep(1000);
  }
  bool has_pv = false;
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
      if (probe_value(d, "TYPE") == "LVM2_member") has_pv = true;
  }
  // Only pay for LVM when there is something for it to find.
  if (has_pv) {
    load_module("dm_mod");  // saves lvm running modprobe for it
    run_or_fail(lvm_command({"vgchange", "-ay", "--quiet"}), "vgchange");
  }
}

void do_sync() { ::sync(); }

std::string do_command(const std::vector<std::string>& arguments) {
  if (arguments.empty()) throw DaemonError(EINVAL, "command: no program given");
  return run_or_fail(arguments, arguments[0]);
}

}  // namespace vt::daemon
