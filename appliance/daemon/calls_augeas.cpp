// Calls about augeas: one augeas handle per daemon, opened by aug_init.
//
// Augeas opens files by name and follows symbolic links, so given a root of
// /sysroot a guest's absolute symlink would lead it to the appliance's own
// files.  Instead every call that touches files runs with the process
// chrooted into the guest directory, and augeas's root is "/".  The lenses
// are read from the appliance before the chroot: all of them by aug_init, or
// with flag 64 (AUG_NO_MODL_AUTOLOAD) only those /augeas/load names, by
// aug_load just before it enters the guest.
#include <augeas.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

struct AugeasCloser {
  void operator()(augeas* aug) const { aug_close(aug); }
};

std::unique_ptr<augeas, AugeasCloser> g_augeas;
std::string g_augeas_root;  // the guest path given to aug_init
bool g_augeas_lazy = false;  // aug_init had flag 64: lenses compiled when named

augeas* handle(const char* call) {
  if (!g_augeas) throw DaemonError(EINVAL, std::string(call) + ": no augeas handle: call aug_init first");
  return g_augeas.get();
}

// augeas's own description of its last error.
[[noreturn]] void throw_augeas(const char* call, augeas* aug) {
  std::string msg = std::string(call) + ": augeas: ";
  const char* main = aug ? aug_error_message(aug) : nullptr;
  msg += main ? main : "failed";
  for (const char* extra : {aug ? aug_error_minor_message(aug) : nullptr, aug ? aug_error_details(aug) : nullptr})
    if (extra && *extra) msg += std::string(": ") + extra;
  throw DaemonError(EINVAL, msg);
}

// The paths matching `augpath`, freed from augeas's arrays.
std::vector<std::string> matches(augeas* aug, const std::string& augpath, const char* call) {
  char** found = nullptr;
  int n = aug_match(aug, augpath.c_str(), &found);
  if (n < 0) throw_augeas(call, aug);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.emplace_back(found[i]);
    std::free(found[i]);
  }
  std::free(found);
  return out;
}

// While alive, the process's root is the guest directory `root` (resolved
// inside /sysroot, so a symlink cannot take it elsewhere).
class GuestChroot {
 public:
  explicit GuestChroot(const std::string& root)
      : old_root_(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)), old_cwd_(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) {
    if (!old_root_ || !old_cwd_) throw_errno("augeas: open /");
    UniqueFd guest = open_in_guest(root, O_PATH | O_DIRECTORY);
    if (::fchdir(guest.get()) < 0) throw_errno("augeas: " + root);
    if (::chroot(".") < 0) {
      int err = errno;
      restore_cwd();
      throw_errno("augeas: chroot " + root, err);
    }
  }
  ~GuestChroot() {
    // Failing to get back out would leave the daemon unable to work at all.
    if (::fchdir(old_root_.get()) < 0 || ::chroot(".") < 0) {
      std::perror("virt-tools-daemon: leaving the augeas chroot");
      std::abort();
    }
    restore_cwd();
  }
  GuestChroot(const GuestChroot&) = delete;
  GuestChroot& operator=(const GuestChroot&) = delete;

 private:
  void restore_cwd() {
    if (::fchdir(old_cwd_.get()) < 0) std::perror("virt-tools-daemon: fchdir");
  }
  UniqueFd old_root_, old_cwd_;
};

// The augeas handle, with the process inside the guest root.
struct InGuest {
  explicit InGuest(const char* call) : aug(handle(call)), chroot(g_augeas_root) {}
  augeas* aug;
  GuestChroot chroot;
};

// With flag 64 augeas compiles a lens module the first time a lens of it is
// named, which aug_load would do from inside the guest, where the lens
// directory is out of reach.  Naming each lens of /augeas/load/*/lens here,
// from the appliance, makes augeas compile and keep its module: storing an
// empty text through the lens is the public call that looks a lens up.
void compile_named_lenses(augeas* aug) {
  static const char* const kProbe = "/augeas/vt-lens-probe";
  const std::string text = std::string(kProbe) + "/text", tree = std::string(kProbe) + "/tree";
  char** lenses = nullptr;
  int n = aug_match(aug, "/augeas/load/*/lens", &lenses);
  for (int i = 0; i < n; ++i) {
    const char* value = nullptr;
    if (aug_get(aug, lenses[i], &value) == 1 && value && *value) {
      // "@Module" names a module's autoloaded lens, which augeas only finds
      // among modules already loaded: "Module.lns" loads the module.
      std::string lens = value[0] == '@' ? std::string(value + 1) + ".lns" : value;
      if (aug_set(aug, text.c_str(), "") == 0) aug_text_store(aug, lens.c_str(), text.c_str(), tree.c_str());
    }
    std::free(lenses[i]);
  }
  std::free(lenses);
  // A lens that failed leaves its error under /augeas/text: not ours to keep.
  aug_rm(aug, kProbe);
  aug_rm(aug, (std::string("/augeas/text") + kProbe).c_str());
}

}  // namespace

