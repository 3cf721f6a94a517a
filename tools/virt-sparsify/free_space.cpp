#include <algorithm>
#include <random>

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
  } catch (const ApplianceError&) {
    throw;
  } catch (const Error&) {
    discarded = false;
  }
  if (mode == Mode::copying && (!discarded || !h.blkdiscardzeroes(dev))) h.zero_device(dev);
}

}  // namespace

void free_space(Handle& h, Mode mode, const Requests& requests, const StatusMessages& status) {
  auto canonical = [&](const std::string& dev) {
    try {
      return h.canonical_device_name(dev);
    } catch (const ApplianceError&) {
      throw;
    } catch (const Error&) {
      return dev;
    }
  };
  auto listed = [&](const std::vector<std::string>& names, const std::string& dev) {
    std::string c = canonical(dev);
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n == dev || canonical(n) == c; });
  };

  std::vector<std::string> filesystems;
  for (const auto& [dev, type] : h.list_filesystems()) {
    (void)type;
    // A btrfs subvolume is trimmed with its filesystem.
    if (dev.rfind("btrfsvol:", 0) == 0) continue;
    filesystems.push_back(dev);
  }
  std::sort(filesystems.begin(), filesystems.end());

  for (const auto& fs : filesystems) {
    if (listed(requests.ignores, fs)) continue;
    if (listed(requests.zeroes, fs)) {
      status.message("Zeroing " + fs);
      discard_device(h, fs, mode);
      continue;
    }
    bool mounted = false;
    try {
      h.mount_options("", fs, "/");
      mounted = true;
    } catch (const ApplianceError&) {
      throw;
    } catch (const Error&) {
    }
    if (mounted) {
      if (mode == Mode::in_place) {
        status.message("Trimming " + fs);
        try {
          h.fstrim("/");
        } catch (const ApplianceError&) {
          throw;
        } catch (const Error& e) {
          status.warning("cannot trim ‘" + fs + "’: " + e.what());
        }
      } else {
        status.message("Fill free space in " + fs + " with zero");
        // A discard in the overlay becomes a zero cluster at once; writing
        // zeroes through the emulated disk is the fallback for filesystems
        // without trim.
        try {
          h.fstrim("/");
        } catch (const ApplianceError&) {
          throw;
        } catch (const Error&) {
          h.zero_free_space("/");
        }
      }
      h.umount_all();
      continue;
    }
    std::string type;
    try {
      type = h.vfs_type(fs);
    } catch (const ApplianceError&) {
      throw;
    } catch (const Error&) {
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

  std::vector<std::string> vgs = h.vgs();
  std::sort(vgs.begin(), vgs.end());
  for (const auto& vg : vgs) {
    if (std::find(requests.ignores.begin(), requests.ignores.end(), vg) != requests.ignores.end()) continue;
    std::string lv = random_lv_name();
    std::string lvdev = "/dev/" + vg + "/" + lv;
    try {
      h.lvcreate_free(lv, vg, 100);
    } catch (const ApplianceError&) {
      throw;
    } catch (const Error&) {
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
