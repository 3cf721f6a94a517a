// Streams, argument checks, guest path resolution and device enumeration.
#include <blkid/blkid.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>

#include "daemon.hpp"

namespace vt::daemon {

void throw_errno(const std::string& what, int err) { throw DaemonError(err, what + ": " + std::strerror(err)); }

FileInStream::~FileInStream() {
  try {
    finish();
  } catch (...) {
    // The reply that follows reports the original error.
  }
}

std::optional<std::string> FileInStream::next() {
  while (!done_) {
    auto msg = conn_.read();
    if (!msg) throw DaemonError(EPIPE, "connection closed during upload");
    if (msg->header.kind != proto::Kind::chunk || msg->header.serial != call_.serial)
      throw proto::ProtocolError("expected a file chunk");
    proto::Chunk c = proto::decode_chunk(msg->payload);
    if (c.cancel) {
      done_ = true;
      throw DaemonError(ECANCELED, "file transfer cancelled by the library");
    }
    if (c.data.empty()) {
      done_ = true;
      return std::nullopt;
    }
    return c.data;
  }
  return std::nullopt;
}

void FileInStream::finish() {
  while (!done_) {
    try {
      next();
    } catch (const DaemonError&) {
      done_ = true;
    }
  }
}

void FileOutStream::send_chunk(const proto::Chunk& c) {
  conn_.send_for(call_, proto::Kind::chunk, proto::Status::ok, proto::encode_chunk(c));
}

void FileOutStream::write(std::string_view data) {
  pending_.append(data);
  while (pending_.size() >= proto::kChunkSize) {
    // The library cancels by sending a cancel chunk while we stream.
    pollfd p{conn_.fd(), POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      auto msg = conn_.read();
      if (msg && msg->header.kind == proto::Kind::chunk && proto::decode_chunk(msg->payload).cancel) {
        done_ = true;
        send_chunk({true, ""});
        throw DaemonError(ECANCELED, "file transfer cancelled by the library");
      }
    }
    send_chunk({false, pending_.substr(0, proto::kChunkSize)});
    pending_.erase(0, proto::kChunkSize);
  }
}

void FileOutStream::finish() {
  if (done_) return;
  if (!pending_.empty()) send_chunk({false, pending_});
  pending_.clear();
  send_chunk({false, ""});
  done_ = true;
}

FileOutStream::~FileOutStream() {
  if (done_) return;
  try {
    send_chunk({true, ""});
  } catch (...) {
  }
}

void check_optargs_mask(const char* call, uint64_t mask, uint64_t known) {
  if (mask & ~known)
    throw DaemonError(EINVAL, std::string(call) + ": unknown optional arguments (mask 0x" + [&] {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(mask & ~known));
      return std::string(buf);
    }() + "); the library is newer than the daemon");
}

void check_device(const char* call, const std::string& device) {
  if (device.rfind("/dev/", 0) != 0 || device.find("..") != std::string::npos)
    throw DaemonError(EINVAL, std::string(call) + ": " + device + ": not a device name (must start with /dev/)");
  // The appliance's own root disk is not the guest's.
  if (device.rfind("/dev/vd", 0) == 0) throw DaemonError(EPERM, std::string(call) + ": " + device + ": not a guest device");
  struct stat st;
  if (::stat(device.c_str(), &st) < 0) throw_errno(std::string(call) + ": " + device);
  if (!S_ISBLK(st.st_mode)) throw DaemonError(ENOTBLK, std::string(call) + ": " + device + ": not a block device");
}

Mountable parse_mountable(const char* call, const std::string& mountable) {
  const std::string prefix = "btrfsvol:";
  if (mountable.rfind(prefix, 0) != 0) {
    check_device(call, mountable);
    return {mountable, ""};
  }
  std::string rest = mountable.substr(prefix.size());
  // The device is the shortest prefix that is a block device (/dev/VG is a
  // directory, /dev/VG/LV the device); the subvolume is the rest.
  if (rest.rfind("/dev/", 0) == 0) {
    for (size_t slash = rest.find('/', 5); slash != std::string::npos; slash = rest.find('/', slash + 1)) {
      std::string device = rest.substr(0, slash);
      struct stat st;
      if (::stat(device.c_str(), &st) < 0 || !S_ISBLK(st.st_mode)) continue;
      std::string subvolume = rest.substr(slash + 1);
      // A comma would smuggle further options into the mount.
      if (subvolume.empty() || subvolume.find(',') != std::string::npos) break;
      check_device(call, device);
      return {device, subvolume};
    }
  }
  throw DaemonError(EINVAL, std::string(call) + ": " + mountable + ": not a device or btrfsvol:DEVICE/SUBVOLUME");
}

void check_pathname(const char* call, const std::string& path) {
  if (path.empty() || path[0] != '/')
    throw DaemonError(EINVAL, std::string(call) + ": " + path + ": path must start with /");
  if (path.find('\0') != std::string::npos) throw DaemonError(EINVAL, std::string(call) + ": path contains NUL");
}

namespace {

int sysroot_fd() {
  // Opened per call: a mount on /sysroot replaces what the old fd saw.
  int fd = ::open(kSysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno(kSysroot);
  return fd;
}

}  // namespace

UniqueFd open_in_guest(const std::string& path, int flags, bool follow_last) {
  UniqueFd root(sysroot_fd());
  std::string rel = path.substr(path.find_first_not_of('/') == std::string::npos ? path.size() : path.find_first_not_of('/'));
  if (rel.empty()) rel = ".";
  open_how how{};
  how.flags = static_cast<uint64_t>(flags) | O_CLOEXEC | (follow_last ? 0 : O_NOFOLLOW);
  how.mode = (flags & O_CREAT) ? 0644 : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, root.get(), rel.c_str(), &how, sizeof how);
  if (fd < 0) throw_errno(path);
  return UniqueFd(static_cast<int>(fd));
}

