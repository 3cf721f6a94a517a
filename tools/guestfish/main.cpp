// guestfish: a shell, and a script language, for every call of the API.
// Options and the command language follow libguestfs's guestfish.
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "help.hpp"
#include "inspect.hpp"
#include "inspect_fstab.hpp"
#include "interactive.hpp"
#include "luks.hpp"
#include "options.hpp"
#include "shell.hpp"
#include "tool_mounts.hpp"

namespace po = boost::program_options;
using namespace vt;
using namespace vt::fish;

namespace {

// Options end at the first word that is neither an option nor an option's
// value: what follows are commands, whose own arguments may start with '-'.
int first_command_index(int argc, char** argv) {
  static const char* const kLongWithValue[] = {"--add", "--connect", "--domain", "--key", "--mount", "--file"};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") return i;
    if (arg.size() < 2 || arg[0] != '-') return i;
    if (arg[1] == '-') {
      for (const char* name : kLongWithValue)
        if (arg == name) ++i;
      continue;
    }
    // A cluster of short options: a value option takes the rest of the
    // cluster, or the next word.
    for (size_t k = 1; k < arg.size(); ++k)
      if (std::strchr("acdmf", arg[k])) {
        if (k + 1 == arg.size()) ++i;
        break;
      }
  }
  return argc;
}

// "a b : c d" on the command line: commands separated by lone colons.
std::vector<std::vector<std::string>> split_commands(int first, int argc, char** argv) {
  std::vector<std::vector<std::string>> commands(1);
  for (int i = first; i < argc; ++i) {
    if (std::string(argv[i]) == ":")
      commands.emplace_back();
    else
      commands.back().push_back(argv[i]);
  }
  std::erase_if(commands, [](const auto& c) { return c.empty(); });
  return commands;
}

// -i: inspect, then mount the one OS's filesystems as its fstab says.
// Returns what the interactive shell shows about it.
std::string inspect_and_mount(Handle& h, bool readonly) {
  const auto& root = mount_by_inspection(h, readonly,
                                         "\n(leave out -i, then 'run' and 'list-filesystems' show the filesystems, "
                                         "which 'mount' or 'mount-ro' mount by hand)");
  std::string banner = "\nOperating system: " + root.facts.product_name + "\n";
  for (const auto& [mountpoint, mountable] : inspect::mount_order(root.mountpoints()))
    banner += mountable + " mounted on " + mountpoint + "\n";
  return banner;
}

}  // namespace

int main(int argc, char** argv) {
  // A pipe's reader may stop early (| head): that is not a reason to die.
  ::signal(SIGPIPE, SIG_IGN);
  return run_tool("guestfish", [&] {
    ToolOptions opts("guestfish", "the guest filesystem shell", "[--options] cmd [: cmd : cmd ...]");
    opts.tool_options().add_options()
        ("cmd-help,h", "List the commands, or describe the command named after it")
        ("file,f", po::value<std::string>(), "Read commands from FILE")
        ("inspector,i", "Inspect the disks and mount the operating system's filesystems")
        ("mount,m", po::value<std::vector<std::string>>()->composing(),
         "Mount dev on mnt (if omitted, /): dev[:mnt[:opts[:fstype]]]")
        ("ro,r", "Add the disks read-only")
        ("rw,w", "Add the disks read-write (the default)");
    luks::add_key_options(opts.tool_options());
    int first = first_command_index(argc, argv);
    opts.allow_blocksize();
    if (!opts.parse(first, argv)) return 0;
    if (first < argc && std::string(argv[first]) == "--") ++first;
    auto commands = split_commands(first, argc, argv);

    if (opts.has("cmd-help")) {
      if (commands.empty())
        print_command_list(std::cout);
      else
        print_command_help(std::cout, commands[0][0]);
      return 0;
    }
    if (opts.has("inspector") && opts.disks().empty()) throw OptionError("-i needs at least one -a disk or -d domain");
    if (opts.has("ro") && opts.has("rw")) throw OptionError("--ro and --rw cannot be used together");
    if (opts.has("file") && !commands.empty()) throw OptionError("-f cannot be used with commands on the command line");
    std::vector<std::string> mounts;
    if (opts.has("mount")) mounts = opts.vm()["mount"].as<std::vector<std::string>>();
    if (!mounts.empty() && opts.disks().empty()) throw OptionError("-m needs at least one -a disk or -d domain");

    // The script is opened before anything is launched, so a wrong name costs no boot.
    std::ifstream script;
    std::string script_path;
    if (opts.has("file")) {
      script_path = opts.vm()["file"].as<std::string>();
      script.open(script_path);
      if (!script) throw Error(errno_message(script_path, errno));
    }

    Handle h;
    opts.setup(h, opts.has("ro"));
    Shell shell(h);
    std::string inspected;
    if (opts.has("inspector")) {
      h.launch();
      // Encrypted disks are opened first, so inspection sees inside them.
      luks::KeyReader reader(luks::key_options_from(opts.vm()), "guestfish");
      luks::decrypt_disks(h, reader);
      inspected = inspect_and_mount(h, opts.has("ro"));
    }
    if (!mounts.empty()) {
      if (!h.launched()) h.launch();
      for (const auto& m : mounts)
        mount_option(h, m, opts.has("ro"), "\n(use 'guestfish -a DISK run : list-filesystems' to see the filesystems)");
    }

    bool ok = true;
    if (script.is_open()) {
      ok = shell.run_script(script, script_path);
    } else if (!commands.empty()) {
      for (const auto& words : commands) {
        if (shell.quit_requested()) break;
        Line line = words_line(words);
        if (!(ok = shell.run_parsed(line, Location{}))) break;
      }
    } else if (::isatty(0)) {
      std::cout << inspected;
      run_interactive(shell);
    } else {
      ok = shell.run_script(std::cin, "*stdin*");
    }
    // Unmounts and syncs writable disks: an error here loses data, so it counts.
    h.shutdown();
    return ok ? 0 : 1;
  });
}
