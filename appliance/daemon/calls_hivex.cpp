// Calls on a Windows registry hive, through libhivex.  As in libguestfs the
// daemon holds at most one open hive.  The hive is a guest file, so it is
// opened with open_in_guest (O_PATH: a FIFO or device planted by the guest
// cannot block us) and libhivex is given /proc/self/fd/N, which names that
// very inode whatever happens to the guest path afterwards.
#include <fcntl.h>
#include <hivex.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>

#include "daemon_calls.hpp"

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

OpenHive& need_hive(const char* call) {
  if (!g_hive) throw DaemonError(EINVAL, std::string(call) + ": no hive is open; call hivex_open first");
  return *g_hive;
}

// Handles are offsets in the hive file; libhivex checks that they point at a
// cell of the right kind.
size_t handle_arg(const char* call, int64_t handle) {
  if (handle <= 0) throw DaemonError(EINVAL, std::string(call) + ": invalid handle " + std::to_string(handle));
  return static_cast<size_t>(handle);
}

// libhivex returns 0 or NULL on error with errno set.
[[noreturn]] void throw_hivex(const char* call, int err = errno) {
  throw_errno(call, err ? err : EINVAL);
}

// A string malloc'ed by libhivex, freed here.
std::string take_string(const char* call, char* s) {
  if (!s) throw_hivex(call);
  std::unique_ptr<char, decltype(&std::free)> owned(s, &std::free);
  std::string out(s);
  if (out.size() > kMaxReplyData) throw DaemonError(EFBIG, std::string(call) + ": the result is too large for one message");
  return out;
}

std::string value_as_utf8(const char* call, int64_t valueh) {
  hive_h* h = need_hive(call).h;
  return take_string(call, hivex_value_string(h, handle_arg(call, valueh)));
}

}  // namespace

void do_hivex_open(const std::string& filename, const api::HivexOpenOptargs& optargs) {
  g_hive.reset();
  auto hive = std::make_unique<OpenHive>();
  hive->file = open_in_guest(filename, O_PATH);
  struct stat st {};
  if (::fstat(hive->file.get(), &st) < 0) throw_errno("hivex_open: " + filename);
  if (!S_ISREG(st.st_mode)) throw DaemonError(EINVAL, "hivex_open: " + filename + ": not a regular file");
  int flags = 0;
  if (optargs.verbose.value_or(false)) flags |= HIVEX_OPEN_VERBOSE;
  if (optargs.debug.value_or(false)) flags |= HIVEX_OPEN_DEBUG;
  if (optargs.write.value_or(false)) flags |= HIVEX_OPEN_WRITE;
  if (optargs.unsafe.value_or(false)) flags |= HIVEX_OPEN_UNSAFE;
  hive->h = hivex_open(fd_path(hive->file.get()).c_str(), flags);
  if (!hive->h) throw_errno("hivex_open: " + filename);
  hive->writable = optargs.write.value_or(false);
  g_hive = std::move(hive);
}

void do_hivex_close() {
  need_hive("hivex_close");
  g_hive.reset();
}

int64_t do_hivex_root() {
  hive_node_h root = hivex_root(need_hive("hivex_root").h);
  if (root == 0) throw_hivex("hivex_root");
  return static_cast<int64_t>(root);
}

std::string do_hivex_node_name(int64_t nodeh) {
  hive_h* h = need_hive("hivex_node_name").h;
  return take_string("hivex_node_name", hivex_node_name(h, handle_arg("hivex_node_name", nodeh)));
}

std::vector<api::hivex_node> do_hivex_node_children(int64_t nodeh) {
  hive_h* h = need_hive("hivex_node_children").h;
  hive_node_h* children = hivex_node_children(h, handle_arg("hivex_node_children", nodeh));
  if (!children) throw_hivex("hivex_node_children");
  std::unique_ptr<hive_node_h, decltype(&std::free)> owned(children, &std::free);
  std::vector<api::hivex_node> out;
  for (size_t i = 0; children[i] != 0; ++i) out.push_back({static_cast<int64_t>(children[i])});
  return out;
}

int64_t do_hivex_node_get_child(int64_t nodeh, const std::string& name) {
  hive_h* h = need_hive("hivex_node_get_child").h;
  // 0 with errno unset means "no such child".
  errno = 0;
  hive_node_h child = hivex_node_get_child(h, handle_arg("hivex_node_get_child", nodeh), name.c_str());
  if (child == 0 && errno != 0) throw_hivex("hivex_node_get_child");
  return static_cast<int64_t>(child);
}

int64_t do_hivex_node_parent(int64_t nodeh) {
  hive_h* h = need_hive("hivex_node_parent").h;
  hive_node_h parent = hivex_node_parent(h, handle_arg("hivex_node_parent", nodeh));
  if (parent == 0) throw_hivex("hivex_node_parent");
  return static_cast<int64_t>(parent);
}

