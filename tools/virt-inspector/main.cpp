// virt-inspector: display what operating systems a disk image holds, as XML
// (libguestfs's virt-inspector format, element for element) or JSON.
#include <iostream>
#include <iterator>

#include "errors.hpp"
#include "handle.hpp"
#include "inspector.hpp"
#include "luks.hpp"
#include "options.hpp"
#include "process.hpp"

using namespace vt;
using namespace vt::inspector;

namespace {

// --xpath reads a report from stdin; a report is small, more is a mistake.
constexpr size_t kMaxXpathInput = 256 << 20;

}  // namespace

int main(int argc, char** argv) {
  return run_tool("virt-inspector", [&] {
    ToolOptions opts("virt-inspector", "display information about a virtual machine",
                     "[--options] -d domname | -a disk.img [-a disk.img ...]");
    opts.tool_options().add_options()
        ("json", "Write JSON instead of XML")
        ("no-applications", "Do not output the installed applications")
        ("no-icon", "Do not output the guest icon")
        ("xpath", boost::program_options::value<std::string>(), "Perform an XPath query on XML read from stdin");
    luks::add_key_options(opts.tool_options());
    opts.allow_blocksize();
    if (!opts.parse(argc, argv)) return 0;

    // --xpath is a mode of its own: it reads a report, it inspects nothing.
    if (opts.has("xpath")) {
      if (!opts.disks().empty() || opts.has("json")) throw Error("cannot use --xpath together with other options.");
      std::cout << xpath_query(read_capped(std::cin, kMaxXpathInput, "the XML on stdin"), opts.vm()["xpath"].as<std::string>()) << std::flush;
      return 0;
    }
    if (opts.disks().empty()) throw OptionError("you must specify at least one -a or -d option.");

    Handle h;
    opts.setup(h, /*readonly=*/true);
    h.launch();
    // Encrypted disks are opened first, so inspection sees inside them.
    luks::KeyReader keys(luks::key_options_from(opts.vm()), "virt-inspector");
    luks::decrypt_disks(h, keys);
    // No operating system is not an error: as libguestfs, an empty
    // <operatingsystems/> and exit status 0.
    auto roots = inspect::inspect_os(h);
    auto reports = inspect_guest(h, roots, {.applications = !opts.has("no-applications"), .icon = !opts.has("no-icon")});
    h.shutdown();
    std::cout << (opts.has("json") ? json_report(reports) : xml_report(reports)) << std::flush;
    return 0;
  });
}
