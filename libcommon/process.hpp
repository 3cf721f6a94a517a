// RAII owners for file descriptors, child processes and temporary directories.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vt {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// What a spawned child's standard streams are connected to.
struct SpawnOptions {
  int stdin_fd = -1;   // -1: /dev/null
  int stdout_fd = -1;  // -1: inherit
  int stderr_fd = -1;  // -1: inherit
  bool die_with_parent = false;  // PR_SET_PDEATHSIG: the child never outlives us
  std::vector<std::string> extra_env;  // NAME=VALUE added to the environment
};

// A child process, killed (SIGKILL) and reaped when the owner goes away.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& opts);
  ChildProcess(ChildProcess&& o) noexcept : pid_(o.pid_), pidfd_(std::move(o.pidfd_)) { o.pid_ = -1; }
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { kill_and_reap(); }

  pid_t pid() const { return pid_; }
  // A pidfd that polls readable when the child exits (-1 if unsupported).
  int pidfd() const { return pidfd_.get(); }
  bool running() const { return pid_ > 0; }
  // Waits for exit; returns the wait status.  Gives up after `timeout`.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  // Returns the wait status if the child has exited, without blocking.
  std::optional<int> try_wait();
  void kill_and_reap();

 private:
  void spawn(const std::string& exe, std::vector<char*>& cargv, std::vector<char*>& cenv, const SpawnOptions& opts);
  pid_t pid_ = -1;
  UniqueFd pidfd_;
};

// Runs a program to completion, capturing stdout and stderr.  Never uses a shell.
struct CommandResult {
  int status = 0;  // wait status
  std::string out;
  std::string err;
  // The program wrote more than the limit: it was killed, out holds the start.
  bool over_limit = false;
  bool ok() const;
};
// Runs a program to its end, capturing its output.  A program writing more
// than output_limit bytes (to stdout and stderr together) is killed rather
// than allowed to fill memory.
// `on_stdout` sees each piece of standard output as it arrives (progress).
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_data = "",
                          size_t output_limit = SIZE_MAX,
                          const std::function<void(std::string_view)>& on_stdout = {});

// A directory removed with its contents when the owner goes away.
class TempDir {
 public:
  // In `parent`, or else in $TMPDIR (default /tmp).
  explicit TempDir(const std::string& prefix, const std::string& parent = "");
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Removes a directory tree; async-signal-safe (raw syscalls only) so that a
// signal handler can use it.
void remove_tree_signal_safe(const char* path);

// Text of a wait status: "exited with status 2", "killed by signal 9".
std::string describe_wait_status(int status);

// Finds a program in PATH; empty if absent.
std::string find_program(const std::string& name);

// Everything `in` holds; past `limit` bytes an Error ("WHAT is larger than
// N bytes"): what a user pipes in may be a disk image by mistake.
std::string read_capped(std::istream& in, size_t limit, const std::string& what);

// Up to `length` bytes of the file at `offset` (fewer at its end).  Opened
// without blocking, so a FIFO in a file's place cannot hang the caller.
// Throws Error naming the file.
std::string pread_bytes(const std::string& path, uint64_t offset, size_t length);

}  // namespace vt
