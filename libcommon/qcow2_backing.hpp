// The backing chain of a qcow2 image, read from the headers here and named
// to QEMU and qemu-img node by node.  Left to themselves they would open
// whatever a header names (json: descriptions, nbd: or http: URLs, host
// devices, FIFOs) and probe its format, and a header can be written by the
// guest (a qcow2 header at the start of a raw disk probes as qcow2).
#pragma once

#include <string>
#include <vector>

namespace vt {

struct BackingFile {
  std::string path;    // as opened: absolute, or relative to the working directory
  std::string format;  // raw or qcow2
};

// Whether the file starts with qcow2's magic (throws Error if unreadable).
bool has_qcow2_magic(const std::string& path);

// The files below the qcow2 image `path`, nearest first; empty when it has
// none.  Throws Error (one line naming the image) for a backing file that
// is not a local regular file of a known format, an external data file, a
// loop, or a chain deeper than 16.
std::vector<BackingFile> qcow2_backing_chain(const std::string& path);

// The chain below an overlay the tool itself made over `base` (an image
// the user named, which may be a host block device): base, then base's own
// chain if it is a qcow2.
std::vector<BackingFile> overlay_chain(const std::string& base, const std::string& base_format);

// The ",\"backing\":{...}" member for QEMU's qcow2 options (blockdev-add or
// a json: filename) that opens chain[from...] read-only, shared with other
// readers; ",\"backing\":null" when there is nothing below, so that QEMU
// opens nothing the header may name.  `protocol_extra` is added to
// each file node (",\"locking\":\"off\"").
std::string backing_options(const std::vector<BackingFile>& chain, size_t from = 0,
                            const std::string& protocol_extra = "");

}  // namespace vt
