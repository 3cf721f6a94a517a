// Calls on a Windows registry hive, through libhivex.  As in libguestfs the
// daemon holds at most one open hive.  The hive is a guest file, so it is
// opened with open_in_guest (O_PATH: a FIFO or device planted by the guest
// cannot block us) and libhivex is given /proc/self/fd/N, which names that
// very inode whatever happens to the guest path afterwards.
#include <fcntl.h>
#include <hivex.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "daemon_calls.hpp"
#include "hive_type.hpp"

namespace vt::daemon {

namespace {

// Leaves room for the reply's header and length field.
constexpr size_t kMaxReplyData = proto::kMaxMessage - 4096;

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

struct OpenHive {
  // Keeps the inode that libhivex's file name (/proc/self/fd/N) refers to;
  // a commit without a file name writes back through it.
  UniqueFd file;
  hive_h* h = nullptr;
  bool writable = false;

  OpenHive() = default;
  OpenHive(const OpenHive&) = delete;
  OpenHive& operator=(const OpenHive&) = delete;
  ~OpenHive() {
    if (h) hivex_close(h);
  }
};

std::unique_ptr<OpenHive> g_hive;

// The library prefixes errors with the call's name, so messages here do not.
OpenHive& need_hive() {
  if (!g_hive) throw DaemonError(EINVAL, "no hive is open; call hivex_open first");
  return *g_hive;
}

// Handles are offsets in the hive file; libhivex checks that they point at a
// cell of the right kind.
size_t handle_arg(int64_t handle) {
  if (handle <= 0) throw DaemonError(EINVAL, "invalid handle " + std::to_string(handle));
  return static_cast<size_t>(handle);
}

// libhivex returns 0 or NULL on error with errno set.  The error names the
// node or value; errno is read before anything can change it.
[[noreturn]] void throw_hivex(const char* kind, int64_t handle) {
  int err = errno ? errno : EINVAL;
  throw_errno(std::string(kind) + " " + std::to_string(handle), err);
}

// A string malloc'ed by libhivex, freed here.
std::string take_string(char* s, const char* kind, int64_t handle) {
  if (!s) throw_hivex(kind, handle);
  std::unique_ptr<char, decltype(&std::free)> owned(s, &std::free);
  std::string out(s);
  if (out.size() > kMaxReplyData)
    throw DaemonError(EFBIG, std::string(kind) + " " + std::to_string(handle) + ": the result is too large for one message");
  return out;
}

// A 0-terminated array of handles malloc'ed by libhivex, freed here.
template <typename Struct, typename HiveHandle>
std::vector<Struct> take_handles(HiveHandle* list, const char* kind, int64_t handle) {
  if (!list) throw_hivex(kind, handle);
  std::unique_ptr<HiveHandle, decltype(&std::free)> owned(list, &std::free);
  std::vector<Struct> out;
  for (size_t i = 0; list[i] != 0; ++i) out.push_back({static_cast<int64_t>(list[i])});
  return out;
}

// libhivex takes names as C strings: a NUL inside would silently cut them short.
const char* name_arg(const std::string& name) {
  if (name.find('\0') != std::string::npos) throw DaemonError(EINVAL, "a name cannot contain a NUL byte");
  return name.c_str();
}

std::string value_as_utf8(int64_t valueh) {
  hive_h* h = need_hive().h;
  return take_string(hivex_value_string(h, handle_arg(valueh)), "value", valueh);
}

// To change a hive libhivex copies all of it into memory; a hive too large
// for the appliance would get the daemon killed, so refuse it clearly.
// (Read-only hives are mapped from the file and cost no such memory.)
void check_fits_in_memory(const std::string& filename, off_t size) {
  struct sysinfo si {};
  if (::sysinfo(&si) < 0) return;
  uint64_t free_bytes = static_cast<uint64_t>(si.freeram) * si.mem_unit;
  if (static_cast<uint64_t>(size) > free_bytes / 2)
    throw DaemonError(ENOMEM, filename + ": the hive (" + std::to_string(size) +
                                  " bytes) is too large to open for writing in the appliance's memory");
}

}  // namespace

void do_hivex_open(const std::string& filename, const api::HivexOpenOptargs& optargs) {
  g_hive.reset();
  auto hive = std::make_unique<OpenHive>();
  hive->file = open_in_guest(filename, O_PATH);
  struct stat st {};
  if (::fstat(hive->file.get(), &st) < 0) throw_errno(filename);
  if (!S_ISREG(st.st_mode)) throw DaemonError(EINVAL, filename + ": not a regular file");
  if (optargs.write.value_or(false)) check_fits_in_memory(filename, st.st_size);
  int flags = 0;
  if (optargs.verbose.value_or(false)) flags |= HIVEX_OPEN_VERBOSE;
  if (optargs.debug.value_or(false)) flags |= HIVEX_OPEN_DEBUG;
  if (optargs.write.value_or(false)) flags |= HIVEX_OPEN_WRITE;
  if (optargs.unsafe.value_or(false)) flags |= HIVEX_OPEN_UNSAFE;
  hive->h = hivex_open(fd_path(hive->file.get()).c_str(), flags);
  if (!hive->h) throw_errno(filename);
  hive->writable = optargs.write.value_or(false);
  g_hive = std::move(hive);
}

void do_hivex_close() {
  need_hive();
  g_hive.reset();
}

int64_t do_hivex_root() {
  hive_node_h root = hivex_root(need_hive().h);
  if (root == 0) throw_errno("root node");
  return static_cast<int64_t>(root);
}

std::string do_hivex_node_name(int64_t nodeh) {
  hive_h* h = need_hive().h;
  return take_string(hivex_node_name(h, handle_arg(nodeh)), "node", nodeh);
}

std::vector<api::hivex_node> do_hivex_node_children(int64_t nodeh) {
  hive_h* h = need_hive().h;
  return take_handles<api::hivex_node>(hivex_node_children(h, handle_arg(nodeh)), "node", nodeh);
}

int64_t do_hivex_node_get_child(int64_t nodeh, const std::string& name) {
  hive_h* h = need_hive().h;
  // 0 with errno unset means "no such child".
  errno = 0;
  hive_node_h child = hivex_node_get_child(h, handle_arg(nodeh), name_arg(name));
  if (child == 0 && errno != 0) throw_hivex("node", nodeh);
  return static_cast<int64_t>(child);
}

int64_t do_hivex_node_parent(int64_t nodeh) {
  hive_h* h = need_hive().h;
  hive_node_h parent = hivex_node_parent(h, handle_arg(nodeh));
  if (parent == 0) throw_hivex("node", nodeh);
  return static_cast<int64_t>(parent);
}

std::vector<api::hivex_value> do_hivex_node_values(int64_t nodeh) {
  hive_h* h = need_hive().h;
  return take_handles<api::hivex_value>(hivex_node_values(h, handle_arg(nodeh)), "node", nodeh);
}

int64_t do_hivex_node_get_value(int64_t nodeh, const std::string& key) {
  hive_h* h = need_hive().h;
  errno = 0;
  hive_value_h found = hivex_node_get_value(h, handle_arg(nodeh), name_arg(key));
  if (found == 0 && errno != 0) throw_hivex("node", nodeh);
  return static_cast<int64_t>(found);
}

std::string do_hivex_value_key(int64_t valueh) {
  hive_h* h = need_hive().h;
  return take_string(hivex_value_key(h, handle_arg(valueh)), "value", valueh);
}

int64_t do_hivex_value_type(int64_t valueh) {
  hive_h* h = need_hive().h;
  hive_type t;
  size_t len;
  if (hivex_value_type(h, handle_arg(valueh), &t, &len) < 0) throw_hivex("value", valueh);
  return static_cast<int64_t>(vt::winreg::hive_type_number(t));
}

std::string do_hivex_value_value(int64_t valueh) {
  hive_h* h = need_hive().h;
  hive_type t;
  size_t len = 0;
  char* data = hivex_value_value(h, handle_arg(valueh), &t, &len);
  if (!data) throw_hivex("value", valueh);
  std::unique_ptr<char, decltype(&std::free)> owned(data, &std::free);
  if (len > kMaxReplyData)
    throw DaemonError(EFBIG, "value " + std::to_string(valueh) + ": the data (" + std::to_string(len) +
                                 " bytes) is too large for one message");
  return std::string(data, len);
}

std::string do_hivex_value_string(int64_t valueh) { return value_as_utf8(valueh); }

std::string do_hivex_value_utf8(int64_t valueh) { return value_as_utf8(valueh); }

void do_hivex_commit(const std::string& filename) {
  OpenHive& hive = need_hive();
  // Checked before touching any file: a read-only hive is mapped from its file.
  if (!hive.writable) throw DaemonError(EROFS, "the hive was not opened with write:true");
  if (filename.empty()) {
    if (hivex_commit(hive.h, nullptr, 0) < 0) throw_errno("commit");
    return;
  }
  check_pathname("hivex_commit", filename);
  // O_NONBLOCK: a FIFO without a reader fails instead of blocking.
  UniqueFd out = open_in_guest(filename, O_WRONLY | O_CREAT | O_NONBLOCK);
  struct stat st {};
  if (::fstat(out.get(), &st) < 0) throw_errno(filename);
  if (!S_ISREG(st.st_mode)) throw DaemonError(EINVAL, filename + ": not a regular file");
  if (hivex_commit(hive.h, fd_path(out.get()).c_str(), 0) < 0) throw_errno(filename);
}

int64_t do_hivex_node_add_child(int64_t parent, const std::string& name) {
  hive_h* h = need_hive().h;
  hive_node_h child = hivex_node_add_child(h, handle_arg(parent), name_arg(name));
  if (child == 0) throw_hivex("node", parent);
  return static_cast<int64_t>(child);
}

void do_hivex_node_delete_child(int64_t nodeh) {
  hive_h* h = need_hive().h;
  if (hivex_node_delete_child(h, handle_arg(nodeh)) < 0) throw_hivex("node", nodeh);
}

void do_hivex_node_set_value(int64_t nodeh, const std::string& key, int64_t t, const std::string& val) {
  hive_h* h = need_hive().h;
  // Registry types are 32-bit unsigned numbers.
  if (t < 0 || t > 0xffffffffLL)
    throw DaemonError(EINVAL, "type " + std::to_string(t) + " is out of range");
  hive_type type;
  vt::winreg::set_hive_type_number(type, static_cast<uint32_t>(t));
  std::string key_copy = name_arg(key), val_copy = val;  // libhivex takes non-const pointers
  hive_set_value v{key_copy.data(), type, val_copy.size(), val_copy.data()};
  if (hivex_node_set_value(h, handle_arg(nodeh), &v, 0) < 0) throw_hivex("node", nodeh);
}

}  // namespace vt::daemon
