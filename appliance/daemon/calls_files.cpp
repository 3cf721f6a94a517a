// Calls about files inside the mounted guest.  Every path is resolved with
// open_in_guest, so symlinks cannot lead outside the guest, and every read is
// bounded, so a huge guest file cannot exhaust the appliance's memory.
#include <dirent.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <deque>
#include <optional>

#include "daemon_calls.hpp"
#include "guest_files.hpp"

namespace vt::daemon {

UniqueFd open_guest_regular(const std::string& path, const char* call) {
  UniqueFd handle = open_in_guest(path, O_PATH);
  struct stat st {};
  if (::fstat(handle.get(), &st) < 0) throw_errno(path);
  if (S_ISDIR(st.st_mode)) throw DaemonError(EISDIR, std::string(call) + ": " + path + ": is a directory");
  if (!S_ISREG(st.st_mode)) throw DaemonError(EINVAL, std::string(call) + ": " + path + ": not a regular file");
  // Reopening the checked handle opens exactly the file that was checked.
  std::string proc_path = "/proc/self/fd/" + std::to_string(handle.get());
  int fd = ::open(proc_path.c_str(), O_RDONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw_errno(path);
  return UniqueFd(fd);
}

namespace {

std::string read_bounded(const std::string& path, const char* call) {
  UniqueFd fd = open_guest_regular(path, call);
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno(path);
  if (static_cast<uint64_t>(st.st_size) > kMaxReadSize)
    throw DaemonError(EFBIG, std::string(call) + ": " + path + ": file is too large (" + std::to_string(st.st_size) +
                                 " bytes) for this call; use download");
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(path);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    // The size can change under us: the bound holds regardless.
    if (data.size() > kMaxReadSize)
      throw DaemonError(EFBIG, std::string(call) + ": " + path + ": file is too large for this call; use download");
  }
  return data;
}

std::optional<struct stat> guest_stat(const std::string& path, bool follow) {
  if (path == "/") follow = true;
  try {
    UniqueFd fd = open_in_guest(path, O_PATH, follow);
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0) return std::nullopt;
    return st;
  } catch (const DaemonError& e) {
    // ENOENT and friends just mean "no"; ELOOP on a dangling loop also.
    return std::nullopt;
  }
}

UniqueFd create_guest_file(const std::string& path) {
  auto [dir, name] = open_guest_parent(path);
  int fd = ::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno(path);
  return UniqueFd(fd);
}

}  // namespace

std::vector<std::string> do_ls(const std::string& directory) {
  UniqueFd fd = open_in_guest(directory, O_RDONLY | O_DIRECTORY);
  DIR* d = ::fdopendir(fd.release());
  if (!d) throw_errno(directory);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.emplace_back(e->d_name);
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::string do_cat(const std::string& path) {
  std::string data = read_bounded(path, "cat");
  if (data.find('\0') != std::string::npos)
    throw DaemonError(EINVAL, "cat: " + path + ": file contains NUL bytes; use read_file or download");
  return data;
}

std::string do_read_file(const std::string& path) { return read_bounded(path, "read_file"); }

std::string do_pread(const std::string& path, int32_t count, int64_t offset) {
  if (count < 0) throw DaemonError(EINVAL, "pread: " + path + ": count is negative");
  if (offset < 0) throw DaemonError(EINVAL, "pread: " + path + ": offset is negative");
  if (static_cast<uint64_t>(count) > kMaxReadSize)
    throw DaemonError(EINVAL, "pread: " + path + ": count is too large for the protocol; use smaller reads or download");
  UniqueFd fd = open_guest_regular(path, "pread");
  std::string data(static_cast<size_t>(count), '\0');
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::pread(fd.get(), data.data() + got, data.size() - got, static_cast<off_t>(offset + static_cast<int64_t>(got)));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(path);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return data;
}

bool do_is_file(const std::string& path, const api::IsFileOptargs& o) {
  auto st = guest_stat(path, o.followsymlinks.value_or(false));
  return st && S_ISREG(st->st_mode);
}

bool do_is_dir(const std::string& path, const api::IsDirOptargs& o) {
  auto st = guest_stat(path, o.followsymlinks.value_or(false));
  return st && S_ISDIR(st->st_mode);
}

bool do_exists(const std::string& path) { return guest_stat(path, false).has_value(); }

void do_mkdir_p(const std::string& path) {
  std::string prefix;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t next = path.find('/', pos + 1);
    if (next == std::string::npos) next = path.size();
    std::string comp = path.substr(pos + 1, next - pos - 1);
    pos = next;
    if (comp.empty() || comp == ".") continue;
    UniqueFd parent = open_in_guest(prefix.empty() ? "/" : prefix, O_PATH | O_DIRECTORY);
    if (::mkdirat(parent.get(), comp.c_str(), 0755) < 0 && errno != EEXIST) throw_errno("mkdir_p " + path);
    prefix += "/" + comp;
  }
  // Also catches an existing non-directory at the end of the path.
  open_in_guest(path, O_PATH | O_DIRECTORY);
}

