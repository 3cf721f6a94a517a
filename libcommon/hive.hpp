// A registry hive file on the host, read and written with libhivex.  Hives
// come from the guest, so they are hostile: every libhivex failure becomes an
// Error naming the hive instead of a crash or a half-read key.
#pragma once

#include <hivex.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"

namespace vt::winreg {

// Hives come from guests.  Real SOFTWARE hives reach a few hundred MiB;
// anything much larger is not a hive a guest should make us copy.
constexpr uint64_t kMaxHiveBytes = uint64_t{1} << 30;

// One value as libhivex returns it: name ("" for the default value), type
// and raw data bytes.
struct HiveValue {
  std::string name;
  uint32_t type = 0;
  std::string data;
};

class Hive {
 public:
  // Opens `path`; `name` names the hive in error messages ("SOFTWARE").
  // Throws Error when the file is not a valid hive (corrupt, truncated).
  Hive(const std::string& path, const std::string& name, bool writable);

  hive_node_h root() const;
  // The node at `path` ("\\A\\B", "A\\B" or "\\"), each step matched
  // case-insensitively as Windows does; nullopt if some step is missing.
  std::optional<hive_node_h> lookup(const std::string& path) const;
  // As lookup, making the missing keys (and their parents).
  hive_node_h lookup_or_create(const std::string& path);

  std::string node_name(hive_node_h node) const;
  std::vector<hive_node_h> children(hive_node_h node) const;
  // The path from the root in the keys' own case: "\\", "\\Microsoft\\Windows".
  std::string canonical_path(hive_node_h node) const;

  std::vector<hive_value_h> value_handles(hive_node_h node) const;
  HiveValue value(hive_value_h value) const;
  std::optional<hive_value_h> find_value(hive_node_h node, const std::string& name) const;
  // A REG_SZ or REG_EXPAND_SZ value as UTF-8; nullopt for any other type or
  // data that is not a valid string.
  std::optional<std::string> string_value(hive_value_h value) const;
  std::vector<HiveValue> values(hive_node_h node) const;

  // Replaces all the values of `node`.
  void set_values(hive_node_h node, const std::vector<HiveValue>& values);
  // Deletes `node` and everything below it (not the root).
  void delete_node(hive_node_h node);
  // Writes the changes to the file the hive was opened from.
  void commit();

  hive_h* handle() const { return handle_.get(); }
  const std::string& name() const { return name_; }
  // The host file it was opened from.
  const std::string& path() const { return path_; }

  // The Error for a failed libhivex call: "NAME: WHAT: strerror(errno)".
  [[noreturn]] void fail(const std::string& what) const;

 private:
  struct Closer {
    void operator()(hive_h* h) const { hivex_close(h); }
  };
  std::unique_ptr<hive_h, Closer> handle_;
  std::string name_, path_;
};

// Splits a registry path on backslashes, dropping empty steps
// ("\\A\\B\\" -> {"A", "B"}).
std::vector<std::string> split_key_path(const std::string& path);

}  // namespace vt::winreg
