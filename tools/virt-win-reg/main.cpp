// virt-win-reg: export and merge Windows Registry keys of a Windows guest.
// Options and output follow libguestfs's virt-win-reg.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "export.hpp"
#include "guest.hpp"
#include "merge.hpp"
#include "options.hpp"
#include "process.hpp"
#include "regfile.hpp"

using namespace vt;
using namespace vt::winreg;

namespace {

// .reg files are small text; a bigger one is a mistake, not input.
constexpr size_t kMaxRegFileBytes = 256 << 20;

std::string read_reg_file(const std::string& path) {
  std::ifstream in;
  std::istream* stream = &std::cin;
  if (path != "-") {
    in.open(path, std::ios::binary);
    if (!in) throw Error(errno_message(path, errno));
    stream = &in;
  }
  return read_capped(*stream, kMaxRegFileBytes, path == "-" ? "the input" : path);
}

void export_mode(GuestRegistry& registry, const std::string& key, const std::optional<std::string>& value_name,
                 bool printable_strings) {
  HiveLocation loc = map_registry_path(key);
  Hive& hive = registry.hive(loc);
  auto node = hive.lookup(loc.path);
  if (!node) throw Error(key + ": path not found in this hive");
  if (!value_name) {
    export_key(hive, *node, {loc.prefix, printable_strings}, std::cout);
    return;
  }
  std::string name = *value_name == "@" ? "" : *value_name;
  auto value = hive.find_value(*node, name);
  if (!value) throw Error(key + ": " + *value_name + ": no such value in this key");
  print_value_data(hive, *value, std::cout);
}

void merge_mode(GuestRegistry& registry, const std::vector<std::vector<RegSection>>& files) {
  for (const auto& sections : files) {
    for (const auto& section : sections) {
      HiveLocation loc = map_registry_path(section.key);
      registry.hive(loc);
      registry.mark_changed(loc);
    }
    apply_sections(sections, [&](const std::string& key) {
      HiveLocation loc = map_registry_path(key);
      return HiveTarget{&registry.hive(loc), loc.path};
    });
  }
  registry.write_back();
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return run_tool("virt-win-reg", [&] {
    ToolOptions opts("virt-win-reg", "export and merge Windows Registry entries from a Windows guest",
                     "[--options] DOMAIN|DISK|-a DISK|-d DOMAIN 'HKLM\\Path\\To\\Subkey' [name|@]\n"
                     "  virt-win-reg --merge [--options] DOMAIN|DISK|-a DISK|-d DOMAIN [input.reg ...]");
    opts.tool_options().add_options()
        ("merge", "Merge regedit files (or standard input) into the guest's Registry")
        ("encoding", boost::program_options::value<std::string>(),
         "With --merge: store strings as UTF-16LE (default) or ASCII")
        ("unsafe-printable-strings", "Export strings (types 1 and 2) as text, assuming UTF-16LE");
    opts.allow_operands();
    if (!opts.parse(argc, argv)) return 0;

    bool merge = opts.has("merge");
    std::vector<std::string> operands = opts.operands();
    std::vector<DiskArg> disks = opts.disks();
    if (disks.empty()) {
      // libguestfs's form: the first operand is the guest.
      if (operands.empty()) throw OptionError("no libvirt domain name or disk image given");
      DiskArg arg = disk_or_domain(operands.front());
      if (arg.domain.empty() && opts.has("format")) {
        auto formats = opts.vm()["format"].as<std::vector<std::string>>();
        if (!formats.empty() && formats.back() != "auto") arg.format = formats.back();
      }
      disks.push_back(arg);
      operands.erase(operands.begin());
    }

    std::vector<std::vector<RegSection>> reg_files;
    std::string key;
    std::optional<std::string> value_name;
    if (merge) {
      StringEncoding encoding = opts.has("encoding") ? parse_encoding(opts.vm()["encoding"].as<std::string>())
                                                     : StringEncoding::kUtf16le;
      if (operands.empty()) operands.push_back("-");
      // Every file is parsed before the guest is touched: an error in any
      // of them changes nothing.
      for (const auto& file : operands) {
        auto sections = parse_reg(read_reg_file(file), file == "-" ? "(stdin)" : file, encoding);
        for (const auto& s : sections) map_registry_path(s.key);
        reg_files.push_back(std::move(sections));
      }
    } else {
      if (operands.empty() || operands.size() > 2)
        throw OptionError("expecting 1 or 2 more parameters, subkey path and optionally the value to export");
      key = operands[0];
      map_registry_path(key);
      if (operands.size() == 2) value_name = operands[1];
    }

    Handle h;
    opts.configure(h);
    add_disk_args(h, disks, /*readonly=*/!merge, opts.libvirt_uri());
    h.launch();
    {
      GuestRegistry registry(h, merge);
      if (merge)
        merge_mode(registry, reg_files);
      else
        export_mode(registry, key, value_name, opts.has("unsafe-printable-strings"));
    }
    std::cout.flush();
    h.shutdown();
    if (!std::cout) throw Error("error writing the output");
    return 0;
  });
}
