// Calls that inspect, label, check and resize filesystems with their own
// tools (blkid, tune2fs, e2fsck, resize2fs, ntfs-3g's tools, mkswap, …).
#include <fcntl.h>
#include <sys/swap.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <sstream>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// Runs a program whose exit status means something beyond success or failure.
// Throws only if it could not run or was killed.
int run_for_status(const std::vector<std::string>& argv, const std::string& what, std::string* output = nullptr) {
  if (g_verbose) {
    std::string line = "virt-tools-daemon: run:";
    for (const auto& a : argv) line += " " + a;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  CommandResult r;
  try {
    r = run_command(argv);
  } catch (const std::exception& e) {
    throw DaemonError(EIO, what + ": " + e.what());
  }
  if (!WIFEXITED(r.status)) throw DaemonError(EIO, what + ": " + describe_wait_status(r.status));
  if (output) *output = r.out + r.err;
  return WEXITSTATUS(r.status);
}

std::string trim_end(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// A value that would be read as an option by the tool it is passed to.
void check_not_option(const char* call, const char* what, const std::string& value) {
  if (!value.empty() && value[0] == '-')
    throw DaemonError(EINVAL, std::string(call) + ": " + what + " must not start with '-'");
}

void check_label_length(const std::string& type, const std::string& label, size_t max) {
  if (label.size() > max)
    throw DaemonError(EINVAL, "set_label: " + type + " labels are limited to " + std::to_string(max) + " bytes");
}

bool is_ext(const std::string& type) { return type == "ext2" || type == "ext3" || type == "ext4"; }

// FAT serials are shown as XXXX-XXXX; fatlabel wants the 8 hex digits.
std::string fat_serial(const std::string& uuid) {
  std::string hex = uuid;
  if (hex.size() == 9 && hex[4] == '-') hex.erase(4, 1);
  if (hex.size() != 8 || !std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c); }))
    throw DaemonError(EINVAL, "set_uuid: " + uuid + ": a FAT serial is 8 hex digits (XXXX-XXXX)");
  return hex;
}

std::string ntfs_serial(const std::string& uuid) {
  if (uuid.size() != 16 || !std::all_of(uuid.begin(), uuid.end(), [](unsigned char c) { return std::isxdigit(c); }))
    throw DaemonError(EINVAL, "set_uuid: " + uuid + ": an NTFS serial is 16 hex digits");
  return uuid;
}

}  // namespace

namespace {

// A value as `blkid -o export` prints it: bytes >= 128 as M-, control bytes
// as ^X, and the shell's special characters after a backslash.
std::string blkid_export_value(const char* data, size_t len) {
  std::string out;
  for (size_t i = 0; i < len && data[i]; ++i) {
    auto ch = static_cast<unsigned char>(data[i]);
    if (ch >= 128) {
      out += "M-";
      ch -= 128;
    }
    if (ch < 32 || ch == 0x7f) {
      out += '^';
      ch ^= 0x40;
    }
    if (std::strchr(" \\\"'$`<>", ch)) out += '\\';
    out += static_cast<char>(ch);
  }
  return out;
}

}  // namespace

