#include "appliance.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "errors.hpp"
#include "kmod.hpp"
#include "process.hpp"

#ifndef VT_LIBEXECDIR
#error "VT_LIBEXECDIR must name the directory holding virt-tools-daemon and virt-tools-init"
#endif
#ifndef VT_PACKAGES_FILE
#error "VT_PACKAGES_FILE must name appliance/packages"
#endif

namespace fs = std::filesystem;

namespace vt {

namespace {

// Bump when the layout of a built appliance changes.
constexpr const char* kApplianceFormat = "5";

std::string libexec_dir() {
  const char* env = ::getenv("VIRT_TOOLS_LIBEXECDIR");
  return env && *env ? env : VT_LIBEXECDIR;
}

std::string read_file_or_empty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// size, mtime and inode: cheap to read on every launch, and they change
// whenever the file is replaced.
std::string stat_key(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return path + ":missing";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ino);
}

struct HostKernel {
  std::string vmlinuz;
  std::string version;
  std::string modules;  // /lib/modules/VERSION
};

HostKernel find_kernel() {
  std::vector<std::string> versions;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/boot", ec)) {
    std::string name = e.path().filename();
    if (name.rfind("vmlinuz-", 0) != 0) continue;
    std::string ver = name.substr(8);
    if (fs::is_directory("/lib/modules/" + ver + "/kernel")) versions.push_back(ver);
  }
  if (versions.empty())
    throw Error("no Linux kernel found in /boot (with modules in /lib/modules); install the linux-image-amd64 package");
  std::sort(versions.begin(), versions.end(),
            [](const std::string& a, const std::string& b) { return ::strverscmp(a.c_str(), b.c_str()) < 0; });
  HostKernel k;
  k.version = versions.back();
  k.vmlinuz = "/boot/vmlinuz-" + k.version;
  k.modules = "/lib/modules/" + k.version;
  if (::access(k.vmlinuz.c_str(), R_OK) < 0) throw Error(errno_message(k.vmlinuz, errno));
  return k;
}

std::vector<std::string> read_package_list() {
  std::ifstream in(VT_PACKAGES_FILE);
  if (!in) throw Error(std::string("cannot read the appliance package list ") + VT_PACKAGES_FILE);
  std::vector<std::string> pkgs;
  std::string line;
  while (std::getline(in, line)) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream ls(line);
    std::string word;
    while (ls >> word) pkgs.push_back(word);
  }
  return pkgs;
}

std::string appliance_key(const HostKernel& k) {
  std::string key = kApplianceFormat;
  key += read_file_or_empty(VT_PACKAGES_FILE);
  key += stat_key(k.vmlinuz);
  key += stat_key("/var/lib/dpkg/status");  // changes whenever a host package does
  key += stat_key(libexec_dir() + "/virt-tools-daemon");
  key += stat_key(libexec_dir() + "/virt-tools-init");
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
  return hex;
}

void run_or_throw(const std::vector<std::string>& argv, const std::string& what) {
  auto r = run_command(argv);
  if (!r.ok()) {
    std::string err = r.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    auto nl = err.rfind('\n');
    throw Error(what + " failed (" + describe_wait_status(r.status) + "): " +
                (nl == std::string::npos ? err : err.substr(nl + 1)));
  }
}

// Copies a module, decompressing it so that stage-1 init can load it with a
// plain finit_module.
void copy_module(const std::string& src, const std::string& dst) {
  fs::create_directories(fs::path(dst).parent_path());
  if (src.ends_with(".xz") || src.ends_with(".zst")) {
    auto r = run_command({src.ends_with(".xz") ? "xz" : "zstd", "-dc", src});
    if (!r.ok()) throw Error("cannot decompress " + src);
    std::ofstream(dst, std::ios::binary) << r.out;
  } else {
    fs::copy_file(src, dst, fs::copy_options::overwrite_existing);
  }
}

// Modules needed before the root is mounted, in the initrd.
// The root is squashfs: its module is a tenth of ext4's, and loading modules
// is a large part of boot time under TCG.
const std::vector<std::string> kStage1Modules = {"virtio_pci", "virtio_mmio", "virtio_blk", "squashfs"};

// Module subtrees copied into the root, loaded on demand there.
const std::vector<std::string> kRootModuleDirs = {
    "kernel/fs",          "kernel/block",          "kernel/lib",          "kernel/crypto",
    "kernel/arch/x86/crypto", "kernel/drivers/block", "kernel/drivers/scsi", "kernel/drivers/md",
    "kernel/drivers/virtio", "kernel/drivers/char/hw_random", "kernel/drivers/cdrom",
    "kernel/drivers/char/virtio_console.ko",
};

// Parts of the host packages that the appliance never uses.
const std::vector<std::string> kPrunedDirs = {"usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
                                              "usr/share/lintian", "usr/share/bash-completion"};


}  // namespace

