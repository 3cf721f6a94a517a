// Calls that write files and directories inside the mounted guest, and the
// tar archives.
//
// Two ways of staying inside the guest:
// - Calls done with system calls resolve every path with open_in_guest
//   (RESOLVE_IN_ROOT under /sysroot) and then work on the descriptor or on
//   (parent directory, name), so a symlink to "/" or "../.." resolves to the
//   guest's own root.
// - Calls that run a program (cp, mv, rm -rf, tar) cannot be chrooted into the
//   guest, which need not hold those programs.  Instead the program runs in a
//   private mount namespace where every guest mount is NOSYMFOLLOW: the kernel
//   refuses to follow any symlink on the guest's filesystems, so no link can
//   lead the program out.  The paths it gets were resolved beforehand with
//   open_in_guest into appliance paths without links or "..".  Links stored
//   in the guest are still copied, archived and removed as links.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// --- resolving guest paths ----------------------------------------------

// The appliance path (/sysroot/…) of a descriptor opened with open_in_guest:
// the kernel's own name for it, free of symlinks and "..".
std::string appliance_path(const UniqueFd& fd, const std::string& guest_path) {
  char buf[4096];
  std::string proc = "/proc/self/fd/" + std::to_string(fd.get());
  ssize_t n = ::readlink(proc.c_str(), buf, sizeof buf);
  if (n < 0) throw_errno(guest_path);
  if (static_cast<size_t>(n) == sizeof buf) throw DaemonError(ENAMETOOLONG, guest_path + ": path too long");
  std::string path(buf, static_cast<size_t>(n));
  std::string root = kSysroot;
  if (path != root && path.rfind(root + "/", 0) != 0)
    throw DaemonError(EINVAL, guest_path + ": does not resolve inside the guest");
  return path;
}

// The path itself, resolved in the guest (a final symlink followed or not).
std::string resolved(const std::string& guest_path, bool follow_last) {
  return appliance_path(open_in_guest(guest_path, O_PATH, follow_last), guest_path);
}

// The resolved parent directory plus the last component as given: the name
// of the thing itself, even when it is a symlink or does not exist yet.
std::string resolved_entry(const std::string& guest_path) {
  auto [dir, name] = open_guest_parent(guest_path);
  std::string parent = appliance_path(dir, guest_path);
  return parent + "/" + name;
}

// A destination of cp or mv: an existing directory (links followed inside
// the guest) receives the source; anything else is the new name.
std::string resolved_dest(const std::string& guest_path) {
  try {
    UniqueFd fd = open_in_guest(guest_path, O_PATH | O_DIRECTORY);
    return appliance_path(fd, guest_path);
  } catch (const DaemonError&) {
    return resolved_entry(guest_path);
  }
}

// A path's descriptor for changing its attributes (O_PATH: no open side
// effects on devices or FIFOs).
UniqueFd guest_object(const std::string& path, bool follow_last) {
  return open_in_guest(path == "/" ? "." : path, O_PATH, follow_last || path == "/");
}

// --- programs confined to the guest ---------------------------------------

// Writing to a pipe whose reader died must fail with EPIPE, not kill the
// daemon: SIGPIPE is blocked while a program runs, and a pending one dropped.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    ::sigprocmask(SIG_BLOCK, &s, &old_);
  }
  ~SigpipeBlocked() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    timespec zero{};
    while (::sigtimedwait(&s, nullptr, &zero) == SIGPIPE) {
    }
    ::sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t old_;
};

[[noreturn]] void child_fail(const char* what) {
  const char* err = std::strerror(errno);
  ssize_t ignored = ::write(2, what, std::strlen(what));
  ignored = ::write(2, ": ", 2);
  ignored = ::write(2, err, std::strlen(err));
  ignored = ::write(2, "\n", 1);
  (void)ignored;
  ::_exit(127);
}

