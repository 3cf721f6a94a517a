// virt-resize: copies a disk image to a larger (or smaller) one, resizing
// partitions and growing what they hold, as libguestfs 1.48's virt-resize
// does.  The data is copied on the host by qemu-img; the appliance reads the
// source's layout and grows filesystems afterwards, in one launch.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include <unistd.h>

#include <iostream>
#include <optional>

#include "errors.hpp"
#include "machine_readable.hpp"
#include "options.hpp"
#include "pending_output.hpp"
#include "process.hpp"
#include "resize.hpp"

namespace po = boost::program_options;
using namespace vt;
using namespace vt::resize;

namespace {

const char* kProgram = "virt-resize";

// An option that may be given once (--expand, --shrink): its value, if any.
std::optional<std::string> once(const ToolOptions& opts, const std::string& key) {
  auto values = opts.values(key);
  if (values.empty()) return std::nullopt;
  if (values.size() > 1) throw Error("--" + key + " option given more than once");
  if (values.front().empty()) throw Error("empty --" + key + " option");
  return values.front();
}

uint64_t block_device_size(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  uint64_t size = 0;
  if (!fd || ::ioctl(fd.get(), BLKGETSIZE64, &size) < 0) throw Error(errno_message(path, errno));
  return size;
}

Disk describe_disk(const QemuImg& qemu_img, const std::string& path, const std::string& format) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) throw Error(errno_message(path, errno));
  if (S_ISDIR(st.st_mode)) throw Error(path + ": is a directory, not a disk image");
  Disk d;
  d.path = path;
  d.block_device = S_ISBLK(st.st_mode);
  if (d.block_device) {
    d.format = format.empty() ? "raw" : format;
    d.size = block_device_size(path);
  } else {
    ImageInfo info = qemu_img.info(path, format);
    d.format = info.format;
    d.size = info.virtual_size;
  }
  if (d.format != "raw" && d.format != "qcow2")
    throw Error(path + ": the " + d.format + " format is not supported (raw and qcow2 are)");
  return d;
}

// A new empty image of the target's format and size, with the settings of
// the image the user made (qcow2 cluster size and compatibility level; a
// raw file fully allocated stays so).
void create_like(const QemuImg& qemu_img, const Disk& target, const std::string& path) {
  struct stat st {};
  if (::stat(target.path.c_str(), &st) < 0) throw Error(errno_message(target.path, errno));
  std::vector<std::string> options;
  if (target.format == "qcow2") {
    ImageInfo info = qemu_img.info(target.path, "qcow2");
    if (info.cluster_size) options.push_back("cluster_size=" + std::to_string(info.cluster_size));
    if (!info.compat.empty()) options.push_back("compat=" + info.compat);
  }
  qemu_img.create(path, target.format, target.size, options);
  ::chmod(path.c_str(), st.st_mode & 07777);
  if (::geteuid() == 0) (void)::chown(path.c_str(), st.st_uid, st.st_gid);
  if (target.format == "raw" && static_cast<uint64_t>(st.st_blocks) * 512 >= target.size) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    int err = fd ? ::posix_fallocate(fd.get(), 0, static_cast<off_t>(target.size)) : errno;
    if (err) throw Error(errno_message(path, err));
  }
}

void print_features(MachineReadable& out) {
  for (const char* f : {"virt-resize", "ntfsresize-force", "32bitok", "128-sector-alignment", "alignment",
                        "align-first", "infile-uri", "ntfs", "btrfs", "xfs"})
    out.print(std::string(f) + "\n");
}

