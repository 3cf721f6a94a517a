// Calls that read guest files with a program from the appliance (ls, find,
// grep, du, the checksum programs) or with glob(3).  The programs never see a
// guest path that could lead outside the guest: they read a file the daemon
// opened (as standard input) or start from a directory the daemon opened (as
// working directory, naming only "." or one plain name in it), and none of
// them follows symbolic links while walking.  Output is streamed or bounded.
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>

#include "daemon_calls.hpp"
#include "guest_files.hpp"

namespace vt::daemon {

namespace {

// Sets the daemon's working directory for as long as it takes to start a
// child, which inherits it; the daemon itself never uses relative paths.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(int dirfd) : saved_(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) {
    if (!saved_) throw_errno("open the working directory");
    if (::fchdir(dirfd) < 0) throw_errno("fchdir");
  }
  ~WorkingDirectory() {
    if (::fchdir(saved_.get()) < 0) std::fprintf(stderr, "virt-tools-daemon: restoring the working directory failed\n");
  }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  UniqueFd saved_;
};

struct ProgramResult {
  int status = 0;
  std::string err;  // the start of its standard error
  bool ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
  std::string message() const {
    std::string m = err;
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m.empty() ? describe_wait_status(status) : m;
  }
};

// Runs a program with `cwd` (a directory fd, or -1 to keep the daemon's) as
// its working directory and `input` (or -1 for /dev/null) as its standard
// input, and hands its standard output to `sink` as it comes.  If `sink`
// throws, the child is killed.
ProgramResult run_program(const std::vector<std::string>& argv, int cwd, int input,
                          const std::function<void(std::string_view)>& sink) {
  if (g_verbose) {
    std::string line = "virt-tools-daemon: run:";
    for (const auto& a : argv) line += " " + a;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) < 0) throw_errno("pipe");
  UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) < 0) throw_errno("pipe");
  UniqueFd err_r(err_pipe[0]), err_w(err_pipe[1]);
  SpawnOptions opts;
  opts.stdin_fd = input;
  opts.stdout_fd = out_w.get();
  opts.stderr_fd = err_w.get();
  opts.die_with_parent = true;
  ChildProcess child;
  try {
    std::optional<WorkingDirectory> wd;
    if (cwd >= 0) wd.emplace(cwd);
    child = ChildProcess(argv, opts);
  } catch (const DaemonError&) {
    throw;
  } catch (const std::exception& e) {
    throw DaemonError(EIO, argv[0] + ": " + e.what());
  }
  out_w.reset();
  err_w.reset();
  ProgramResult result;
  while (out_r || err_r) {
    pollfd fds[2];
    int n = 0;
    if (out_r) fds[n++] = {out_r.get(), POLLIN, 0};
    if (err_r) fds[n++] = {err_r.get(), POLLIN, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      char buf[65536];
      ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      bool is_out = out_r && fds[i].fd == out_r.get();
      if (r <= 0) {
        (is_out ? out_r : err_r).reset();
        continue;
      }
      if (is_out)
        sink(std::string_view(buf, static_cast<size_t>(r)));
      else if (result.err.size() < 65536)
        result.err.append(buf, static_cast<size_t>(r));
    }
  }
  result.status = child.wait_for(std::chrono::hours(24)).value_or(-1);
  return result;
}

// A sink that keeps the output, up to what a reply can carry.
std::function<void(std::string_view)> bounded_sink(std::string& out, const std::string& what) {
  return [&out, what](std::string_view data) {
    out.append(data);
    if (out.size() > kMaxReadSize) throw DaemonError(EFBIG, what + ": the result is too large for the protocol's message limit");
  };
}

std::string run_bounded(const std::vector<std::string>& argv, int cwd, int input, const std::string& what) {
  std::string out;
  ProgramResult r = run_program(argv, cwd, input, bounded_sink(out, what));
  if (!r.ok()) throw DaemonError(EIO, what + ": " + r.message());
  return out;
}