// A program run with the guest's symlinks unfollowable (see the top of the
// file), killed and reaped if the owner goes away first.  Its stderr goes to
// a memory file, read back for the error message.
class ConfinedProgram {
 public:
  // stdin_fd/stdout_fd: -1 for /dev/null.  cwd: -1 to keep the daemon's.
  ConfinedProgram(const std::vector<std::string>& argv, int stdin_fd, int stdout_fd, int cwd) : program_(argv[0]) {
    if (g_verbose) {
      std::string line = "virt-tools-daemon: run confined:";
      for (const auto& a : argv) line += " " + a;
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    // Without a guest mounted the appliance's own root would be affected.
    struct stat root {}, sysroot {};
    if (::stat("/", &root) < 0 || ::stat(kSysroot, &sysroot) < 0) throw_errno(kSysroot);
    if (root.st_dev == sysroot.st_dev) throw DaemonError(EINVAL, "no guest filesystem is mounted on /");
    int fd = ::memfd_create("stderr", MFD_CLOEXEC);
    if (fd < 0) throw_errno("memfd_create");
    stderr_.reset(fd);
    std::vector<char*> cargv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    std::string exe = find_program(argv[0]);
    if (exe.empty()) throw DaemonError(ENOENT, argv[0] + ": program not found in the appliance");
    pid_ = ::fork();
    if (pid_ < 0) throw_errno("fork");
    if (pid_ == 0) {
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::signal(SIGPIPE, SIG_DFL);
      if (::dup2(stderr_.get(), 2) < 0) child_fail("dup2 stderr");
      if (::unshare(CLONE_NEWNS) < 0) child_fail("unshare");
      if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) child_fail("mount private");
      mount_attr attr{};
      attr.attr_set = MOUNT_ATTR_NOSYMFOLLOW;
      if (::syscall(SYS_mount_setattr, AT_FDCWD, kSysroot, AT_RECURSIVE, &attr, sizeof attr) < 0)
        child_fail("mount_setattr nosymfollow");
      if (cwd >= 0 && ::fchdir(cwd) < 0) child_fail("fchdir");
      int in = stdin_fd >= 0 ? stdin_fd : ::open("/dev/null", O_RDONLY);
      int out = stdout_fd >= 0 ? stdout_fd : ::open("/dev/null", O_WRONLY);
      if (in < 0 || out < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0) child_fail("dup2");
      ::syscall(SYS_close_range, 3U, ~0U, 0U);
      ::execv(exe.c_str(), cargv.data());
      child_fail(cargv[0]);
    }
  }
  ~ConfinedProgram() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait_status();
    }
  }
  ConfinedProgram(const ConfinedProgram&) = delete;
  ConfinedProgram& operator=(const ConfinedProgram&) = delete;

  // Waits for the program; throws with its stderr ("cp: …", which names
  // the program) unless it succeeded.
  void finish() {
    int status = wait_status();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    std::string err = stderr_text();
    if (err.empty()) err = program_ + " " + describe_wait_status(status);
    throw DaemonError(EIO, err);
  }

 private:
  int wait_status() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }
  std::string stderr_text() {
    std::string text(8192, '\0');  // enough for an error message
    ssize_t n = ::pread(stderr_.get(), text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  std::string program_;
  pid_t pid_ = -1;
  UniqueFd stderr_;
};

void run_confined(const std::vector<std::string>& argv) {
  ConfinedProgram p(argv, -1, -1, -1);
  p.finish();
}

// GNU tar's option for each compression libguestfs names.
std::string tar_compress_option(const std::optional<std::string>& compress, const char* call) {
  if (!compress || compress->empty()) return "";
  static const std::pair<const char*, const char*> kOptions[] = {
      {"gzip", "--gzip"}, {"bzip2", "--bzip2"}, {"xz", "--xz"},         {"zstd", "--zstd"},
      {"lzop", "--lzop"}, {"lzma", "--lzma"},   {"compress", "--compress"},
  };
  for (const auto& [name, option] : kOptions)
    if (*compress == name) return option;
  throw DaemonError(EINVAL, std::string(call) + ": unknown compression '" + *compress +
                                "' (gzip, bzip2, xz, zstd, lzop, lzma or compress)");
}

void add_tar_attribute_options(std::vector<std::string>& argv, const std::optional<bool>& xattrs,
                               const std::optional<bool>& selinux, const std::optional<bool>& acls) {
  if (xattrs.value_or(false)) argv.insert(argv.end(), {"--xattrs", "--xattrs-include=*"});
  if (selinux.value_or(false)) argv.push_back("--selinux");
  if (acls.value_or(false)) argv.push_back("--acls");
}

struct Pipe {
  UniqueFd read, write;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe");
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
};

}  // namespace

