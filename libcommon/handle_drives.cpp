// Drives: checking a disk image when it is added, plugging it into the
// running appliance over QMP (blockdev-add + a SCSI disk on the
// virtio-scsi controller), and unplugging it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <variant>

#include "errors.hpp"
#include "handle.hpp"
#include "json.hpp"
#include "qmp.hpp"

namespace vt {

namespace {

// QEMU's node for the bytes under a drive: a regular file, a host block
// device, or, for /dev/null (which scripts add to get an appliance with no
// real disk, as with libguestfs), a small disk of zeroes.
// `properties` (",\"read-only\":true", …) apply to it as to the format node;
// `file_properties` only to a file or a host device (null-co has no locks).
std::string protocol_node(const std::string& path, const std::string& properties, const std::string& file_properties) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode))
    return "{\"driver\":\"null-co\",\"size\":4096,\"read-zeroes\":true" + properties + "}";
  std::string driver = ::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode) ? "host_device" : "file";
  return "{\"driver\":" + json::quote(driver) + ",\"filename\":" + json::quote(path) + properties +
         file_properties + "}";
}

// A disk with 4096-byte sectors (--blocksize=4096) has them as both its
// logical and physical block size, as libguestfs gives it.
std::string block_size_properties(int blocksize) {
  if (blocksize == 0) return "";
  std::string n = std::to_string(blocksize);
  return ",\"logical_block_size\":" + n + ",\"physical_block_size\":" + n;
}

// The size in bytes of the image QEMU opened as `node`.
uint64_t node_virtual_size(QmpClient& qmp, const std::string& node) {
  json::Value nodes = qmp.execute("query-named-block-nodes", "{\"flat\":true}");
  const auto* list = std::get_if<std::shared_ptr<json::Array>>(&nodes.v);
  for (const auto& n : list && *list ? **list : json::Array{}) {
    const json::Value* name = n.get("node-name");
    const json::Value* image = n.get("image");
    const json::Value* size = image ? image->get("virtual-size") : nullptr;
    const double* bytes = size ? std::get_if<double>(&size->v) : nullptr;
    if (name && name->as_string() && *name->as_string() == node && bytes && *bytes > 0)
      return static_cast<uint64_t>(*bytes);
  }
  throw Error("QEMU gives no size for node " + node);
}

// The member `key` of a QMP object, as a string ("" if there is none).
std::string string_member(const json::Value& v, const char* key) {
  const json::Value* m = v.get(key);
  return m && m->as_string() ? *m->as_string() : "";
}

}  // namespace

size_t Handle::add_drive(const std::string& path, const DriveOptions& opts) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) throw Error(errno_message(path, errno));
  if (S_ISDIR(st.st_mode)) throw Error(path + ": is a directory, not a disk image");
  if (S_ISCHR(st.st_mode) && path != "/dev/null") throw Error(path + ": is a character device, not a disk image");
  if (::access(path.c_str(), opts.readonly ? R_OK : R_OK | W_OK) < 0) throw Error(errno_message(path, errno));
  Drive d;
  d.path = path;
  d.options = opts;
  d.format = opts.format;
  bool qcow2 = has_qcow2_magic(path);
  if (d.format.empty()) d.format = qcow2 ? "qcow2" : "raw";
  if (d.format == "qcow2" && !qcow2) throw Error(path + ": not a qcow2 file (bad magic); use --format raw");
  if (d.format == "raw" && S_ISREG(st.st_mode)) {
    if (st.st_size == 0) throw Error(path + ": empty file, not a disk image");
    if (st.st_size % 512 != 0)
      throw Error(path + ": not a disk image (size " + std::to_string(st.st_size) +
                  " is not a multiple of 512 bytes)");
  }
  // QEMU is told the whole chain, checked here, and opens nothing else.
  if (d.format == "qcow2") d.backing = opts.backing ? *opts.backing : qcow2_backing_chain(path);
  if (opts.blocksize != 0 && opts.blocksize != 512 && opts.blocksize != 4096)
    throw Error("add_drive: " + path + ": blocksize must be 512 or 4096, not " + std::to_string(opts.blocksize));
  // virtio-scsi has targets 0-255; each drive keeps its own.
  if (drives_.size() > 255) throw Error("add_drive: " + path + ": too many disks (256 at most)");
  drives_.push_back(d);
  size_t index = drives_.size() - 1;
  if (launched()) {
    plug_drive(index);
    internal_add_disks(static_cast<int32_t>(plugged_drives()));
  }
  return index;
}

size_t Handle::plugged_drives() const {
  size_t n = 0;
  for (const auto& d : drives_) n += d.plugged ? 1 : 0;
  return n;
}

void Handle::remove_drive(size_t index) {
  if (index >= drives_.size() || !drives_[index].plugged)
    throw Error("remove_drive: there is no drive " + std::to_string(index) + " in the appliance");
  Drive& d = drives_[index];
  std::string node = "disk" + std::to_string(index);
  internal_unplug_disk(static_cast<int32_t>(index));
  try {
    qmp_->execute("device_del", "{\"id\":" + json::quote("scsi-" + node) + "}");
    // QEMU frees the node once the device is gone, which may take a moment.
    for (int attempt = 0;; ++attempt) {
      try {
        qmp_->execute("blockdev-del", "{\"node-name\":" + json::quote(node) + "}");
        break;
      } catch (const ApplianceError&) {
        throw;
      } catch (const Error&) {
        if (attempt >= 500) throw;
        drain_console(10);
      }
    }
    if (!d.overlay.empty()) {
      // The overlay's file and the image below it are nodes of their own.
      qmp_->execute("blockdev-del", "{\"node-name\":" + json::quote(node + "-overlay") + "}");
      qmp_->execute("blockdev-del", "{\"node-name\":" + json::quote(node + "-image") + "}");
      ::unlink(d.overlay.c_str());
      d.overlay.clear();
    }
  } catch (const ApplianceError&) {
    throw;
  } catch (const Error& e) {
    throw Error(d.path + ": unplugging: " + e.what());
  }
  d.plugged = false;
  log_phase("unplugged " + d.path);
}