// What `blkid -c /dev/null -p -i -o export DEVICE` prints, probed in the
// daemon: a blkid process costs about 80 ms to start under TCG, and inspection
// asks once per filesystem.  The same libblkid, the same chains and flags, so
// the same keys in the same order.
std::vector<std::pair<std::string, std::string>> do_blkid(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) throw DaemonError(errno, "blkid " + device + ": " + std::strerror(errno));
  BlkidProbe probe(blkid_new_probe());
  if (!probe || blkid_probe_set_device(probe.get(), fd.get(), 0, 0) != 0)
    throw DaemonError(EIO, "blkid " + device + ": cannot probe the device");
  blkid_probe_enable_topology(probe.get(), 1);
  blkid_probe_enable_superblocks(probe.get(), 1);
  blkid_probe_set_superblocks_flags(probe.get(), BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE |
                                                  BLKID_SUBLKS_SECTYPE | BLKID_SUBLKS_USAGE | BLKID_SUBLKS_VERSION);
  blkid_probe_enable_partitions(probe.get(), 1);
  blkid_probe_set_partitions_flags(probe.get(), BLKID_PARTS_ENTRY_DETAILS);
  int rc = blkid_do_safeprobe(probe.get());
  if (rc == -2)
    throw DaemonError(EIO, "blkid " + device +
                               ": ambivalent result (probably more filesystems on the device, use wipefs(8) to see more "
                               "details)");
  if (rc < 0) throw DaemonError(EIO, "blkid " + device + ": probing failed");
  std::vector<std::pair<std::string, std::string>> attrs;
  if (rc == 1) return attrs;  // nothing found
  int count = blkid_probe_numof_values(probe.get());
  if (count > 0) attrs.emplace_back("DEVNAME", device);
  for (int n = 0; n < count; ++n) {
    const char* name = nullptr;
    const char* data = nullptr;
    size_t len = 0;
    if (blkid_probe_get_value(probe.get(), n, &name, &data, &len) != 0) continue;
    attrs.emplace_back(name, blkid_export_value(data, len));
  }
  return attrs;
}

std::vector<std::pair<std::string, std::string>> do_tune2fs_l(const std::string& device) {
  std::string out = run_or_fail({"tune2fs", "-l", device}, "tune2fs -l " + device);
  std::vector<std::pair<std::string, std::string>> fields;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("tune2fs ", 0) == 0) continue;  // the version banner
    auto colon = line.find(':');
    if (colon == std::string::npos) {
      fields.emplace_back(trim_end(line), "");
      continue;
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t") == std::string::npos ? value.size() : value.find_first_not_of(" \t"));
    value = trim_end(value);
    if (value == "<none>" || value == "<not available>") value.clear();
    fields.emplace_back(line.substr(0, colon), value);
  }
  return fields;
}

void do_mkswap(const std::string& device, const api::MkswapOptargs& o) {
  std::vector<std::string> argv = {"mkswap", "-f"};
  if (o.label) argv.insert(argv.end(), {"-L", *o.label});
  if (o.uuid) argv.insert(argv.end(), {"-U", *o.uuid});
  argv.push_back(device);
  run_or_fail(argv, "mkswap " + device);
}

void do_set_label(const std::string& mountable, const std::string& label) {
  if (!parse_mountable("set_label", mountable).subvolume.empty())
    throw DaemonError(EINVAL, "set_label: " + mountable + ": a btrfs subvolume has no label of its own");
  std::string type = probe_value(mountable, "TYPE");
  std::vector<std::string> argv;
  if (is_ext(type)) {
    check_label_length(type, label, 16);
    argv = {"tune2fs", "-L", label, mountable};
  } else if (type == "xfs") {
    check_label_length(type, label, 12);
    argv = {"xfs_admin", "-L", label.empty() ? "--" : label, mountable};
  } else if (type == "btrfs") {
    check_label_length(type, label, 255);
    argv = {"btrfs", "filesystem", "label", "--", mountable, label};
  } else if (type == "vfat") {
    check_label_length(type, label, 11);
    argv = label.empty() ? std::vector<std::string>{"fatlabel", "-r", mountable}
                         : std::vector<std::string>{"fatlabel", "--", mountable, label};
  } else if (type == "ntfs") {
    // ntfslabel takes no "--": a label like an option would be one.
    check_not_option("set_label", "an NTFS label", label);
    argv = {"ntfslabel", mountable, label};
  } else if (type == "swap") {
    check_label_length(type, label, 16);
    argv = {"swaplabel", "-L", label, mountable};
  } else {
    throw DaemonError(ENOTSUP, "set_label: " + mountable + ": setting the label of " +
                                   (type.empty() ? std::string("an unknown filesystem") : type) + " is not supported");
  }
  run_or_fail(argv, "set_label " + mountable);
}

