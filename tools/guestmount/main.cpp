// guestmount: a guest's filesystems mounted on the host through FUSE, as
// libguestfs 1.48's guestmount does.  The mount is served by this process
// (in the background once the mountpoint is ready, unless --no-fork) until
// guestunmount or fusermount3 -u; then the disks are synced and the
// appliance stops.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "errors.hpp"
#include "fs.hpp"
#include "luks.hpp"
#include "options.hpp"
#include "tool_mounts.hpp"

namespace po = boost::program_options;
using namespace vt;
using namespace vt::guestmount;

namespace {

// The fuse_args of -o options, freed whatever happens.
class FuseArgs {
 public:
  FuseArgs() { add("guestmount"); }
  ~FuseArgs() { fuse_opt_free_args(&args_); }
  FuseArgs(const FuseArgs&) = delete;
  FuseArgs& operator=(const FuseArgs&) = delete;
  void add(const std::string& a) {
    if (fuse_opt_add_arg(&args_, a.c_str()) < 0) throw Error("out of memory");
  }
  fuse_args* get() { return &args_; }

 private:
  fuse_args args_ = FUSE_ARGS_INIT(0, nullptr);
};

// A mounted FUSE filesystem: unmounted and destroyed on every way out.
class FuseMount {
 public:
  FuseMount(FuseArgs& args, const fuse_operations& ops, GuestFs& fs, const std::string& mountpoint) {
    fuse_ = fuse_new(args.get(), &ops, sizeof ops, &fs);
    if (!fuse_) throw Error("FUSE rejected the options (see the message above)");
    if (fuse_mount(fuse_, mountpoint.c_str()) != 0) {
      fuse_destroy(fuse_);
      throw Error(mountpoint + ": the FUSE mount failed (is /dev/fuse there, and fusermount3 installed?)");
    }
  }
  ~FuseMount() {
    fuse_remove_signal_handlers(fuse_get_session(fuse_));
    fuse_unmount(fuse_);
    fuse_destroy(fuse_);
  }
  FuseMount(const FuseMount&) = delete;
  FuseMount& operator=(const FuseMount&) = delete;
  fuse* get() { return fuse_; }

