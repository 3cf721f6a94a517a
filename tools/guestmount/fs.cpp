#include "fs.hpp"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

#include "errors.hpp"
#include "protocol.hpp"

namespace vt::guestmount {

namespace {

// Names per lstatnslist/readlinklist call: their replies stay far below
// the protocol's message size even for a huge directory.
constexpr size_t kNamesPerCall = 1000;

struct stat to_stat(const api::statns& s) {
  struct stat st {};
  st.st_dev = static_cast<dev_t>(s.st_dev);
  // One FUSE device holds every guest filesystem: each root directory is
  // inode 2 on ext4, so the guest's device goes into the number, or find
  // would see /boot as a loop.  Hard links (one device) still share theirs.
  st.st_ino = static_cast<ino_t>(static_cast<uint64_t>(s.st_ino) ^ (static_cast<uint64_t>(s.st_dev) << 40));
  st.st_mode = static_cast<mode_t>(s.st_mode);
  st.st_nlink = static_cast<nlink_t>(s.st_nlink);
  st.st_uid = static_cast<uid_t>(s.st_uid);
  st.st_gid = static_cast<gid_t>(s.st_gid);
  st.st_rdev = static_cast<dev_t>(s.st_rdev);
  st.st_size = static_cast<off_t>(s.st_size);
  st.st_blksize = static_cast<blksize_t>(s.st_blksize);
  st.st_blocks = static_cast<blkcnt_t>(s.st_blocks);
  st.st_atim = {static_cast<time_t>(s.st_atime_sec), static_cast<long>(s.st_atime_nsec)};
  st.st_mtim = {static_cast<time_t>(s.st_mtime_sec), static_cast<long>(s.st_mtime_nsec)};
  st.st_ctim = {static_cast<time_t>(s.st_ctime_sec), static_cast<long>(s.st_ctime_nsec)};
  return st;
}

std::string child_path(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

GuestFs& fs() { return *static_cast<GuestFs*>(fuse_get_context()->private_data); }

// Runs an operation: an error from the appliance becomes -errno.
template <typename F>
int guarded(F&& f) {
  try {
    return f();
  } catch (...) {
    return errno_of_current_exception();
  }
}

}  // namespace

int errno_of_current_exception() {
  try {
    throw;
  } catch (const CallError& e) {
    int err = proto::errno_from_name(e.errno_name());
    return -(err > 0 ? err : EIO);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  } catch (...) {
    return -EIO;
  }
}

template <typename F>
int GuestFs::change(F&& call) {
  if (int r = writable()) return r;
  changed();
  return guarded([&] {
    call();
    return 0;
  });
}

const GuestFs::Cached* GuestFs::cached(const std::string& path) {
  auto it = cache_.find(path);
  if (it == cache_.end()) return nullptr;
  if (std::chrono::steady_clock::now() >= it->second.expires) {
    cache_.erase(it);
    return nullptr;
  }
  return &it->second;
}

int GuestFs::getattr(const std::string& path, struct stat* st) {
  if (const Cached* c = cached(path)) {
    if (!c->st) return -ENOENT;
    *st = *c->st;
    return 0;
  }
  return guarded([&] {
    *st = to_stat(h_.lstatns(path));
    return 0;
  });
}

int GuestFs::readlink(const std::string& path, char* buf, size_t size) {
  if (size == 0) return -EINVAL;
  return guarded([&] {
    std::string target;
    const Cached* c = cached(path);
    if (c && c->link)
      target = *c->link;
    else
      target = h_.readlink(path);
    size_t n = std::min(target.size(), size - 1);
    std::memcpy(buf, target.data(), n);
    buf[n] = '\0';
    return 0;
  });
}

// Entries per internal_lstatns_tree call: a small guest's whole tree
// comes in one call, a big one's a few thousand entries at a time.
constexpr int32_t kTreeLimit = 4000;

const std::vector<std::string>& GuestFs::listing(const std::string& path) {
  auto now = std::chrono::steady_clock::now();
  if (auto it = listings_.find(path); it != listings_.end()) {
    if (now < it->second.expires) return it->second.names;
    listings_.erase(it);
  }
  auto expires = now + opts_.cache_timeout;
  std::vector<api::treeentry> tree;
  try {
    tree = h_.internal_lstatns_tree(path, kTreeLimit);
  } catch (const CallError& e) {
    if (e.errno_name() != "E2BIG") throw;
    fetch_one_directory(path, expires);  // a directory too big for one reply
    return listings_[path].names;
  }
  // The top directory, and every te_listed subdirectory, is complete.
  listings_[path] = Listing{{}, expires};
  for (const auto& t : tree) {
    std::string full = child_path(path, t.te_path);
    size_t slash = full.rfind('/');
    std::string parent = full.substr(0, std::max<size_t>(slash, 1));
    if (auto it = listings_.find(parent); it != listings_.end()) it->second.names.push_back(full.substr(slash + 1));
    api::statns s;
    s.st_dev = t.te_dev; s.st_ino = t.te_ino; s.st_mode = t.te_mode; s.st_nlink = t.te_nlink;
    s.st_uid = t.te_uid; s.st_gid = t.te_gid; s.st_rdev = t.te_rdev; s.st_size = t.te_size;
    s.st_blksize = t.te_blksize; s.st_blocks = t.te_blocks;
    s.st_atime_sec = t.te_atime_sec; s.st_atime_nsec = t.te_atime_nsec;
    s.st_mtime_sec = t.te_mtime_sec; s.st_mtime_nsec = t.te_mtime_nsec;
    s.st_ctime_sec = t.te_ctime_sec; s.st_ctime_nsec = t.te_ctime_nsec;
    Cached& c = cache_[full];
    c.st = to_stat(s);
    if (S_ISLNK(c.st->st_mode)) c.link = t.te_link;
    c.expires = expires;
    // Entries come breadth first: a directory's own entry precedes its entries.
    if (t.te_listed) listings_[full] = Listing{{}, expires};
  }
  return listings_[path].names;
}

void GuestFs::fetch_one_directory(const std::string& path, std::chrono::steady_clock::time_point expires) {
  auto names = h_.ls(path);
  Listing listing{{}, expires};
  for (size_t first = 0; first < names.size(); first += kNamesPerCall) {
    std::vector<std::string> batch(names.begin() + static_cast<std::ptrdiff_t>(first),
                                   names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), first + kNamesPerCall)));
    auto got = h_.lstatnslist(path, batch);
    std::vector<std::string> link_names;
    for (size_t i = 0; i < batch.size() && i < got.size(); ++i) {
      if (got[i].st_ino == -1) continue;  // gone since ls
      Cached& c = cache_[child_path(path, batch[i])];
      c.st = to_stat(got[i]);
      c.expires = expires;
      listing.names.push_back(batch[i]);
      if (S_ISLNK(c.st->st_mode)) link_names.push_back(batch[i]);
    }
    if (!link_names.empty()) {
      auto targets = h_.readlinklist(path, link_names);
      for (size_t i = 0; i < link_names.size() && i < targets.size(); ++i)
        cache_[child_path(path, link_names[i])].link = targets[i];
    }
  }
  listings_[path] = std::move(listing);
}

