// vt-run: runs calls, written as guestfish-style commands, on disk images.
// The test suite builds its images with it until guestfish exists.
//   vt-run [-v] [-x] [--ro] [--format F] -a DISK... -- 'CMD ARGS' ...
// Prints each command's output; stops at the first error (exit 1).
#include <iostream>

#include "commands.hpp"
#include "options.hpp"

using namespace vt;

int main(int argc, char** argv) {
  return run_tool("vt-run", [&] {
    ToolOptions opts("vt-run", "run calls on disk images", "[-v] [-x] [--ro] -a DISK ... -- 'CMD ARGS' ...");
    opts.tool_options().add_options()("ro", "Add the disks read-only")(
        "command", boost::program_options::value<std::vector<std::string>>(), "Commands");
    int split = argc;
    for (int i = 1; i < argc; ++i)
      if (std::string(argv[i]) == "--") split = i;
    if (!opts.parse(split, argv)) return 0;
    Handle h;
    opts.setup(h, opts.has("ro"));
    h.launch();
    for (int i = split + 1; i < argc; ++i) {
      auto words = split_command_words(argv[i]);
      if (words.empty()) continue;
      std::string name = words[0];
      words.erase(words.begin());
      std::string out = run_command(h, name, words);
      if (!out.empty()) std::cout << out << "\n";
    }
    h.shutdown();
    return 0;
  });
}
