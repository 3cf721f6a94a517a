// The options every tool shares (-a, --format, -v, -x, --help, --version, …),
// parsed with Boost.ProgramOptions, and adding the disks to a Handle.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include <optional>

#include "handle.hpp"
#include "libvirt_domain.hpp"
#include "status_messages.hpp"

namespace vt {

// One -a image or one -d libvirt domain, in the order given.
struct DiskArg {
  std::string path;    // -a: the image (empty for -d)
  std::string format;  // the --format in force when -a was given
  int blocksize = 0;   // the --blocksize in force (0: the default, 512)
  std::string domain;  // -d: a domain's name or UUID; its disks, formats and block sizes come from libvirt
};

// Whether the tool takes its disks with -a/-d/-c/--format, or as operands
// (virt-resize INDISK OUTDISK, whose -d is --debug and --format its own).
enum class DiskOptions { add, none };

class ToolOptions {
 public:
  // `usage` is the text after "Usage:" lines' program name; `summary` one line.
  ToolOptions(std::string program, std::string summary, std::string usage,
              DiskOptions disk_options = DiskOptions::add);

  // The tool adds its own options here before parse().
  boost::program_options::options_description& tool_options() { return tool_; }

  // Parses argv.  Returns false if the tool should exit 0 now (--help,
  // --version, --long-options, --short-options were handled).  Throws
  // UsageError for bad options.
  bool parse(int argc, char** argv);
  const boost::program_options::variables_map& vm() const { return vm_; }
  bool has(const std::string& name) const { return vm_.count(name) > 0; }

  // The -a and -d options, in order.
  const std::vector<DiskArg>& disks() const { return disks_; }
  // The last -c/--connect URI; none: libvirt's default.
  std::optional<std::string> libvirt_uri() const;
  // Lets the command line carry operands (words that are not options, in
  // order), for tools such as virt-win-reg; without it they are an error.
  void allow_operands() { allow_operands_ = true; }
  // Adds --blocksize[=512|4096], which, as --format, applies to the -a
  // options after it (the tools whose libguestfs namesakes have it).
  void allow_blocksize();
  const std::vector<std::string>& operands() const { return operands_; }
  bool verbose() const { return verbose_; }
  bool trace() const { return trace_; }
  // -v also enabled by an option of the tool's own (virt-resize's -d/--debug).
  void set_verbose(bool v) { verbose_ = v; }

  // Adds the options of the long-running jobs (virt-resize, virt-sparsify):
  // --machine-readable[=FORMAT], -q, --colours (and its spellings), --wrap,
  // --debug-gc.  After the tool's own, so they are listed in that order.
  void allow_job_options();
  // What those options ask of the status lines.
  StatusMessages::Settings status_settings() const;
  // --machine-readable's FORMAT ("" for the default), if given.
  std::optional<std::string> machine_readable() const;

  // An option given several times (composing), or once with a fallback.
  std::vector<std::string> values(const std::string& name) const;
  std::string value(const std::string& name, const std::string& fallback = "") const;

  // Names the handle after the tool and applies -v/-x.
  void configure(Handle& h) const;
  // configure, then adds every -a disk and the disks of every -d domain.
  void setup(Handle& h, bool readonly) const;

  const std::string& program() const { return program_; }
  std::string help_text() const;

 private:
  std::string program_, summary_, usage_;
  DiskOptions disk_options_;
  boost::program_options::options_description common_{"Common options"};
  boost::program_options::options_description tool_{"Options"};
  boost::program_options::variables_map vm_;
  std::vector<DiskArg> disks_;
  std::vector<std::string> operands_;
  bool verbose_ = false, trace_ = false, allow_operands_ = false;
};

// libguestfs's old syntax, a guest as a word with no -a or -d: a word that
// names a file (or has a '/', which no domain name has) is a disk image,
// any other a libvirt domain.
DiskArg disk_or_domain(const std::string& word);

// Adds each -a image, and the disks of each -d domain as libvirt (at
// `libvirt_uri`) describes them, in order.  Returns the domains added.
std::vector<libvirt::Domain> add_disk_args(Handle& h, const std::vector<DiskArg>& disks, bool readonly,
                                           const std::optional<std::string>& libvirt_uri);

// One guest per libvirt domain (at -c's URI), each with a handle configured
// by `opts` and the domain's disks added read-only, for the tools that list
// every domain when given no disk (virt-df, virt-alignment-scan).  A domain
// without disks has nothing to show; one whose disks cannot be opened is
// left out with a warning on stderr ("PROGRAM: warning: ...; skipped").
std::vector<libvirt::DomainGuest> every_domain(const ToolOptions& opts);

// Wrong usage: main prints "PROGRAM: MESSAGE" and a hint, exits 1.
class OptionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The body of every tool's main: runs `work`, turns errors into one line on
// stderr ("PROGRAM: ERROR_PREFIXmessage") and exit status 1.  The OCaml
// tools of libguestfs (virt-resize, virt-sparsify) say "error: ".
int run_tool(const std::string& program, const std::function<int()>& work, const std::string& error_prefix = "");

}  // namespace vt
