#include <algorithm>
#include <random>

#include "devices.hpp"
#include "errors.hpp"
#include "sparsify.hpp"

namespace vt::sparsify {

namespace {

// The header of a Linux swap device: its version, UUID and label, which
// fstab and resume= name it by.  Kept as it is rather than rebuilt by our
// mkswap, which may write a different version than the guest's own.
constexpr int32_t kSwapHeaderBytes = 4096;

std::string random_lv_name() {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::string name;
  for (int i = 0; i < 8; ++i) name += alphabet[rd() % (sizeof alphabet - 1)];
  return name;
}

// Discards the whole device; where a discard does not read back as zeroes,
// writes the zeroes (in the overlay, detect-zeroes turns them into holes).
void discard_device(Handle& h, const std::string& dev, Mode mode) {
  bool discarded = true;
  try {
    h.blkdiscard(dev);
  } catch (const CallError&) {
    discarded = false;
  }
  if (mode == Mode::copying && (!discarded || !h.blkdiscardzeroes(dev))) h.zero_device(dev);
}

}  // namespace

void free_space(Handle& h, Mode mode, const Requests& requests, const StatusMessages& status) {
  // The names the user gave, as the appliance lists devices (/dev/vda1 is
  // /dev/sda1, /dev/mapper/VG-LV is /dev/VG/LV): worked out once, on the host.
  auto canonical_set = [](const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(canonical_device_name(n));
    return out;
  };
  const std::vector<std::string> ignored = canonical_set(requests.ignores), zeroed = canonical_set(requests.zeroes);
  auto listed = [](const std::vector<std::string>& names, const std::string& dev) {
    return std::find(names.begin(), names.end(), canonical_device_name(dev)) != names.end();
  };

  std::vector<std::string> filesystems;
  for (const auto& [dev, type] : h.list_filesystems()) {
    (void)type;
    // A btrfs subvolume is trimmed with its filesystem.
    if (dev.rfind("btrfsvol:", 0) == 0) continue;
    filesystems.push_back(dev);
  }
  std::sort(filesystems.begin(), filesystems.end());
  // Asked before anything is written: until then the daemon answers from
  // the LVM metadata it read at launch, after a write it runs lvm (about
  // 0.35 s under TCG).
  std::vector<std::string> vgs = h.vgs();
  std::sort(vgs.begin(), vgs.end());

  for (const auto& fs : filesystems) {
    if (listed(ignored, fs)) continue;
    if (listed(zeroed, fs)) {
      status.message("Zeroing " + fs);
      discard_device(h, fs, mode);
      continue;
    }
    bool mounted = false;
    try {
      h.mount_options("", fs, "/");
      mounted = true;
    } catch (const CallError&) {
    }
    if (mounted) {
      if (mode == Mode::in_place) {
        status.message("Trimming " + fs);
        try {
          h.fstrim("/");
        } catch (const CallError& e) {
          status.warning("cannot trim ‘" + fs + "’: " + e.what());
        }
      } else {
        status.message("Fill free space in " + fs + " with zero");
        // A discard in the overlay becomes a zero cluster at once; writing
        // zeroes through the emulated disk is the fallback for filesystems
        // without trim.
        try {
          h.fstrim("/");
        } catch (const CallError&) {
          h.zero_free_space("/");
        }
      }
      h.umount_all();
      continue;
    }
    std::string type;
    try {
      type = h.vfs_type(fs);
    } catch (const CallError&) {
    }
    if (type == "swap") {
      status.message("Clearing Linux swap on " + fs);
      std::string header = h.pread_device(fs, kSwapHeaderBytes, 0);
      if (header.size() != static_cast<size_t>(kSwapHeaderBytes))
        throw Error(fs + ": short read of the swap header");
      discard_device(h, fs, mode);
      if (h.pwrite_device(fs, header, 0) != kSwapHeaderBytes)
        throw Error("pwrite: short write restoring swap partition header");
    }
  }

  for (const auto& vg : vgs) {
    if (std::find(requests.ignores.begin(), requests.ignores.end(), vg) != requests.ignores.end()) continue;
    std::string lv = random_lv_name();
    std::string lvdev = "/dev/" + vg + "/" + lv;
    try {
      h.lvcreate_free(lv, vg, 100);
    } catch (const CallError&) {
      continue;  // no free extents
    }
    status.message(mode == Mode::in_place ? "Discard space in volgroup " + vg
                                          : "Fill free space in volgroup " + vg + " with zero");
    discard_device(h, lvdev, mode);
    h.sync();
    h.lvremove(lvdev);
  }
  h.sync();
}

}  // namespace vt::sparsify
