// Calls about LVM: each runs the lvm tool once and parses its output here,
// the one place that knows its format.
#include <algorithm>
#include <sstream>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// Runs an lvm report command and returns its lines, trimmed, empty ones dropped.
std::vector<std::string> lvm_report(std::initializer_list<std::string> args, const std::string& what) {
  std::istringstream in(run_or_fail(lvm_command(args), what));
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    auto b = line.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    auto e = line.find_last_not_of(" \t");
    lines.push_back(line.substr(b, e - b + 1));
  }
  return lines;
}

std::string lvm_single(std::initializer_list<std::string> args, const std::string& what) {
  auto lines = lvm_report(args, what);
  if (lines.size() != 1) throw DaemonError(ENOENT, what + ": not found");
  return lines[0];
}

int64_t parse_bytes(const std::string& s, const std::string& what) {
  try {
    size_t used = 0;
    int64_t v = std::stoll(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    throw DaemonError(EIO, what + ": unexpected size '" + s + "' from lvm");
  }
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

std::vector<std::string> do_lvs() {
  auto lines = lvm_report({"lvs", "--noheadings", "--separator", "/", "-o", "vg_name,lv_name", "-S",
                           "lv_role=public && lv_skip_activation!=yes"},
                          "lvs");
  for (auto& l : lines) l = "/dev/" + l;
  return sorted(lines);
}

std::vector<std::string> do_vgs() { return sorted(lvm_report({"vgs", "--noheadings", "-o", "vg_name"}, "vgs")); }

std::vector<std::string> do_pvs() { return sorted(lvm_report({"pvs", "--noheadings", "-o", "pv_name"}, "pvs")); }

std::string do_pvuuid(const std::string& device) {
  return lvm_single({"pvs", "--noheadings", "-o", "pv_uuid", device}, "pvuuid " + device);
}

std::string do_vguuid(const std::string& vgname) {
  return lvm_single({"vgs", "--noheadings", "-o", "vg_uuid", "--", vgname}, "vguuid " + vgname);
}

std::string do_lvuuid(const std::string& device) {
  return lvm_single({"lvs", "--noheadings", "-o", "lv_uuid", device}, "lvuuid " + device);
}

std::vector<std::string> do_vgpvuuids(const std::string& vgname) {
  return lvm_report({"vgs", "--noheadings", "-o", "pv_uuid", "--", vgname}, "vgpvuuids " + vgname);
}

int64_t do_vg_size(const std::string& vgname) {
  return parse_bytes(
      lvm_single({"vgs", "--noheadings", "--units", "b", "--nosuffix", "-o", "vg_size", "--", vgname}, "vg_size " + vgname),
      "vg_size");
}

int64_t do_pv_size(const std::string& device) {
  return parse_bytes(
      lvm_single({"pvs", "--noheadings", "--units", "b", "--nosuffix", "-o", "pv_size", device}, "pv_size " + device),
      "pv_size");
}

void do_pvcreate(const std::string& device) { run_or_fail(lvm_command({"pvcreate", "-ff", "-y", "--quiet", device}), "pvcreate"); }

void do_vgcreate(const std::string& volgroup, const std::vector<std::string>& physvols) {
  std::vector<std::string> argv = lvm_command({"vgcreate", "--quiet", "--", volgroup});
  argv.insert(argv.end(), physvols.begin(), physvols.end());
  run_or_fail(argv, "vgcreate");
}

void do_lvcreate(const std::string& logvol, const std::string& volgroup, int32_t mbytes) {
  run_or_fail(lvm_command({"lvcreate", "--quiet", "-y", "-L", std::to_string(mbytes) + "m", "-n", logvol, volgroup}),
              "lvcreate");
}

void do_vgremove(const std::string& vgname) {
  run_or_fail(lvm_command({"vgremove", "-f", "--quiet", "--", vgname}), "vgremove");
}

void do_pvremove(const std::string& device) {
  run_or_fail(lvm_command({"pvremove", "-ff", "-y", "--quiet", device}), "pvremove");
}

}  // namespace vt::daemon