std::string cache_dir() {
  const char* xdg = ::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/virt-tools";
  return "/var/tmp/.virt-tools-" + std::to_string(::getuid());
}

bool unused_for_a_day(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && st.st_mtime < ::time(nullptr) - 24 * 3600;
}

bool extract_vmlinux(const std::string& bzimage, const std::string& out) {
  std::string data = read_file_or_empty(bzimage);
  struct Codec {
    std::string magic;
    std::vector<std::string> argv;
  };
  const std::vector<Codec> codecs = {
      {std::string("\xfd" "7zXZ\0", 6), {"xz", "-dcq", "--single-stream"}},
      {std::string("\x28\xb5\x2f\xfd", 4), {"zstd", "-dcq"}},
      {std::string("\x1f\x8b\x08", 3), {"gzip", "-dcq"}},
  };
  for (const auto& c : codecs) {
    for (size_t pos = data.find(c.magic); pos != std::string::npos; pos = data.find(c.magic, pos + 1)) {
      if (find_program(c.argv[0]).empty()) break;
      auto r = run_command(c.argv, data.substr(pos));
      // Trailing data after the stream makes some decompressors complain;
      // what matters is that an ELF image came out.
      if (r.out.size() > 4 && r.out.compare(0, 4, "\x7f" "ELF") == 0) {
        std::ofstream f(out, std::ios::binary);
        f << r.out;
        if (!f) throw Error("cannot write " + out);
        return true;
      }
    }
  }
  return false;
}

void write_cpio(const std::string& root, const std::string& out) {
  std::ofstream f(out, std::ios::binary);
  if (!f) throw Error("cannot write " + out);
  unsigned ino = 1;
  auto header = [&](const std::string& name, mode_t mode, size_t size, unsigned nlink) {
    char hdr[111];
    std::snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino++, mode, 0U, 0U,
                  nlink, 0U, static_cast<unsigned>(size), 0U, 0U, 0U, 0U, static_cast<unsigned>(name.size() + 1), 0U);
    f.write(hdr, 110);
    f.write(name.c_str(), static_cast<std::streamsize>(name.size() + 1));
    size_t pad = (4 - ((110 + name.size() + 1) % 4)) % 4;
    f.write("\0\0\0", static_cast<std::streamsize>(pad));
  };
  std::vector<fs::path> entries;
  for (const auto& e : fs::recursive_directory_iterator(root)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    std::string rel = fs::relative(p, root);
    struct stat st {};
    if (::lstat(p.c_str(), &st) < 0) throw Error(errno_message(p, errno));
    if (S_ISDIR(st.st_mode)) {
      header(rel, st.st_mode, 0, 2);
    } else if (S_ISLNK(st.st_mode)) {
      std::string target = fs::read_symlink(p);
      header(rel, st.st_mode, target.size(), 1);
      f << target;
      f.write("\0\0\0", static_cast<std::streamsize>((4 - target.size() % 4) % 4));
    } else if (S_ISREG(st.st_mode)) {
      std::string data = read_file_or_empty(p);
      header(rel, st.st_mode, data.size(), 1);
      f << data;
      f.write("\0\0\0", static_cast<std::streamsize>((4 - data.size() % 4) % 4));
    }
  }
  header("TRAILER!!!", 0, 0, 1);
  if (!f) throw Error("cannot write " + out);
}

