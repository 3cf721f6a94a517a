// The appliance daemon: PID 1 of the appliance once stage-1 init has mounted
// the root.  It finishes the minimal setup, opens the virtio-serial channel,
// says 'ready' and then serves calls until the library goes away.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "api_types.hpp"
#include "daemon.hpp"
#include "kmod.hpp"

namespace vt::daemon {

std::string dispatch_call(Connection& conn, const proto::Message& msg);

bool g_verbose = false;

namespace {

constexpr const char* kChannelName = "org.virt-tools.channel.0";

Connection* g_conn = nullptr;
proto::Header g_current_call;
std::chrono::steady_clock::time_point g_last_progress;

void load_module_file(const std::string& path) {
  // A module already in the kernel costs nothing to skip; finit_module
  // would read the whole file first (about 25 ms for dm_mod under TCG, on
  // every mount).
  std::string name = path.substr(path.rfind('/') + 1);
  name = name.substr(0, name.find(".ko"));
  std::replace(name.begin(), name.end(), '-', '_');
  struct stat st {};
  if (::stat(("/sys/module/" + name).c_str(), &st) == 0) return;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return;
  if (::syscall(SYS_finit_module, fd.get(), "", 0) < 0 && errno != EEXIST && g_verbose)
    std::fprintf(stderr, "virt-tools-daemon: load %s: %s\n", path.c_str(), std::strerror(errno));
}

void setup_appliance() {
  ::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  ::mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  ::mkdir("/run/lock", 0755);
  ::mkdir("/tmp/lvm", 0755);
  // LVM without udev and without writing anywhere but /tmp and /run.
  const std::string lvm_conf = "devices { filter = [ \"r|^/dev/vd|\", \"a|.*|\" ] obtain_device_list_from_udev = 0 }\n"
                               "activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }\n"
                               "global { use_lvmpolld = 0 }\n"
                               "backup { backup = 0 archive = 0 }\n";
  std::ofstream("/tmp/lvm/lvm.conf") << lvm_conf;
  ::setenv("LVM_SYSTEM_DIR", "/tmp/lvm", 1);
  ::setenv("DM_DISABLE_UDEV", "1", 1);
  ::setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
  ::setenv("LC_ALL", "C", 1);
  ::setenv("HOME", "/tmp", 1);
  // Everything needed to talk to the library and to see hot-added disks.
  // sd_mod needs the crct10dif and crc64-rocksoft hashes: loading their
  // generic versions first saves two modprobe runs from inside the kernel
  // (~0.2 s under TCG).
  for (const char* m : {"virtio_console", "virtio_scsi", "crct10dif_generic", "crc64_rocksoft_generic", "sd_mod"})
    load_module(m);
}

std::string find_channel() {
  for (int i = 0; i < 10000; ++i) {
    if (DIR* d = ::opendir("/sys/class/virtio-ports")) {
      while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] == '.') continue;
        std::ifstream f(std::string("/sys/class/virtio-ports/") + e->d_name + "/name");
        std::string name;
        std::getline(f, name);
        if (name == kChannelName) {
          std::string dev = std::string("/dev/") + e->d_name;
          ::closedir(d);
          struct stat st;
          if (::stat(dev.c_str(), &st) == 0) return dev;
          break;
        }
      }
      ::closedir(d);
    }
    ::usleep(1000);
  }
  std::fprintf(stderr, "virt-tools-daemon: the virtio-serial channel %s did not appear\n", kChannelName);
  return "";
}

void serve(Connection& conn) {
  for (;;) {
    std::optional<proto::Message> msg;
    try {
      msg = conn.read();
    } catch (const proto::ProtocolError& e) {
      // The stream is out of step: nothing more can be understood.
      std::fprintf(stderr, "virt-tools-daemon: %s\n", e.what());
      return;
    }
    if (!msg) return;  // the library went away
    const auto& h = msg->header;
    if (h.kind != proto::Kind::call) {
      std::fprintf(stderr, "virt-tools-daemon: unexpected message kind %u\n", static_cast<unsigned>(h.kind));
      continue;
    }
    const char* name = api::procedure_name(h.procedure);
    if (g_verbose) std::fprintf(stderr, "virt-tools-daemon: call %s\n", name ? name : "?");
    lvm_reports_forget_unless_kept_by(name);
    g_current_call = h;
    g_last_progress = std::chrono::steady_clock::now();
    const auto call_started = g_last_progress;
    proto::ErrorPayload error;
    std::string reply;
    bool ok = false;
    try {
      reply = dispatch_call(conn, *msg);
      ok = true;
    } catch (const DaemonError& e) {
      error = {proto::errno_to_name(e.err()), e.what()};
    } catch (const proto::ProtocolError& e) {
      error = {"EPROTO", std::string("bad arguments: ") + e.what()};
    } catch (const std::exception& e) {
      error = {"EIO", e.what()};
    }
    if (g_verbose)
      std::fprintf(stderr, "virt-tools-daemon: %s: %lld ms\n", name ? name : "?",
                   static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - call_started)
                                              .count()));
    if (ok) {
      conn.send_for(h, proto::Kind::reply, proto::Status::ok, reply);
      if (run_rescue_if_asked(conn.fd())) return;  // the channel was the shell's until it ended
    } else {
      if (g_verbose) std::fprintf(stderr, "virt-tools-daemon: %s: %s\n", name ? name : "?", error.message.c_str());
      conn.send_for(h, proto::Kind::reply, proto::Status::error, proto::encode_error(error));
    }
  }
}

}  // namespace

void Connection::send_for(const proto::Header& call, proto::Kind kind, proto::Status status, std::string_view payload) {
  proto::Header h;
  h.procedure = call.procedure;
  h.serial = call.serial;
  h.kind = kind;
  h.status = status;
  send(h, payload);
}

void send_progress(uint64_t position, uint64_t total) {
  if (!g_conn) return;
  auto now = std::chrono::steady_clock::now();
  if (position != total && now - g_last_progress < std::chrono::milliseconds(100)) return;
  g_last_progress = now;
  g_conn->send_for(g_current_call, proto::Kind::progress, proto::Status::ok, proto::encode_progress({position, total}));
}

void load_module(const std::string& name) {
  static const std::string dir = [] {
    struct utsname u {};
    ::uname(&u);
    return std::string("/lib/modules/") + u.release;
  }();
  static const ModuleDeps deps(dir);
  for (const auto& path : deps.load_order({name})) load_module_file(dir + "/" + path);
}

}  // namespace vt::daemon

int main() {
  using namespace vt::daemon;
  {
    std::ifstream cmdline("/proc/cmdline");
    std::string line;
    std::getline(cmdline, line);
    g_verbose = line.find("vt.verbose=1") != std::string::npos;
  }
  setup_appliance();
  std::string channel = find_channel();
  if (channel.empty()) return 1;
  vt::UniqueFd fd(::open(channel.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) {
    std::fprintf(stderr, "virt-tools-daemon: open %s: %s\n", channel.c_str(), std::strerror(errno));
    return 1;
  }
  Connection conn(fd.get());
  g_conn = &conn;
  vt::proto::Header ready;
  ready.kind = vt::proto::Kind::ready;
  vt::proto::Writer w;
  w.put_string(VT_VERSION);
  conn.send(ready, w.data());
  serve(conn);
  ::sync();
  ::reboot(RB_POWER_OFF);
  return 0;
}
