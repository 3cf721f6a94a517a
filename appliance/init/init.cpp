// Stage-1 init, in the initrd: load the modules needed to reach the root
// image, mount it read-only and hand over to the daemon.  Nothing else: every
// millisecond here is paid by every tool run.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

namespace {

[[noreturn]] void fatal(const char* what) {
  // Exiting PID 1 panics the kernel; with panic=-1 and -no-reboot QEMU exits,
  // and the library shows this line from the console.
  std::fprintf(stderr, "virt-tools-init: %s: %s\n", what, std::strerror(errno));
  std::fflush(stderr);
  _exit(1);
}

void load_module(const std::string& name) {
  std::string path = "/lib/modules/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fatal(path.c_str());
  if (::syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
    std::fprintf(stderr, "virt-tools-init: %s: %s\n", path.c_str(), std::strerror(errno));
  ::close(fd);
}

}  // namespace

int main() {
  ::mount("devtmpfs", "/dev", "devtmpfs", 0, nullptr);
  if (::mount("proc", "/proc", "proc", 0, nullptr) < 0) fatal("mount /proc");
  if (::mount("sysfs", "/sys", "sysfs", 0, nullptr) < 0) fatal("mount /sys");

  {
    // Closed before the exec: an ifstream's descriptor is not close-on-exec,
    // and the daemon would hand it to every program it runs.
    std::ifstream order("/lib/modules/load-order");
    std::string name;
    while (std::getline(order, name))
      if (!name.empty()) load_module(name);
  }

  // virtio probing is synchronous, but devtmpfs creates the node a moment later.
  struct stat st;
  for (int i = 0; ::stat("/dev/vda", &st) < 0; ++i) {
    if (i > 10000) fatal("the appliance root disk /dev/vda did not appear");
    ::usleep(1000);
  }
  if (::mount("/dev/vda", "/sysroot", "squashfs", MS_RDONLY, nullptr) < 0) fatal("mount /dev/vda on /sysroot");
  for (const char* m : {"/dev", "/proc", "/sys"}) {
    std::string target = std::string("/sysroot") + m;
    if (::mount(m, target.c_str(), nullptr, MS_MOVE, nullptr) < 0) fatal(target.c_str());
  }
  if (::chdir("/sysroot") < 0 || ::mount(".", "/", nullptr, MS_MOVE, nullptr) < 0 || ::chroot(".") < 0 ||
      ::chdir("/") < 0)
    fatal("switch to the root image");
  char arg0[] = "/usr/sbin/virt-tools-daemon";
  char* argv[] = {arg0, nullptr};
  ::execv(arg0, argv);
  fatal("exec /usr/sbin/virt-tools-daemon");
}