// --- creating and changing files -----------------------------------------

void do_write_append(const std::string& path, const std::string& content) {
  UniqueFd fd = open_in_guest(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_NOCTTY);
  write_all(fd.get(), content, path);
}

void do_mkdir(const std::string& path) { do_mkdir_mode(path, 0777); }

void do_mkdir_mode(const std::string& path, int32_t mode) {
  auto [dir, name] = open_guest_parent(path);
  if (::mkdirat(dir.get(), name.c_str(), static_cast<mode_t>(mode)) < 0) throw_errno("mkdir " + path);
}

void do_rm(const std::string& path) {
  auto [dir, name] = open_guest_parent(path);
  if (::unlinkat(dir.get(), name.c_str(), 0) < 0) throw_errno("rm " + path);
}

void do_rm_f(const std::string& path) {
  try {
    do_rm(path);
  } catch (const DaemonError& e) {
    // A missing parent directory, or a file where one is expected, also
    // means there is nothing to remove (as rm -f).
    if (e.err() != ENOENT && e.err() != ENOTDIR) throw;
  }
}

void do_rm_rf(const std::string& path) {
  std::string target;
  try {
    target = resolved_entry(path);
  } catch (const DaemonError& e) {
    if (e.err() == ENOENT || e.err() == ENOTDIR) return;  // as rm -f: nothing to remove
    throw;
  }
  run_confined({"rm", "-rf", "--", target});
}

void do_rmdir(const std::string& path) {
  auto [dir, name] = open_guest_parent(path);
  if (::unlinkat(dir.get(), name.c_str(), AT_REMOVEDIR) < 0) throw_errno("rmdir " + path);
}

void do_cp(const std::string& src, const std::string& dest) {
  // Plain cp reads through a final symlink of src, as cp(1) does.
  run_confined({"cp", "--", resolved(src, true), resolved_dest(dest)});
}

void do_cp_a(const std::string& src, const std::string& dest) {
  run_confined({"cp", "-a", "--", resolved_entry(src), resolved_dest(dest)});
}

void do_cp_r(const std::string& src, const std::string& dest) {
  run_confined({"cp", "-rP", "--", resolved_entry(src), resolved_dest(dest)});
}

void do_mv(const std::string& src, const std::string& dest) {
  run_confined({"mv", "--", resolved_entry(src), resolved_dest(dest)});
}

void do_ln_s(const std::string& target, const std::string& linkname) {
  auto [dir, name] = open_guest_parent(linkname);
  if (::symlinkat(target.c_str(), dir.get(), name.c_str()) < 0) throw_errno("ln_s " + linkname);
}

void do_ln(const std::string& target, const std::string& linkname) {
  auto [target_dir, target_name] = open_guest_parent(target);
  auto [dir, name] = open_guest_parent(linkname);
  if (::linkat(target_dir.get(), target_name.c_str(), dir.get(), name.c_str(), 0) < 0)
    throw_errno("ln " + target + " " + linkname);
}

void do_ln_sf(const std::string& target, const std::string& linkname) {
  auto [dir, name] = open_guest_parent(linkname);
  // A directory is refused (EISDIR), as the documentation says.
  if (::unlinkat(dir.get(), name.c_str(), 0) < 0 && errno != ENOENT) throw_errno("ln_sf " + linkname);
  if (::symlinkat(target.c_str(), dir.get(), name.c_str()) < 0) throw_errno("ln_sf " + linkname);
}

