#include "process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <istream>
#include <thread>

#include "errors.hpp"
#include "unique_c.hpp"

extern char** environ;

namespace vt {

std::string errno_message(const std::string& what, int err) { return what + ": " + std::strerror(err); }

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace {

// The signals our handlers catch: the child gets their default actions.
constexpr int kSignalsReset[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

[[noreturn]] void child_fail(const char* what) {
  // Only async-signal-safe calls between fork and exec.
  const char* err = std::strerror(errno);
  ssize_t ignored = ::write(2, what, std::strlen(what));
  ignored = ::write(2, ": ", 2);
  ignored = ::write(2, err, std::strlen(err));
  ignored = ::write(2, "\n", 1);
  (void)ignored;
  ::_exit(127);
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& opts) {
  if (argv.empty()) throw Error("internal error: empty argv");
  // Everything the child needs is prepared before fork.
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
  for (const auto& e : opts.extra_env) env_storage.push_back(e);
  std::vector<char*> cenv;
  for (auto& e : env_storage) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  std::string exe = find_program(argv[0]);
  if (exe.empty()) throw Error(argv[0] + ": program not found in PATH");
  if (!opts.die_with_parent) {
    spawn(exe, cargv, cenv, opts);
    return;
  }

  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw Error(errno_message("fork", errno));
  if (pid == 0) {
    if (opts.die_with_parent) {
      if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) child_fail("prctl");
      if (::getppid() != parent) ::_exit(1);  // the parent died before prctl
    }
    // Our signal handlers must not run in the child.
    for (int sig : kSignalsReset) ::signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int in = opts.stdin_fd;
    if (in < 0) in = ::open("/dev/null", O_RDONLY);
    if (in < 0 || ::dup2(in, 0) < 0) child_fail("dup2 stdin");
    if (opts.stdout_fd >= 0 && ::dup2(opts.stdout_fd, 1) < 0) child_fail("dup2 stdout");
    if (opts.stderr_fd >= 0 && ::dup2(opts.stderr_fd, 2) < 0) child_fail("dup2 stderr");
    // Close every other descriptor so sockets and locks do not leak into the child.
    ::syscall(SYS_close_range, 3U, ~0U, 0U);
    ::execve(exe.c_str(), cargv.data(), cenv.data());
    child_fail(cargv[0]);
  }
  pid_ = pid;
  int pfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pfd >= 0) pidfd_.reset(pfd);
}

// posix_spawn, without fork's copy of the parent's page tables: under TCG,
// in the appliance, a fork of the daemon cost about 80 ms of the 100 ms
// that running /bin/true took.  The same child set-up as the fork path.
void ChildProcess::spawn(const std::string& exe, std::vector<char*>& cargv, std::vector<char*>& cenv,
                         const SpawnOptions& opts) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  if (int err = posix_spawn_file_actions_init(&actions)) throw Error(errno_message("posix_spawn", err));
  UniqueC<posix_spawn_file_actions_t, posix_spawn_file_actions_destroy> actions_owner(&actions);
  if (int err = posix_spawnattr_init(&attr)) throw Error(errno_message("posix_spawn", err));
  UniqueC<posix_spawnattr_t, posix_spawnattr_destroy> attr_owner(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  for (int sig : kSignalsReset) sigaddset(&defaults, sig);
  sigemptyset(&none);
  int err = posix_spawnattr_setsigdefault(&attr, &defaults);
  if (!err) err = posix_spawnattr_setsigmask(&attr, &none);
  if (!err) err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  if (!err)
    err = opts.stdin_fd < 0 ? posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                            : posix_spawn_file_actions_adddup2(&actions, opts.stdin_fd, 0);
  if (!err && opts.stdout_fd >= 0) err = posix_spawn_file_actions_adddup2(&actions, opts.stdout_fd, 1);
  if (!err && opts.stderr_fd >= 0) err = posix_spawn_file_actions_adddup2(&actions, opts.stderr_fd, 2);
  // Every other descriptor is closed, so sockets and locks do not leak into the child.
  if (!err) err = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (err) throw Error(errno_message("posix_spawn", err));
  pid_t pid = -1;
  if (int e = ::posix_spawn(&pid, exe.c_str(), &actions, &attr, cargv.data(), cenv.data()))
    throw Error(errno_message(cargv[0], e));
  pid_ = pid;
  int pfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pfd >= 0) pidfd_.reset(pfd);
}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    kill_and_reap();
    pid_ = o.pid_;
    pidfd_ = std::move(o.pidfd_);
    o.pid_ = -1;
  }
  return *this;
}

std::optional<int> ChildProcess::try_wait() {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    pidfd_.reset();
    return status;
  }
  return std::nullopt;
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0) {
    if (auto st = try_wait()) return st;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (pidfd_) {
      pollfd p{pidfd_.get(), POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left.count()));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return std::nullopt;
}