void Handle::plug_drive(size_t index) {
  Drive& d = drives_[index];
  std::string node = "disk" + std::to_string(index);
  // What the format and the protocol node share: a discard passes through
  // both, and so does not flushing.
  std::string shared = std::string(",\"read-only\":") + (d.options.readonly ? "true" : "false");
  if (d.options.discard) shared += ",\"discard\":\"unmap\"";
  if (d.options.cache_unsafe) shared += ",\"cache\":{\"no-flush\":true}";
  // Read-only disks are read-only in QEMU itself, and shared with any other
  // user of the image (a running guest) as qemu-img -U does.  The appliance
  // sees them through an overlay.
  std::string image_node = d.options.readonly ? node + "-image" : node;
  std::string locking = d.options.no_locking ? ",\"locking\":\"off\"" : "";
  std::string backing = d.format == "qcow2" ? backing_options(d.backing, 0, locking) : "";
  std::string args = "{\"driver\":" + json::quote(d.format) + ",\"node-name\":" + json::quote(image_node) + shared +
                     backing +
                     (d.options.readonly ? ",\"force-share\":true" : "") +
                     (d.options.discard ? ",\"detect-zeroes\":\"unmap\"" : "") +
                     ",\"file\":" +
                     protocol_node(d.path, shared, locking) + "}";
  log_phase("blockdev-add " + args);
  try {
    qmp_->execute("blockdev-add", args);
    if (d.options.readonly) add_overlay(d, node, image_node);
    qmp_->execute("device_add", "{\"driver\":\"scsi-hd\",\"bus\":\"scsi0.0\",\"drive\":" + json::quote(node) +
                                    ",\"id\":" + json::quote("scsi-" + node) + ",\"channel\":0,\"scsi-id\":" +
                                    std::to_string(index) + ",\"lun\":0" + block_size_properties(d.options.blocksize) +
                                    "}");
  } catch (const ApplianceError&) {
    throw;
  } catch (const Error& e) {
    throw Error(d.path + ": " + e.what());
  }
  d.plugged = true;
}

// The appliance's kernel must see a writable disk, as libguestfs gives it
// (a qcow2 overlay over each read-only drive): on a read-only disk btrfs
// marks every block group read-only, and statvfs leaves the free space of
// read-only data block groups out of f_bavail.  QEMU makes the overlay
// itself (blockdev-create) and names the image's node as its backing, so
// the image is neither opened again nor probed, and stays read-only.
void Handle::add_overlay(Drive& d, const std::string& node, const std::string& image_node) {
  uint64_t size = node_virtual_size(*qmp_, image_node);
  std::string path = tmpdir_->path() + "/" + node + "-overlay.qcow2";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd) throw Error(errno_message(path, errno));
  fd.reset();
  d.overlay = path;
  std::string file_node = node + "-overlay";
  // Thrown away at the end: never worth a flush to the host's disk.
  const std::string no_flush = ",\"cache\":{\"no-flush\":true}";
  qmp_->execute("blockdev-add", "{\"driver\":\"file\",\"node-name\":" + json::quote(file_node) +
                                    ",\"filename\":" + json::quote(path) + no_flush + "}");
  std::string job = node + "-create";
  qmp_->execute("blockdev-create", "{\"job-id\":" + json::quote(job) + ",\"options\":{\"driver\":\"qcow2\",\"file\":" +
                                       json::quote(file_node) + ",\"size\":" + std::to_string(size) + "}}");
  finish_qmp_job(job);
  qmp_->execute("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":" + json::quote(node) + ",\"file\":" +
                                    json::quote(file_node) + ",\"backing\":" + json::quote(image_node) + no_flush + "}");
}

void Handle::finish_qmp_job(const std::string& id) {
  // Creating an empty qcow2 takes QEMU milliseconds; this guards against a wedged one.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    json::Value jobs = qmp_->execute("query-jobs");
    const auto* list = std::get_if<std::shared_ptr<json::Array>>(&jobs.v);
    for (const auto& job : list && *list ? **list : json::Array{}) {
      if (string_member(job, "id") != id || string_member(job, "status") != "concluded") continue;
      std::string error = string_member(job, "error");
      qmp_->execute("job-dismiss", "{\"id\":" + json::quote(id) + "}");
      if (!error.empty()) throw Error(id + ": " + error);
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) throw Error(id + ": QEMU's job did not finish");
    drain_console(1);
  }
}

void Handle::hot_add_drives() {
  for (size_t i = 0; i < drives_.size(); ++i) plug_drive(i);
  log_phase("disks plugged in");
  if (!drives_.empty()) internal_add_disks(static_cast<int32_t>(drives_.size()));
  log_phase("disks added");
}

}  // namespace vt
