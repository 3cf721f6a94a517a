// Calls that erase: zeroing devices and free space, trimming and discarding.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <fstream>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

constexpr size_t kZeroChunk = 1 << 20;

bool all_zero(const char* p, size_t n) {
  return n == 0 || (p[0] == 0 && std::memcmp(p, p + 1, n - 1) == 0);
}

// Writes zeroes over [0, length) of the device, skipping chunks that already
// read as zero so a sparse image stays sparse.
void zero_range(const std::string& device, uint64_t length, size_t chunk) {
  UniqueFd fd(::open(device.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) throw_errno(device);
  std::vector<char> buf(chunk);
  const std::vector<char> zeroes(chunk, 0);
  send_progress(0, length);
  for (uint64_t off = 0; off < length;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(chunk, length - off));
    ssize_t r = ::pread(fd.get(), buf.data(), n, static_cast<off_t>(off));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + device);
    }
    if (r == 0) break;  // the device is shorter than asked
    n = static_cast<size_t>(r);
    if (!all_zero(buf.data(), n)) {
      for (size_t done = 0; done < n;) {
        ssize_t w = ::pwrite(fd.get(), zeroes.data() + done, n - done, static_cast<off_t>(off + done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) throw_errno("write " + device);
        done += static_cast<size_t>(w);
      }
    }
    off += n;
    send_progress(off, length);
  }
  if (::fsync(fd.get()) < 0) throw_errno("fsync " + device);
  send_progress(length, length);
}

uint64_t device_size(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno(device);
  uint64_t size = 0;
  if (::ioctl(fd.get(), BLKGETSIZE64, &size) < 0) throw_errno("BLKGETSIZE64 " + device);
  return size;
}

// A new file in `dir` with a random name, removed again by the destructor.
// It keeps its name until then, as a user's file would, so the filesystem
// treats it like any file (an unlinked-at-once file did not zero ext4 fully).
class ZeroFile {
 public:
  ZeroFile(int dir, const std::string& where) : dir_(dir) {
    for (int attempt = 0; attempt < 100 && !fd_; ++attempt) {
      uint64_t r = 0;
      if (::getrandom(&r, sizeof r, 0) != sizeof r) throw_errno("getrandom");
      char name[64];
      std::snprintf(name, sizeof name, ".vt-zero-free-space-%016llx", static_cast<unsigned long long>(r));
      int fd = ::openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0 && errno != EEXIST) throw_errno("zero_free_space: create a file in " + where);
      if (fd >= 0) {
        fd_ = UniqueFd(fd);
        name_ = name;
      }
    }
    if (!fd_) throw DaemonError(EEXIST, "zero_free_space: no free file name in " + where);
  }
  ~ZeroFile() {
    if (fd_) ::unlinkat(dir_, name_.c_str(), 0);
  }
  ZeroFile(ZeroFile&& o) noexcept : dir_(o.dir_), fd_(std::move(o.fd_)), name_(std::move(o.name_)) {}
  ZeroFile(const ZeroFile&) = delete;
  ZeroFile& operator=(const ZeroFile&) = delete;
  int fd() const { return fd_.get(); }

 private:
  int dir_;
  UniqueFd fd_;
  std::string name_;
};

// ext4 keeps a few thousand blocks back even from root ("reserved_clusters",
// for metadata in emergencies), so filling the filesystem leaves them
// unzeroed.  Lifted while we fill it, restored afterwards.
class Ext4ReserveLifted {
 public:
  explicit Ext4ReserveLifted(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) < 0) return;
    char link[64], target[4096];
    std::snprintf(link, sizeof link, "/sys/dev/block/%u:%u", ::major(st.st_dev), ::minor(st.st_dev));
    ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n <= 0) return;
    std::string t(target, static_cast<size_t>(n));
    path_ = "/sys/fs/ext4/" + t.substr(t.rfind('/') + 1) + "/reserved_clusters";
    std::ifstream in(path_);
    if (!(in >> saved_) || !write_value("0")) path_.clear();
  }
  ~Ext4ReserveLifted() {
    if (!path_.empty()) write_value(saved_);
  }
  Ext4ReserveLifted(const Ext4ReserveLifted&) = delete;
  Ext4ReserveLifted& operator=(const Ext4ReserveLifted&) = delete;

 private:
  bool write_value(const std::string& v) {
    std::ofstream out(path_);
    out << v << "\n";
    out.flush();
    return static_cast<bool>(out);
  }
  std::string path_;
  std::string saved_;
};

}  // namespace