std::pair<UniqueFd, std::string> open_guest_parent(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  std::string dir = slash == 0 ? "/" : p.substr(0, slash);
  std::string name = p.substr(slash + 1);
  if (name.empty() || name == "." || name == "..") throw DaemonError(EINVAL, path + ": not a file name");
  return {open_in_guest(dir, O_PATH | O_DIRECTORY), name};
}

CommandResult run_logged(const std::vector<std::string>& argv, const std::string& what) {
  if (g_verbose) {
    std::string line = "virt-tools-daemon: run:";
    for (const auto& a : argv) line += " " + a;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  // Output from guest-controlled programs can be anything: a reply can carry
  // at most one message, so more than a few messages' worth is never useful.
  constexpr size_t kOutputLimit = 4 * proto::kMaxMessage;
  CommandResult r;
  auto started = std::chrono::steady_clock::now();
  try {
    r = run_command(argv, "", kOutputLimit);
  } catch (const std::exception& e) {
    throw DaemonError(EIO, what + ": " + e.what());
  }
  if (g_verbose)
    std::fprintf(stderr, "virt-tools-daemon: %s: %lld ms\n", argv[0].c_str(),
                 static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - started)
                                            .count()));
  if (r.over_limit)
    throw DaemonError(EFBIG, what + ": the program's output is larger than " +
                                 std::to_string(kOutputLimit >> 20) + " MiB; stopped it");
  return r;
}

std::string run_or_fail(const std::vector<std::string>& argv, const std::string& what) {
  CommandResult r = run_logged(argv, what);
  if (!r.ok()) {
    std::string err = r.err.empty() ? r.out : r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    if (err.empty()) err = describe_wait_status(r.status);
    throw DaemonError(EIO, what + ": " + err);
  }
  return r.out;
}

namespace {

// sda < sdb < … < sdz < sdaa: shorter names first, then alphabetical.
bool natural_less(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

std::vector<std::string> guest_disks() {
  std::vector<std::string> names;
  if (DIR* d = ::opendir("/sys/block")) {
    while (dirent* e = ::readdir(d))
      if (std::strncmp(e->d_name, "sd", 2) == 0) names.push_back(e->d_name);
    ::closedir(d);
  }
  std::sort(names.begin(), names.end(), natural_less);
  for (auto& n : names) n = "/dev/" + n;
  return names;
}

std::vector<std::string> disk_partitions(const std::string& disk) {
  std::string base = disk.substr(5);
  std::vector<std::pair<int, std::string>> parts;
  std::string dir = "/sys/block/" + base;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.rfind(base, 0) != 0 || n.size() == base.size()) continue;
      std::ifstream pf(dir + "/" + n + "/partition");
      int num = 0;
      if (pf >> num) parts.emplace_back(num, "/dev/" + n);
    }
    ::closedir(d);
  }
  std::sort(parts.begin(), parts.end());
  std::vector<std::string> out;
  for (auto& [n, name] : parts) out.push_back(name);
  return out;
}

void wait_for_partition_nodes(const std::string& disk) {
  // Without udev the nodes come from devtmpfs, a moment after the kernel adds them.
  for (int i = 0; i < 5000; ++i) {
    bool all = true;
    struct stat st;
    for (const auto& p : disk_partitions(disk))
      if (::stat(p.c_str(), &st) < 0) all = false;
    if (all) return;
    ::usleep(1000);
  }
}

std::string probe_value(const std::string& device, const char* name) {
  BlkidProbe pr(blkid_new_probe_from_filename(device.c_str()));
  if (!pr) throw_errno(device);
  blkid_probe_enable_superblocks(pr.get(), 1);
  blkid_probe_set_superblocks_flags(pr.get(), BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
  std::string out;
  if (blkid_do_safeprobe(pr.get()) == 0) {
    const char* v = nullptr;
    if (blkid_probe_lookup_value(pr.get(), name, &v, nullptr) == 0 && v) out = v;
  }
  return out;
}

PartitionTable::PartitionTable(const std::string& disk) : disk_(disk) {
  probe_ = blkid_new_probe_from_filename(disk.c_str());
  if (!probe_) throw_errno(disk);
  blkid_probe_enable_partitions(probe_, 1);
  blkid_probe_set_partitions_flags(probe_, BLKID_PARTS_ENTRY_DETAILS);
  list_ = blkid_probe_get_partitions(probe_);
  if (!list_ || !blkid_partlist_get_table(list_)) {
    blkid_free_probe(probe_);
    throw DaemonError(EINVAL, disk + ": no partition table found");
  }
}

PartitionTable::~PartitionTable() { blkid_free_probe(probe_); }

std::string PartitionTable::type() const {
  std::string t = blkid_parttable_get_type(blkid_partlist_get_table(list_));
  return t == "dos" ? "msdos" : t;
}

int PartitionTable::count() const { return blkid_partlist_numof_partitions(list_); }

blkid_partition PartitionTable::at(int i) const { return blkid_partlist_get_partition(list_, i); }

blkid_partition PartitionTable::by_number(int n) const {
  blkid_partition p = blkid_partlist_get_partition_by_partno(list_, n);
  if (!p) throw DaemonError(ENOENT, disk_ + ": no partition number " + std::to_string(n));
  return p;
}

std::vector<std::string> lvm_command(std::initializer_list<std::string> args) {
  std::vector<std::string> argv = {"lvm"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace vt::daemon