std::vector<std::string> split_on(const std::string& data, char sep) {
  std::vector<std::string> items;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find(sep, pos);
    if (end == std::string::npos) end = data.size();
    items.push_back(data.substr(pos, end - pos));
    pos = end + 1;
  }
  return items;
}

UniqueFd open_guest_dir(const std::string& path) { return open_in_guest(path, O_RDONLY | O_DIRECTORY); }

const std::string& checksum_program(const std::string& csumtype) {
  static const std::map<std::string, std::string> programs = {
      {"crc", "cksum"},       {"md5", "md5sum"},       {"sha1", "sha1sum"},     {"sha224", "sha224sum"},
      {"sha256", "sha256sum"}, {"sha384", "sha384sum"}, {"sha512", "sha512sum"},
  };
  auto it = programs.find(csumtype);
  if (it == programs.end())
    throw DaemonError(EINVAL, "checksum: " + csumtype + ": unknown checksum type (crc, md5, sha1, sha224, sha256, sha384, sha512)");
  return it->second;
}

// Turns find's "-print0" output from ".", "./a", "./a/b" into "a", "b/c"
// records, as it streams: the start directory is dropped, "./" stripped.
class FindOutputFilter {
 public:
  explicit FindOutputFilter(std::function<void(std::string_view)> emit) : emit_(std::move(emit)) {}
  void feed(std::string_view data) {
    std::string out;
    for (char ch : data) {
      // Position 0 is always '.', position 1 is '\0' (the start) or '/'.
      if (pos_ < 2) {
        skip_record_ = pos_ == 1 && ch == '\0';
        pos_ = skip_record_ ? 0 : pos_ + 1;
        continue;
      }
      out += ch;
      if (ch == '\0') pos_ = 0;
    }
    if (!out.empty()) emit_(out);
  }

 private:
  std::function<void(std::string_view)> emit_;
  size_t pos_ = 0;
  bool skip_record_ = false;
};

// A child forked to run code chrooted into the guest, killed and reaped when
// the owner goes away.
class ChrootedChild {
 public:
  explicit ChrootedChild(pid_t pid) : pid_(pid) {}
  ~ChrootedChild() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait();
  }
  ChrootedChild(const ChrootedChild&) = delete;
  ChrootedChild& operator=(const ChrootedChild&) = delete;
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

void write_all_or_exit(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(4);
    data += n;
    size -= static_cast<size_t>(n);
  }
}

}  // namespace

std::string do_ll(const std::string& directory) {
  UniqueFd dir = open_guest_dir(directory);
  // shell-escape quoting keeps every entry on one line whatever its name holds.
  return run_bounded({"ls", "-la", "--quoting-style=shell-escape"}, dir.get(), -1, "ll " + directory);
}

std::vector<std::string> do_find(const std::string& directory) {
  UniqueFd dir = open_guest_dir(directory);
  std::string names;
  FindOutputFilter filter(bounded_sink(names, "find " + directory + " (use find0)"));
  ProgramResult r = run_program({"find", ".", "-print0"}, dir.get(), -1, [&](std::string_view d) { filter.feed(d); });
  if (!r.ok()) throw DaemonError(EIO, "find " + directory + ": " + r.message());
  std::vector<std::string> list = split_on(names, '\0');
  std::sort(list.begin(), list.end());
  return list;
}

void do_find0(const std::string& directory, FileOutStream& files) {
  UniqueFd dir = open_guest_dir(directory);
  FindOutputFilter filter([&](std::string_view d) { files.write(d); });
  ProgramResult r = run_program({"find", ".", "-print0"}, dir.get(), -1, [&](std::string_view d) { filter.feed(d); });
  if (!r.ok()) throw DaemonError(EIO, "find0 " + directory + ": " + r.message());
}