int GuestFs::readdir(const std::string& path, void* buf, fuse_fill_dir_t filler, fuse_readdir_flags) {
  return guarded([&] {
    std::vector<std::string> names = listing(path);
    filler(buf, ".", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    filler(buf, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    for (const auto& name : names) {
      const Cached* c = cached(child_path(path, name));
      // With the attributes the kernel needs no lookup per entry (readdirplus).
      int full = filler(buf, name.c_str(), c && c->st ? &*c->st : nullptr, 0,
                        c && c->st ? FUSE_FILL_DIR_PLUS : static_cast<fuse_fill_dir_flags>(0));
      if (full) break;
    }
    return 0;
  });
}

int GuestFs::open(const std::string&, int flags) {
  if ((flags & O_ACCMODE) != O_RDONLY) return writable();
  return 0;
}

int GuestFs::read(const std::string& path, char* buf, size_t size, off_t offset) {
  return guarded([&] {
    std::string data = h_.pread(path, static_cast<int32_t>(size), offset);
    size_t n = std::min(data.size(), size);
    std::memcpy(buf, data.data(), n);
    return static_cast<int>(n);
  });
}

int GuestFs::write(const std::string& path, const char* buf, size_t size, off_t offset) {
  int written = 0;
  int r = change([&] { written = h_.pwrite(path, std::string(buf, size), offset); });
  return r < 0 ? r : written;
}

int GuestFs::create(const std::string& path, mode_t mode) {
  return change([&] {
  h_.touch(path);
  h_.chmod(static_cast<int32_t>(mode & 07777), path);
  });
}

int GuestFs::mkdir(const std::string& path, mode_t mode) {
  return change([&] {
  h_.mkdir_mode(path, static_cast<int32_t>(mode & 07777));
  });
}

int GuestFs::unlink(const std::string& path) {
  return change([&] {
  h_.rm(path);
  });
}

int GuestFs::rmdir(const std::string& path) {
  return change([&] {
  h_.rmdir(path);
  });
}

int GuestFs::rename(const std::string& from, const std::string& to, unsigned flags) {
  if (opts_.readonly) return -EROFS;
  if (flags) return -EINVAL;  // RENAME_NOREPLACE, RENAME_EXCHANGE: not offered
  return change([&] { h_.mv(from, to); });
}

int GuestFs::symlink(const std::string& target, const std::string& linkpath) {
  return change([&] {
  h_.ln_s(target, linkpath);
  });
}

int GuestFs::link(const std::string& from, const std::string& to) {
  return change([&] {
  h_.ln(from, to);
  });
}

int GuestFs::chmod(const std::string& path, mode_t mode) {
  return change([&] {
  h_.chmod(static_cast<int32_t>(mode & 07777), path);
  });
}

int GuestFs::chown(const std::string& path, uid_t uid, gid_t gid) {
  return change([&] {
  // (uid_t)-1 leaves it as it is, as chown(2) does.
  h_.lchown(static_cast<int32_t>(uid), static_cast<int32_t>(gid), path);
  });
}

int GuestFs::truncate(const std::string& path, off_t size) {
  return change([&] {
  h_.truncate_size(path, size);
  });
}

int GuestFs::utimens(const std::string& path, const timespec tv[2]) {
  auto nsecs = [](const timespec& t) -> int64_t {
    if (t.tv_nsec == UTIME_NOW) return -1;
    if (t.tv_nsec == UTIME_OMIT) return -2;
    return t.tv_nsec;
  };
  return change([&] {
    if (!tv)
      h_.utimens(path, 0, -1, 0, -1);
    else
      h_.utimens(path, tv[0].tv_sec, nsecs(tv[0]), tv[1].tv_sec, nsecs(tv[1]));
  });
}

int GuestFs::statfs(const std::string& path, struct statvfs* st) {
  return guarded([&] {
    auto v = h_.statvfs(path);
    std::memset(st, 0, sizeof *st);
    st->f_bsize = static_cast<unsigned long>(v.bsize);
    st->f_frsize = static_cast<unsigned long>(v.frsize);
    st->f_blocks = static_cast<fsblkcnt_t>(v.blocks);
    st->f_bfree = static_cast<fsblkcnt_t>(v.bfree);
    st->f_bavail = static_cast<fsblkcnt_t>(v.bavail);
    st->f_files = static_cast<fsfilcnt_t>(v.files);
    st->f_ffree = static_cast<fsfilcnt_t>(v.ffree);
    st->f_favail = static_cast<fsfilcnt_t>(v.favail);
    st->f_fsid = static_cast<unsigned long>(v.fsid);
    st->f_flag = static_cast<unsigned long>(v.flag) | (opts_.readonly ? ST_RDONLY : 0);
    st->f_namemax = static_cast<unsigned long>(v.namemax);
    return 0;
  });
}

int GuestFs::fsync() {
  if (opts_.readonly) return 0;
  return guarded([&] {
    h_.sync();
    return 0;
  });
}

void GuestFs::unmounting() {
  if (opts_.readonly || !opts_.sync_on_unmount) return;
  try {
    h_.sync();
  } catch (const std::exception&) {
    // shutdown syncs again and reports
  }
}

fuse_operations GuestFs::operations() {
  fuse_operations ops {};
  ops.init = [](fuse_conn_info*, fuse_config* cfg) -> void* {
    cfg->use_ino = 1;  // the guest's inode numbers: find and tar see hard links as they are
    cfg->nullpath_ok = 0;
    return fuse_get_context()->private_data;
  };
  ops.destroy = [](void* data) { static_cast<GuestFs*>(data)->unmounting(); };
  ops.getattr = [](const char* p, struct stat* st, fuse_file_info*) { return fs().getattr(p, st); };
  ops.readlink = [](const char* p, char* buf, size_t size) { return fs().readlink(p, buf, size); };
  ops.readdir = [](const char* p, void* buf, fuse_fill_dir_t filler, off_t, fuse_file_info*, fuse_readdir_flags flags) {
    return fs().readdir(p, buf, filler, flags);
  };
  ops.open = [](const char* p, fuse_file_info* fi) { return fs().open(p, fi->flags); };
  ops.read = [](const char* p, char* buf, size_t size, off_t off, fuse_file_info*) { return fs().read(p, buf, size, off); };
  ops.write = [](const char* p, const char* buf, size_t size, off_t off, fuse_file_info*) {
    return fs().write(p, buf, size, off);
  };
  ops.create = [](const char* p, mode_t mode, fuse_file_info*) { return fs().create(p, mode); };
  ops.mkdir = [](const char* p, mode_t mode) { return fs().mkdir(p, mode); };
  ops.unlink = [](const char* p) { return fs().unlink(p); };
  ops.rmdir = [](const char* p) { return fs().rmdir(p); };
  ops.rename = [](const char* from, const char* to, unsigned flags) { return fs().rename(from, to, flags); };
  ops.symlink = [](const char* target, const char* link) { return fs().symlink(target, link); };
  ops.link = [](const char* from, const char* to) { return fs().link(from, to); };
  ops.chmod = [](const char* p, mode_t mode, fuse_file_info*) { return fs().chmod(p, mode); };
  ops.chown = [](const char* p, uid_t uid, gid_t gid, fuse_file_info*) { return fs().chown(p, uid, gid); };
  ops.truncate = [](const char* p, off_t size, fuse_file_info*) { return fs().truncate(p, size); };
  ops.utimens = [](const char* p, const timespec tv[2], fuse_file_info*) { return fs().utimens(p, tv); };
  ops.statfs = [](const char* p, struct statvfs* st) { return fs().statfs(p, st); };
  ops.fsync = [](const char*, int, fuse_file_info*) { return fs().fsync(); };
  return ops;
}

}  // namespace vt::guestmount
