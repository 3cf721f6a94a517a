// virt-rescue: an interactive shell in the appliance with a guest's disks
// attached, as a rescue CD would give.  Options, the escape keys and
// --suggest follow libguestfs 1.48's tool.  The shell runs on a
// pseudo-terminal in the appliance; the daemon's own channel carries it
// (internal_rescue), so the launch is the usual restored appliance.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "errors.hpp"
#include "escape.hpp"
#include "inspect.hpp"
#include "inspect_fstab.hpp"
#include "options.hpp"
#include "session.hpp"
#include "tool_mounts.hpp"

namespace po = boost::program_options;
using namespace vt;
using namespace vt::rescue_tool;

namespace {

// libguestfs's scratch disks are this big (sparse: they cost nothing until written).
constexpr off_t kScratchBytes = 10LL << 30;

// --suggest: how to mount what the disks hold, as 1.48 prints it.
void suggest(Handle& h) {
  std::cout << "Inspecting the virtual machine or disk image ...\n\n" << std::flush;
  auto roots = h.inspect_os();
  if (!roots.empty()) {
    std::cout << "This disk contains one or more operating systems.  You can use these mount\n"
                 "commands in virt-rescue (at the ><rescue> prompt) to mount the filesystems.\n\n";
    for (const auto& device : roots) {
      const auto& root = *h.inspection().find(device);
      const auto& f = root.facts;
      std::cout << "# " << device << " is the root of a " << f.type << " operating system\n"
                << "# type: " << f.type << ", distro: " << f.distro << ", version: " << f.major_version << "."
                << f.minor_version << "\n"
                << "# " << f.product_name << "\n\n";
      for (const auto& [mountpoint, mountable] : inspect::mount_order(root.mountpoints()))
        std::cout << "mount " << mountable << " /sysroot" << mountpoint << "\n";
      // A chroot into a Linux guest needs the appliance's /dev, /proc and /sys.
      if (f.type == "linux")
        std::cout << "mount --rbind /dev /sysroot/dev\nmount --rbind /proc /sysroot/proc\n"
                     "mount --rbind /sys /sysroot/sys\n\ncd /sysroot\nchroot /sysroot\n";
      std::cout << "\n";
    }
    return;
  }
  auto filesystems = h.list_filesystems();
  if (filesystems.empty()) {
    std::cout << "This disk contains no filesystem that virt-rescue recognizes.  You can still\n"
                 "run virt-rescue on it to mount a filesystem by hand, or to make partitions,\n"
                 "logical volumes and filesystems on a blank disk.\n\n";
    return;
  }
  std::cout << "This disk contains one or more filesystems, but we don\u2019t recognize any\n"
               "operating system.  You can use these mount commands in virt-rescue (at the\n"
               "><rescue> prompt) to mount these filesystems.\n\n";
  for (const auto& [device, type] : filesystems) {
    std::cout << "# " << device << " has type \u2018" << type << "\u2019\n";
    if (type != "swap" && type != "unknown") std::cout << "mount " << device << " /sysroot\n";
    std::cout << "\n";
  }
}

// What ^] i prints after -i.
std::string inspection_summary(const inspect::Root& root) {
  const auto& f = root.facts;
  std::string out = "Root: " + root.device + "\n  " + f.product_name + " (type " + f.type + ", distro " + f.distro +
                    ", version " + std::to_string(f.major_version) + "." + std::to_string(f.minor_version) +
                    ", arch " + f.arch + ")\n";
  for (const auto& [mountpoint, mountable] : inspect::mount_order(root.mountpoints()))
    out += "  " + mountable + " mounted on /sysroot" + (mountpoint == "/" ? "" : mountpoint) + "\n";
  return out;
}

int positive(const ToolOptions& opts, const std::string& name, int low, int high) {
  std::string v = opts.value(name);
  char* end = nullptr;
  errno = 0;
  long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end || errno || n < low || n > high)
    throw OptionError("--" + name + " " + v + ": must be a number from " + std::to_string(low) + " to " +
                      std::to_string(high));
  return static_cast<int>(n);
}

