// virt-sparsify: makes a disk image sparse, as libguestfs 1.48's
// virt-sparsify does.  Copying mode: the source is covered by a qcow2
// overlay, the appliance turns free space in the overlay into zero clusters,
// and qemu-img copies the result to the output on the host, skipping them.
// In-place mode: the appliance discards the free space of the image itself.
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <iostream>
#include <optional>

#include "errors.hpp"
#include "machine_readable.hpp"
#include "options.hpp"
#include "output.hpp"
#include "pending_output.hpp"
#include "process.hpp"
#include "progress_bar.hpp"
#include "qemu_img.hpp"
#include "sparsify.hpp"

namespace po = boost::program_options;
using namespace vt;
using namespace vt::sparsify;

namespace {

const char* kProgram = "virt-sparsify";

std::string absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  std::string cwd(4096, '\0');
  if (!::getcwd(cwd.data(), cwd.size())) throw Error(errno_message("getcwd", errno));
  return std::string(cwd.c_str()) + "/" + path;
}

enum class CheckTmpdir { ignore, cont, warn, fail };

// The overlay grows up to the source's virtual size in the worst case.
void check_tmpdir(const std::string& dir, uint64_t needed, CheckTmpdir check, const StatusMessages& status) {
  if (check == CheckTmpdir::ignore) return;
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) < 0) throw Error(errno_message(dir, errno));
  uint64_t free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  if (free_bytes >= needed) return;
  std::string text = "There may not be enough free space on " + dir +
                     ".\nYou may need to set TMPDIR to point to a directory with more free space.\n\nMax needed: " +
                     human_size_one_decimal(static_cast<int64_t>(needed)) + ".  Free: " + human_size_one_decimal(static_cast<int64_t>(free_bytes)) + ".  May need another " +
                     human_size_one_decimal(static_cast<int64_t>(needed - free_bytes)) +
                     ".\n\nNote this is an overestimate.  If the guest disk is full of data then not as much free "
                     "space would be required.\n\nYou can ignore this warning or change it to a hard failure using "
                     "the --check-tmpdir=(ignore|continue|warn|fail) option.  See virt-sparsify(1).";
  if (check == CheckTmpdir::fail)
    throw Error("There may not be enough free space on " + dir + ".  Max needed: " + human_size_one_decimal(static_cast<int64_t>(needed)) + ".  Free: " +
                human_size_one_decimal(static_cast<int64_t>(free_bytes)) + ".  Set TMPDIR or --tmp to a folder with more free space, or see --check-tmpdir "
                "in virt-sparsify(1).");
  status.warning(text);
  if (check == CheckTmpdir::warn && ::isatty(STDIN_FILENO)) {
    std::cout << "Press RETURN to continue or ^C to quit.\n" << std::flush;
    std::string line;
    std::getline(std::cin, line);
  }
}

void print_features(MachineReadable& out) {
  for (const char* f : {"virt-sparsify", "linux-swap", "zero", "check-tmpdir", "in-place", "tmp-option", "ntfs", "btrfs"})
    out.print(std::string(f) + "\n");
}

struct Job {
  std::string indisk, outdisk;
  std::string format;        // of the input, empty: probe
  std::string convert;       // of the output, empty: as the input
  std::string qemu_img_options;
  std::string tmp;           // --tmp
  CheckTmpdir check = CheckTmpdir::warn;
  bool compress = false;
  Requests requests;
};

