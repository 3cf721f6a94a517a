// The registry hive wrapper (hive.hpp) over libhivex: the input is written
// to a file, opened read-only, and its tree walked breadth-first with a cap
// on the nodes visited, reading every key name, path, value and string.
// Documented failure: vt::Error.  The wrapper must not crash, hang or run
// out of memory on cyclic subkey lists or values claiming huge lengths.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <set>
#include <string>

#include "errors.hpp"
#include "hive.hpp"

namespace winreg = vt::winreg;

namespace {

// One file for the whole run, rewritten for each input.
class HiveFile {
 public:
  HiveFile() {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/vt-fuzz-hive-XXXXXX";
    int fd = ::mkstemp(path_.data());
    if (fd < 0) std::abort();
    ::close(fd);
  }
  ~HiveFile() { ::unlink(path_.c_str()); }
  HiveFile(const HiveFile&) = delete;
  HiveFile& operator=(const HiveFile&) = delete;

  const std::string& write(const uint8_t* bytes, size_t size) {
    int fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) std::abort();
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::write(fd, bytes + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
    ::close(fd);
    return path_;
  }

 private:
  std::string path_;
};

constexpr size_t kMaxNodes = 2000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  static HiveFile file;
  const std::string& path = file.write(bytes, size);
  try {
    winreg::Hive hive(path, "FUZZ", false);
    std::deque<hive_node_h> queue{hive.root()};
    std::set<hive_node_h> seen{queue.front()};
    size_t visited = 0;
    while (!queue.empty() && visited < kMaxNodes) {
      hive_node_h node = queue.front();
      queue.pop_front();
      ++visited;
      try {
        std::string name = hive.node_name(node);
        std::string where = hive.canonical_path(node);
        (void)hive.lookup(where);
        for (hive_value_h v : hive.value_handles(node)) {
          winreg::HiveValue value = hive.value(v);
          (void)hive.string_value(v);
          (void)hive.find_value(node, value.name);
        }
        for (hive_node_h child : hive.children(node))
          if (seen.insert(child).second) queue.push_back(child);
      } catch (const vt::Error&) {
        // A damaged key: the rest of the tree is still read.
      }
    }
  } catch (const vt::Error&) {
  }
  return 0;
}