void do_chmod(int32_t mode, const std::string& path) {
  UniqueFd fd = guest_object(path, true);
  // chmod(2) has no "empty path" form before Linux 6.6: go through the
  // descriptor's /proc name, which is the object already resolved.
  std::string proc = "/proc/self/fd/" + std::to_string(fd.get());
  if (::chmod(proc.c_str(), static_cast<mode_t>(mode)) < 0) throw_errno("chmod " + path);
}

namespace {
void change_owner(int32_t owner, int32_t group, const std::string& path, bool follow) {
  UniqueFd fd = guest_object(path, follow);
  if (::fchownat(fd.get(), "", static_cast<uid_t>(owner), static_cast<gid_t>(group), AT_EMPTY_PATH) < 0)
    throw_errno((follow ? "chown " : "lchown ") + path);
}
}  // namespace

void do_chown(int32_t owner, int32_t group, const std::string& path) { change_owner(owner, group, path, true); }

void do_lchown(int32_t owner, int32_t group, const std::string& path) { change_owner(owner, group, path, false); }

void do_touch(const std::string& path) {
  auto [dir, name] = open_guest_parent(path);
  struct stat st {};
  if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
    throw DaemonError(EINVAL, "touch: " + path + ": not a regular file");
  int fd = ::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno("touch " + path);
  UniqueFd file(fd);
  if (::futimens(file.get(), nullptr) < 0) throw_errno("touch " + path);
}

void do_truncate(const std::string& path) { do_truncate_size(path, 0); }

int32_t do_pwrite(const std::string& path, const std::string& content, int64_t offset) {
  if (offset < 0) throw DaemonError(EINVAL, "pwrite: " + path + ": negative offset");
  UniqueFd fd = open_in_guest(path, O_WRONLY | O_NONBLOCK | O_NOCTTY);
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno("pwrite " + path);
  if (!S_ISREG(st.st_mode)) throw DaemonError(EINVAL, "pwrite: " + path + ": not a regular file");
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::pwrite(fd.get(), content.data() + done, content.size() - done, static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("pwrite " + path);
    done += static_cast<size_t>(n);
  }
  return static_cast<int32_t>(done);
}

void do_utimens(const std::string& path, int64_t atsecs, int64_t atnsecs, int64_t mtsecs, int64_t mtnsecs) {
  auto spec = [](int64_t secs, int64_t nsecs) {
    timespec t {};
    t.tv_sec = static_cast<time_t>(secs);
    t.tv_nsec = nsecs == -1 ? UTIME_NOW : nsecs == -2 ? UTIME_OMIT : static_cast<long>(nsecs);
    return t;
  };
  for (int64_t n : {atnsecs, mtnsecs})
    if (n < -2 || n > 999999999) throw DaemonError(EINVAL, "utimens: " + path + ": nanoseconds out of range");
  timespec times[2] = {spec(atsecs, atnsecs), spec(mtsecs, mtnsecs)};
  if (path == "/") {
    UniqueFd root = guest_object(path, true);
    if (::futimens(UniqueFd(::openat(root.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)).get(), times) < 0)
      throw_errno("utimens " + path);
    return;
  }
  auto [dir, name] = open_guest_parent(path);
  if (::utimensat(dir.get(), name.c_str(), times, AT_SYMLINK_NOFOLLOW) < 0) throw_errno("utimens " + path);
}

void do_truncate_size(const std::string& path, int64_t size) {
  if (size < 0) throw DaemonError(EINVAL, "truncate_size: " + path + ": negative size");
  UniqueFd fd = open_in_guest(path, O_WRONLY | O_NONBLOCK | O_NOCTTY);
  if (::ftruncate(fd.get(), size) < 0) throw_errno("truncate " + path);
}