int run(int argc, char** argv) {
  ToolOptions opts(kProgram, "resize a virtual machine disk", "[--options] indisk outdisk", DiskOptions::none);
  auto many = [] { return po::value<std::vector<std::string>>()->composing(); };
  opts.tool_options().add_options()
      ("align-first", po::value<std::string>(), "Align first partition: never|always|auto (default: auto)")
      ("alignment", po::value<int>(), "Set partition alignment (default: 128 sectors)")
      ("no-copy-boot-loader", "Don't copy boot loader")
      ("debug,d", "Enable debugging messages (as -v)")
      ("delete", many(), "Delete partition")
      ("expand", many(), "Expand partition")
      ("no-expand-content", "Don't expand content")
      ("no-extra-partition", "Don't create extra partition")
      ("format", po::value<std::string>(), "Format of input disk")
      ("ignore", many(), "Ignore partition")
      ("lv-expand", many(), "Expand logical volume")
      ("LV-expand", many(), "Expand logical volume (as --lv-expand)")
      ("lvexpand", many(), "Expand logical volume (as --lv-expand)")
      ("LVexpand", many(), "Expand logical volume (as --lv-expand)")
      ("dry-run,n", "Don't perform changes")
      ("dryrun", "Don't perform changes (as --dry-run)")
      ("ntfsresize-force", "Force ntfsresize")
      ("output-format", po::value<std::string>(), "Format of output disk")
      ("resize", many(), "Resize partition: PART=SIZE, +SIZE, -SIZE or N%")
      ("resize-force", many(), "Forcefully resize partition")
      ("shrink", many(), "Shrink partition")
      ("no-sparse", "Turn off sparse copying")
      ("unknown-filesystems", po::value<std::string>(), "Behaviour on expand unknown filesystems: ignore|warn|error");
  opts.allow_job_options();
  opts.allow_operands();
  if (!opts.parse(argc, argv)) return 0;
  const auto& vm = opts.vm();
  if (vm.count("debug")) opts.set_verbose(true);

  Settings s;
  CopySettings copy;
  s.resizes = opts.values("resize");
  s.resizes_force = opts.values("resize-force");
  s.deletes = opts.values("delete");
  s.ignores = opts.values("ignore");
  for (const char* key : {"lv-expand", "LV-expand", "lvexpand", "LVexpand"})
    for (auto& lv : opts.values(key)) s.lv_expands.push_back(lv);
  s.expand = once(opts, "expand");
  s.shrink = once(opts, "shrink");
  s.extra_partition = !vm.count("no-extra-partition");
  s.expand_content = !vm.count("no-expand-content");
  copy.copy_boot_loader = s.copy_boot_loader = !vm.count("no-copy-boot-loader");
  copy.sparse = !vm.count("no-sparse");
  copy.ntfsresize_force = vm.count("ntfsresize-force") > 0;
  if (vm.count("alignment")) {
    int alignment = vm["alignment"].as<int>();
    if (alignment < 1) throw Error("alignment cannot be < 1");
    s.alignment = static_cast<uint64_t>(alignment);
  }
  std::string align_first = opts.value("align-first", "auto");
  if (align_first == "never") s.align_first = AlignFirst::never;
  else if (align_first == "always") s.align_first = AlignFirst::always;
  else if (align_first == "auto") s.align_first = AlignFirst::automatic;
  else throw Error("unknown --align-first option: use never|always|auto");
  std::string unknown_fs = opts.value("unknown-filesystems", "warn");
  if (unknown_fs == "ignore") s.unknown_filesystems = UnknownFilesystems::ignore;
  else if (unknown_fs == "warn") s.unknown_filesystems = UnknownFilesystems::warn;
  else if (unknown_fs == "error") s.unknown_filesystems = UnknownFilesystems::error;
  else throw Error("unknown --unknown-filesystems: use ignore|warn|error");

  std::optional<MachineReadable> machine;
  if (auto spec = opts.machine_readable()) machine.emplace(*spec);
  const auto& operands = opts.operands();
  if (operands.empty() && machine) {
    print_features(*machine);
    return 0;
  }
  if (operands.size() != 2) throw Error(std::string("usage is: ") + kProgram + " [--options] indisk outdisk");
  const std::string& indisk = operands[0];
  const std::string& outdisk = operands[1];
  if (indisk == outdisk) throw Error("you cannot use the same disk image for input and output");
  s.indisk = indisk;
  bool dry_run = vm.count("dry-run") || vm.count("dryrun");
  StatusMessages status(kProgram, opts.status_settings());
  const bool quiet = status.quiet();
  QemuImg qemu_img(kProgram, opts.verbose());
  status.message("Examining " + indisk);
  Disk in = describe_disk(qemu_img, indisk, opts.value("format"));
  Disk out = describe_disk(qemu_img, outdisk, opts.value("output-format"));
  constexpr uint64_t kMinDisk = 4096 * 512;
  if (in.size < kMinDisk)
    throw Error(indisk + ": file is too small to be a disk image (" + std::to_string(in.size) + " bytes)");
  if (out.size < kMinDisk)
    throw Error(outdisk + ": file is too small to be a disk image (" + std::to_string(out.size) + " bytes)");
  if (!dry_run && ::access(outdisk.c_str(), W_OK) < 0) throw Error(errno_message(outdisk, errno));

  Handle h;
  opts.setup(h, true);
  DriveOptions in_options;
  in_options.readonly = true;
  in_options.format = in.format;
  size_t in_drive = h.add_drive(indisk, in_options);
  h.launch();
  Source source = examine_source(h, qemu_img, in, !s.lv_expands.empty());
  source.drive = in_drive;
  Plan plan = make_plan(source.table, source.partitions, source.lvs, out.size, s);

  if (!quiet) {
    std::cout << "**********\n\nSummary of changes:\n\n";
    for (const auto& line : plan.summary) {
      if (line.warning)
        status.warning(line.text);
      else
        status.info(line.text + "\n");
    }
    std::cout << "**********\n" << std::flush;
  }
  if (dry_run) return 0;

  // A regular file is written under a temporary name and renamed at the end;
  // a block device can only be written where it is.
  std::optional<PendingOutput> pending;
  std::string target_path = outdisk;
  if (!out.block_device) {
    pending.emplace(outdisk);
    target_path = pending->temp_path();
    create_like(qemu_img, out, target_path);
  }
  ProgressBar progress(ProgressBar::choose(quiet, machine.has_value()));
  write_target(qemu_img, source, plan, out, target_path, !out.block_device, copy, status, progress);
  if (plan.expands_anything()) expand_target(h, source, plan, target_path, out.format, copy, status);
  h.shutdown();
  if (pending) {
    pending->commit();
  } else {
    UniqueFd fd(::open(outdisk.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd || ::fsync(fd.get()) < 0) throw Error(errno_message(outdisk, errno));
  }
  if (!quiet) {
    std::cout << "\n";
    status.info("Resize operation completed with no errors.  Before deleting the old disk, carefully check that "
                "the resized disk boots and works correctly.");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return run_tool(kProgram, [&] { return run(argc, argv); }, "error: "); }
