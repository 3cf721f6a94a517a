#include "hive.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "hive_type.hpp"

namespace vt::winreg {

namespace {

// libhivex hands out malloc'd strings and arrays.
struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
template <typename T>
using Malloced = std::unique_ptr<T, FreeDeleter>;

}  // namespace

std::vector<std::string> split_key_path(const std::string& path) {
  std::vector<std::string> steps;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t sep = path.find('\\', pos);
    if (sep == std::string::npos) sep = path.size();
    if (sep > pos) steps.push_back(path.substr(pos, sep - pos));
    pos = sep + 1;
  }
  return steps;
}

Hive::Hive(const std::string& path, const std::string& name, bool writable) : name_(name), path_(path) {
  // Reading is unsafe mode, as libguestfs's export: a damaged value is
  // skipped rather than failing the whole key.
  errno = 0;
  handle_.reset(hivex_open(path.c_str(), writable ? HIVEX_OPEN_WRITE : HIVEX_OPEN_UNSAFE));
  if (!handle_) {
    int err = errno;
    throw Error(name + ": not a valid registry hive (corrupt or truncated?): " +
                (err ? std::strerror(err) : "unknown error"));
  }
}

void Hive::fail(const std::string& what) const {
  int err = errno;
  throw Error(name_ + ": the registry hive is damaged: " + what + ": " + (err ? std::strerror(err) : "unknown error"));
}

hive_node_h Hive::root() const {
  errno = 0;
  hive_node_h node = hivex_root(handle_.get());
  if (node == 0) fail("no root key");
  return node;
}

std::optional<hive_node_h> Hive::lookup(const std::string& path) const {
  hive_node_h node = root();
  for (const auto& step : split_key_path(path)) {
    errno = 0;
    hive_node_h child = hivex_node_get_child(handle_.get(), node, step.c_str());
    if (child == 0) {
      if (errno != 0) fail("reading the subkeys of " + canonical_path(node));
      return std::nullopt;
    }
    node = child;
  }
  return node;
}

hive_node_h Hive::lookup_or_create(const std::string& path) {
  hive_node_h node = root();
  for (const auto& step : split_key_path(path)) {
    errno = 0;
    hive_node_h child = hivex_node_get_child(handle_.get(), node, step.c_str());
    if (child == 0 && errno != 0) fail("reading the subkeys of " + canonical_path(node));
    if (child == 0) child = hivex_node_add_child(handle_.get(), node, step.c_str());
    if (child == 0) fail("adding key " + step);
    node = child;
  }
  return node;
}

std::string Hive::node_name(hive_node_h node) const {
  errno = 0;
  Malloced<char> name(hivex_node_name(handle_.get(), node));
  if (!name) fail("reading a key name");
  return name.get();
}

std::vector<hive_node_h> Hive::children(hive_node_h node) const {
  errno = 0;
  Malloced<hive_node_h> list(hivex_node_children(handle_.get(), node));
  if (!list) fail("reading the subkeys of " + canonical_path(node));
  std::vector<hive_node_h> result;
  for (size_t i = 0; list.get()[i] != 0; ++i) result.push_back(list.get()[i]);
  return result;
}

std::string Hive::canonical_path(hive_node_h node) const {
  hive_node_h top = root();
  std::vector<std::string> names;
  // A corrupt hive could make the parent chain loop: bound the walk.
  for (int depth = 0; node != top; ++depth) {
    if (depth > 512) fail("the key tree is too deep or loops");
    names.push_back(node_name(node));
    errno = 0;
    node = hivex_node_parent(handle_.get(), node);
    if (node == 0) fail("reading the parent of key " + names.back());
  }
  if (names.empty()) return "\\";
  std::string path;
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += "\\" + *it;
  return path;
}

std::vector<hive_value_h> Hive::value_handles(hive_node_h node) const {
  errno = 0;
  Malloced<hive_value_h> list(hivex_node_values(handle_.get(), node));
  if (!list) fail("reading the values of " + canonical_path(node));
  std::vector<hive_value_h> result;
  for (size_t i = 0; list.get()[i] != 0; ++i) result.push_back(list.get()[i]);
  return result;
}

HiveValue Hive::value(hive_value_h value) const {
  HiveValue v;
  errno = 0;
  Malloced<char> key(hivex_value_key(handle_.get(), value));
  if (!key) fail("reading a value name");
  v.name = key.get();
  hive_type type;
  size_t len = 0;
  errno = 0;
  Malloced<char> data(hivex_value_value(handle_.get(), value, &type, &len));
  if (!data) fail("reading value \"" + v.name + "\"");
  v.type = hive_type_number(type);
  v.data.assign(data.get(), len);
  return v;
}

std::optional<hive_value_h> Hive::find_value(hive_node_h node, const std::string& name) const {
  errno = 0;
  hive_value_h value = hivex_node_get_value(handle_.get(), node, name.c_str());
  if (value == 0) {
    if (errno != 0) fail("reading the values of " + canonical_path(node));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> Hive::string_value(hive_value_h value) const {
  errno = 0;
  Malloced<char> text(hivex_value_string(handle_.get(), value));
  if (!text) return std::nullopt;
  return std::string(text.get());
}

std::vector<HiveValue> Hive::values(hive_node_h node) const {
  std::vector<HiveValue> result;
  for (hive_value_h v : value_handles(node)) result.push_back(value(v));
  return result;
}

void Hive::set_values(hive_node_h node, const std::vector<HiveValue>& values) {
  std::vector<hive_set_value> raw(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    raw[i].key = const_cast<char*>(values[i].name.c_str());
    set_hive_type_number(raw[i].t, values[i].type);
    raw[i].len = values[i].data.size();
    raw[i].value = const_cast<char*>(values[i].data.data());
  }
  errno = 0;
  if (hivex_node_set_values(handle_.get(), node, raw.size(), raw.data(), 0) < 0)
    fail("setting the values of " + canonical_path(node));
}

void Hive::delete_node(hive_node_h node) {
  if (node == root()) throw Error(name_ + ": the root key of a hive cannot be deleted");
  std::string path = canonical_path(node);
  errno = 0;
  if (hivex_node_delete_child(handle_.get(), node) < 0) fail("deleting " + path);
}

void Hive::commit() {
  errno = 0;
  if (hivex_commit(handle_.get(), nullptr, 0) < 0) fail("writing the hive");
}

}  // namespace vt::winreg