std::vector<api::hivex_value> do_hivex_node_values(int64_t nodeh) {
  hive_h* h = need_hive("hivex_node_values").h;
  hive_value_h* values = hivex_node_values(h, handle_arg("hivex_node_values", nodeh));
  if (!values) throw_hivex("hivex_node_values");
  std::unique_ptr<hive_value_h, decltype(&std::free)> owned(values, &std::free);
  std::vector<api::hivex_value> out;
  for (size_t i = 0; values[i] != 0; ++i) out.push_back({static_cast<int64_t>(values[i])});
  return out;
}

int64_t do_hivex_node_get_value(int64_t nodeh, const std::string& key) {
  hive_h* h = need_hive("hivex_node_get_value").h;
  errno = 0;
  hive_value_h value = hivex_node_get_value(h, handle_arg("hivex_node_get_value", nodeh), key.c_str());
  if (value == 0 && errno != 0) throw_hivex("hivex_node_get_value");
  return static_cast<int64_t>(value);
}

std::string do_hivex_value_key(int64_t valueh) {
  hive_h* h = need_hive("hivex_value_key").h;
  return take_string("hivex_value_key", hivex_value_key(h, handle_arg("hivex_value_key", valueh)));
}

int64_t do_hivex_value_type(int64_t valueh) {
  hive_h* h = need_hive("hivex_value_type").h;
  hive_type t;
  size_t len;
  if (hivex_value_type(h, handle_arg("hivex_value_type", valueh), &t, &len) < 0) throw_hivex("hivex_value_type");
  return static_cast<int64_t>(t);
}

std::string do_hivex_value_value(int64_t valueh) {
  hive_h* h = need_hive("hivex_value_value").h;
  hive_type t;
  size_t len = 0;
  char* data = hivex_value_value(h, handle_arg("hivex_value_value", valueh), &t, &len);
  if (!data) throw_hivex("hivex_value_value");
  std::unique_ptr<char, decltype(&std::free)> owned(data, &std::free);
  if (len > kMaxReplyData)
    throw DaemonError(EFBIG, "hivex_value_value: the value's data (" + std::to_string(len) +
                                 " bytes) is too large for one message");
  return std::string(data, len);
}

std::string do_hivex_value_string(int64_t valueh) { return value_as_utf8("hivex_value_string", valueh); }

std::string do_hivex_value_utf8(int64_t valueh) { return value_as_utf8("hivex_value_utf8", valueh); }

void do_hivex_commit(const std::string& filename) {
  OpenHive& hive = need_hive("hivex_commit");
  // Checked before touching any file: a read-only hive is mapped from its file.
  if (!hive.writable) throw DaemonError(EROFS, "hivex_commit: the hive was not opened with write:true");
  if (filename.empty()) {
    if (hivex_commit(hive.h, nullptr, 0) < 0) throw_hivex("hivex_commit");
    return;
  }
  check_pathname("hivex_commit", filename);
  // O_NONBLOCK: a FIFO without a reader fails instead of blocking.
  UniqueFd out = open_in_guest(filename, O_WRONLY | O_CREAT | O_NONBLOCK);
  struct stat st {};
  if (::fstat(out.get(), &st) < 0) throw_errno("hivex_commit: " + filename);
  if (!S_ISREG(st.st_mode)) throw DaemonError(EINVAL, "hivex_commit: " + filename + ": not a regular file");
  if (hivex_commit(hive.h, fd_path(out.get()).c_str(), 0) < 0) throw_errno("hivex_commit: " + filename);
}

int64_t do_hivex_node_add_child(int64_t parent, const std::string& name) {
  hive_h* h = need_hive("hivex_node_add_child").h;
  hive_node_h child = hivex_node_add_child(h, handle_arg("hivex_node_add_child", parent), name.c_str());
  if (child == 0) throw_hivex("hivex_node_add_child");
  return static_cast<int64_t>(child);
}

void do_hivex_node_delete_child(int64_t nodeh) {
  hive_h* h = need_hive("hivex_node_delete_child").h;
  if (hivex_node_delete_child(h, handle_arg("hivex_node_delete_child", nodeh)) < 0)
    throw_hivex("hivex_node_delete_child");
}

void do_hivex_node_set_value(int64_t nodeh, const std::string& key, int64_t t, const std::string& val) {
  hive_h* h = need_hive("hivex_node_set_value").h;
  // Registry types are 32-bit unsigned numbers.
  if (t < 0 || t > 0xffffffffLL)
    throw DaemonError(EINVAL, "hivex_node_set_value: type " + std::to_string(t) + " is out of range");
  std::string key_copy = key, val_copy = val;  // libhivex takes non-const pointers
  hive_set_value v{key_copy.data(), static_cast<hive_type>(t), val_copy.size(), val_copy.data()};
  if (hivex_node_set_value(h, handle_arg("hivex_node_set_value", nodeh), &v, 0) < 0)
    throw_hivex("hivex_node_set_value");
}

}  // namespace vt::daemon
