// guestfish's own commands: the ones that are not calls of the API.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "help.hpp"
#include "shell.hpp"

namespace vt::fish {
namespace {

using Args = std::vector<std::string>;

void expect_args(const char* usage, const Args& args, size_t min, size_t max) {
  if (args.size() < min || args.size() > max)
    throw UsageError(std::string("wrong number of arguments (") + std::to_string(args.size()) + " for " +
                     std::to_string(min) + (max != min ? max == SIZE_MAX ? "+" : "-" + std::to_string(max) : "") +
                     "); usage: " + usage);
}

// "100M", "1G", "512": sizes with guestfish's suffixes (k/M/G/T binary, KB/MB/GB/TB decimal).
int64_t parse_size(const std::string& text) {
  size_t used = 0;
  long long n = -1;
  try {
    n = std::stoll(text, &used, 10);
  } catch (const std::exception&) {
  }
  if (n < 0) throw UsageError("'" + text + "' is not a size (e.g. 100M)");
  std::string suffix = text.substr(used);
  struct Unit {
    const char* names[3];
    int64_t factor;
  };
  static const Unit units[] = {
      {{"", "b", nullptr}, 1},
      {{"k", "K", "KiB"}, int64_t{1} << 10}, {{"KB", nullptr, nullptr}, 1000},
      {{"M", "MiB", nullptr}, int64_t{1} << 20}, {{"MB", nullptr, nullptr}, 1000000},
      {{"G", "GiB", nullptr}, int64_t{1} << 30}, {{"GB", nullptr, nullptr}, 1000000000},
      {{"T", "TiB", nullptr}, int64_t{1} << 40}, {{"TB", nullptr, nullptr}, 1000000000000},
  };
  for (const auto& u : units)
    for (const char* name : u.names)
      if (name && suffix == name) {
        if (n > INT64_MAX / u.factor) throw UsageError("'" + text + "' is too large");
        return n * u.factor;
      }
  throw UsageError("'" + text + "' has an unknown size suffix (use k, M, G, T, KB, MB, GB or TB)");
}

void add_drive(Shell& sh, const Args& args, bool readonly_default) {
  const char* usage = readonly_default ? "add-ro filename [format:..] [blocksize:512|4096]"
                                       : "add filename [readonly:true] [format:..] [blocksize:512|4096]";
  CommandArgs a(usage, args, 1);
  DriveOptions opts;
  opts.readonly = readonly_default;
  if (!readonly_default)
    if (auto v = a.optional("readonly")) opts.readonly = parse_bool(*v);
  if (auto v = a.optional("format")) opts.format = *v;
  if (auto v = a.optional("blocksize")) {
    if (*v != "512" && *v != "4096") throw UsageError("blocksize must be 512 or 4096");
    opts.blocksize = std::stoi(*v);
  }
  a.check_no_unknown_optargs();
  sh.handle().add_drive(a.positional(0), opts);
}

// 'sparse' and 'alloc': a new zeroed disk of the given size, then added.
void create_drive(Shell& sh, const Args& args, bool allocate, const char* usage) {
  expect_args(usage, args, 2, 2);
  int64_t size = parse_size(args[1]);
  if (size <= 0) throw UsageError("the size must be greater than zero");
  UniqueFd fd(::open(args[0].c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644));
  if (!fd) throw Error(errno_message(args[0], errno));
  int err = allocate ? ::posix_fallocate(fd.get(), 0, size) : ::ftruncate(fd.get(), size) < 0 ? errno : 0;
  if (err) throw Error(errno_message(args[0], err));
  fd.reset();
  sh.handle().add_drive(args[0], {false, "raw"});
}

const std::vector<Builtin> kBuiltins = {
    {{"help"}, "help [cmd]", "list the commands, or describe one",
     "Without an argument, lists every command with a one-line summary.  With the name of a command, prints "
     "its usage line and its description.",
     [](Shell&, const Args& a) {
       if (a.empty() || a[0] == "-l" || a[0] == "--list")
         print_command_list(std::cout);
       else
         print_command_help(std::cout, a[0]);
     }},
    {{"quit", "exit", "q"}, "quit", "quit guestfish",
     "Stops reading commands.  The disks are synced and the appliance shut down.  End of input (^D) does the same.",
     [](Shell& sh, const Args& a) {
       expect_args("quit", a, 0, 0);
       sh.request_quit();
     }},
    {{"run", "launch"}, "run", "launch the appliance",
     "Starts the appliance with the drives added so far.  Every call of the API needs it; add drives before.",
     [](Shell& sh, const Args& a) {
       expect_args("run", a, 0, 0);
       sh.handle().launch();
     }},
    {{"add", "add-drive"}, "add filename [readonly:true] [format:..] [blocksize:512|4096]", "add a disk image",
     "Adds a disk image (or a host block device) for the appliance to see as the next /dev/sdX.  Must come "
     "before 'run'.  Read-write unless readonly:true.  format: raw or qcow2 (default: probe, as with "
     "--format).  blocksize: the disk's sector size, 512 (the default) or 4096, as with --blocksize.",
     [](Shell& sh, const Args& a) { add_drive(sh, a, false); }},
    {{"add-ro", "add-drive-ro"}, "add-ro filename [format:..] [blocksize:512|4096]", "add a disk image read-only",
     "Like 'add' with readonly:true: QEMU opens the image read-only, and what the appliance writes goes "
     "to a throwaway overlay.",
     [](Shell& sh, const Args& a) { add_drive(sh, a, true); }},
    {{"sparse"}, "sparse filename size", "create a sparse disk image and add it",
     "Creates (or truncates) the host file as a sparse file of the given size (with a suffix: 100M, 1G, …), "
     "then adds it like 'add'.",
     [](Shell& sh, const Args& a) { create_drive(sh, a, false, "sparse filename size"); }},
    {{"alloc", "allocate"}, "alloc filename size", "create an allocated disk image and add it",
     "Like 'sparse', but the host file's blocks are allocated (posix_fallocate).",
     [](Shell& sh, const Args& a) { create_drive(sh, a, true, "alloc filename size"); }},
    {{"echo"}, "echo [params ...]", "print the arguments",
     "Prints the arguments, separated by single spaces, on one line.",
     [](Shell&, const Args& a) {
       for (size_t i = 0; i < a.size(); ++i) std::cout << (i ? " " : "") << a[i];
       std::cout << "\n";
     }},
    {{"lcd"}, "lcd directory", "change the local directory",
     "Changes guestfish's working directory on the host: relative host file names (upload, download, '!') "
     "are resolved from there.",
     [](Shell&, const Args& a) {
       expect_args("lcd directory", a, 1, 1);
       if (::chdir(a[0].c_str()) < 0) throw Error(errno_message("lcd: " + a[0], errno));
     }},
    {{"time"}, "time command [args ...]", "measure how long a command takes",
     "Runs the command, then prints the elapsed wall-clock time.",
     [](Shell& sh, const Args& a) {
       expect_args("time command [args ...]", a, 1, SIZE_MAX);
       auto start = std::chrono::steady_clock::now();
       sh.run_words(a);
       std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
       char text[64];
       std::snprintf(text, sizeof text, "elapsed time: %.2f seconds", elapsed.count());
       std::cout << text << "\n";
     }},
};

}  // namespace

const std::vector<Builtin>& builtins() { return kBuiltins; }

const Builtin* find_builtin(const std::string& name) {
  for (const auto& b : kBuiltins)
    for (const char* n : b.names)
      if (display_name(name) == n) return &b;
  return nullptr;
}

}  // namespace vt::fish
