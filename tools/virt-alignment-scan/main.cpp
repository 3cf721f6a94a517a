// virt-alignment-scan: checks how the partitions of virtual machine disk
// images are aligned.  Options, output and exit codes follow libguestfs
// 1.48's tool.  With no -a or -d, every libvirt domain is scanned, -P at
// once, each line prefixed by the domain's name (or UUID, --uuid).
#include <algorithm>
#include <iostream>
#include <memory>

#include "errors.hpp"
#include "libvirt_domain.hpp"
#include "options.hpp"
#include "parallel.hpp"
#include "scan.hpp"

using namespace vt;
using namespace vt::alignment;

namespace {

// The lines for one guest, and its worst alignment.
struct Scanned {
  std::string text;
  unsigned worst_bits = 64;
};

Scanned scan_guest(Handle& h, const std::string& prefix, bool quiet) {
  Scanned out;
  h.launch();
  for (const auto& p : scan(h)) {
    out.worst_bits = std::min(out.worst_bits, alignment_bits(p.start));
    if (!quiet) out.text += format_row(prefix, p.name, p.start);
  }
  h.shutdown();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  return run_tool("virt-alignment-scan", [&] {
    ToolOptions opts("virt-alignment-scan", "check alignment of virtual machine partitions",
                     "[--options] -d domname | -a disk.img [-a disk.img ...] | (no disks: every libvirt domain)");
    opts.tool_options().add_options()
        ("parallel,P", boost::program_options::value<unsigned>(), "Scan up to N libvirt guests at once (0: choose)")
        ("quiet,q", "No output, only the exit code")
        ("uuid", "Prefix lines with the libvirt guest's UUID instead of its name (no -a or -d)");
    opts.allow_blocksize();
    if (!opts.parse(argc, argv)) return 0;
    bool quiet = opts.has("quiet");
    bool by_uuid = opts.has("uuid");

    unsigned worst = 64;
    if (!opts.disks().empty()) {
      if (by_uuid) throw OptionError("--uuid option cannot be used with -a or -d");
      Handle h;
      opts.setup(h, /*readonly=*/true);
      Scanned s = scan_guest(h, "", quiet);
      std::cout << s.text << std::flush;
      worst = s.worst_bits;
    } else {
      auto guests = every_domain(opts);
      unsigned threads = opts.has("parallel") ? opts.vm()["parallel"].as<unsigned>() : 0;
      if (threads == 0) threads = default_parallelism();
      std::vector<unsigned> worst_of(guests.size(), 64);
      bool ok = run_in_order(
          guests.size(), threads,
          [&](size_t i) {
            Scanned s = scan_guest(*guests[i].handle, by_uuid ? guests[i].uuid : guests[i].name, quiet);
            worst_of[i] = s.worst_bits;
            return s.text;
          },
          [&](size_t i, const std::string& text, const std::string& error) {
            std::cout << text << std::flush;
            if (!error.empty()) std::cerr << "virt-alignment-scan: " << guests[i].name << ": " << error << "\n";
          });
      if (!ok) return 1;
      for (unsigned w : worst_of) worst = std::min(worst, w);
    }
    return exit_code(worst);
  });
}