void do_zero(const std::string& device) {
  // Enough for partition tables, superblocks and signatures at the start.
  zero_range(device, std::min<uint64_t>(32 * 4096, device_size(device)), 4096);
}

void do_zero_device(const std::string& device) { zero_range(device, device_size(device), kZeroChunk); }

void do_zero_free_space(const std::string& directory) {
  UniqueFd dir = open_in_guest(directory, O_RDONLY | O_DIRECTORY);
  struct statvfs st {};
  if (::fstatvfs(dir.get(), &st) < 0) throw_errno("statvfs " + directory);
  if (st.f_flag & ST_RDONLY) throw DaemonError(EROFS, "zero_free_space: " + directory + ": mounted read-only");
  uint64_t total = static_cast<uint64_t>(st.f_bfree) * st.f_frsize;
  const std::vector<char> zeroes(kZeroChunk, 0);
  Ext4ReserveLifted lifted(dir.get());
  // Filesystems with a file size limit (FAT: 4 GiB) need several files.
  std::vector<ZeroFile> files;
  files.emplace_back(dir.get(), directory);
  uint64_t written = 0, written_at_last_flush = 0;
  send_progress(0, total);
  for (;;) {
    ssize_t w = ::write(files.back().fd(), zeroes.data(), zeroes.size());
    if (w > 0) {
      written += static_cast<uint64_t>(w);
      send_progress(std::min(written, total), total);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EFBIG) {
      files.emplace_back(dir.get(), directory);
      continue;
    }
    if (w < 0 && errno != ENOSPC && errno != EDQUOT) throw_errno("zero_free_space: write in " + directory);
    // A filesystem that allocates late (ext4, XFS) may say "full" while
    // blocks are still held back for other files; flushing makes it give
    // them up.  Stop when a flush frees nothing more.
    if (written == written_at_last_flush) break;
    written_at_last_flush = written;
    ::fsync(files.back().fd());
  }
  // The zeroes must reach the disk before the space is freed again.
  for (const auto& f : files)
    if (::fsync(f.fd()) < 0 && errno != ENOSPC) throw_errno("zero_free_space: fsync in " + directory);
  send_progress(total, total);
}

void do_fstrim(const std::string& mountpoint, const api::FstrimOptargs& o) {
  if ((o.offset && *o.offset < 0) || (o.length && *o.length < 0) || (o.minimumfreeextent && *o.minimumfreeextent < 0))
    throw DaemonError(EINVAL, "fstrim: offset, length and minimumfreeextent must not be negative");
  UniqueFd dir = open_in_guest(mountpoint, O_RDONLY | O_DIRECTORY);
  // What is still in the page cache is not free yet on disk.
  if (::syncfs(dir.get()) < 0) throw_errno("syncfs " + mountpoint);
  fstrim_range range{};
  range.start = static_cast<uint64_t>(o.offset.value_or(0));
  range.len = o.length ? static_cast<uint64_t>(*o.length) : ULLONG_MAX;
  range.minlen = static_cast<uint64_t>(o.minimumfreeextent.value_or(0));
  if (::ioctl(dir.get(), FITRIM, &range) < 0) {
    if (errno == EOPNOTSUPP || errno == ENOTTY)
      throw DaemonError(ENOTSUP, "fstrim: " + mountpoint + ": the filesystem or its device cannot discard");
    throw_errno("fstrim " + mountpoint);
  }
}

void do_blkdiscard(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw_errno("blkdiscard: " + device);
  uint64_t range[2] = {0, device_size(device)};
  if (::ioctl(fd.get(), BLKDISCARD, range) < 0) {
    if (errno == EOPNOTSUPP || errno == ENOTTY)
      throw DaemonError(ENOTSUP, "blkdiscard: " + device + ": the device cannot discard");
    throw_errno("blkdiscard: " + device);
  }
}

bool do_blkdiscardzeroes(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("blkdiscardzeroes: " + device);
  unsigned int zeroes = 0;
  if (::ioctl(fd.get(), BLKDISCARDZEROES, &zeroes) < 0) throw_errno("blkdiscardzeroes: " + device);
  return zeroes != 0;
}

}  // namespace vt::daemon