namespace {
// Writes `len` bytes of `pattern` repeated, in large pieces.
void fill_file(const std::string& pattern, int32_t len, const std::string& path, const char* call) {
  if (len < 0) throw DaemonError(EINVAL, std::string(call) + ": " + path + ": negative length");
  if (pattern.empty()) throw DaemonError(EINVAL, std::string(call) + ": empty pattern");
  UniqueFd fd = open_in_guest(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_NOCTTY);
  std::string block;
  while (block.size() < 65536) block += pattern;
  block.resize(65536 - 65536 % pattern.size());
  uint64_t total = static_cast<uint64_t>(len), done = 0;
  while (done < total) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(block.size(), total - done));
    write_all(fd.get(), std::string_view(block.data(), n), path);
    done += n;
    send_progress(done, total);
  }
}
}  // namespace

void do_fill(int32_t c, int32_t len, const std::string& path) {
  if (c < 0 || c > 255) throw DaemonError(EINVAL, "fill: " + std::to_string(c) + ": byte value must be 0 to 255");
  fill_file(std::string(1, static_cast<char>(c)), len, path, "fill");
}

void do_fill_pattern(const std::string& pattern, int32_t len, const std::string& path) {
  fill_file(pattern, len, path, "fill_pattern");
}

// --- tar archives ---------------------------------------------------------

void do_tar_in(FileInStream& tarfile, const std::string& directory, const api::TarInOptargs& optargs) {
  UniqueFd dir = open_in_guest(directory, O_PATH | O_DIRECTORY);
  // GNU tar skips members named with ".." and strips a leading "/"; the
  // NOSYMFOLLOW namespace stops it following a link the guest already holds.
  // Owners are restored by number: the appliance's user names mean nothing
  // to the guest.
  std::vector<std::string> argv = {"tar", "-x", "-f", "-", "--numeric-owner"};
  std::string compress = tar_compress_option(optargs.compress, "tar_in");
  if (!compress.empty()) argv.push_back(compress);
  add_tar_attribute_options(argv, optargs.xattrs, optargs.selinux, optargs.acls);
  SigpipeBlocked no_sigpipe;
  Pipe input;
  ConfinedProgram tar(argv, input.read.get(), -1, dir.get());
  input.read.reset();
  uint64_t received = 0;
  bool tar_gone = false;
  while (auto chunk = tarfile.next()) {
    received += chunk->size();
    send_progress(received, 0);
    if (tar_gone) continue;  // keep reading the stream to its end
    std::string_view data = *chunk;
    while (!data.empty()) {
      ssize_t n = ::write(input.write.get(), data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        tar_gone = true;  // its error message says why
        break;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
  }
  input.write.reset();
  tar.finish();
}

void do_tar_out(const std::string& directory, FileOutStream& tarfile, const api::TarOutOptargs& optargs) {
  UniqueFd dir = open_in_guest(directory, O_PATH | O_DIRECTORY);
  std::vector<std::string> argv = {"tar", "-c", "-f", "-"};
  std::string compress = tar_compress_option(optargs.compress, "tar_out");
  if (!compress.empty()) argv.push_back(compress);
  if (optargs.numericowner.value_or(false)) argv.push_back("--numeric-owner");
  if (optargs.excludes)
    for (const auto& pattern : *optargs.excludes) argv.push_back("--exclude=" + pattern);
  add_tar_attribute_options(argv, optargs.xattrs, optargs.selinux, optargs.acls);
  argv.push_back(".");
  Pipe output;
  ConfinedProgram tar(argv, -1, output.write.get(), dir.get());
  output.write.reset();
  std::string buf(proto::kChunkSize, '\0');
  uint64_t sent = 0;
  for (;;) {
    ssize_t n = ::read(output.read.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("tar_out: reading from tar");
    if (n == 0) break;
    tarfile.write(std::string_view(buf.data(), static_cast<size_t>(n)));
    sent += static_cast<uint64_t>(n);
    send_progress(sent, 0);
  }
  tar.finish();
}

}  // namespace vt::daemon
