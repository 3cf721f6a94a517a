// guestunmount: unmounts a guestmount mountpoint with fusermount3, retrying
// while it is busy, or (--fd) waits for a pipe to close first.  Options and
// exit codes as libguestfs 1.48's: 0 done, 1 error, 2 still busy after the
// retries, 3 not mounted.
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <iostream>
#include <thread>

#include "errors.hpp"
#include "options.hpp"
#include "process.hpp"

namespace po = boost::program_options;
using namespace vt;

namespace {

// The mount table's form of a path: octal escapes for space, tab, newline, backslash.
std::string mtab_escaped(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

bool is_fuse_mounted(const std::string& mountpoint) {
  char* real = ::realpath(mountpoint.c_str(), nullptr);
  std::string path = real ? real : mountpoint;
  std::free(real);
  std::ifstream mounts("/proc/self/mounts");
  std::string device, dir, type;
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream in(line);
    in >> device >> dir >> type;
    if (dir == mtab_escaped(path) && type.compare(0, 4, "fuse") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  return run_tool("guestunmount", [&] {
    ToolOptions opts("guestunmount", "unmount a guestmounted filesystem", "[--fd=FD] mountpoint", DiskOptions::none);
    opts.tool_options().add_options()
        ("fd", po::value<int>(), "Pipe file descriptor to monitor: unmount when it closes")
        ("no-retry", "Run fusermount only once")
        ("quiet,q", "Don't print fusermount errors")
        ("retry", po::value<unsigned>(), "Retry fusermount N times (default 5)");
    opts.allow_operands();
    if (!opts.parse(argc, argv)) return 0;
    if (opts.operands().size() != 1) throw OptionError("you must specify one mountpoint");
    const std::string mountpoint = opts.operands()[0];
    unsigned retries = opts.has("no-retry") ? 0 : opts.has("retry") ? opts.vm()["retry"].as<unsigned>() : 5;
    bool quiet = opts.has("quiet");

    if (opts.has("fd")) {
      // Wait until every writer of the pipe has gone.
      int fd = opts.vm()["fd"].as<int>();
      for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, -1) < 0) {
          if (errno == EINTR) continue;
          throw Error(errno_message("--fd", errno));
        }
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) break;
        char buf[256];
        if (::read(fd, buf, sizeof buf) <= 0) break;
      }
    }
    if (!is_fuse_mounted(mountpoint)) {
      if (!quiet) std::cerr << "guestunmount: " << mountpoint << " is not mounted\n";
      return 3;
    }
    std::string fusermount = find_program("fusermount3");
    if (fusermount.empty()) fusermount = find_program("fusermount");
    if (fusermount.empty()) throw Error("fusermount3 not found; install the fuse3 package");
    std::string last_error;
    for (unsigned attempt = 0;; ++attempt) {
      auto r = run_command({fusermount, "-u", mountpoint}, "", 1 << 20);
      if (r.ok()) return 0;
      last_error = r.err;
      if (attempt >= retries || !is_fuse_mounted(mountpoint)) break;
      // Busy: back off 1 s, 2 s, 4 s ... as libguestfs does.
      std::this_thread::sleep_for(std::chrono::seconds(1u << std::min(attempt, 10u)));
    }
    if (!is_fuse_mounted(mountpoint)) return 0;
    if (!quiet) {
      while (!last_error.empty() && last_error.back() == '\n') last_error.pop_back();
      std::cerr << "guestunmount: " << (last_error.empty() ? "fusermount failed" : last_error) << "\n"
                << "guestunmount: failed to unmount " << mountpoint << "\n";
    }
    return 2;
  });
}
