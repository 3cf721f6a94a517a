// Calls for XFS and btrfs, whose tools work on a mounted filesystem's
// directory rather than on its device.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// The appliance path of a guest directory, for tools that take a path: the
// directory is resolved inside the guest (symlinks cannot leave /sysroot) and
// the kernel names the result.
std::string host_path_of_fd(const UniqueFd& fd, const std::string& guest_path) {
  std::string link = "/proc/self/fd/" + std::to_string(fd.get());
  char buf[4096];
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  if (n < 0) throw_errno(guest_path);
  std::string host(buf, static_cast<size_t>(n));
  std::string root = kSysroot;
  if (host != root && host.rfind(root + "/", 0) != 0)
    throw DaemonError(EINVAL, guest_path + ": not inside the mounted guest filesystems");
  return host;
}

std::string guest_dir_host_path(const std::string& guest_path) {
  return host_path_of_fd(open_in_guest(guest_path, O_PATH | O_DIRECTORY), guest_path);
}

// A device mounted on a temporary directory for the length of one call:
// read-write if it can be (what the call may change), else read-only; or
// only read-only, for a call that just looks.
class TempMount {
 public:
  enum class Access { any, read_only };
  TempMount(const std::string& device, const std::string& fstype, Access access = Access::any) {
    char tmpl[] = "/tmp/vt-mount-XXXXXX";
    if (!::mkdtemp(tmpl)) throw_errno("mkdtemp");
    dir_ = tmpl;
    load_module(fstype);
    const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if ((access == Access::read_only ||
         ::mount(device.c_str(), dir_.c_str(), fstype.c_str(), flags, nullptr) < 0) &&
        ::mount(device.c_str(), dir_.c_str(), fstype.c_str(), flags | MS_RDONLY, nullptr) < 0) {
      int err = errno;
      ::rmdir(dir_.c_str());
      throw_errno("mount " + device, err);
    }
  }
  ~TempMount() {
    if (::umount2(dir_.c_str(), 0) < 0) ::umount2(dir_.c_str(), MNT_DETACH);
    ::rmdir(dir_.c_str());  // never recursive: the mount may still be there
  }
  TempMount(const TempMount&) = delete;
  TempMount& operator=(const TempMount&) = delete;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// xfs_info's output, section by section: "meta-data=/dev/sda1  isize=512
// agcount=4, ..." then continuation lines starting with "=".  Each section
// has a name (the text after its "=", e.g. "internal log") and key=value pairs.
struct XfsSection {
  std::string name;
  std::map<std::string, std::string> values;
};

std::map<std::string, XfsSection> parse_xfs_info(const std::string& text) {
  std::map<std::string, XfsSection> sections;
  std::string current;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string head = line.substr(0, eq);
    head.erase(head.find_last_not_of(' ') + 1);
    head.erase(0, head.find_first_not_of(' ') == std::string::npos ? head.size() : head.find_first_not_of(' '));
    bool continuation = head.empty();
    if (!continuation) current = head;
    if (current.empty()) continue;
    XfsSection& sec = sections[current];
    std::string rest = line.substr(eq + 1);
    for (char& c : rest)
      if (c == ',') c = ' ';
    std::istringstream words(rest);
    std::string w;
    bool in_name = !continuation;
    while (words >> w) {
      auto weq = w.find('=');
      if (weq == std::string::npos) {
        // Words before the first key=value name the section; later ones are units ("blks").
        if (in_name) sec.name += (sec.name.empty() ? "" : " ") + w;
        continue;
      }
      in_name = false;
      std::string key = w.substr(0, weq);
      // The first occurrence wins: "sunit" appears in both data and log
      // sections but each section is its own map; within a section, the
      // first "bsize"/"sectsz" is the one that belongs to it.
      sec.values.emplace(key, w.substr(weq + 1));
    }
  }
  return sections;
}

int64_t xfs_number(const std::map<std::string, XfsSection>& s, const std::string& section, const std::string& key) {
  auto sec = s.find(section);
  if (sec == s.end()) return -1;
  auto v = sec->second.values.find(key);
  if (v == sec->second.values.end()) return -1;
  char* end = nullptr;
  long long n = std::strtoll(v->second.c_str(), &end, 10);
  return end && *end == '\0' && !v->second.empty() ? n : -1;
}

