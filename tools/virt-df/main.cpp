// virt-df: free space on the filesystems of virtual machine disk images.
// Options and output follow libguestfs's virt-df.  Several guests may be
// given, separated by "--"; -P sets how many are examined at once.
#include <iostream>
#include <memory>

#include "df.hpp"
#include "options.hpp"
#include "parallel.hpp"

using namespace vt;
using namespace vt::df;

namespace {

// argv split at each "--": the first group holds the options, each later
// group only the -a/--format options of one more guest.
std::vector<std::vector<char*>> split_groups(int argc, char** argv) {
  std::vector<std::vector<char*>> groups(1, {argv[0]});
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--")
      groups.push_back({argv[0]});
    else
      groups.back().push_back(argv[i]);
  }
  return groups;
}

std::vector<DiskArg> extra_guest_disks(std::vector<char*>& args) {
  ToolOptions group("virt-df", "", "");
  group.allow_blocksize();
  if (!group.parse(static_cast<int>(args.size()), args.data())) throw OptionError("options must come before the first --");
  for (const auto& [name, value] : group.vm())
    if (name != "add" && name != "format" && name != "blocksize")
      throw OptionError("only -a, --format and --blocksize may follow --, not --" + name);
  if (group.disks().empty()) throw OptionError("each guest after -- needs at least one -a option.");
  return group.disks();
}

}  // namespace

int main(int argc, char** argv) {
  return run_tool("virt-df", [&] {
    ToolOptions opts("virt-df", "display free space on virtual filesystems",
                     "[--options] -a disk.img [-a disk.img ...] [-- -a disk.img ...]...");
    opts.tool_options().add_options()
        ("csv", "Output as Comma-Separated Values")
        ("human-readable,h", "Human-readable sizes")
        ("inodes,i", "Display inodes")
        ("one-per-guest", "Ignored: one appliance per guest is what virt-df does")
        ("uuid", "Show the guest's UUID instead of its name (disk images have none: the name is shown)")
        ("parallel,P", boost::program_options::value<unsigned>(), "Examine up to N guests at once (0: choose)");
    opts.allow_blocksize();
    auto groups = split_groups(argc, argv);
    if (!opts.parse(static_cast<int>(groups[0].size()), groups[0].data())) return 0;

    Settings s;
    s.human = opts.has("human-readable");
    s.inodes = opts.has("inodes");
    s.csv = opts.has("csv");
    if (s.human && s.csv) throw OptionError("you cannot use -h and --csv options together.");

    std::vector<Guest> guests;
    if (!opts.disks().empty()) guests.push_back({opts.disks(), guest_name(opts.disks())});
    for (size_t g = 1; g < groups.size(); ++g) {
      auto disks = extra_guest_disks(groups[g]);
      guests.push_back({disks, guest_name(disks)});
    }
    if (guests.empty()) throw OptionError("you must specify at least one -a option.");

    unsigned threads = opts.has("parallel") ? opts.vm()["parallel"].as<unsigned>() : 0;
    if (threads == 0) threads = default_parallelism();

    // Every disk is checked (exists, format) before anything is launched.
    std::vector<std::unique_ptr<Handle>> handles;
    for (const auto& guest : guests) {
      handles.push_back(std::make_unique<Handle>());
      Handle& h = *handles.back();
      h.set_program_name("virt-df");
      h.set_verbose(opts.verbose());
      h.set_trace(opts.trace());
      for (const auto& d : guest.disks) h.add_drive(d.path, {/*readonly=*/true, d.format, d.blocksize});
    }

    std::cout << title(s) << std::flush;
    // Each guest's rows are printed whole and in the order given, as they finish.
    bool ok = run_in_order(
        guests.size(), threads,
        [&](size_t i) {
          Handle& h = *handles[i];
          h.launch();
          auto rows = stat_filesystems(h);
          h.shutdown();
          return format_rows(guests[i].name, rows, s);
        },
        [&](size_t i, const std::string& text, const std::string& error) {
          std::cout << text << std::flush;
          if (error.empty()) return;
          std::cerr << "virt-df: " << (guests.size() > 1 ? guests[i].name + ": " : "") << error << "\n";
        });
    return ok ? 0 : 1;
  });
}