void do_aug_init(const std::string& root, int32_t flags) {
  g_augeas.reset();
  if (flags < 0) throw DaemonError(EINVAL, "aug_init: flags must not be negative");
  // Check the root now, for a clear error.
  open_in_guest(root, O_PATH | O_DIRECTORY);
  std::unique_ptr<augeas, AugeasCloser> aug(
      aug_init("/", nullptr, static_cast<unsigned>(flags) | AUG_NO_LOAD | AUG_NO_ERR_CLOSE));
  if (!aug) throw DaemonError(ENOMEM, "aug_init: augeas could not start");
  if (aug_error(aug.get()) != AUG_NOERROR) throw_augeas("aug_init", aug.get());
  g_augeas_root = root;
  g_augeas_lazy = (flags & AUG_NO_MODL_AUTOLOAD) != 0;
  g_augeas = std::move(aug);
  if (!(flags & AUG_NO_LOAD)) {
    try {
      do_aug_load();
    } catch (...) {
      g_augeas.reset();
      throw;
    }
  }
}

void do_aug_close() {
  handle("aug_close");
  g_augeas.reset();
}

std::string do_aug_get(const std::string& augpath) {
  InGuest g("aug_get");
  const char* value = nullptr;
  int r = aug_get(g.aug, augpath.c_str(), &value);
  if (r == 0) throw DaemonError(ENOENT, "aug_get: " + augpath + ": no matching node");
  if (r != 1) throw_augeas("aug_get", g.aug);
  if (!value) throw DaemonError(EINVAL, "aug_get: " + augpath + ": the node has no value");
  return value;
}

void do_aug_set(const std::string& augpath, const std::string& val) {
  InGuest g("aug_set");
  if (aug_set(g.aug, augpath.c_str(), val.c_str()) < 0) throw_augeas("aug_set", g.aug);
}

std::vector<std::string> do_aug_match(const std::string& augpath) {
  InGuest g("aug_match");
  return matches(g.aug, augpath, "aug_match");
}

void do_aug_save() {
  InGuest g("aug_save");
  if (aug_save(g.aug) == 0) return;
  // augeas records why under /augeas/files/…/error: name the files.
  std::string msg = "aug_save: augeas could not save";
  char** errors = nullptr;
  int n = aug_match(g.aug, "/augeas/files//error", &errors);
  for (int i = 0; i < n; ++i) {
    std::string path = errors[i];
    const char* what = nullptr;
    aug_get(g.aug, errors[i], &what);
    const std::string prefix = "/augeas/files", suffix = "/error";
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size() + suffix.size())
      path = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    msg += std::string(i ? ", " : ": ") + path + " (" + (what ? what : "error") + ")";
    std::free(errors[i]);
  }
  std::free(errors);
  throw DaemonError(EIO, msg);
}

std::vector<std::string> do_aug_ls(const std::string& augpath) {
  std::string parent = augpath;
  while (parent.size() > 1 && parent.back() == '/') parent.pop_back();
  auto children = do_aug_match(parent == "/" ? "/*" : parent + "/*");
  std::sort(children.begin(), children.end());
  return children;
}

int32_t do_aug_rm(const std::string& augpath) {
  InGuest g("aug_rm");
  int n = aug_rm(g.aug, augpath.c_str());
  if (n < 0) throw_augeas("aug_rm", g.aug);
  return n;
}

void do_aug_insert(const std::string& augpath, const std::string& label, bool before) {
  InGuest g("aug_insert");
  if (aug_insert(g.aug, augpath.c_str(), label.c_str(), before ? 1 : 0) < 0) throw_augeas("aug_insert", g.aug);
}

void do_aug_load() {
  if (g_augeas_lazy) compile_named_lenses(handle("aug_load"));
  InGuest g("aug_load");
  if (aug_load(g.aug) < 0) throw_augeas("aug_load", g.aug);
}

int32_t do_aug_defvar(const std::string& name, const std::string& expr) {
  InGuest g("aug_defvar");
  int n = aug_defvar(g.aug, name.c_str(), expr.empty() ? nullptr : expr.c_str());
  if (n < 0) throw_augeas("aug_defvar", g.aug);
  return n;
}

}  // namespace vt::daemon

