// The appliance: a kernel, a small initrd and a read-only root image, built
// once from host packages with supermin and cached per user.
#pragma once

#include <functional>
#include <string>

namespace vt {

struct Appliance {
  std::string kernel;  // uncompressed ELF vmlinux (PVH boot), or the vmlinuz as a fallback
  std::string initrd;  // stage-1 init and the modules needed to mount the root
  std::string root;    // ext2 image of the appliance root, opened read-only
};

// Where per-user state lives: $XDG_CACHE_HOME/virt-tools, else /var/tmp/.virt-tools-$UID.
std::string cache_dir();

// Whether an entry of the cache (an appliance, a saved state) was last used
// more than a day ago; each use sets its time.  A younger one may belong to
// another build of the tools sharing the cache, and is kept.
bool unused_for_a_day(const std::string& path);

using LogFn = std::function<void(const std::string&)>;

// Returns the cached appliance, building it first if the package list, the
// host packages, the kernel or the daemon changed.  VIRT_TOOLS_APPLIANCE=DIR
// names a fixed appliance used as-is.
Appliance get_appliance(const LogFn& log);

// Builds an appliance into `dir` (which must not exist).  Exposed for
// `make appliance` and for tests.
void build_appliance(const std::string& dir, const LogFn& log);

// Writes a newc cpio archive of the tree at `root` to `out`.
void write_cpio(const std::string& root, const std::string& out);

// Extracts the uncompressed ELF kernel from a bzImage.  Returns false if the
// payload's compression is not recognised.
bool extract_vmlinux(const std::string& bzimage, const std::string& out);

}  // namespace vt