 private:
  fuse* fuse_ = nullptr;
};

void write_byte(int fd) {
  char b = 0;
  while (::write(fd, &b, 1) < 0 && errno == EINTR) {
  }
}

// The background child's end of the fork: the parent waits on this pipe
// for "ready" (one byte) and exits 0; at EOF without it, the child failed and
// has said why on the shared stderr.
struct Readiness {
  int fd = -1;
  void ready() {
    if (fd < 0) return;
    write_byte(fd);
    ::close(fd);
    fd = -1;
  }
};

int wait_for_child(int fd, pid_t child) {
  char b;
  ssize_t n;
  while ((n = ::read(fd, &b, 1)) < 0 && errno == EINTR) {
  }
  if (n == 1) return 0;
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return run_tool("guestmount", [&] {
    ToolOptions opts("guestmount", "FUSE module for libguestfs-style guest filesystems", "[--options] mountpoint");
    opts.tool_options().add_options()
        ("dir-cache-timeout", po::value<unsigned>(), "Set readdir cache timeout (default 60 sec)")
        ("fd", po::value<int>(), "Write to pipe FD when mountpoint is ready")
        ("fuse-help", "Display extra FUSE options")
        ("inspector,i", "Automatically mount filesystems")
        ("live", "Connect to a live virtual machine (not supported: refused)")
        ("mount,m", po::value<std::vector<std::string>>()->composing(), "Mount dev on mnt (if omitted, /): dev[:mnt[:opts[:fstype]]]")
        ("no-fork", "Don't daemonize")
        ("no-sync,n", "Don't autosync")
        ("option,o", po::value<std::vector<std::string>>()->composing(), "Pass extra option to FUSE")
        ("pid-file", po::value<std::string>(), "Write PID to filename")
        ("ro,r", "Mount read-only")
        ("rw,w", "Mount read-write (the default)")
        ("selinux", "For backwards compat only, does nothing");
    luks::add_key_options(opts.tool_options());
    opts.allow_blocksize();
    opts.allow_operands();
    if (!opts.parse(argc, argv)) return 0;
    if (opts.has("fuse-help")) {
      FuseArgs args;
      args.add("--help");
      std::cout << "FUSE options (for -o):\n" << std::flush;
      fuse_lib_help(args.get());
      return 0;
    }
    if (opts.has("live")) throw OptionError("--live is not supported");
    if (opts.has("ro") && opts.has("rw")) throw OptionError("--ro and --rw cannot be used together");
    for (const auto& d : opts.disks())
      if (!d.domain.empty()) throw OptionError("-d is not supported yet: use -a with the guest's disk images");
    if (opts.disks().empty()) throw OptionError("must have at least one -a option");
    std::vector<std::string> mounts;
    if (opts.has("mount")) mounts = opts.vm()["mount"].as<std::vector<std::string>>();
    bool inspector = opts.has("inspector");
    if (!inspector && mounts.empty()) throw OptionError("must have either -i or -m option");
    if (opts.operands().size() != 1) throw OptionError("you must specify one mountpoint (and nothing else) after the options");
    std::string mountpoint = opts.operands()[0];
    struct stat st {};
    if (::stat(mountpoint.c_str(), &st) < 0) throw Error(errno_message(mountpoint, errno));
    if (!S_ISDIR(st.st_mode)) throw Error(mountpoint + ": not a directory");
    bool readonly = opts.has("ro");
    FsOptions fs_opts;
    fs_opts.readonly = readonly;
    fs_opts.sync_on_unmount = !opts.has("no-sync");
    if (opts.has("dir-cache-timeout")) fs_opts.cache_timeout = std::chrono::seconds(opts.vm()["dir-cache-timeout"].as<unsigned>());
    std::optional<int> ready_fd;
    if (opts.has("fd")) ready_fd = opts.vm()["fd"].as<int>();

    // Into the background before anything is launched: QEMU dies with the
    // process that started it, which must be the one serving the mount.
    Readiness readiness;
    if (!opts.has("no-fork")) {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) < 0) throw Error(errno_message("pipe", errno));
      pid_t child = ::fork();
      if (child < 0) throw Error(errno_message("fork", errno));
      if (child > 0) {
        ::close(fds[1]);
        std::exit(wait_for_child(fds[0], child));
      }
      ::close(fds[0]);
      readiness.fd = fds[1];
      ::setsid();
    }

    Handle h;
    opts.setup(h, readonly);
    h.launch();
    luks::KeyReader reader(luks::key_options_from(opts.vm()), "guestmount");
    luks::decrypt_disks(h, reader);
    const std::string hint = "\n(use 'virt-filesystems -a DISK' to see the filesystems)";
    if (inspector) mount_by_inspection(h, readonly, hint);
    for (const auto& m : mounts) mount_option(h, m, readonly, hint);

    GuestFs fs(h, fs_opts);
    FuseArgs args;
    for (const auto& o : opts.values("option")) {
      args.add("-o");
      args.add(o);
    }
    if (readonly) {
      args.add("-o");
      args.add("ro");
    }
    args.add("-o");
    args.add("fsname=guestmount,subtype=virt-tools");
    int loop = 0;
    {
      FuseMount mount(args, GuestFs::operations(), fs, mountpoint);
      // SIGINT, SIGTERM and SIGHUP end the loop and unmount cleanly (FUSE
      // installs its handlers only over the default ones).
      for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, SIG_DFL);
      if (fuse_set_signal_handlers(fuse_get_session(mount.get())) != 0) throw Error("cannot set the signal handlers");

      if (opts.has("pid-file")) {
        std::ofstream pid(opts.value("pid-file"));
        pid << ::getpid() << "\n";
        if (!pid) throw Error(errno_message(opts.value("pid-file"), errno));
      }
      if (ready_fd) {
        write_byte(*ready_fd);
        ::close(*ready_fd);
      }
      if (readiness.fd >= 0) {
        // A daemon keeps no terminal: -v and -x still reach the stderr it was given.
        int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        ::dup2(null, 0);
        ::dup2(null, 1);
        if (!opts.verbose() && !opts.trace()) ::dup2(null, 2);
        ::close(null);
        readiness.ready();
      }
      loop = fuse_loop(mount.get());
    }  // unmounted here, before the appliance goes
    h.shutdown();
    return loop < 0 ? 1 : 0;
  });
}
