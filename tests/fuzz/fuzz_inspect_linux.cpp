// Linux and BSD identification (inspect_linux.hpp) over a guest whose files
// all come from the input: records "PATH\0CONTENT\0" one after the other.
//   PATH ending in '/'           a directory (CONTENT ignored)
//   CONTENT starting "\x01"      a symbolic link to the rest
//   anything else                a regular file with CONTENT
// A binary's architecture is what binary_architecture reads from its first
// bytes, the host-side parser of ELF and PE headers.  Nothing here is
// documented to throw: any exception is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "inspect.hpp"
#include "inspect_linux.hpp"

namespace inspect = vt::inspect;

namespace {

class FuzzGuest : public inspect::GuestView {
 public:
  explicit FuzzGuest(std::string_view in) {
    while (!in.empty()) {
      size_t end = in.find('\0');
      std::string path(in.substr(0, end));
      in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
      end = in.find('\0');
      std::string content(in.substr(0, end));
      in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
      if (path.size() > 1 && path.back() == '/') {
        path.pop_back();
        dirs_.insert(path);
      } else if (!content.empty() && content[0] == '\x01') {
        links_[path] = content.substr(1);
      } else {
        files_[path] = content;
      }
    }
  }

  bool is_file(const std::string& path, bool follow) const override {
    auto p = follow ? resolve(path) : std::optional<std::string>(path);
    return p && files_.count(*p);
  }
  bool is_dir(const std::string& path) const override { return dirs_.count(path) > 0; }
  std::optional<std::string> symlink_target(const std::string& path) const override {
    auto it = links_.find(path);
    if (it == links_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> read_small_file(const std::string& path) const override {
    auto p = resolve(path);
    if (!p) return std::nullopt;
    auto it = files_.find(*p);
    if (it == files_.end() || it->second.size() > inspect::kSmallFileLimit) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> architecture(const std::string& path) const override {
    auto contents = read_small_file(path);
    if (!contents) return std::nullopt;
    return inspect::binary_architecture(*contents);
  }
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  // As the daemon resolves links inside the guest: absolute or relative to
  // the link's directory, at most 8 hops (a loop is "missing").
  std::optional<std::string> resolve(std::string path) const {
    for (int hops = 0; hops < 8; ++hops) {
      auto it = links_.find(path);
      if (it == links_.end()) return path;
      const std::string& target = it->second;
      path = !target.empty() && target[0] == '/' ? target : path.substr(0, path.rfind('/') + 1) + target;
    }
    return std::nullopt;
  }

  std::map<std::string, std::string> files_;
  std::set<std::string> dirs_;
  std::map<std::string, std::string> links_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  FuzzGuest guest(std::string_view(reinterpret_cast<const char*>(bytes), size));
  {
    inspect::OsFacts facts;
    if (inspect::identify_bsd(guest, facts)) (void)inspect::unix_osinfo(facts);
  }
  {
    inspect::OsFacts facts;
    if (inspect::identify_linux(guest, facts)) {
      if (facts.type != "linux") std::abort();
      (void)inspect::unix_osinfo(facts);
    }
  }
  for (const auto& [path, contents] : guest.files()) {
    (void)inspect::parse_os_release(contents);
    (void)inspect::binary_architecture(contents);
  }
  return 0;
}
