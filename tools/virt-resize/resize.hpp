// virt-resize's phases, each over one appliance (handle) and the host:
// examine the source (its table read on the host from the appliance's view
// of the disk, its content by the appliance), lay out and copy the target
// on the host, then grow the content of the target in the same appliance.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "handle.hpp"
#include "plan.hpp"
#include "progress_bar.hpp"
#include "qemu_img.hpp"
#include "status_messages.hpp"

namespace vt::resize {

struct Disk {
  std::string path;    // as the user named it
  std::string format;  // resolved
  uint64_t size = 0;   // virtual size, bytes
  bool block_device = false;
};

struct Source {
  Disk disk;
  size_t drive = 0;  // the handle's drive index
  ptable::Table table;
  std::vector<SourcePartition> partitions;
  std::vector<SourceLv> lvs;  // only when --lv-expand asks for them
  std::string boot_area;      // bytes 0 up to the first partition (at most 2 MiB), for the boot loader
  std::string first_boot_record;  // the first sector of the first partition (an NTFS boot record to fix)
};

// Reads the source's partition table and what each partition (and, if
// `want_lvs`, each logical volume) holds.  The drive is read-only.
Source examine_source(Handle& h, const QemuImg& qemu_img, const Disk& disk, bool want_lvs);

struct CopySettings {
  bool sparse = true;
  bool copy_boot_loader = true;
  bool ntfsresize_force = false;
};

// Writes the target's partition table and boot loader, then copies each
// partition's bytes from the source image on the host.  `target_path` is a
// new empty image (or a block device, written as it is).
void write_target(const QemuImg& qemu_img, const Source& source, const Plan& plan, const Disk& target,
                  const std::string& target_path, bool target_is_new, const CopySettings& settings,
                  const StatusMessages& status, ProgressBar& progress);

// Swaps the source for the target in the appliance and grows what the plan
// grows (filesystems, PVs, swap, logical volumes).
void expand_target(Handle& h, Source& source, const Plan& plan, const std::string& target_path,
                   const std::string& target_format, const CopySettings& settings, const StatusMessages& status);

}  // namespace vt::resize
