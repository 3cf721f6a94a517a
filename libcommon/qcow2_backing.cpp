#include "qcow2_backing.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>

#include "bytes.hpp"
#include "errors.hpp"
#include "json.hpp"
#include "process.hpp"

namespace vt {

namespace {

constexpr size_t kMaxDepth = 16;
constexpr size_t kHeaderBytes = 64 * 1024;  // the header and its extensions fit in the first cluster (>= 512 B)
constexpr size_t kMaxBackingName = 1023;    // QEMU's own limit
constexpr uint32_t kBackingFormatExtension = 0xe2792aca;
constexpr uint64_t kExternalDataFileFeature = 1u << 2;

std::string read_head(const std::string& path) { return pread_bytes(path, 0, kHeaderBytes); }

bool has_magic(std::string_view head) { return head.size() >= 4 && head.substr(0, 4) == "QFI\xfb"; }

struct Header {
  std::string backing_name, backing_format;
};

Header parse_header(const std::string& path, std::string_view head) {
  auto fail = [&](const std::string& why) { return Error(path + ": " + why); };
  if (!has_magic(head) || head.size() < 72) throw fail("not a qcow2 image (bad magic or short header)");
  uint32_t version = static_cast<uint32_t>(bytes::load_be(head, 4, 4));
  if (version != 2 && version != 3) throw fail("qcow2 version " + std::to_string(version) + " is not supported");
  uint64_t name_offset = bytes::load_be(head, 8, 8);
  uint32_t name_size = static_cast<uint32_t>(bytes::load_be(head, 16, 4));
  size_t extensions = 72;
  if (version == 3) {
    if (head.size() < 104) throw fail("short qcow2 header");
    if (bytes::load_be(head, 72, 8) & kExternalDataFileFeature)
      throw fail("the qcow2 image keeps its data in an external file, which is not supported");
    extensions = static_cast<size_t>(bytes::load_be(head, 100, 4));
  }
  Header h;
  if (name_size > 0) {
    if (name_size > kMaxBackingName || name_offset > head.size() || name_size > head.size() - name_offset)
      throw fail("the qcow2 header's backing file name is out of bounds");
    h.backing_name.assign(head.substr(static_cast<size_t>(name_offset), name_size));
    if (h.backing_name.find('\0') != std::string::npos) throw fail("the qcow2 backing file name holds a NUL byte");
  }
  // Header extensions: type, length, data padded to 8 bytes; type 0 ends them.
  for (size_t at = extensions; at + 8 <= head.size();) {
    uint32_t type = static_cast<uint32_t>(bytes::load_be(head, at, 4));
    uint32_t length = static_cast<uint32_t>(bytes::load_be(head, at + 4, 4));
    if (type == 0 || length > head.size() - at - 8) break;
    if (type == kBackingFormatExtension) h.backing_format.assign(head.substr(at + 8, length));
    at += 8 + ((static_cast<size_t>(length) + 7) & ~size_t{7});
  }
  return h;
}

// QEMU reads "PROTOCOL:..." (a colon before any slash) as a protocol.
bool names_protocol(const std::string& name) {
  size_t colon = name.find(':');
  return colon != std::string::npos && name.find('/') > colon;
}

}  // namespace

bool has_qcow2_magic(const std::string& path) { return has_magic(pread_bytes(path, 0, 4)); }

std::vector<BackingFile> qcow2_backing_chain(const std::string& path) {
  std::vector<BackingFile> chain;
  std::set<std::string> seen;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    seen.insert(real);
    std::free(real);
  }
  std::string current = path;
  std::string head = read_head(current);
  for (;;) {
    Header h = parse_header(current, head);
    if (h.backing_name.empty()) return chain;
    const std::string& name = h.backing_name;
    auto refuse = [&](const std::string& why) {
      return Error(current + ": backing file ‘" + name + "’ " + why);
    };
    if (chain.size() >= kMaxDepth) throw refuse("is too deep in the chain (" + std::to_string(kMaxDepth) + " at most)");
    if (names_protocol(name)) throw refuse("is not a local file (a QEMU protocol or json: description); refused");
    std::string file = name;
    if (file[0] != '/') {
      size_t slash = current.rfind('/');
      file = (slash == std::string::npos ? "" : current.substr(0, slash + 1)) + file;
    }
    struct stat st {};
    if (::stat(file.c_str(), &st) < 0) throw refuse(std::string("cannot be opened: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw refuse("is not a regular file; refused");
    char* real = ::realpath(file.c_str(), nullptr);
    if (!real) throw refuse(std::string("cannot be opened: ") + std::strerror(errno));
    std::string resolved = real;
    std::free(real);
    for (const char* host : {"/proc/", "/sys/", "/dev/"})
      if (resolved.rfind(host, 0) == 0) throw refuse("is a host system file; refused");
    if (!seen.insert(resolved).second) throw refuse("makes a loop in the backing chain");
    std::string format = h.backing_format;
    // Read once: for the format if unrecorded, and as the next round's header.
    if (format.empty() || format == "qcow2") head = read_head(file);
    if (format.empty()) format = has_magic(head) ? "qcow2" : "raw";
    if (format != "raw" && format != "qcow2")
      throw refuse("has the format ‘" + format + "’; only raw and qcow2 backing files are supported");
    chain.push_back({file, format});
    if (format == "raw") return chain;
    current = file;
  }
}

std::vector<BackingFile> overlay_chain(const std::string& base, const std::string& base_format) {
  std::vector<BackingFile> chain = {{base, base_format}};
  if (base_format == "qcow2")
    for (auto& b : qcow2_backing_chain(base)) chain.push_back(std::move(b));
  return chain;
}

std::string backing_options(const std::vector<BackingFile>& chain, size_t from, const std::string& protocol_extra) {
  if (from >= chain.size()) return ",\"backing\":null";
  const BackingFile& b = chain[from];
  struct stat st {};
  bool device = ::stat(b.path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
  std::string node = "{\"driver\":" + json::quote(b.format) + ",\"read-only\":true,\"file\":{\"driver\":" +
                     (device ? "\"host_device\"," : "\"file\",") + "\"filename\":" + json::quote(b.path) + ",\"read-only\":true" + protocol_extra + "}";
  if (b.format == "qcow2") node += backing_options(chain, from + 1, protocol_extra);
  return ",\"backing\":" + node + "}";
}

}  // namespace vt