void ChildProcess::kill_and_reap() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  pidfd_.reset();
}

bool CommandResult::ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_data,
                          size_t output_limit, const std::function<void(std::string_view)>& on_stdout) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) < 0 || ::pipe2(err_pipe, O_CLOEXEC) < 0 || ::pipe2(in_pipe, O_CLOEXEC) < 0)
    throw Error(errno_message("pipe", errno));
  UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]), err_r(err_pipe[0]), err_w(err_pipe[1]);
  UniqueFd in_r(in_pipe[0]), in_w(in_pipe[1]);
  SpawnOptions opts;
  opts.stdin_fd = in_r.get();
  opts.stdout_fd = out_w.get();
  opts.stderr_fd = err_w.get();
  opts.die_with_parent = true;
  ChildProcess child(argv, opts);
  out_w.reset();
  err_w.reset();
  in_r.reset();
  ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
  if (stdin_data.empty()) in_w.reset();

  CommandResult res;
  size_t in_done = 0;
  while (out_r || err_r) {
    pollfd fds[3];
    int n = 0;
    if (out_r) fds[n++] = {out_r.get(), POLLIN, 0};
    if (err_r) fds[n++] = {err_r.get(), POLLIN, 0};
    if (in_w) fds[n++] = {in_w.get(), POLLOUT, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      throw Error(errno_message("poll", errno));
    }
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (in_w && fds[i].fd == in_w.get()) {
        ssize_t w = ::write(in_w.get(), stdin_data.data() + in_done, stdin_data.size() - in_done);
        if (w > 0) in_done += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN && errno != EINTR) in_w.reset();
        if (in_done == stdin_data.size()) in_w.reset();
        continue;
      }
      char buf[65536];
      ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      bool is_out = out_r && fds[i].fd == out_r.get();
      if (r <= 0) {
        (is_out ? out_r : err_r).reset();
        continue;
      }
      (is_out ? res.out : res.err).append(buf, static_cast<size_t>(r));
      if (is_out && on_stdout) on_stdout(std::string_view(buf, static_cast<size_t>(r)));
      if (res.out.size() + res.err.size() > output_limit) {
        res.over_limit = true;
        child.kill_and_reap();
        out_r.reset();
        err_r.reset();
        break;
      }
    }
  }
  in_w.reset();
  if (res.over_limit) {
    res.status = -1;
    return res;
  }
  auto st = child.wait_for(std::chrono::hours(24));
  res.status = st.value_or(-1);
  return res;
}

TempDir::TempDir(const std::string& prefix, const std::string& parent) {
  const char* tmp = ::getenv("TMPDIR");
  std::string dir = !parent.empty() ? parent : tmp && *tmp ? tmp : "/tmp";
  std::string tmpl = dir + "/" + prefix + "XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw Error(errno_message("mkdtemp " + tmpl, errno));
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (!path_.empty()) remove_tree_signal_safe(path_.c_str());
}

namespace {

struct linux_dirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

void remove_contents_at(int dirfd, int depth) {
  if (depth > 16) return;
  alignas(8) char buf[4096];
  for (bool removed_any = true; removed_any;) {
    removed_any = false;
    long n = ::syscall(SYS_getdents64, dirfd, buf, sizeof buf);
    if (n <= 0) return;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<linux_dirent64*>(buf + off);
      off += d->d_reclen;
      const char* name = d->d_name;
      if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
      if (d->d_type == DT_DIR) {
        int sub = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) {
          remove_contents_at(sub, depth + 1);
          ::close(sub);
        }
        if (::unlinkat(dirfd, name, AT_REMOVEDIR) == 0) removed_any = true;
      } else if (::unlinkat(dirfd, name, 0) == 0) {
        removed_any = true;
      }
    }
    // Entries were removed while reading: start again from the beginning.
    ::lseek(dirfd, 0, SEEK_SET);
  }
}

}  // namespace

void remove_tree_signal_safe(const char* path) {
  int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    remove_contents_at(fd, 0);
    ::close(fd);
  }
  ::rmdir(path);
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
                                  strsignal(WTERMSIG(status)) + ")";
  return "stopped";
}

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = ::getenv("PATH");
  std::string p = path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string cand = p.substr(start, end - start) + "/" + name;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
    start = end + 1;
  }
  return "";
}

std::string read_capped(std::istream& in, size_t limit, const std::string& what) {
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > limit) throw Error(what + " is larger than " + std::to_string(limit) + " bytes");
  }
  return text;
}

std::string pread_bytes(const std::string& path, uint64_t offset, size_t length) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) throw Error(errno_message(path, errno));
  std::string out(length, '\0');
  size_t got = 0;
  while (got < length) {
    ssize_t n = ::pread(fd.get(), out.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(errno_message(path, errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace vt