void do_set_uuid(const std::string& device, const std::string& uuid) {
  check_not_option("set_uuid", "the UUID", uuid);
  std::string type = probe_value(device, "TYPE");
  std::vector<std::string> argv;
  if (is_ext(type)) {
    argv = {"tune2fs", "-f", "-U", uuid, device};
  } else if (type == "xfs") {
    argv = {"xfs_admin", "-U", uuid, device};
  } else if (type == "btrfs") {
    argv = {"btrfstune", "-f", "-U", uuid, device};
  } else if (type == "vfat") {
    argv = {"fatlabel", "-i", "--", device, fat_serial(uuid)};
  } else if (type == "ntfs") {
    argv = {"ntfslabel", "--new-serial=" + ntfs_serial(uuid), device};
  } else if (type == "swap") {
    argv = {"swaplabel", "-U", uuid, device};
  } else {
    throw DaemonError(ENOTSUP, "set_uuid: " + device + ": setting the UUID of " +
                                   (type.empty() ? std::string("an unknown filesystem") : type) + " is not supported");
  }
  run_or_fail(argv, "set_uuid " + device);
}

int32_t do_fsck(const std::string& fstype, const std::string& device) {
  check_not_option("fsck", "the filesystem type", fstype);
  std::string out;
  return run_for_status({"fsck", "-a", "-t", fstype, device}, "fsck " + device, &out);
}

void do_e2fsck(const std::string& device, const api::E2fsckOptargs& o) {
  bool correct = o.correct.value_or(false), forceall = o.forceall.value_or(false);
  if (correct && forceall)
    throw DaemonError(EINVAL, "e2fsck: only one of the options 'correct' and 'forceall' may be given");
  std::vector<std::string> argv = {"e2fsck", "-f"};
  if (correct) argv.push_back("-p");
  if (forceall) argv.push_back("-y");
  // Without either, e2fsck would ask on a terminal that is not there.
  if (!correct && !forceall) argv.push_back("-n");
  argv.push_back(device);
  std::string out;
  int status = run_for_status(argv, "e2fsck " + device, &out);
  // 1 and 2: errors were corrected.  Anything else left errors or failed.
  if (status != 0 && status != 1 && status != 2)
    throw DaemonError(EIO, "e2fsck " + device + ": " + trim_end(out) + " (status " + std::to_string(status) + ")");
}

void do_resize2fs(const std::string& device) { run_or_fail({"resize2fs", device}, "resize2fs " + device); }

void do_resize2fs_size(const std::string& device, int64_t size) {
  if (size < 1024) throw DaemonError(EINVAL, "resize2fs_size: " + std::to_string(size) + ": size too small");
  run_or_fail({"resize2fs", device, std::to_string(size / 1024) + "K"}, "resize2fs " + device);
}

void do_ntfsresize(const std::string& device, const api::NtfsresizeOptargs& o) {
  std::vector<std::string> argv = {"ntfsresize", "-P"};
  if (o.size) {
    if (*o.size <= 0) throw DaemonError(EINVAL, "ntfsresize: size must be positive");
    argv.insert(argv.end(), {"--size", std::to_string(*o.size)});
  }
  if (o.force.value_or(false)) argv.push_back("--force");
  argv.push_back(device);
  // ntfsresize asks for confirmation on stdin; end-of-file counts as yes.
  run_or_fail(argv, "ntfsresize " + device);
}

void do_ntfsfix(const std::string& device, const api::NtfsfixOptargs& o) {
  std::vector<std::string> argv = {"ntfsfix"};
  if (o.clearbadsectors.value_or(false)) argv.push_back("-b");
  argv.push_back(device);
  run_or_fail(argv, "ntfsfix " + device);
}

void do_swapon_device(const std::string& device) {
  if (::swapon(device.c_str(), 0) < 0) throw_errno("swapon " + device);
}

void do_swapoff_device(const std::string& device) {
  if (::swapoff(device.c_str()) < 0) throw_errno("swapoff " + device);
}

}  // namespace vt::daemon