std::string xfs_name(const std::map<std::string, XfsSection>& s, const std::string& section) {
  auto sec = s.find(section);
  return sec == s.end() ? "" : sec->second.name;
}

}  // namespace

void do_xfs_growfs(const std::string& path, const api::XfsGrowfsOptargs& o) {
  std::vector<std::string> argv = {"xfs_growfs"};
  if (o.datasec.value_or(false)) argv.push_back("-d");
  if (o.logsec.value_or(false)) argv.push_back("-l");
  if (o.rtsec.value_or(false)) argv.push_back("-r");
  auto number = [&](const char* flag, const std::optional<int64_t>& v) {
    if (!v) return;
    if (*v < 0) throw DaemonError(EINVAL, std::string("xfs_growfs: ") + flag + ": must not be negative");
    argv.insert(argv.end(), {flag, std::to_string(*v)});
  };
  number("-D", o.datasize);
  number("-L", o.logsize);
  number("-R", o.rtsize);
  number("-e", o.rtextsize);
  if (o.maxpct) number("-m", std::optional<int64_t>(*o.maxpct));
  UniqueFd dir = open_in_guest(path, O_PATH | O_DIRECTORY);
  argv.push_back(host_path_of_fd(dir, path));
  run_or_fail(argv, "xfs_growfs " + path);
}

api::xfsinfo do_xfs_info(const std::string& pathordevice) {
  std::string target;
  if (pathordevice.rfind("/dev/", 0) == 0) {
    check_device("xfs_info", pathordevice);
    target = pathordevice;
  } else {
    check_pathname("xfs_info", pathordevice);
    target = guest_dir_host_path(pathordevice);
  }
  auto s = parse_xfs_info(run_or_fail({"xfs_info", target}, "xfs_info " + pathordevice));
  if (!s.count("meta-data") || !s.count("data")) throw DaemonError(EINVAL, "xfs_info " + pathordevice + ": unexpected output");
  auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
  api::xfsinfo r;
  r.xfs_mntpoint = xfs_name(s, "meta-data");
  r.xfs_inodesize = i32(xfs_number(s, "meta-data", "isize"));
  r.xfs_agcount = i32(xfs_number(s, "meta-data", "agcount"));
  r.xfs_agsize = i32(xfs_number(s, "meta-data", "agsize"));
  r.xfs_sectsize = i32(xfs_number(s, "meta-data", "sectsz"));
  r.xfs_attr = i32(xfs_number(s, "meta-data", "attr"));
  r.xfs_blocksize = i32(xfs_number(s, "data", "bsize"));
  r.xfs_datablocks = xfs_number(s, "data", "blocks");
  r.xfs_imaxpct = i32(xfs_number(s, "data", "imaxpct"));
  r.xfs_sunit = i32(xfs_number(s, "data", "sunit"));
  r.xfs_swidth = i32(xfs_number(s, "data", "swidth"));
  // "naming   =version 2": the version is the section's name.
  std::string naming = xfs_name(s, "naming");
  r.xfs_dirversion = naming.rfind("version ", 0) == 0 ? std::atoi(naming.c_str() + 8) : -1;
  r.xfs_dirblocksize = i32(xfs_number(s, "naming", "bsize"));
  r.xfs_cimode = i32(xfs_number(s, "naming", "ascii-ci"));
  // "internal log" is called "internal", as libguestfs does.
  r.xfs_logname = xfs_name(s, "log");
  if (r.xfs_logname == "internal log") r.xfs_logname = "internal";
  r.xfs_logblocksize = i32(xfs_number(s, "log", "bsize"));
  r.xfs_logblocks = i32(xfs_number(s, "log", "blocks"));
  r.xfs_logversion = i32(xfs_number(s, "log", "version"));
  r.xfs_logsectsize = i32(xfs_number(s, "log", "sectsz"));
  r.xfs_logsunit = i32(xfs_number(s, "log", "sunit"));
  r.xfs_lazycount = i32(xfs_number(s, "log", "lazy-count"));
  r.xfs_rtname = xfs_name(s, "realtime");
  r.xfs_rtextsize = i32(xfs_number(s, "realtime", "extsz"));
  r.xfs_rtblocks = xfs_number(s, "realtime", "blocks");
  r.xfs_rtextents = xfs_number(s, "realtime", "rtextents");
  return r;
}

