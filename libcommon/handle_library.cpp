// Calls that run in the library, built on daemon calls (flag kLibrary in the
// API table): the generator declares them and makes their commands; their
// bodies are here.
//
// copy_in and copy_out stream through tar on the host: a pipe joins the host
// tar to tar_in/tar_out, whose host file is the pipe's /proc/self/fd name, so
// nothing is staged in a temporary file.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include "errors.hpp"
#include "handle.hpp"
#include "trace_format.hpp"

namespace vt {

namespace {

struct Pipe {
  UniqueFd read, write;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) throw Error(errno_message("pipe", errno));
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
};

std::string proc_fd_path(const UniqueFd& fd) { return "/proc/self/fd/" + std::to_string(fd.get()); }

// "/a/b/" -> ("/a", "b"); "b" -> (".", "b").
std::pair<std::string, std::string> split_path(const std::string& path, const char* call) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : p.substr(0, slash);
  std::string name = slash == std::string::npos ? p : p.substr(slash + 1);
  if (name.empty() || name == "." || name == "..")
    throw Error(std::string(call) + ": " + path + ": name a file or directory, not " + (name.empty() ? "/" : name));
  return {dir, name};
}

// Waits for the host tar and says how it failed (its own messages went to stderr).
void finish_host_tar(ChildProcess& tar, const char* call) {
  std::optional<int> status;
  while (!(status = tar.wait_for(std::chrono::hours(1)))) {
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0)
    throw Error(std::string(call) + ": tar on the host " + describe_wait_status(*status));
}

// While writing into the host tar's pipe, a tar that died must give EPIPE
// (reported as an error) rather than kill the program.
class SigpipeIgnored {
 public:
  SigpipeIgnored() { old_ = ::signal(SIGPIPE, SIG_IGN); }
  ~SigpipeIgnored() { ::signal(SIGPIPE, old_); }
  SigpipeIgnored(const SigpipeIgnored&) = delete;
  SigpipeIgnored& operator=(const SigpipeIgnored&) = delete;

 private:
  sighandler_t old_;
};

}  // namespace

void Handle::copy_in(const std::string& localpath, const std::string& remotedir) {
  if (trace_enabled()) trace_call("copy_in", {trace_format(localpath), trace_format(remotedir)});
  struct stat st {};
  if (::stat(localpath.c_str(), &st) < 0) throw Error("copy_in: " + errno_message(localpath, errno));
  auto [dir, name] = split_path(localpath, "copy_in");
  Pipe archive;
  SpawnOptions opts;
  opts.stdout_fd = archive.write.get();
  opts.die_with_parent = true;
  // "./NAME": a name starting with "-" is not an option.
  ChildProcess tar({"tar", "-C", dir, "-c", "-f", "-", "./" + name}, opts);
  archive.write.reset();
  tar_in(proc_fd_path(archive.read), remotedir);
  finish_host_tar(tar, "copy_in");
  if (trace_enabled()) trace_return("copy_in", "");
}

void Handle::copy_out(const std::string& remotepath, const std::string& localdir) {
  if (trace_enabled()) trace_call("copy_out", {trace_format(remotepath), trace_format(localdir)});
  struct stat st {};
  if (::stat(localdir.c_str(), &st) < 0) throw Error("copy_out: " + errno_message(localdir, errno));
  if (!S_ISDIR(st.st_mode)) throw Error("copy_out: " + localdir + ": not a directory");
  auto [remote_dir, name] = split_path(remotepath, "copy_out");
  std::string target = localdir + "/" + name;
  if (is_dir(remotepath, {true})) {
    if (::mkdir(target.c_str(), 0777) < 0 && errno != EEXIST)
      throw Error("copy_out: " + errno_message(target, errno));
    Pipe archive;
    SpawnOptions opts;
    opts.stdin_fd = archive.read.get();
    opts.die_with_parent = true;
    // The archive is the guest's: GNU tar refuses ".." members and defers
    // links that point outside, and owners are not taken from it.
    ChildProcess tar({"tar", "-C", target, "-x", "-f", "-", "--no-same-owner"}, opts);
    archive.read.reset();
    {
      SigpipeIgnored no_sigpipe;
      tar_out(remotepath, proc_fd_path(archive.write));
    }
    archive.write.reset();
    finish_host_tar(tar, "copy_out");
  } else if (is_file(remotepath, {true})) {
    download(remotepath, target);
  } else {
    throw Error("copy_out: " + remotepath + ": not a file or directory in the guest");
  }
  if (trace_enabled()) trace_return("copy_out", "");
}

}  // namespace vt
