// virt-df: free space on the filesystems of virtual machine disk images.
// Options and output follow libguestfs's virt-df.  Several guests may be
// given, separated by "--"; with no disk at all, every libvirt domain is a
// guest.  -P sets how many are examined at once.
#include <iostream>
#include <memory>

#include "df.hpp"
#include "errors.hpp"
#include "libvirt_domain.hpp"
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
    if (name != "add" && name != "domain" && name != "format" && name != "blocksize")
      throw OptionError("only -a, -d, --format and --blocksize may follow --, not --" + name);
  if (group.disks().empty()) throw OptionError("each guest after -- needs at least one -a or -d option.");
  return group.disks();
}

struct GuestHandle {
  Guest guest;
  std::unique_ptr<Handle> handle;
};

std::unique_ptr<Handle> new_handle(const ToolOptions& opts) {
  auto h = std::make_unique<Handle>();
  opts.configure(*h);
  return h;
}

// Every libvirt domain as a guest of its own (see every_domain).
std::vector<GuestHandle> domain_guests(const ToolOptions& opts) {
  std::vector<GuestHandle> guests;
  for (auto& g : vt::every_domain(opts))
    guests.push_back({{g.name, g.uuid}, std::move(g.handle)});
  return guests;
}

// A guest given on the command line: its -a images and -d domains.  Its
// UUID is known when it is one domain.
GuestHandle command_line_guest(const ToolOptions& opts, const std::vector<DiskArg>& disks) {
  auto h = new_handle(opts);
  auto domains = add_disk_args(*h, disks, /*readonly=*/true, opts.libvirt_uri());
  std::string uuid = disks.size() == 1 && domains.size() == 1 ? domains.front().uuid : "";
  return {{guest_name(disks), uuid}, std::move(h)};
}

}  // namespace

int main(int argc, char** argv) {
  return run_tool("virt-df", [&] {
    ToolOptions opts("virt-df", "display free space on virtual filesystems",
                     "[--options] [-d domain | -a disk.img [-a disk.img ...]] [-- -a disk.img ...]...");
    opts.tool_options().add_options()
        ("csv", "Output as Comma-Separated Values")
        ("human-readable,h", "Human-readable sizes")
        ("inodes,i", "Display inodes")
        ("one-per-guest", "Ignored: one appliance per guest is what virt-df does")
        ("uuid", "Show a libvirt guest's UUID instead of its name (disk images have none: the name is shown)")
        ("parallel,P", boost::program_options::value<unsigned>(), "Examine up to N guests at once (0: choose)");
    opts.allow_blocksize();
    opts.allow_operands();
    auto groups = split_groups(argc, argv);
    if (!opts.parse(static_cast<int>(groups[0].size()), groups[0].data())) return 0;

    Settings s;
    s.human = opts.has("human-readable");
    s.inodes = opts.has("inodes");
    s.csv = opts.has("csv");
    s.uuid = opts.has("uuid");
    if (s.human && s.csv) throw OptionError("you cannot use -h and --csv options together.");

    std::vector<DiskArg> first_guest = opts.disks();
    if (!opts.operands().empty()) {
      if (!first_guest.empty()) throw OptionError("extra argument on the command line: " + opts.operands().front());
      for (const auto& word : opts.operands()) first_guest.push_back(disk_or_domain(word));
    }
    std::vector<std::vector<DiskArg>> listed;
    if (!first_guest.empty()) listed.push_back(first_guest);
    for (size_t g = 1; g < groups.size(); ++g) listed.push_back(extra_guest_disks(groups[g]));

    unsigned threads = opts.has("parallel") ? opts.vm()["parallel"].as<unsigned>() : 0;
    if (threads == 0) threads = default_parallelism();

    // Every disk is checked (exists, format) before anything is launched.
    std::vector<GuestHandle> guests;
    if (listed.empty())
      guests = domain_guests(opts);
    else
      for (const auto& disks : listed) guests.push_back(command_line_guest(opts, disks));

    std::cout << title(s) << std::flush;
    // Each guest's rows are printed whole and in the order given, as they finish.
    bool ok = run_in_order(
        guests.size(), threads,
        [&](size_t i) {
          Handle& h = *guests[i].handle;
          h.launch();
          auto rows = stat_filesystems(h);
          h.shutdown();
          return format_rows(guests[i].guest, rows, s);
        },
        [&](size_t i, const std::string& text, const std::string& error) {
          std::cout << text << std::flush;
          if (error.empty()) return;
          std::cerr << "virt-df: " << (guests.size() > 1 ? guests[i].guest.name + ": " : "") << error << "\n";
        });
    return ok ? 0 : 1;
  });
}
