#include "options.hpp"

#include <unistd.h>

#include <iostream>
#include <sstream>

#include "errors.hpp"

namespace po = boost::program_options;

namespace vt {

ToolOptions::ToolOptions(std::string program, std::string summary, std::string usage, DiskOptions disk_options)
    : program_(std::move(program)), summary_(std::move(summary)), usage_(std::move(usage)), disk_options_(disk_options) {
  if (disk_options == DiskOptions::add)
    common_.add_options()
        ("add,a", po::value<std::vector<std::string>>()->composing(), "Add a disk image (repeat for a multi-disk guest)")
        ("domain,d", po::value<std::vector<std::string>>()->composing(),
         "Add the disks of a libvirt guest (its name or UUID)")
        ("connect,c", po::value<std::vector<std::string>>()->composing(), "libvirt URI for -d (default: libvirt's)")
        ("format", po::value<std::vector<std::string>>()->composing()->implicit_value({"auto"}, "auto"),
         "Format of the following -a disks: raw, qcow2, … (default: probe)");
  common_.add_options()
      ("verbose,v", "Show the appliance console and boot phases")
      ("trace,x", "Trace every call")
      ("help", "Show this help")
      ("version,V", "Show the version")
      ("long-options", "List the long options")
      ("short-options", "List the short options");
}

std::string ToolOptions::help_text() const {
  std::ostringstream o;
  o << program_ << ": " << summary_ << "\nUsage:\n  " << program_ << " " << usage_ << "\n\n" << tool_ << "\n" << common_
    << "\nFor more information, see the manpage " << program_ << "(1).\n";
  return o.str();
}

bool ToolOptions::parse(int argc, char** argv) {
  po::options_description all;
  all.add(tool_).add(common_);
  po::positional_options_description positional;
  if (allow_operands_) {
    all.add_options()("vt-operands", po::value<std::vector<std::string>>());
    positional.add("vt-operands", -1);
  }
  po::parsed_options parsed(nullptr);
  try {
    parsed = po::command_line_parser(argc, argv)
                 .options(all)
                 .positional(positional)
                 .style(po::command_line_style::unix_style)
                 .run();
    po::store(parsed, vm_);
    po::notify(vm_);
  } catch (const po::error& e) {
    throw OptionError(e.what());
  }
  // --format and --blocksize apply to the -a options after them, so walk
  // them in order.
  std::string format;
  int blocksize = 0;
  for (const auto& opt : parsed.options) {
    if (disk_options_ == DiskOptions::add && opt.string_key == "format") format = opt.value.empty() || opt.value[0] == "auto" ? "" : opt.value[0];
    if (opt.string_key == "blocksize") {
      std::string value = opt.value.empty() ? "" : opt.value[0];
      if (value == "512" || value == "4096")
        blocksize = std::stoi(value);
      else if (value.empty())
        blocksize = 0;
      else
        throw OptionError("--blocksize: " + value + ": the block size must be 512 or 4096");
    }
    if (opt.string_key == "add")
      for (const auto& v : opt.value) disks_.push_back({v, format, blocksize, ""});
    if (disk_options_ == DiskOptions::add && opt.string_key == "domain")
      for (const auto& v : opt.value) disks_.push_back({"", "", 0, v});
  }
  if (vm_.count("vt-operands")) operands_ = vm_["vt-operands"].as<std::vector<std::string>>();
  verbose_ = vm_.count("verbose") > 0;
  trace_ = vm_.count("trace") > 0;
  if (vm_.count("help")) {
    std::cout << help_text();
    return false;
  }
  if (vm_.count("version")) {
    std::cout << program_ << " " << VT_VERSION << "\n";
    return false;
  }
  if (vm_.count("long-options") || vm_.count("short-options")) {
    bool want_long = vm_.count("long-options") > 0;
    for (const auto* desc : {&tool_, &common_})
      for (const auto& o : desc->options()) {
        std::string name = o->canonical_display_name(want_long ? po::command_line_style::allow_long
                                                                : po::command_line_style::allow_dash_for_short);
        if (want_long ? name.rfind("--", 0) == 0 : (name.size() == 2 && name[0] == '-')) std::cout << name << "\n";
      }
    return false;
  }
  return true;
}

void ToolOptions::allow_blocksize() {
  common_.add_options()("blocksize", po::value<std::vector<std::string>>()->composing()->implicit_value({""}, ""),
                        "Sector size of the following -a disks: 512 or 4096 (alone: the default, 512)");
}

void ToolOptions::allow_job_options() {
  const char* colour_help = "Use ANSI colour sequences even if not a tty";
  tool_.add_options()
      ("machine-readable", po::value<std::string>()->implicit_value(""), "Make output machine readable")
      ("quiet,q", "Don't print progress messages")
      ("colors", colour_help)("colours", colour_help)("color", colour_help)("colour", colour_help)
      ("wrap", "Wrap log messages even if not a tty")
      ("debug-gc", "Ignored (libguestfs's garbage collector checks)");
}

StatusMessages::Settings ToolOptions::status_settings() const {
  return {has("quiet"), has("colors") || has("colours") || has("color") || has("colour"), has("wrap")};
}

std::optional<std::string> ToolOptions::machine_readable() const {
  if (!has("machine-readable")) return std::nullopt;
  return vm_["machine-readable"].as<std::string>();
}

std::vector<std::string> ToolOptions::values(const std::string& name) const {
  return has(name) ? vm_[name].as<std::vector<std::string>>() : std::vector<std::string>{};
}

std::string ToolOptions::value(const std::string& name, const std::string& fallback) const {
  return has(name) ? vm_[name].as<std::string>() : fallback;
}

std::optional<std::string> ToolOptions::libvirt_uri() const {
  auto uris = values("connect");
  if (uris.empty()) return std::nullopt;
  return uris.back();
}

void ToolOptions::configure(Handle& h) const {
  h.set_program_name(program_);
  h.set_verbose(verbose_);
  h.set_trace(trace_);
}

void ToolOptions::setup(Handle& h, bool readonly) const {
  configure(h);
  add_disk_args(h, disks_, readonly, libvirt_uri());
}

DiskArg disk_or_domain(const std::string& word) {
  DiskArg d;
  if (word.find('/') != std::string::npos || ::access(word.c_str(), F_OK) == 0)
    d.path = word;
  else
    d.domain = word;
  return d;
}

std::vector<libvirt::DomainGuest> every_domain(const ToolOptions& opts) {
  libvirt::Connection connection(opts.libvirt_uri());
  std::vector<libvirt::DomainGuest> guests;
  for (const auto& name : connection.domain_names()) {
    try {
      libvirt::Domain domain = connection.domain(name);
      if (domain.disks.empty()) continue;
      auto h = std::make_unique<Handle>();
      opts.configure(*h);
      libvirt::add_domain_disks(*h, domain, /*readonly=*/true);
      guests.push_back({domain.name, domain.uuid, std::move(h)});
    } catch (const Error& e) {
      std::cerr << opts.program() << ": warning: " << e.what() << "; skipped\n";
    }
  }
  return guests;
}

std::vector<libvirt::Domain> add_disk_args(Handle& h, const std::vector<DiskArg>& disks, bool readonly,
                                           const std::optional<std::string>& libvirt_uri) {
  std::unique_ptr<libvirt::Connection> connection;  // opened for the first -d only
  std::vector<libvirt::Domain> domains;
  for (const auto& d : disks) {
    if (d.domain.empty()) {
      DriveOptions options;
      options.readonly = readonly;
      options.format = d.format;
      options.blocksize = d.blocksize;
      h.add_drive(d.path, options);
      continue;
    }
    if (!connection) connection = std::make_unique<libvirt::Connection>(libvirt_uri);
    domains.push_back(connection->domain(d.domain));
    libvirt::add_domain_disks(h, domains.back(), readonly);
  }
  return domains;
}

int run_tool(const std::string& program, const std::function<int()>& work, const std::string& error_prefix) {
  try {
    return work();
  } catch (const OptionError& e) {
    std::cerr << program << ": " << e.what() << "\nTry '" << program << " --help' for more information.\n";
  } catch (const std::exception& e) {
    std::cout << std::flush;  // what was said before the error comes before it
    std::cerr << program << ": " << error_prefix << e.what() << "\n";
  }
  return 1;
}

}  // namespace vt