void build_appliance(const std::string& dir, const LogFn& log) {
  HostKernel k = find_kernel();
  const std::pair<const char*, const char*> tools[] = {
      {"supermin", "supermin"}, {"mksquashfs", "squashfs-tools"}, {"depmod", "kmod"}};
  for (const auto& [tool, package] : tools)
    if (find_program(tool).empty())
      throw Error(std::string(tool) + " not found; install the " + package + " package");
  std::string daemon = libexec_dir() + "/virt-tools-daemon";
  std::string init = libexec_dir() + "/virt-tools-init";
  for (const auto& f : {daemon, init})
    if (::access(f.c_str(), X_OK) < 0) throw Error(f + " is missing: build the project first (make)");

  fs::create_directories(dir);
  std::string work = dir + "/work";
  fs::create_directories(work);
  log("supermin --prepare");
  std::vector<std::string> prepare = {"supermin", "--prepare", "--use-installed", "-o", work + "/supermin.d"};
  for (const auto& p : read_package_list()) prepare.push_back(p);
  run_or_throw(prepare, "supermin --prepare");
  log("supermin --build");
  std::string root = work + "/root";
  run_or_throw({"supermin", "--build", "--format", "chroot", "-o", root, work + "/supermin.d"}, "supermin --build");
  for (const auto& d : kPrunedDirs) fs::remove_all(root + "/" + d);

  // The daemon, and the directories it mounts over.
  fs::create_directories(root + "/usr/sbin");
  fs::copy_file(daemon, root + "/usr/sbin/virt-tools-daemon", fs::copy_options::overwrite_existing);
  for (const char* d : {"proc", "sys", "dev", "tmp", "run", "sysroot", "etc/lvm"}) fs::create_directories(root + "/" + d);

  log("copying kernel modules");
  std::string mods = root + "/lib/modules/" + k.version;
  for (const auto& sub : kRootModuleDirs) {
    std::string src = k.modules + "/" + sub;
    if (!fs::exists(src)) continue;
    if (fs::is_directory(src)) {
      for (const auto& e : fs::recursive_directory_iterator(src))
        if (e.is_regular_file()) copy_module(e.path(), mods + "/" + fs::relative(e.path(), k.modules).string());
    } else {
      copy_module(src, mods + "/" + sub);
    }
  }
  for (const char* f : {"modules.order", "modules.builtin", "modules.builtin.modinfo"})
    if (fs::exists(k.modules + "/" + f)) fs::copy_file(k.modules + "/" + f, mods + "/" + f);
  run_or_throw({"depmod", "-b", root, k.version}, "depmod");

  log("making the root image");
  // Uncompressed: decompressing under TCG would cost more than reading.
  run_or_throw({"mksquashfs", root, dir + "/root.tmp", "-noI", "-noD", "-noF", "-noX", "-all-root", "-no-xattrs",
                "-quiet", "-no-progress"},
               "mksquashfs");

  log("making the initrd");
  std::string initrd_tree = work + "/initrd";
  fs::create_directories(initrd_tree + "/lib/modules");
  for (const char* d : {"proc", "sys", "dev", "sysroot"}) fs::create_directories(initrd_tree + "/" + d);
  fs::copy_file(init, initrd_tree + "/init");
  std::ofstream order(initrd_tree + "/lib/modules/load-order");
  for (const auto& m : ModuleDeps(k.modules).load_order(kStage1Modules)) {
    std::string base = fs::path(m).filename();
    for (const char* ext : {".xz", ".zst"})
      if (base.ends_with(ext)) base.erase(base.size() - std::strlen(ext));
    copy_module(k.modules + "/" + m, initrd_tree + "/lib/modules/" + base);
    order << base << "\n";
  }
  order.close();
  write_cpio(initrd_tree, dir + "/initrd.tmp");

  log("extracting the kernel");
  if (!extract_vmlinux(k.vmlinuz, dir + "/kernel.tmp")) fs::copy_file(k.vmlinuz, dir + "/kernel.tmp");

  fs::remove_all(work);
  fs::rename(dir + "/root.tmp", dir + "/root");
  fs::rename(dir + "/initrd.tmp", dir + "/initrd");
  fs::rename(dir + "/kernel.tmp", dir + "/kernel");
}

Appliance get_appliance(const LogFn& log) {
  if (const char* fixed = ::getenv("VIRT_TOOLS_APPLIANCE"); fixed && *fixed) {
    Appliance a{std::string(fixed) + "/kernel", std::string(fixed) + "/initrd", std::string(fixed) + "/root"};
    for (const auto& f : {a.kernel, a.initrd, a.root})
      if (::access(f.c_str(), R_OK) < 0) throw Error("VIRT_TOOLS_APPLIANCE: " + errno_message(f, errno));
    return a;
  }
  HostKernel k = find_kernel();
  std::string cache = cache_dir();
  std::error_code ec;
  fs::create_directories(cache, ec);
  ::chmod(cache.c_str(), 0700);
  std::string dir = cache + "/appliance-" + appliance_key(k);
  Appliance a{dir + "/kernel", dir + "/initrd", dir + "/root"};
  if (::access((dir + "/kernel").c_str(), R_OK) == 0) {
    // The directory's time says when it was last used, for the pruning below.
    ::utimensat(AT_FDCWD, dir.c_str(), nullptr, 0);
    return a;
  }

  // Only one process builds; the others wait on the lock and then find it built.
  UniqueFd lock(::open((cache + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!lock) throw Error(errno_message(cache + "/lock", errno));
  log("waiting for the appliance lock");
  while (::flock(lock.get(), LOCK_EX) < 0)
    if (errno != EINTR) throw Error(errno_message("flock " + cache + "/lock", errno));
  if (::access((dir + "/kernel").c_str(), R_OK) == 0) return a;

  log("building the appliance in " + dir);
  // Old appliances are of no further use; another build's, still in use,
  // would break its next launch if removed.
  for (const auto& e : fs::directory_iterator(cache, ec))
    if (e.path().filename().string().rfind("appliance-", 0) == 0 && e.path() != dir && unused_for_a_day(e.path()))
      fs::remove_all(e.path(), ec);
  try {
    build_appliance(dir, log);
  } catch (...) {
    fs::remove_all(dir, ec);
    throw;
  }
  return a;
}

}  // namespace vt