int copying(const ToolOptions& opts, const Job& job, const StatusMessages& status, bool quiet,
            std::optional<MachineReadable>& machine) {
  QemuImg qemu_img(kProgram, opts.verbose());
  struct stat st {};
  if (::stat(job.indisk.c_str(), &st) < 0) throw Error(errno_message(job.indisk, errno));
  if (S_ISDIR(st.st_mode)) throw Error(job.indisk + ": is a directory, not a disk image");
  ImageInfo in = qemu_img.info(job.indisk, job.format);
  std::string out_format = job.convert.empty() ? in.format : job.convert;
  if (job.compress && out_format != "qcow2")
    throw Error("--compress cannot be used for " + out_format + " output.  Remove this option or use --convert qcow2.");
  struct stat out_st {};
  if (::stat(job.outdisk.c_str(), &out_st) == 0) {
    if (out_st.st_dev == st.st_dev && out_st.st_ino == st.st_ino)
      throw Error("you cannot use the same disk image for input and output");
    if (S_ISBLK(out_st.st_mode) || S_ISDIR(out_st.st_mode))
      throw Error(job.outdisk + ": the output must be a file (a block device is sparsified with --in-place)");
  }

  // The overlay: in --tmp DIR, on a --tmp block device, or a prebuilt one.
  std::optional<TempDir> tmpdir;
  std::string overlay, overlay_where;
  // Below the overlay made here: the source, named to QEMU by us (it may be
  // a host block device, which no header is allowed to name).
  std::optional<std::vector<BackingFile>> below_overlay;
  if (job.tmp.rfind("prebuilt:", 0) == 0) {
    overlay = absolute(job.tmp.substr(9));
    ImageInfo prebuilt = qemu_img.info(overlay, "qcow2");
    if (prebuilt.backing_file.empty()) throw Error(overlay + ": --tmp prebuilt: the overlay has no backing file");
    overlay_where = overlay;
  } else {
    struct stat tst {};
    if (!job.tmp.empty() && ::stat(job.tmp.c_str(), &tst) == 0 && S_ISBLK(tst.st_mode)) {
      overlay = overlay_where = job.tmp;
    } else {
      std::string dir = job.tmp;
      if (dir.empty()) {
        const char* env = ::getenv("TMPDIR");
        dir = env && *env ? env : "/tmp";
      }
      if (::stat(dir.c_str(), &tst) < 0 || !S_ISDIR(tst.st_mode))
        throw Error("--tmp or TMPDIR: " + dir + ": not a directory or a block device");
      check_tmpdir(dir, in.virtual_size, job.check, status);
      overlay_where = dir;
      tmpdir.emplace("sparsify-", dir);
      overlay = tmpdir->path() + "/overlay.qcow2";
    }
    status.message("Create overlay file in " + overlay_where + " to protect source disk");
    // Clusters as small as a filesystem block: each freed block can become a hole.
    qemu_img.create_overlay(overlay, absolute(job.indisk), in.format, 4096);
    below_overlay = overlay_chain(absolute(job.indisk), in.format);
  }

  status.message("Examine source disk");
  {
    Handle h;
    opts.setup(h, false);
    DriveOptions o;
    o.format = "qcow2";
    o.discard = true;
    o.cache_unsafe = true;  // the overlay is thrown away; the output is synced itself
    o.backing = below_overlay;
    h.add_drive(overlay, o);
    h.launch();
    free_space(h, Mode::copying, job.requests, status);
    h.shutdown();
  }

  status.message("Copy to destination and make sparse");
  PendingOutput pending(job.outdisk);
  ProgressBar progress(ProgressBar::choose(quiet, machine.has_value()));
  QemuImg::ConvertOptions c;
  c.compress = job.compress;
  c.options = job.qemu_img_options;
  c.progress = [&](uint64_t pos, uint64_t total) { progress.update(pos, total); };
  qemu_img.convert({overlay, "qcow2", 0, 0, below_overlay}, pending.temp_path(), out_format, c);
  pending.commit();

  if (!quiet) {
    status.message("Sparsify operation completed with no errors.");
    status.info("Before deleting the old disk, carefully check that the target disk boots and works correctly.");
  }
  return 0;
}

