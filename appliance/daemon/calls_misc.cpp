// The escape hatches that run arbitrary commands: command_lines (in the
// appliance, like command) and sh, sh_lines (the guest's shell, chrooted into
// the mounted guest as libguestfs does).
#include <fcntl.h>
#include <linux/random.h>
#include <sys/ioctl.h>
#include <sys/mount.h>

#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// Output that could not be sent back in one message fails here, with advice,
// rather than in the protocol layer.
std::string checked_output(std::string out, const char* call) {
  if (out.size() > proto::kMaxMessage - 4096)
    throw DaemonError(EFBIG, std::string(call) + ": the output (" + std::to_string(out.size()) +
                                 " bytes) does not fit in one protocol message; redirect it to a file and download it");
  return out;
}

// Lines of a command's output; a final newline does not make an empty line.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool root_is_mounted() {
  std::ifstream in("/proc/self/mounts");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string device, mountpoint;
    fields >> device >> mountpoint;
    if (mountpoint == kSysroot) return true;
  }
  return false;
}

// The appliance's /dev, /proc and /sys bound onto the guest's, for as long as
// a guest command runs.  A guest directory that is missing (or a symlink,
// which could point anywhere in the appliance) is left alone.
class GuestSystemMounts {
 public:
  GuestSystemMounts() {
    for (const char* dir : {"/dev", "/proc", "/sys"}) {
      UniqueFd target;
      try {
        target = open_in_guest(dir, O_PATH | O_DIRECTORY, /*follow_last=*/false);
      } catch (const DaemonError&) {
        continue;
      }
      std::string target_path = "/proc/self/fd/" + std::to_string(target.get());
      if (::mount(dir, target_path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) < 0) {
        int err = errno;
        unmount_all();  // the destructor does not run when the constructor throws
        throw_errno(std::string("bind ") + dir + " into the guest", err);
      }
      mounted_.push_back(std::string(kSysroot) + dir);
    }
  }
  ~GuestSystemMounts() { unmount_all(); }
  GuestSystemMounts(const GuestSystemMounts&) = delete;
  GuestSystemMounts& operator=(const GuestSystemMounts&) = delete;

 private:
  void unmount_all() {
    for (auto it = mounted_.rbegin(); it != mounted_.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
    mounted_.clear();
  }
  std::vector<std::string> mounted_;
};

std::string run_guest_shell(const char* call, const std::string& command) {
  if (!root_is_mounted())
    throw DaemonError(EINVAL, std::string(call) +
                                  ": no guest filesystem is mounted on /: the command runs the guest's /bin/sh "
                                  "in the guest's root, so mount it first (use command to run an appliance program)");
  GuestSystemMounts system_mounts;
  return checked_output(run_or_fail({"chroot", kSysroot, "/bin/sh", "-c", command}, call), call);
}

}  // namespace

std::vector<std::string> do_command_lines(const std::vector<std::string>& arguments) {
  return split_lines(checked_output(do_command(arguments), "command_lines"));
}

std::string do_sh(const std::string& command) { return run_guest_shell("sh", command); }

std::vector<std::string> do_sh_lines(const std::string& command) { return split_lines(run_guest_shell("sh_lines", command)); }

}  // namespace vt::daemon

namespace vt::daemon {

void do_internal_resume(int64_t seconds, int64_t nanoseconds, const std::string& entropy) {
  if (seconds < 0 || nanoseconds < 0 || nanoseconds >= 1000000000)
    throw DaemonError(EINVAL, "internal_resume: the time is out of range");
  if (entropy.empty() || entropy.size() > 512) throw DaemonError(EINVAL, "internal_resume: give 1 to 512 bytes of entropy");
  timespec now{static_cast<time_t>(seconds), static_cast<long>(nanoseconds)};
  if (::clock_settime(CLOCK_REALTIME, &now) < 0) throw_errno("clock_settime");
  // RNDADDENTROPY mixes the bytes in and credits them; a plain write to
  // /dev/urandom would not credit them.
  std::string buf(sizeof(rand_pool_info) + entropy.size(), '\0');
  auto* info = reinterpret_cast<rand_pool_info*>(buf.data());
  info->entropy_count = static_cast<int>(entropy.size() * 8);
  info->buf_size = static_cast<int>(entropy.size());
  std::memcpy(info->buf, entropy.data(), entropy.size());
  UniqueFd fd(::open("/dev/urandom", O_WRONLY | O_CLOEXEC));
  if (!fd || ::ioctl(fd.get(), RNDADDENTROPY, info) < 0) throw_errno("RNDADDENTROPY");
  // Once the generator is initialised the kernel reseeds it only now and
  // then; every restored appliance must diverge before its first UUID.
  if (::ioctl(fd.get(), RNDRESEEDCRNG) < 0) throw_errno("RNDRESEEDCRNG");
}

void do_internal_prepare_save() {
  // Each of these costs tens to hundreds of milliseconds to load under TCG
  // (btrfs also benchmarks its RAID code); in a saved state they are free.
  // A vfat mount also needs its code page and character sets, which the
  // kernel would otherwise ask modprobe for, one process each (a vfat
  // mount took about 180 ms instead of 40).
  for (const char* m : {"dm_mod", "dm_crypt", "ext4", "xfs", "btrfs", "vfat", "nls_cp437", "nls_ascii", "nls_utf8",
                        "isofs", "fuse"})
    load_module(m);
  warm_fstab_augeas();
  // The first lvm run after a restore read lvm and its libraries from the
  // appliance disk, about 0.3 s under TCG: one run now puts them in the
  // page cache the state keeps.  There are no guest disks yet: it finds
  // nothing, and whatever it says does not matter.
  try {
    run_command(lvm_command({"vgchange", "-ay", "--quiet"}), "", proto::kMaxMessage);
    run_command(lvm_command({"fullreport"}), "", proto::kMaxMessage);
  } catch (const std::exception&) {
  }
  // The same for ntfs-3g, which mounts NTFS here (Debian's kernel has no
  // ntfs3): its first mount after a restore took 0.27 s, a later one 0.12 s.
  try {
    run_command({"ntfs-3g", "--help"}, "", proto::kMaxMessage);
  } catch (const std::exception&) {
  }
}

}  // namespace vt::daemon