void do_btrfs_filesystem_resize(const std::string& mountpoint, const api::BtrfsFilesystemResizeOptargs& o) {
  std::string size = "max";
  if (o.size) {
    if (*o.size <= 0) throw DaemonError(EINVAL, "btrfs_filesystem_resize: size must be positive");
    size = std::to_string(*o.size);
  }
  UniqueFd dir = open_in_guest(mountpoint, O_PATH | O_DIRECTORY);
  run_or_fail({"btrfs", "filesystem", "resize", size, host_path_of_fd(dir, mountpoint)},
              "btrfs filesystem resize " + mountpoint);
}

namespace {

std::vector<api::btrfssubvolume> parse_subvolume_list(const std::string& out) {
  // "ID 257 gen 9 top level 256 path sv1/sv2": the path runs to the end of the line.
  std::vector<api::btrfssubvolume> list;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto path_at = line.find(" path ");
    unsigned long long id = 0, top = 0, gen = 0;
    if (path_at == std::string::npos ||
        std::sscanf(line.c_str(), "ID %llu gen %llu top level %llu", &id, &gen, &top) != 3)
      throw DaemonError(EINVAL, "btrfs subvolume list: unexpected line: " + line);
    api::btrfssubvolume v;
    v.btrfssubvolume_id = static_cast<int64_t>(id);
    v.btrfssubvolume_top_level_id = static_cast<int64_t>(top);
    v.btrfssubvolume_path = line.substr(path_at + 6);
    list.push_back(std::move(v));
  }
  return list;
}

}  // namespace

std::vector<api::btrfssubvolume> do_btrfs_subvolume_list(const std::string& fs) {
  std::optional<TempMount> temp;
  std::optional<UniqueFd> dir;  // keeps the directory's mount busy while btrfs reads it
  std::string target;
  if (fs.rfind("/dev/", 0) == 0) {
    check_device("btrfs_subvolume_list", fs);
    if (probe_value(fs, "TYPE") != "btrfs") throw DaemonError(EINVAL, "btrfs_subvolume_list: " + fs + ": not btrfs");
    temp.emplace(fs, "btrfs");
    target = temp->dir();
  } else {
    check_pathname("btrfs_subvolume_list", fs);
    dir.emplace(open_in_guest(fs, O_PATH | O_DIRECTORY));
    target = host_path_of_fd(*dir, fs);
  }
  return parse_subvolume_list(run_or_fail({"btrfs", "subvolume", "list", target}, "btrfs subvolume list " + fs));
}

std::vector<std::string> listed_btrfs_subvolumes(const std::string& device) {
  // Listing must not replay the log of a btrfs on a writable disk.
  TempMount mounted(device, "btrfs", TempMount::Access::read_only);
  auto list = parse_subvolume_list(
      run_or_fail({"btrfs", "subvolume", "list", mounted.dir()}, "btrfs subvolume list " + device));
  // "ID 5 (FS_TREE)" or "ID 256 gen 7 top level 5 path @".
  std::string def = run_or_fail({"btrfs", "subvolume", "get-default", mounted.dir()}, "btrfs subvolume get-default " + device);
  unsigned long long default_id = 5;
  std::sscanf(def.c_str(), "ID %llu", &default_id);
  std::vector<std::string> out;
  for (const auto& v : list)
    if (static_cast<unsigned long long>(v.btrfssubvolume_id) != default_id) out.push_back(v.btrfssubvolume_path);
  return out;
}


void do_btrfs_subvolume_create(const std::string& dest, const api::BtrfsSubvolumeCreateOptargs& o) {
  auto [parent, name] = open_guest_parent(dest);
  std::vector<std::string> argv = {"btrfs", "subvolume", "create"};
  if (o.qgroupid) {
    if (o.qgroupid->empty() || (*o.qgroupid)[0] == '-')
      throw DaemonError(EINVAL, "btrfs_subvolume_create: " + *o.qgroupid + ": not a qgroup id");
    argv.insert(argv.end(), {"-i", *o.qgroupid});
  }
  argv.push_back(host_path_of_fd(parent, dest) + "/" + name);
  run_or_fail(argv, "btrfs subvolume create " + dest);
}

}  // namespace vt::daemon