void do_write(const std::string& path, const std::string& content) {
  UniqueFd fd = create_guest_file(path);
  write_all(fd.get(), content, path);
}

void do_upload(FileInStream& in, const std::string& remotefilename) {
  UniqueFd fd = create_guest_file(remotefilename);
  uint64_t written = 0;
  while (auto chunk = in.next()) {
    write_all(fd.get(), *chunk, remotefilename);
    written += chunk->size();
    send_progress(written, 0);
  }
}

void do_download(const std::string& remotefilename, FileOutStream& out) {
  UniqueFd fd = open_guest_regular(remotefilename, "download");
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno(remotefilename);
  uint64_t total = static_cast<uint64_t>(st.st_size), done = 0;
  std::string buf(proto::kChunkSize, '\0');
  for (;;) {
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + remotefilename);
    }
    if (n == 0) break;
    out.write(std::string_view(buf.data(), static_cast<size_t>(n)));
    done += static_cast<uint64_t>(n);
    send_progress(done, total);
  }
}

// --- information about one file ---------------------------------------------

namespace {

api::statns to_statns(const struct stat& st) {
  api::statns s;
  s.st_dev = static_cast<int64_t>(st.st_dev);
  s.st_ino = static_cast<int64_t>(st.st_ino);
  s.st_mode = st.st_mode;
  s.st_nlink = static_cast<int64_t>(st.st_nlink);
  s.st_uid = st.st_uid;
  s.st_gid = st.st_gid;
  s.st_rdev = static_cast<int64_t>(st.st_rdev);
  s.st_size = st.st_size;
  s.st_blksize = st.st_blksize;
  s.st_blocks = st.st_blocks;
  s.st_atime_sec = st.st_atim.tv_sec;
  s.st_atime_nsec = st.st_atim.tv_nsec;
  s.st_mtime_sec = st.st_mtim.tv_sec;
  s.st_mtime_nsec = st.st_mtim.tv_nsec;
  s.st_ctime_sec = st.st_ctim.tv_sec;
  s.st_ctime_nsec = st.st_ctim.tv_nsec;
  return s;
}

struct stat stat_or_fail(const std::string& path, bool follow) {
  UniqueFd fd = open_in_guest(path, O_PATH, follow || path.find_first_not_of('/') == std::string::npos);
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno(path);
  return st;
}

bool is_type(const std::string& path, bool follow, mode_t type) {
  auto st = guest_stat(path, follow);
  return st && (st->st_mode & S_IFMT) == type;
}

// The target of a symbolic link, read through its directory so nothing is followed.
std::string read_link(const std::string& path) {
  auto [dir, name] = open_guest_parent(path);
  char buf[PATH_MAX + 1];
  ssize_t n = ::readlinkat(dir.get(), name.c_str(), buf, sizeof buf);
  if (n < 0) throw_errno("readlink " + path);
  return std::string(buf, static_cast<size_t>(n));
}

std::string join_guest_path(const std::string& dir, const std::string& name) {
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace

api::statns do_statns(const std::string& path) { return to_statns(stat_or_fail(path, true)); }

api::statns do_lstatns(const std::string& path) { return to_statns(stat_or_fail(path, false)); }

int64_t do_filesize(const std::string& file) { return stat_or_fail(file, true).st_size; }

bool do_is_symlink(const std::string& path) { return is_type(path, false, S_IFLNK); }

bool do_is_blockdev(const std::string& path, const api::IsBlockdevOptargs& o) {
  return is_type(path, o.followsymlinks.value_or(false), S_IFBLK);
}

bool do_is_chardev(const std::string& path, const api::IsChardevOptargs& o) {
  return is_type(path, o.followsymlinks.value_or(false), S_IFCHR);
}

bool do_is_fifo(const std::string& path, const api::IsFifoOptargs& o) {
  return is_type(path, o.followsymlinks.value_or(false), S_IFIFO);
}

bool do_is_socket(const std::string& path, const api::IsSocketOptargs& o) {
  return is_type(path, o.followsymlinks.value_or(false), S_IFSOCK);
}

std::string do_readlink(const std::string& path) { return read_link(path); }

std::vector<std::string> do_readlinklist(const std::string& path, const std::vector<std::string>& names) {
  std::vector<std::string> targets;
  for (const auto& name : names) {
    try {
      targets.push_back(read_link(join_guest_path(path, name)));
    } catch (const DaemonError&) {
      targets.emplace_back();
    }
  }
  return targets;
}

std::vector<api::treeentry> do_internal_lstatns_tree(const std::string& directory, int32_t limit) {
  if (limit < 0) throw DaemonError(EINVAL, "internal_lstatns_tree: negative limit");
  // Replies stay well inside one protocol message.
  constexpr size_t kByteBudget = 2u << 20;
  constexpr size_t kEntryBytes = 16 * 8 + 32;
  std::vector<api::treeentry> out;
  size_t bytes = 0;
  struct Pending {
    UniqueFd fd;
    std::string prefix;  // "" for the top, else "a/b/"
    size_t entry = SIZE_MAX;  // its own entry in `out` (te_listed), SIZE_MAX for the top
  };
  std::deque<Pending> queue;
  queue.push_back({open_in_guest(directory, O_RDONLY | O_DIRECTORY), "", SIZE_MAX});
  bool top = true;
  while (!queue.empty()) {
    Pending dir = std::move(queue.front());
    queue.pop_front();
    if (!top && out.size() >= static_cast<size_t>(limit)) break;
    DIR* d = ::fdopendir(::dup(dir.fd.get()));
    if (!d) {
      if (top) throw_errno(directory);
      continue;
    }
    std::vector<api::treeentry> entries;
    size_t dir_bytes = 0;
    bool too_big = false;
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      struct stat st {};
      if (::fstatat(dir.fd.get(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) continue;  // gone meanwhile
      api::treeentry t;
      t.te_path = dir.prefix + e->d_name;
      if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = ::readlinkat(dir.fd.get(), e->d_name, target, sizeof target);
        if (n > 0) t.te_link.assign(target, static_cast<size_t>(n));
      }
      api::statns s = to_statns(st);
      t.te_dev = s.st_dev; t.te_ino = s.st_ino; t.te_mode = s.st_mode; t.te_nlink = s.st_nlink;
      t.te_uid = s.st_uid; t.te_gid = s.st_gid; t.te_rdev = s.st_rdev; t.te_size = s.st_size;
      t.te_blksize = s.st_blksize; t.te_blocks = s.st_blocks;
      t.te_atime_sec = s.st_atime_sec; t.te_atime_nsec = s.st_atime_nsec;
      t.te_mtime_sec = s.st_mtime_sec; t.te_mtime_nsec = s.st_mtime_nsec;
      t.te_ctime_sec = s.st_ctime_sec; t.te_ctime_nsec = s.st_ctime_nsec;
      dir_bytes += kEntryBytes + t.te_path.size() + t.te_link.size();
      if (bytes + dir_bytes > kByteBudget) {
        too_big = true;
        break;
      }
      entries.push_back(std::move(t));
    }
    ::closedir(d);
    if (too_big) {
      if (top) throw DaemonError(E2BIG, "internal_lstatns_tree: " + directory + ": too many entries for one reply");
      break;  // this subdirectory stays unlisted
    }
    if (dir.entry != SIZE_MAX) out[dir.entry].te_listed = 1;
    bytes += dir_bytes;
    for (auto& t : entries) {
      out.push_back(std::move(t));
      const auto& added = out.back();
      if (S_ISDIR(static_cast<mode_t>(added.te_mode))) {
        std::string name = added.te_path.substr(dir.prefix.size());
        int fd = ::openat(dir.fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) queue.push_back({UniqueFd(fd), added.te_path + "/", out.size() - 1});
      }
    }
    top = false;
  }
  return out;
}

std::vector<api::statns> do_lstatnslist(const std::string& path, const std::vector<std::string>& names) {
  std::vector<api::statns> stats;
  for (const auto& name : names) {
    // Each name is resolved inside the guest like any path: "../.." stays in it.
    auto st = guest_stat(join_guest_path(path, name), false);
    if (st) {
      stats.push_back(to_statns(*st));
    } else {
      api::statns missing;
      missing.st_ino = -1;
      stats.push_back(missing);
    }
  }
  return stats;
}

std::string do_realpath(const std::string& path) {
  UniqueFd fd = open_in_guest(path, O_PATH);
  // The kernel knows where the resolved file is: under the sysroot, since
  // resolution could not leave it.
  std::string proc_path = "/proc/self/fd/" + std::to_string(fd.get());
  char buf[PATH_MAX + 1];
  ssize_t n = ::readlink(proc_path.c_str(), buf, sizeof buf);
  if (n < 0) throw_errno("realpath " + path);
  std::string resolved(buf, static_cast<size_t>(n));
  std::string root = kSysroot;
  if (resolved == root) return "/";
  if (resolved.rfind(root + "/", 0) != 0)
    throw DaemonError(EIO, "realpath: " + path + ": resolved outside the guest filesystem (" + resolved + ")");
  return resolved.substr(root.size());
}

std::string do_case_sensitive_path(const std::string& path) {
  std::vector<std::string> elements;
  for (size_t pos = 0; pos < path.size();) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    if (next > pos) elements.push_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  std::string resolved;
  for (size_t i = 0; i < elements.size(); ++i) {
    const std::string& wanted = elements[i];
    if (wanted == "." || wanted == "..")
      throw DaemonError(EINVAL, "case_sensitive_path: " + path + ": path contains . or .. elements");
    UniqueFd fd = open_in_guest(resolved.empty() ? "/" : resolved, O_RDONLY | O_DIRECTORY);
    DIR* d = ::fdopendir(fd.release());
    if (!d) throw_errno(resolved.empty() ? "/" : resolved);
    // An exact match wins; otherwise the first (in byte order) of those equal but for case.
    std::optional<std::string> found;
    while (dirent* e = ::readdir(d)) {
      if (wanted == e->d_name) {
        found = wanted;
        break;
      }
      if (::strcasecmp(wanted.c_str(), e->d_name) == 0 && (!found || *found > e->d_name)) found = e->d_name;
    }
    ::closedir(d);
    if (!found) {
      if (i + 1 < elements.size())
        throw DaemonError(ENOENT, "case_sensitive_path: " + path + ": " + (resolved.empty() ? "/" : resolved) +
                                      " has no entry matching " + wanted);
      found = wanted;
    }
    resolved += "/" + *found;
  }
  return resolved.empty() ? "/" : resolved;
}

// --- reading files as lines -------------------------------------------------

namespace {

// Splits a file into lines without holding more than one line in memory; a
// line longer than a reply can carry is an error.
class LineReader {
 public:
  LineReader(const std::string& path, const char* call) : fd_(open_guest_regular(path, call)), path_(path), call_(call) {}

  // The next line without its "\n"; nullopt at the end of the file.
  std::optional<std::string> next() {
    for (;;) {
      size_t nl = buf_.find('\n', pos_);
      if (nl != std::string::npos) {
        std::string line = buf_.substr(pos_, nl - pos_);
        pos_ = nl + 1;
        return line;
      }
      if (eof_) {
        if (pos_ >= buf_.size()) return std::nullopt;
        std::string line = buf_.substr(pos_);
        pos_ = buf_.size();
        return line;
      }
      buf_.erase(0, pos_);
      pos_ = 0;
      if (buf_.size() > kMaxReadSize)
        throw DaemonError(EFBIG, std::string(call_) + ": " + path_ + ": a line is too long for the protocol's message limit");
      char chunk[65536];
      ssize_t n = ::read(fd_.get(), chunk, sizeof chunk);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw_errno(path_);
      }
      if (n == 0) eof_ = true;
      buf_.append(chunk, static_cast<size_t>(n));
    }
  }

  int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
  std::string path_;
  const char* call_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
};

// A list of lines that refuses to grow past what a reply can carry.
class BoundedLines {
 public:
  BoundedLines(const std::string& path, const char* call) : path_(path), call_(call) {}
  void push(std::string line) {
    bytes_ += line.size() + 4;  // each string's length field
    if (bytes_ > kMaxReadSize)
      throw DaemonError(EFBIG, std::string(call_) + ": " + path_ + ": the result is too large for the protocol's message limit");
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> take() { return std::move(lines_); }

 private:
  std::string path_;
  const char* call_;
  size_t bytes_ = 0;
  std::vector<std::string> lines_;
};

std::vector<std::string> split_lines(const std::string& data) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string::npos) nl = data.size();
    lines.push_back(data.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::vector<std::string> first_lines(int64_t count, const std::string& path, const char* call) {
  LineReader reader(path, call);
  BoundedLines out(path, call);
  for (int64_t i = 0; i < count; ++i) {
    auto line = reader.next();
    if (!line) break;
    out.push(std::move(*line));
  }
  return out.take();
}

std::vector<std::string> last_lines(int64_t count, const std::string& path, const char* call) {
  UniqueFd fd = open_guest_regular(path, call);
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno(path);
  // Only the end of the file is read: if the lines wanted do not fit in a
  // reply's worth of it, they could not be sent anyway.
  uint64_t size = static_cast<uint64_t>(st.st_size);
  uint64_t start = size > kMaxReadSize ? size - kMaxReadSize : 0;
  std::string tail(size - start, '\0');
  size_t got = 0;
  while (got < tail.size()) {
    ssize_t n = ::pread(fd.get(), tail.data() + got, tail.size() - got, static_cast<off_t>(start + got));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(path);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  tail.resize(got);
  std::vector<std::string> lines = split_lines(tail);
  // A window that starts mid-file starts mid-line: that piece is not a whole line.
  if (start > 0) {
    if (lines.size() <= static_cast<uint64_t>(count))
      throw DaemonError(EFBIG, std::string(call) + ": " + path + ": the result is too large for the protocol's message limit");
    lines.erase(lines.begin());
  }
  if (lines.size() > static_cast<uint64_t>(count)) lines.erase(lines.begin(), lines.end() - count);
  return lines;
}

}  // namespace

std::vector<std::string> do_read_lines(const std::string& path) {
  std::vector<std::string> lines = split_lines(read_bounded(path, "read_lines"));
  for (auto& line : lines)
    if (!line.empty() && line.back() == '\r') line.pop_back();
  return lines;
}

std::vector<std::string> do_head(const std::string& path) { return first_lines(10, path, "head"); }

std::vector<std::string> do_tail(const std::string& path) { return last_lines(10, path, "tail"); }

std::vector<std::string> do_head_n(int32_t nrlines, const std::string& path) {
  if (nrlines >= 0) return first_lines(nrlines, path, "head_n");
  // All but the last -nrlines lines: hold those back until more arrive.
  size_t held_back = static_cast<size_t>(-static_cast<int64_t>(nrlines));
  LineReader reader(path, "head_n");
  BoundedLines out(path, "head_n");
  std::deque<std::string> window;
  size_t window_bytes = 0;
  while (auto line = reader.next()) {
    window_bytes += line->size();
    window.push_back(std::move(*line));
    if (window.size() > held_back) {
      window_bytes -= window.front().size();
      out.push(std::move(window.front()));
      window.pop_front();
    }
    if (window_bytes > kMaxReadSize)
      throw DaemonError(EFBIG, "head_n: " + path + ": the lines held back are too large for the protocol's message limit");
  }
  return out.take();
}

std::vector<std::string> do_tail_n(int32_t nrlines, const std::string& path) {
  if (nrlines > 0) return last_lines(nrlines, path, "tail_n");
  if (nrlines == 0) return {};
  // From line -nrlines (counting from 1) to the end.
  int64_t skip = -static_cast<int64_t>(nrlines) - 1;
  LineReader reader(path, "tail_n");
  BoundedLines out(path, "tail_n");
  for (int64_t i = 0; auto line = reader.next(); ++i)
    if (i >= skip) out.push(std::move(*line));
  return out.take();
}

}  // namespace vt::daemon
