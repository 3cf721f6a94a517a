// Activating plain LVs with device-mapper ioctls, as lvm's own activation
// would (same device names, UUIDs, tables and /dev entries), so that one lvm
// process (the report) serves both activation and the LVM calls.
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "daemon.hpp"

namespace vt::daemon {

namespace {

// One ioctl on /dev/mapper/control: the header, then `payload` (the table's
// target specs) at data_start.
bool dm_call(int control, unsigned long request, const std::string& name, const std::string& uuid, uint32_t flags,
             const std::string& payload, uint32_t target_count, dm_ioctl* answer) {
  std::string buf(sizeof(dm_ioctl) + payload.size() + 16 * 1024, '\0');
  auto* io = reinterpret_cast<dm_ioctl*>(buf.data());
  io->version[0] = DM_VERSION_MAJOR;
  io->version[1] = 0;
  io->version[2] = 0;
  io->data_size = static_cast<uint32_t>(buf.size());
  io->data_start = sizeof(dm_ioctl);
  io->target_count = target_count;
  io->flags = flags;
  std::memcpy(io->name, name.c_str(), name.size() + 1);
  if (!uuid.empty()) std::memcpy(io->uuid, uuid.c_str(), uuid.size() + 1);
  std::memcpy(buf.data() + sizeof(dm_ioctl), payload.data(), payload.size());
  if (::ioctl(control, request, io) < 0) return false;
  if (answer) *answer = *io;
  return true;
}

// The target specs of a table: each spec, its parameters, padded to 8 bytes.
std::string table_payload(const PlainLv& lv) {
  std::string out;
  for (const auto& seg : lv.segments) {
    char dev[64];
    std::snprintf(dev, sizeof dev, "%u:%u %llu", major(seg.pv_device), minor(seg.pv_device),
                  static_cast<unsigned long long>(seg.pv_offset));
    std::string params = dev;
    size_t size = (sizeof(dm_target_spec) + params.size() + 1 + 7) & ~size_t{7};
    std::string spec(size, '\0');
    auto* ts = reinterpret_cast<dm_target_spec*>(spec.data());
    ts->sector_start = seg.start;
    ts->length = seg.length;
    ts->next = static_cast<uint32_t>(size);
    std::memcpy(ts->target_type, "linear", 7);
    std::memcpy(spec.data() + sizeof(dm_target_spec), params.c_str(), params.size() + 1);
    out += spec;
  }
  return out;
}

bool valid_lvm_name(const std::string& name) {
  if (name.empty() || name[0] == '-' || name == "." || name == "..") return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '+' && c != '_' && c != '.' && c != '-') return false;
  return true;
}

std::string doubled_dashes(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '-' ? std::string("--") : std::string(1, c);
  return out;
}

}  // namespace

std::string lvm_dm_device_name(const std::string& vg, const std::string& lv) {
  return doubled_dashes(vg) + "-" + doubled_dashes(lv);
}

bool dm_activate_plain_lvs(std::vector<PlainLv>& lvs) {
  for (const auto& lv : lvs) {
    std::string name = lvm_dm_device_name(lv.vg, lv.lv);
    std::string uuid = "LVM-" + lv.vg_uuid + lv.lv_uuid;
    struct stat st;
    // Whatever is already there (another VG of the same name, a name that
    // is also something else in /dev) is for lvm to sort out.
    if (!valid_lvm_name(lv.vg) || !valid_lvm_name(lv.lv) || name.size() >= DM_NAME_LEN || uuid.size() >= DM_UUID_LEN ||
        lv.segments.empty() || ::lstat(("/dev/" + lv.vg).c_str(), &st) == 0 ||
        ::lstat(("/dev/mapper/" + name).c_str(), &st) == 0)
      return false;
  }
  UniqueFd control(::open("/dev/mapper/control", O_RDWR | O_CLOEXEC));
  if (!control) return false;
  std::vector<std::string> made;  // device-mapper names, to undo
  std::vector<std::string> paths;  // /dev entries, to undo
  auto undo = [&] {
    for (auto it = paths.rbegin(); it != paths.rend(); ++it)
      if (::rmdir(it->c_str()) < 0) ::unlink(it->c_str());
    for (const auto& name : made) dm_call(control.get(), DM_DEV_REMOVE, name, "", 0, "", 0, nullptr);
    return false;
  };
  for (auto& lv : lvs) {
    std::string name = lvm_dm_device_name(lv.vg, lv.lv);
    dm_ioctl created{};
    if (!dm_call(control.get(), DM_DEV_CREATE, name, "LVM-" + lv.vg_uuid + lv.lv_uuid, 0, "", 0, &created)) return undo();
    made.push_back(name);
    bool read_only = lv.read_only;
    for (const auto& seg : lv.segments) {
      // A PV the kernel sees as read-only takes no writable table.
      UniqueFd fd(::open(seg.pv_path.c_str(), O_RDONLY | O_CLOEXEC));
      int ro = 0;
      if (fd && ::ioctl(fd.get(), BLKROGET, &ro) == 0 && ro) read_only = true;
    }
    std::string table = table_payload(lv);
    if (!dm_call(control.get(), DM_TABLE_LOAD, name, "", read_only ? DM_READONLY_FLAG : 0, table,
                 static_cast<uint32_t>(lv.segments.size()), nullptr) ||
        !dm_call(control.get(), DM_DEV_SUSPEND, name, "", 0, "", 0, nullptr))  // no suspend flag: resume
      return undo();
    lv.device = static_cast<dev_t>(created.dev);
    // The entries lvm makes without udev: the node in /dev/mapper (group
    // disk) and /dev/VG/LV linking to it.
    std::string node = "/dev/mapper/" + name;
    if (::mknod(node.c_str(), S_IFBLK | 0660, lv.device) < 0) return undo();
    paths.push_back(node);
    if (::chmod(node.c_str(), 0660) < 0) return undo();  // not the umask's mode
    if (::chown(node.c_str(), 0, 6) < 0) return undo();
    std::string dir = "/dev/" + lv.vg;
    if (::mkdir(dir.c_str(), 0755) == 0) paths.push_back(dir);
    else if (errno != EEXIST) return undo();
    std::string link = dir + "/" + lv.lv;
    if (::symlink(node.c_str(), link.c_str()) < 0) return undo();
    paths.push_back(link);
  }
  return true;
}

bool dm_remove_device(const std::string& name) {
  UniqueFd control(::open("/dev/mapper/control", O_RDWR | O_CLOEXEC));
  return control && name.size() < DM_NAME_LEN && dm_call(control.get(), DM_DEV_REMOVE, name, "", 0, "", 0, nullptr);
}

int dm_open_count(dev_t device) {
  UniqueFd control(::open("/dev/mapper/control", O_RDWR | O_CLOEXEC));
  if (!control) return -1;
  std::string buf(sizeof(dm_ioctl) + 1024, '\0');
  auto* io = reinterpret_cast<dm_ioctl*>(buf.data());
  io->version[0] = DM_VERSION_MAJOR;
  io->data_size = static_cast<uint32_t>(buf.size());
  io->data_start = sizeof(dm_ioctl);
  io->dev = device;  // no name, no UUID: the device by its number
  if (::ioctl(control.get(), DM_DEV_STATUS, io) < 0) return -1;
  return io->open_count;
}

}  // namespace vt::daemon