namespace vt::daemon {

namespace {

// Inspection's own augeas handle, with only the Fstab lens, compiled once:
// compiling it costs about 60 ms under TCG, so it is done before the
// appliance state is saved (internal_prepare_save calls fstab_augeas).
augeas* fstab_augeas() {
  static std::unique_ptr<augeas, AugeasCloser> aug = [] {
    std::unique_ptr<augeas, AugeasCloser> a(aug_init("/", nullptr, AUG_NO_LOAD | AUG_NO_MODL_AUTOLOAD | AUG_NO_ERR_CLOSE));
    if (!a || aug_error(a.get()) != AUG_NOERROR) throw_augeas("internal_read_fstab", a.get());
    if (aug_set(a.get(), "/augeas/load/Fstab/lens", "Fstab.lns") < 0) throw_augeas("internal_read_fstab", a.get());
    compile_named_lenses(a.get());
    return a;
  }();
  return aug.get();
}

// The value of `path` if exactly one node matches and it has one, else nullopt.
std::optional<std::string> single_value(augeas* aug, const std::string& path) {
  const char* value = nullptr;
  if (aug_get(aug, path.c_str(), &value) != 1 || !value) return std::nullopt;
  return std::string(value);
}

// A hostile fstab could be huge; nobody has thousands of filesystems.
constexpr size_t kMaxFstabEntries = 1000;
// Past this size Augeas takes minutes under TCG (100,000 lines: over two),
// so a bigger fstab is read here, its first MiB only, in the same fields.
constexpr off_t kAugeasFstabLimit = 64 * 1024;
constexpr size_t kLargeFstabRead = 1024 * 1024;

// spec, file, vfstype, subvol=, subvolid= of each entry, as Augeas's Fstab
// lens gives them (fields kept as written, escapes and all).
std::vector<std::string> read_large_fstab(int fd) {
  std::string text(kLargeFstabRead, '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  std::vector<std::string> out;
  size_t entries = 0;
  for (size_t start = 0; start < text.size() && entries < kMaxFstabEntries;) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      if (got == kLargeFstabRead) break;  // a line cut off by the limit
      end = text.size();
    }
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    std::vector<std::string_view> fields;
    for (size_t i = 0; i < line.size();) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
      if (j > i) fields.push_back(line.substr(i, j - i));
      i = j;
    }
    if (fields.size() < 3 || fields[0].front() == '#') continue;
    std::string subvol, subvolid;
    if (fields.size() > 3)
      for (size_t i = 0; i <= fields[3].size();) {
        size_t comma = std::min(fields[3].find(',', i), fields[3].size());
        std::string_view opt = fields[3].substr(i, comma - i);
        if (opt.rfind("subvol=", 0) == 0 && subvol.empty()) subvol = opt.substr(7);
        if (opt.rfind("subvolid=", 0) == 0 && subvolid.empty()) subvolid = opt.substr(9);
        i = comma + 1;
      }
    out.insert(out.end(), {std::string(fields[0]), std::string(fields[1]), std::string(fields[2]), subvol, subvolid});
    ++entries;
  }
  return out;
}

}  // namespace

void warm_fstab_augeas() { fstab_augeas(); }

std::vector<std::string> do_internal_read_fstab(const std::string& path) {
  try {
    // Not blocking: a FIFO named fstab must not hang the daemon.
    UniqueFd fd = open_in_guest(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > kAugeasFstabLimit)
      return read_large_fstab(fd.get());
  } catch (const DaemonError&) {
    // Augeas's own answer for what cannot be opened.
  }
  augeas* aug = fstab_augeas();
  if (aug_set(aug, "/augeas/load/Fstab/incl", path.c_str()) < 0) throw_augeas("internal_read_fstab", aug);
  std::vector<std::string> out;
  aug_rm(aug, "/files");  // the fstab of the last call, maybe another guest's
  GuestChroot chroot("/");
  if (aug_load(aug) < 0) throw_augeas("internal_read_fstab", aug);
  auto entries = matches(aug, "/files" + path + "/*[spec]", "internal_read_fstab");
  if (entries.size() > kMaxFstabEntries) entries.resize(kMaxFstabEntries);
  for (const auto& entry : entries) {
    auto spec = single_value(aug, entry + "/spec");
    auto file = single_value(aug, entry + "/file");
    auto vfstype = single_value(aug, entry + "/vfstype");
    if (!spec || !file || !vfstype) continue;
    auto option = [&](const char* name) {
      auto values = matches(aug, entry + "/opt[.='" + name + "']/value", "internal_read_fstab");
      return values.empty() ? std::string() : single_value(aug, values.front()).value_or("");
    };
    out.insert(out.end(), {*spec, *file, *vfstype, option("subvol"), option("subvolid")});
  }
  return out;
}

}  // namespace vt::daemon
