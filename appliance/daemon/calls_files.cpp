// Calls about files inside the mounted guest.  Every path is resolved with
// open_in_guest, so symlinks cannot lead outside the guest, and every read is
// bounded, so a huge guest file cannot exhaust the appliance's memory.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// Leaves room for the reply's header and length field.
constexpr size_t kMaxReadSize = proto::kMaxMessage - 4096;

std::string read_bounded(const std::string& path, const char* call) {
  UniqueFd fd = open_in_guest(path, O_RDONLY);
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno(path);
  if (S_ISDIR(st.st_mode)) throw DaemonError(EISDIR, std::string(call) + ": " + path + ": is a directory");
  if (!S_ISREG(st.st_mode)) throw DaemonError(EINVAL, std::string(call) + ": " + path + ": not a regular file");
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
  UniqueFd fd = open_in_guest(remotefilename, O_RDONLY);
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno(remotefilename);
  if (S_ISDIR(st.st_mode)) throw DaemonError(EISDIR, "download: " + remotefilename + ": is a directory");
  uint64_t total = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0, done = 0;
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

}  // namespace vt::daemon
