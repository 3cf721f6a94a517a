// The escape hatches that run arbitrary commands: command_lines (in the
// appliance, like command) and sh, sh_lines (the guest's shell, chrooted into
// the mounted guest as libguestfs does).
#include <fcntl.h>
#include <sys/mount.h>

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
