#include "launch.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "errors.hpp"
#include "process.hpp"

namespace vt {

namespace {

constexpr const char* kQboot = "/usr/share/qemu/qboot.rom";

// The verdict is only valid for the same host kernel and QEMU binary.
std::string verdict_key() {
  struct utsname u {};
  ::uname(&u);
  struct stat st {};
  ::stat(qemu_binary().c_str(), &st);
  return std::string(u.release) + " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec);
}

std::string verdict_file() { return cache_dir() + "/accel"; }

}  // namespace

const char* accelerator_name(Accelerator a) { return a == Accelerator::kvm ? "kvm" : "tcg"; }

std::string qemu_binary() {
  if (const char* env = ::getenv("VIRT_TOOLS_QEMU"); env && *env) return env;
  std::string q = find_program("qemu-system-x86_64");
  if (q.empty()) throw Error("qemu-system-x86_64 not found; install the qemu-system-x86 package");
  return q;
}

std::string machine_type() {
  const char* env = ::getenv("VIRT_TOOLS_MACHINE");
  if (env && *env) {
    std::string m = env;
    if (m != "microvm" && m != "q35") throw Error("VIRT_TOOLS_MACHINE must be microvm or q35");
    return m;
  }
  // microvm boots faster but under TCG its kernel intermittently hangs calibrating
  // the TSC (no HPET or PM timer to calibrate against): q35 until that is solved.
  return "q35";
}

std::vector<std::string> qemu_command(const QemuConfig& c) {
  bool microvm = c.machine == "microvm";
  // microvm has no PCI: the same devices sit on virtio-mmio.
  std::string bus = microvm ? "-device" : "-pci";
  std::vector<std::string> argv = {qemu_binary()};
  std::string machine = c.machine + ",accel=" + accelerator_name(c.accel);
  // The kernel needs a timer source to calibrate against on microvm.
  if (microvm) machine += ",pit=on,pic=on,rtc=on,isa-serial=on";
  if (!c.ram_file.empty()) machine += ",memory-backend=vt-ram";
  argv.insert(argv.end(), {"-machine", machine});
  if (!c.ram_file.empty()) {
    // QEMU's option syntax: a comma inside a value is written twice.
    std::string path;
    for (char ch : c.ram_file) path += ch == ',' ? std::string(",,") : std::string(1, ch);
    argv.insert(argv.end(), {"-object", "memory-backend-file,id=vt-ram,size=" + std::to_string(c.memory_mb) +
                                            "M,mem-path=" + path + ",share=" + (c.ram_shared ? "on" : "off")});
  }
  // qboot (which microvm uses by default) starts a PVH kernel in a fraction
  // of SeaBIOS's time.
  if (!microvm && ::access(kQboot, R_OK) == 0) argv.insert(argv.end(), {"-bios", kQboot});
  // -cpu host is what KVM needs; under TCG a simple model boots fastest.
  argv.insert(argv.end(), {"-cpu", c.accel == Accelerator::kvm ? "host" : "qemu64,+rdrand"});
  argv.insert(argv.end(), {"-m", std::to_string(c.memory_mb), "-smp", std::to_string(c.smp), "-nodefaults", "-no-user-config",
                           "-display", "none", "-no-reboot", "-serial", "stdio"});
  // Quiet, no self-tests and no mitigations: boot time is every tool's cost.
  std::string cmdline = "console=ttyS0 panic=-1 cryptomgr.notests rodata=off mitigations=off no_timer_check "
            "8250.nr_uarts=1 random.trust_cpu=on nokaslr";
  cmdline += c.verbose ? " vt.verbose=1" : " quiet";
  // For debugging the appliance (initcall_debug, …), as LIBGUESTFS_APPEND.
  if (const char* extra = ::getenv("VIRT_TOOLS_APPEND"); extra && *extra) cmdline += std::string(" ") + extra;
  if (!c.append.empty()) cmdline += " " + c.append;
  argv.insert(argv.end(), {"-kernel", c.appliance.kernel, "-initrd", c.appliance.initrd, "-append", cmdline});
  // The appliance root: read-only to QEMU, so nothing can change the cached image.
  argv.insert(argv.end(), {"-drive", "file=" + c.appliance.root + ",if=none,id=approot,format=raw,readonly=on,cache=unsafe",
                           "-device", "virtio-blk" + bus + ",drive=approot"});
  // Guest disks are hot-added to this controller after boot.
  argv.insert(argv.end(), {"-device", "virtio-scsi" + bus + ",id=scsi0"});
  argv.insert(argv.end(), {"-device", "virtio-serial" + bus + ",id=vser0", "-chardev",
                           "socket,id=channel0,path=" + c.daemon_socket, "-device",
                           "virtserialport,bus=vser0.0,chardev=channel0,name=org.virt-tools.channel.0"});
  argv.insert(argv.end(), {"-chardev", "socket,id=qmp,path=" + c.qmp_socket, "-mon", "chardev=qmp,mode=control"});
  return argv;
}

std::optional<Accelerator> known_accelerator() {
  if (const char* env = ::getenv("VIRT_TOOLS_ACCEL"); env && *env) {
    std::string a = env;
    if (a == "kvm") return Accelerator::kvm;
    if (a == "tcg") return Accelerator::tcg;
    throw Error("VIRT_TOOLS_ACCEL must be kvm or tcg");
  }
  UniqueFd kvm(::open("/dev/kvm", O_RDWR | O_CLOEXEC));
  if (!kvm) return Accelerator::tcg;
  std::ifstream in(verdict_file());
  std::string key, verdict;
  if (std::getline(in, key) && std::getline(in, verdict) && key == verdict_key())
    return verdict == "kvm" ? Accelerator::kvm : Accelerator::tcg;
  return std::nullopt;
}

namespace {

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return path + ":missing";
  return path + ":" + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) +
         ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

std::string saved_state_prefix() { return cache_dir() + "/saved-state-"; }

constexpr const char* kRamSuffix = ".ram-";
constexpr const char* kRamHeader = "virt-tools saved state, RAM in ";

}  // namespace

