// Disk images handled on the host with qemu-img, at the host's disk speed:
// the copying tools (virt-resize, virt-sparsify) move data this way and ask
// the appliance only for what needs a kernel.  Every image is named to
// qemu-img with its format, never probed, so guest bytes cannot choose one.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "qcow2_backing.hpp"

namespace vt {

struct ImageInfo {
  std::string format;
  uint64_t virtual_size = 0;
  uint64_t cluster_size = 0;  // 0 for formats without clusters
  std::string compat;         // qcow2: "0.10" or "1.1"
  std::string backing_file;
};

// A byte range of an image, as qemu-img opens it: the image itself, or
// `length` bytes of it from `offset` (length 0: to its end).
struct ImageRange {
  std::string path;
  std::string format;
  uint64_t offset = 0;
  uint64_t length = 0;
  // A qcow2 overlay's chain when the tool made it (see overlay_chain);
  // otherwise read from the headers.
  std::optional<std::vector<BackingFile>> backing = std::nullopt;
};

// Position and total of a running copy, in bytes or in 1/10000ths.
using ProgressCallback = std::function<void(uint64_t position, uint64_t total)>;

class QemuImg {
 public:
  // `program` prefixes the -v lines that show each command.
  QemuImg(std::string program, bool verbose);

  // What the image is.  `format` empty: qemu-img's probe (for images the
  // user named, as libguestfs's tools do).
  ImageInfo info(const std::string& path, const std::string& format = "") const;
  // A new empty image; `options` are qemu-img's -o settings.
  void create(const std::string& path, const std::string& format, uint64_t size,
              const std::vector<std::string>& options = {}) const;
  // A qcow2 image whose unwritten clusters read through to `backing`.
  void create_overlay(const std::string& path, const std::string& backing, const std::string& backing_format,
                      uint64_t cluster_size = 0) const;

  struct CopyOptions {
    bool sparse = true;           // skip zeroes (else write them, allocating the target)
    bool target_is_zero = false;  // the target range reads as zeroes already: write only data
    ProgressCallback progress;
  };
  // Copies `from` over `to` (an existing image, same length).
  void copy(const ImageRange& from, const ImageRange& to, const CopyOptions& options) const;

  struct ConvertOptions {
    bool compress = false;
    std::string options;          // -o
    ProgressCallback progress;
  };
  // Copies the image `from` to a new image `to` of `to_format`, sparse.
  void convert(const ImageRange& from, const std::string& to, const std::string& to_format,
               const ConvertOptions& options) const;

  // Reads `length` bytes at `offset` (a range inside the image) without
  // writing to it: a raw image is read directly, others through qemu-img.
  std::string read_bytes(const std::string& path, const std::string& format, uint64_t offset, size_t length) const;

  // Writes whole 512-byte sectors into an existing image at `offset`.
  void write_bytes(const std::string& path, const std::string& format, uint64_t offset, const std::string& bytes) const;

 private:
  std::string run(std::vector<std::string> args, const ProgressCallback& progress = {}) const;
  std::string program_;
  bool verbose_;
  std::string qemu_img_;
};

// How qemu-img opens a range: a json: pseudo-filename (safe for any path).
std::string image_range_spec(const ImageRange& range);

}  // namespace vt
