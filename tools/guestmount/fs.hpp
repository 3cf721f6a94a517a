// guestmount's filesystem: the FUSE operations, each one or a few calls to
// the appliance.  Reading a directory fetches every entry's lstat (and the
// targets of its symbolic links) in one call each, and keeps them for
// --dir-cache-timeout seconds, so the lookups and stats that follow a
// readdir (ls -l, find) cost no round trip.  Single-threaded, as the Handle is.
#pragma once

#define FUSE_USE_VERSION 31
#include <fuse.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "handle.hpp"

namespace vt::guestmount {

struct FsOptions {
  bool readonly = false;
  bool sync_on_unmount = true;  // -n/--no-sync turns it off
  std::chrono::seconds cache_timeout{60};
};

class GuestFs {
 public:
  GuestFs(Handle& h, const FsOptions& opts) : h_(h), opts_(opts) {}
  // The operations, for fuse_new; the private data must be this object.
  static fuse_operations operations();

  // Each returns 0 or -errno.
  int getattr(const std::string& path, struct stat* st);
  int readlink(const std::string& path, char* buf, size_t size);
  int readdir(const std::string& path, void* buf, fuse_fill_dir_t filler, fuse_readdir_flags flags);
  int open(const std::string& path, int flags);
  int read(const std::string& path, char* buf, size_t size, off_t offset);
  int write(const std::string& path, const char* buf, size_t size, off_t offset);
  int create(const std::string& path, mode_t mode);
  int mkdir(const std::string& path, mode_t mode);
  int unlink(const std::string& path);
  int rmdir(const std::string& path);
  int rename(const std::string& from, const std::string& to, unsigned flags);
  int symlink(const std::string& target, const std::string& linkpath);
  int link(const std::string& from, const std::string& to);
  int chmod(const std::string& path, mode_t mode);
  int chown(const std::string& path, uid_t uid, gid_t gid);
  int truncate(const std::string& path, off_t size);
  int utimens(const std::string& path, const timespec tv[2]);
  int statfs(const std::string& path, struct statvfs* st);
  int fsync();
  void unmounting();

 private:
  struct Cached {
    std::optional<struct stat> st;     // nullopt: the name does not exist
    std::optional<std::string> link;   // a symbolic link's target, when fetched
    std::chrono::steady_clock::time_point expires;
  };
  struct Listing {
    std::vector<std::string> names;
    std::chrono::steady_clock::time_point expires;
  };
  const Cached* cached(const std::string& path);
  // The directory's names, from the cache or fetched (with its subtree's
  // attributes, which fill the cache).
  const std::vector<std::string>& listing(const std::string& path);
  void fetch_one_directory(const std::string& path, std::chrono::steady_clock::time_point expires);
  // A change through the mount makes everything cached possibly stale.
  void changed() {
    cache_.clear();
    listings_.clear();
  }
  int writable() const { return opts_.readonly ? -EROFS : 0; }
  // A writing operation: EROFS with --ro, else the cache dropped and
  // `call` run, its failure as -errno; 0 when it succeeded.
  template <typename F>
  int change(F&& call);

  Handle& h_;
  FsOptions opts_;
  std::map<std::string, Cached> cache_;
  std::map<std::string, Listing> listings_;
};

// -errno for an error from the appliance: the call's errno, else EIO.
int errno_of_current_exception();

}  // namespace vt::guestmount