std::string saved_state_path(const QemuConfig& c) {
  if (const char* off = ::getenv("VIRT_TOOLS_NO_SAVED_STATE"); off && *off && std::string(off) != "0") return "";
  QemuConfig keyed = c;
  keyed.daemon_socket = keyed.qmp_socket = "";
  // Saved and restored with the RAM in a file; which file is not the key.
  keyed.ram_file = "RAM";
  keyed.ram_shared = false;
  std::string key;
  for (const auto& a : qemu_command(keyed)) key += a + '\0';
  for (const auto& f : {qemu_binary(), c.appliance.kernel, c.appliance.initrd, c.appliance.root}) key += file_identity(f);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
  return saved_state_prefix() + (c.verbose ? "verbose-" : "") + accelerator_name(c.accel) + "-" + hex;
}

std::vector<std::string> stale_saved_states(const std::string& current, const std::string& current_ram) {
  std::vector<std::string> stale;
  auto dash = current.rfind('-');
  if (dash == std::string::npos) return stale;
  std::string kind = current.substr(0, dash + 1);  // ".../saved-state-[verbose-]tcg-"
  std::string dir = cache_dir();
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string path = dir + "/" + e->d_name;
      if (path == current || path == current_ram || path == saved_state_lock_path(current) ||
          path.compare(0, kind.size(), kind) != 0)
        continue;
      std::string rest = path.substr(kind.size());
      auto name_end = rest.find_first_of(".-");
      bool state = name_end == std::string::npos;
      bool ram = rest.find(kRamSuffix) != std::string::npos && name_end == rest.find(kRamSuffix);
      bool lock = name_end != std::string::npos && rest.substr(name_end) == ".lock";
      // Another build's state, still in use, would only make it boot again;
      // a RAM file a launch has just made is not referenced yet.
      if ((state || ram || lock) && unused_for_a_day(path)) stale.push_back(path);
    }
    ::closedir(d);
  }
  return stale;
}

std::string saved_state_lock_path(const std::string& state) { return state + ".lock"; }

std::string new_saved_state_ram_file(const std::string& state) {
  unsigned char bytes[8];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) throw Error(errno_message("getrandom", errno));
  std::string name = state + kRamSuffix;
  char hex[3];
  for (unsigned char b : bytes) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    name += hex;
  }
  return name;
}

std::string ram_file_header(const std::string& ram_file) {
  return std::string(kRamHeader) + ram_file.substr(ram_file.rfind('/') + 1) + "\n";
}

std::string read_ram_file_header(int state_fd, const std::string& state) {
  // Byte by byte: QEMU reads the stream from the offset this leaves.
  std::string line;
  char ch;
  while (line.size() < 256 && ::read(state_fd, &ch, 1) == 1 && ch != '\n') line += ch;
  std::string prefix = std::string(kRamHeader) + state.substr(state.rfind('/') + 1) + kRamSuffix;
  if (line.compare(0, prefix.size(), prefix) != 0 || line.find('/') != std::string::npos) return "";
  return state.substr(0, state.rfind('/') + 1) + line.substr(std::strlen(kRamHeader));
}

void remember_accelerator(Accelerator a) {
  ::mkdir(cache_dir().c_str(), 0700);
  std::string tmp = verdict_file() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    out << verdict_key() << "\n" << accelerator_name(a) << "\n";
  }
  ::rename(tmp.c_str(), verdict_file().c_str());
}

}  // namespace vt
