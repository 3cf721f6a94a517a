// virt-filesystems: list filesystems, partitions, block devices, LVM objects
// in a disk image.  Options and output follow libguestfs's virt-filesystems.
#include <iostream>

#include "filesystems.hpp"
#include "luks.hpp"
#include "options.hpp"

namespace po = boost::program_options;
using namespace vt;
using namespace vt::filesystems;

int main(int argc, char** argv) {
  return run_tool("virt-filesystems", [&] {
    ToolOptions opts("virt-filesystems", "list filesystems, partitions, block devices, LVM in a virtual machine image",
                     "[--options] -d domname | -a disk.img [-a disk.img ...]");
    opts.tool_options().add_options()
        ("all", "Display everything")
        ("blkdevs", "Display block devices")("block-devices", "Display block devices")
        ("csv", "Output as Comma-Separated Values")
        ("extra", "Display swap and data filesystems")
        ("filesystems", "Display mountable filesystems")
        ("human-readable,h", "Human-readable sizes in --long output")
        ("long,l", "Long output")
        ("lvs", "Display LVM logical volumes")("logvols", "Display LVM logical volumes")
        ("logical-volumes", "Display LVM logical volumes")
        ("no-title", "No title in --long output")
        ("parts", "Display partitions")("partitions", "Display partitions")
        ("pvs", "Display LVM physical volumes")("physvols", "Display LVM physical volumes")
        ("physical-volumes", "Display LVM physical volumes")
        ("uuid", "Add UUIDs to --long output")("uuids", "Add UUIDs to --long output")
        ("vgs", "Display LVM volume groups")("volgroups", "Display LVM volume groups")
        ("volume-groups", "Display LVM volume groups");
    luks::add_key_options(opts.tool_options());
    opts.allow_blocksize();
    if (!opts.parse(argc, argv)) return 0;

    Settings s;
    auto any = [&](std::initializer_list<const char*> names) {
      for (const char* n : names)
        if (opts.has(n)) return true;
      return false;
    };
    if (any({"all"})) s.kinds = kAll;
    if (any({"blkdevs", "block-devices"})) s.kinds |= kBlockDevices;
    if (any({"extra"})) s.kinds |= kFilesystems | kFilesystemsExtra;
    if (any({"filesystems"})) s.kinds |= kFilesystems;
    if (any({"lvs", "logvols", "logical-volumes"})) s.kinds |= kLogicalVolumes;
    if (any({"vgs", "volgroups", "volume-groups"})) s.kinds |= kVolumeGroups;
    if (any({"pvs", "physvols", "physical-volumes"})) s.kinds |= kPhysicalVolumes;
    if (any({"parts", "partitions"})) s.kinds |= kPartitions;
    if (s.kinds == 0) s.kinds = kFilesystems;
    s.long_mode = any({"long"});
    s.human = any({"human-readable"});
    s.csv = any({"csv"});
    s.uuid = any({"uuid", "uuids"});
    s.title = s.long_mode && !any({"no-title"});
    if (s.human && s.csv) throw OptionError("you cannot use -h and --csv options together.");
    if (opts.disks().empty()) throw OptionError("you must specify at least one -a or -d option.");
    choose_columns(s);

    Handle h;
    opts.setup(h, /*readonly=*/true);
    h.launch();
    // Given a key option, what is inside encrypted devices is listed too.
    // Without one, LUKS devices stay closed and nothing asks for a key, as
    // with libguestfs 1.48's virt-filesystems (which never opens them).
    if (opts.has("key") || opts.has("keys-from-stdin")) {
      luks::KeyReader keys(luks::key_options_from(opts.vm()), "virt-filesystems");
      luks::decrypt_disks(h, keys);
    }
    auto rows = collect_rows(h, s);
    h.shutdown();
    print_rows(rows, s);
    return 0;
  });
}