std::vector<std::string> do_glob_expand(const std::string& pattern, const api::GlobExpandOptargs& o) {
  int flags = GLOB_BRACE | (o.directoryslash.value_or(true) ? GLOB_MARK : 0);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) throw_errno("pipe");
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  // glob(3) walks and follows symlinks by path: only a chroot keeps that inside the guest.
  pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    if (::chroot(kSysroot) < 0 || ::chdir("/") < 0) ::_exit(2);
    glob_t g{};
    int r = ::glob(pattern.c_str(), flags, nullptr, &g);
    if (r == GLOB_NOMATCH) ::_exit(0);
    if (r != 0) ::_exit(3);
    for (size_t i = 0; i < g.gl_pathc; ++i) write_all_or_exit(write_end.get(), g.gl_pathv[i], std::strlen(g.gl_pathv[i]) + 1);
    ::_exit(0);
  }
  ChrootedChild child(pid);
  write_end.reset();
  std::string out;
  auto sink = bounded_sink(out, "glob_expand " + pattern);
  for (;;) {
    char buf[65536];
    ssize_t n = ::read(read_end.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("glob_expand: read");
    if (n == 0) break;
    sink(std::string_view(buf, static_cast<size_t>(n)));
  }
  int status = child.wait();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw DaemonError(EIO, "glob_expand " + pattern + ": glob failed (" + describe_wait_status(status) + ")");
  return split_on(out, '\0');
}

std::string do_checksum(const std::string& csumtype, const std::string& path) {
  const std::string& program = checksum_program(csumtype);
  UniqueFd file = open_guest_regular(path, "checksum");
  // The program reads the file from its standard input: streamed, any size.
  std::string out = run_bounded({program}, -1, file.get(), "checksum " + path);
  std::string sum = out.substr(0, out.find_first_of(" \t\n"));
  if (sum.empty()) throw DaemonError(EIO, "checksum " + path + ": " + program + " printed nothing");
  return sum;
}

void do_checksums_out(const std::string& csumtype, const std::string& directory, FileOutStream& sumsfile) {
  const std::string& program = checksum_program(csumtype);
  UniqueFd dir = open_guest_dir(directory);
  // find lists regular files only (never a symlink) under real directories,
  // so the program opens no path that could leave the guest.
  ProgramResult r = run_program({"find", ".", "-type", "f", "-exec", program, "{}", "+"}, dir.get(), -1,
                                [&](std::string_view d) { sumsfile.write(d); });
  if (!r.ok()) throw DaemonError(EIO, "checksums_out " + directory + ": " + r.message());
}

std::vector<std::string> do_grep(const std::string& regex, const std::string& path, const api::GrepOptargs& o) {
  bool extended = o.extended.value_or(false), fixed = o.fixed.value_or(false);
  if (extended && fixed) throw DaemonError(EINVAL, "grep: extended and fixed cannot both be true");
  std::vector<std::string> argv = {o.compressed.value_or(false) ? "zgrep" : "grep"};
  if (extended) argv.push_back("-E");
  if (fixed) argv.push_back("-F");
  if (o.insensitive.value_or(false)) argv.push_back("-i");
  argv.insert(argv.end(), {"-e", regex});
  UniqueFd file = open_guest_regular(path, "grep");
  std::string out;
  ProgramResult r = run_program(argv, -1, file.get(), bounded_sink(out, "grep " + path));
  if (r.exit_code() == 1) return {};  // no line matched
  if (!r.ok()) throw DaemonError(EIO, "grep " + path + ": " + r.message());
  if (!out.empty() && out.back() == '\n') out.pop_back();
  std::vector<std::string> lines = split_on(out, '\n');
  if (out.empty()) lines.clear();
  return lines;
}

int64_t do_du(const std::string& path) {
  // du starts from the directory that holds the path and names only its last
  // element, so nothing but that element's own subtree is walked.
  UniqueFd dir;
  std::string operand;
  if (path.find_first_not_of('/') == std::string::npos) {
    dir = open_in_guest("/", O_PATH | O_DIRECTORY);
    operand = ".";
  } else {
    auto parent = open_guest_parent(path);
    dir = std::move(parent.first);
    operand = "./" + parent.second;
  }
  std::string out = run_bounded({"du", "-s", "--", operand}, dir.get(), -1, "du " + path);
  size_t digits = out.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string::npos) throw DaemonError(EIO, "du " + path + ": unexpected output: " + out);
  return std::stoll(out.substr(0, digits));
}

}  // namespace vt::daemon
