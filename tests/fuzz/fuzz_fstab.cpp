// The host side of fstab handling (inspect_fstab.hpp).  The guest's
// /etc/fstab text is parsed in the appliance (augeas, internal_read_fstab);
// the host gets its entries' fields, all guest-controlled, and maps each
// spec to an appliance device as read_fstab (inspect.cpp) does.  The input
// is fstab-like text: one entry a line, whitespace-separated
// "spec file vfstype options"; subvol= and subvolid= come from the options.
// None of these functions is documented to throw.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inspect_fstab.hpp"

namespace inspect = vt::inspect;

namespace {

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t start = line.find_first_not_of(" \t", pos);
    if (start == std::string_view::npos) break;
    size_t end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
    out.emplace_back(line.substr(start, end - start));
    pos = end;
  }
  return out;
}

std::string option(const std::string& options, const std::string& name) {
  size_t pos = 0;
  while (pos <= options.size()) {
    size_t comma = options.find(',', pos);
    if (comma == std::string::npos) comma = options.size();
    std::string opt = options.substr(pos, comma - pos);
    if (opt.compare(0, name.size() + 1, name + "=") == 0) return opt.substr(name.size() + 1);
    pos = comma + 1;
  }
  return "";
}

inspect::DeviceTables tables(bool one_disk) {
  inspect::DeviceTables t;
  t.mountables = {"/dev/sda1", "/dev/sda2", "/dev/sda3", "/dev/sdb1", "/dev/VG/root", "/dev/debian-vg/swap_1",
                  "btrfsvol:/dev/sda2/@"};
  t.disks = one_disk ? std::vector<std::string>{"/dev/sda"} : std::vector<std::string>{"/dev/sda", "/dev/sdb"};
  t.by_uuid = {{"3f2c9a52-1d6e-4c1b-9b0e-0d6b1e5a7c41", "/dev/sda1"}, {"abcd-1234", "/dev/sda2"}};
  t.by_label = {{"root", "/dev/sda2"}, {"EFI System", "/dev/sda3"}};
  t.by_partuuid = {{"0f9e8d7c-01", "/dev/sda1"}};
  t.by_partlabel = {{"boot", "/dev/sda1"}};
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(bytes), size);
  const auto t = tables(size % 2 == 0);
  std::vector<std::pair<std::string, std::string>> mountpoints;
  while (!in.empty()) {
    size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
    auto w = words(line);
    if (w.empty()) continue;
    w.resize(4);
    const std::string &spec = w[0], &mountpoint = w[1], &vfstype = w[2];
    std::string subvol = option(w[3], "subvol"), subvolid = option(w[3], "subvolid");

    // Each helper alone, on every field.
    for (const std::string& field : w) {
      (void)inspect::appliance_device_name(field);
      (void)inspect::mapper_to_lv(field);
      std::string unescaped = inspect::unescape_udev(field);
      if (unescaped.size() > field.size()) std::abort();
      (void)inspect::by_id_partition(field);
      (void)inspect::inspectable_fs_type(field);
      std::string canonical = inspect::canonical_mountpoint(field);
      if (inspect::canonical_mountpoint(canonical) != canonical) std::abort();
      for (const char* os : {"linux", "freebsd", "netbsd", "openbsd"}) (void)inspect::bsd_device_name(field, os);
    }

    // As read_fstab maps an entry.
    if (!inspect::fstab_entry_wanted(spec, mountpoint, vfstype)) continue;
    for (const char* os : {"linux", "freebsd", "netbsd", "openbsd"}) {
      auto mountable = inspect::resolve_fstab_spec(spec, t, os);
      if (!mountable) continue;
      if (vfstype == "btrfs") {
        if (!subvol.empty()) {
          mountable = inspect::btrfs_subvolume_mountable(*mountable, subvol);
        } else if (!subvolid.empty()) {
          try {
            (void)std::stoll(subvolid);
          } catch (const std::logic_error&) {
          }
        }
      }
      mountpoints.emplace_back(inspect::canonical_mountpoint(mountpoint), *mountable);
    }
  }
  auto ordered = inspect::mount_order(mountpoints);
  if (ordered.size() != mountpoints.size()) std::abort();
  return 0;
}