int in_place(const ToolOptions& opts, const Job& job, const StatusMessages& status, bool quiet) {
  if (::access(job.indisk.c_str(), R_OK | W_OK) < 0) throw Error(errno_message(job.indisk, errno));
  Handle h;
  opts.setup(h, false);
  DriveOptions o;
  o.format = job.format;
  o.discard = true;
  h.add_drive(job.indisk, o);
  h.launch();
  free_space(h, Mode::in_place, job.requests, status);
  h.shutdown();
  if (!quiet) status.message("Sparsify in-place operation completed with no errors");
  return 0;
}

int run(int argc, char** argv) {
  ToolOptions opts(kProgram, "make a virtual machine disk sparse",
                   "[--options] indisk outdisk\n  virt-sparsify [--options] --in-place disk", DiskOptions::none);
  auto many = [] { return po::value<std::vector<std::string>>()->composing(); };
  opts.tool_options().add_options()
      ("check-tmpdir", po::value<std::string>(), "Check there is enough space in $TMPDIR: ignore|continue|warn|fail")
      ("compress", "Compressed output format")
      ("convert", po::value<std::string>(), "Format of output disk (default: same as input)")
      ("format", po::value<std::string>(), "Format of input disk")
      ("ignore", many(), "Ignore filesystem or volume group")
      ("in-place", "Modify the disk image in-place")
      ("inplace", "Modify the disk image in-place (as --in-place)")
      (",o", po::value<std::string>(), "Add qemu-img options")
      ("tmp", po::value<std::string>(), "Location of temporary file: block:DEVICE, DIR or prebuilt:FILE")
      ("zero", many(), "Zero filesystem");
  opts.allow_job_options();
  opts.allow_operands();
  if (!opts.parse(argc, argv)) return 0;
  const auto& vm = opts.vm();

  Job job;
  job.format = opts.value("format");
  job.convert = opts.value("convert");
  job.qemu_img_options = opts.value("o");
  job.tmp = opts.value("tmp");
  if (job.tmp.rfind("block:", 0) == 0) job.tmp = job.tmp.substr(6);
  job.compress = vm.count("compress") > 0;
  job.requests.ignores = opts.values("ignore");
  job.requests.zeroes = opts.values("zero");
  std::string check = opts.value("check-tmpdir", "warn");
  if (check == "ignore") job.check = CheckTmpdir::ignore;
  else if (check == "continue" || check == "cont") job.check = CheckTmpdir::cont;
  else if (check == "warn" || check == "warning") job.check = CheckTmpdir::warn;
  else if (check == "fail" || check == "error") job.check = CheckTmpdir::fail;
  else throw Error("--check-tmpdir: unknown argument");
  bool in_place_mode = vm.count("in-place") || vm.count("inplace");

  std::optional<MachineReadable> machine;
  if (auto spec = opts.machine_readable()) machine.emplace(*spec);
  const auto& operands = opts.operands();
  if (operands.empty() && machine) {
    print_features(*machine);
    return 0;
  }
  StatusMessages status(kProgram, opts.status_settings());
  const bool quiet = status.quiet();

  if (in_place_mode) {
    if (operands.size() != 1) throw Error("usage is: virt-sparsify --in-place disk");
    if (vm.count("check-tmpdir")) throw Error("you cannot use --in-place and --check-tmpdir options together");
    if (job.compress) throw Error("you cannot use --in-place and --compress options together");
    if (!job.convert.empty()) throw Error("you cannot use --in-place and --convert options together");
    if (vm.count("o")) throw Error("you cannot use --in-place and -o options together");
    if (!job.tmp.empty()) throw Error("you cannot use --in-place and --tmp options together");
    job.indisk = operands[0];
    return in_place(opts, job, status, quiet);
  }
  if (operands.size() != 2) throw Error("usage is: virt-sparsify [--options] indisk outdisk");
  job.indisk = operands[0];
  job.outdisk = operands[1];
  if (job.indisk == job.outdisk) throw Error("you cannot use the same disk image for input and output");
  return copying(opts, job, status, quiet, machine);
}

}  // namespace

int main(int argc, char** argv) { return run_tool(kProgram, [&] { return run(argc, argv); }, "error: "); }