std::string terminal_type() {
  const char* term = ::getenv("TERM");
  std::string t = term && *term ? term : "";
  if (!::isatty(0) || t.empty()) return "dumb";
  if (t.size() > 64 || t.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_") !=
                           std::string::npos)
    return "xterm";
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int raise_signal = 0;
  int status = run_tool("virt-rescue", [&] {
    ToolOptions opts("virt-rescue", "Run a rescue shell on a virtual machine",
                     "[--options] -d domname | -a disk.img [-a disk.img ...] [-i]");
    opts.tool_options().add_options()
        ("append", po::value<std::string>(), "Append kernel options")
        ("escape,e", po::value<std::string>(), "Set or disable escape key (^x or none; default ^])")
        ("inspector,i", "Automatically mount filesystems")
        ("memsize", po::value<std::string>(), "Set memory size in megabytes")
        ("mount,m", po::value<std::vector<std::string>>()->composing(), "Mount dev on mnt (if omitted, /): dev[:mnt[:opts[:fstype]]]")
        ("network", "Enable network (not supported: refused)")
        ("ro,r", "Access read-only")
        ("rw,w", "Mount read-write (the default)")
        ("scratch", po::value<std::string>()->implicit_value("1"), "Add scratch disk(s)")
        ("selinux", "For backwards compat only, does nothing")
        ("smp", po::value<std::string>(), "Enable SMP with N >= 2 virtual CPUs")
        ("suggest", "Suggest mount commands for this guest, then exit");
    opts.allow_blocksize();
    opts.allow_operands();
    if (!opts.parse(argc, argv)) return 0;
    if (opts.has("network"))
      throw OptionError("--network is not supported: the appliance has no network device");
    if (opts.has("ro") && opts.has("rw")) throw OptionError("--ro and --rw cannot be used together");
    std::optional<char> escape_key = '\x1d';
    if (opts.has("escape")) {
      try {
        escape_key = parse_escape_key(opts.value("escape"));
      } catch (const std::invalid_argument& e) {
        throw OptionError(e.what());
      }
    }
    Handle::ApplianceSettings settings;
    if (opts.has("memsize")) settings.memory_mb = positive(opts, "memsize", 256, 1 << 20);
    if (opts.has("smp")) settings.smp = positive(opts, "smp", 1, 255);
    if (opts.has("append")) settings.append = opts.value("append");
    int scratch = opts.has("scratch") ? positive(opts, "scratch", 1, 64) : 0;
    bool suggesting = opts.has("suggest");
    bool readonly = opts.has("ro") || suggesting;  // --suggest only looks

    std::vector<DiskArg> disks = opts.disks();
    for (const auto& word : opts.operands()) disks.push_back(disk_or_domain(word));
    std::vector<std::string> mounts;
    if (opts.has("mount")) mounts = opts.vm()["mount"].as<std::vector<std::string>>();
    if (disks.empty() && scratch == 0)
      throw OptionError("no disks given: use -a DISK, -d DOMAIN or --scratch");
    if ((opts.has("inspector") || suggesting) && disks.empty())
      throw OptionError(std::string(suggesting ? "--suggest" : "-i") + " needs at least one -a disk or -d domain");

    // Made before the handle, so they outlive its QEMU.
    std::unique_ptr<TempDir> scratch_dir;
    Handle h;
    opts.configure(h);
    h.set_appliance_settings(settings);
    add_disk_args(h, disks, readonly, opts.libvirt_uri());
    if (scratch > 0) {
      scratch_dir = std::make_unique<TempDir>("virt-rescue-scratch");
      for (int i = 0; i < scratch; ++i) {
        std::string path = scratch_dir->path() + "/scratch" + std::to_string(i + 1) + ".img";
        UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (!fd || ::ftruncate(fd.get(), kScratchBytes) < 0) throw Error(errno_message(path, errno));
        DriveOptions d;
        d.format = "raw";
        d.cache_unsafe = true;  // thrown away at the end
        h.add_drive(path, d);
      }
    }
    h.launch();
    if (suggesting) {
      suggest(h);
      h.shutdown();
      return 0;
    }

    SessionOptions session;
    session.escape_key = escape_key;
    const std::string hint = "\n(leave out -i and -m, then mount the filesystems under /sysroot in the shell)";
    if (opts.has("inspector")) session.inspection = inspection_summary(mount_by_inspection(h, readonly, hint));
    for (const auto& m : mounts) mount_option(h, m, readonly, hint);

    h.internal_rescue(terminal_type(), ::isatty(0) != 0);
    std::string key_hint = escape_key ? escape_key_name(*escape_key) + " ? lists the escape keys; " : "";
    std::cout << "\nThe virt-rescue shell.  What you see in / is the rescue appliance; the guest's\n"
                 "filesystems go under /sysroot ("
              << (opts.has("inspector") || !mounts.empty() ? "mounted there now" : "mount them there: lvs, blkid and parted -l show them")
              << ").\n" << key_hint << "'exit' ends the session.\n\n" << std::flush;
    SessionResult r = run_session(h, session);
    h.shutdown();
    raise_signal = r.signal;
    return 0;
  });
  if (raise_signal) {
    // Everything is cleaned up: die of the signal, as the caller expects.
    ::signal(raise_signal, SIG_DFL);
    ::raise(raise_signal);
  }
  return status;
}
