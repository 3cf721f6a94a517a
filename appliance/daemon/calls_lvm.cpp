// Calls about LVM: each runs the lvm tool once and parses its output here,
// the one place that knows its format.
#include <sys/stat.h>

#include <algorithm>
#include <sstream>
#include <variant>

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

// libguestfs's structs hold UUIDs as 32 characters, without LVM's dashes.
std::string bare_uuid(const std::string& s) {
  std::string out;
  for (char ch : s)
    if (ch != '-') out += ch;
  if (out.size() != 32) throw DaemonError(EIO, "unexpected UUID '" + s + "' from lvm");
  return out;
}

// An empty percentage means "does not apply": -1.
float parse_percent(const std::string& s) {
  if (s.empty()) return -1;
  try {
    return std::stof(s);
  } catch (const std::exception&) {
    throw DaemonError(EIO, "unexpected percentage '" + s + "' from lvm");
  }
}

// One field of a *_full report: the lvm report field and the struct member
// it fills, parsed by the member's type (bytes or counts, percentages, text).
template <class Struct>
struct Column {
  const char* lvm_field;
  std::variant<std::string Struct::*, int64_t Struct::*, float Struct::*> member;
  bool is_uuid = false;
};

// The *_full reports: one line per object, fields separated by a character
// LVM allows in no name or tag.
template <class Struct>
std::vector<Struct> lvm_full_report(const std::string& command, const std::vector<Column<Struct>>& columns) {
  constexpr char kSeparator = '|';
  std::string fields;
  for (const auto& c : columns) fields += (fields.empty() ? "" : ",") + std::string(c.lvm_field);
  const std::string what = command + "_full";
  std::vector<Struct> out;
  for (const auto& line : lvm_report({command, "--noheadings", "--units", "b", "--nosuffix", "--separator",
                                      std::string(1, kSeparator), "-o", fields},
                                     what)) {
    std::vector<std::string> row;
    for (std::string::size_type start = 0;;) {
      auto sep = line.find(kSeparator, start);
      row.push_back(line.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
      if (sep == std::string::npos) break;
      start = sep + 1;
    }
    if (row.size() != columns.size())
      throw DaemonError(EIO, what + ": expected " + std::to_string(columns.size()) + " fields from lvm, got " +
                                 std::to_string(row.size()) + " in '" + line + "'");
    Struct s;
    for (size_t i = 0; i < columns.size(); ++i) {
      const auto& c = columns[i];
      if (auto text = std::get_if<std::string Struct::*>(&c.member))
        s.*(*text) = c.is_uuid ? bare_uuid(row[i]) : row[i];
      else if (auto number = std::get_if<int64_t Struct::*>(&c.member))
        s.*(*number) = parse_bytes(row[i], what);
      else
        s.*std::get<float Struct::*>(c.member) = parse_percent(row[i]);
    }
    out.push_back(std::move(s));
  }
  return out;
}

// LVM and volume group names go on lvm's command line: refuse what would read as an option.
void check_lvm_name(const char* call, const std::string& name) {
  if (name.empty() || name[0] == '-') throw DaemonError(EINVAL, std::string(call) + ": " + name + ": not a valid LVM name");
}

void check_percent(const char* call, int32_t percent) {
  if (percent < 0 || percent > 100)
    throw DaemonError(EINVAL, std::string(call) + ": percent must be between 0 and 100, not " + std::to_string(percent));
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

void do_lvcreate_free(const std::string& logvol, const std::string& volgroup, int32_t percent) {
  check_lvm_name("lvcreate_free", logvol);
  check_lvm_name("lvcreate_free", volgroup);
  check_percent("lvcreate_free", percent);
  run_or_fail(lvm_command({"lvcreate", "--quiet", "-y", "-l", std::to_string(percent) + "%FREE", "-n", logvol, volgroup}),
              "lvcreate_free");
}

void do_lvremove(const std::string& device) {
  // A String, not a Device: /dev/VG (every LV of the VG) is a directory.
  if (device.rfind("/dev/", 0) != 0 || device.find("..") != std::string::npos)
    throw DaemonError(EINVAL, "lvremove: " + device + ": not an LV (/dev/VG/LV) or a VG (/dev/VG)");
  run_or_fail(lvm_command({"lvremove", "-f", "--quiet", device}), "lvremove " + device);
}

std::vector<api::lvm_pv> do_pvs_full() {
  using P = api::lvm_pv;
  return lvm_full_report<P>(
      "pvs", {{"pv_name", &P::pv_name}, {"pv_uuid", &P::pv_uuid, true}, {"pv_fmt", &P::pv_fmt},
              {"pv_size", &P::pv_size}, {"dev_size", &P::dev_size}, {"pv_free", &P::pv_free},
              {"pv_used", &P::pv_used}, {"pv_attr", &P::pv_attr}, {"pv_pe_count", &P::pv_pe_count},
              {"pv_pe_alloc_count", &P::pv_pe_alloc_count}, {"pv_tags", &P::pv_tags}, {"pe_start", &P::pe_start},
              {"pv_mda_count", &P::pv_mda_count}, {"pv_mda_free", &P::pv_mda_free}});
}

std::vector<api::lvm_vg> do_vgs_full() {
  using V = api::lvm_vg;
  return lvm_full_report<V>(
      "vgs", {{"vg_name", &V::vg_name}, {"vg_uuid", &V::vg_uuid, true}, {"vg_fmt", &V::vg_fmt},
              {"vg_attr", &V::vg_attr}, {"vg_size", &V::vg_size}, {"vg_free", &V::vg_free},
              {"vg_sysid", &V::vg_sysid}, {"vg_extent_size", &V::vg_extent_size},
              {"vg_extent_count", &V::vg_extent_count}, {"vg_free_count", &V::vg_free_count},
              {"max_lv", &V::max_lv}, {"max_pv", &V::max_pv}, {"pv_count", &V::pv_count},
              {"lv_count", &V::lv_count}, {"snap_count", &V::snap_count}, {"vg_seqno", &V::vg_seqno},
              {"vg_tags", &V::vg_tags}, {"vg_mda_count", &V::vg_mda_count}, {"vg_mda_free", &V::vg_mda_free}});
}

std::vector<api::lvm_lv> do_lvs_full() {
  using L = api::lvm_lv;
  return lvm_full_report<L>(
      "lvs", {{"lv_name", &L::lv_name}, {"lv_uuid", &L::lv_uuid, true}, {"lv_attr", &L::lv_attr},
              {"lv_major", &L::lv_major}, {"lv_minor", &L::lv_minor}, {"lv_kernel_major", &L::lv_kernel_major},
              {"lv_kernel_minor", &L::lv_kernel_minor}, {"lv_size", &L::lv_size}, {"seg_count", &L::seg_count},
              {"origin", &L::origin}, {"snap_percent", &L::snap_percent}, {"copy_percent", &L::copy_percent},
              {"move_pv", &L::move_pv}, {"lv_tags", &L::lv_tags}, {"mirror_log", &L::mirror_log},
              {"lv_modules", &L::modules}});
}

void do_lvresize(const std::string& device, int32_t mbytes) {
  // lvm reads "-L -4m" as "4 MiB less": a size is positive here.
  if (mbytes <= 0) throw DaemonError(EINVAL, "lvresize: mbytes must be positive, not " + std::to_string(mbytes));
  // --force: shrinking asks for confirmation, and nobody is there to answer.
  run_or_fail(lvm_command({"lvresize", "--quiet", "--force", "-L", std::to_string(mbytes) + "m", device}),
              "lvresize " + device);
}

void do_lvresize_free(const std::string& lv, int32_t percent) {
  check_percent("lvresize_free", percent);
  run_or_fail(lvm_command({"lvresize", "--quiet", "-l", "+" + std::to_string(percent) + "%FREE", lv}),
              "lvresize_free " + lv);
}

void do_pvresize(const std::string& device) {
  run_or_fail(lvm_command({"pvresize", "--quiet", "-y", device}), "pvresize " + device);
}

void do_vg_activate_all(bool activate) {
  run_or_fail(lvm_command({"vgchange", "--quiet", "-a", activate ? "y" : "n"}), "vg_activate_all");
}

void do_vgscan() { run_or_fail(lvm_command({"vgscan", "--quiet"}), "vgscan"); }

std::string do_lvm_canonical_lv_name(const std::string& lvname) {
  // Any name of the LV leads to the same device number: compare with each LV's.
  struct stat wanted;
  if (::stat(lvname.c_str(), &wanted) < 0) throw_errno("lvm_canonical_lv_name: " + lvname);
  for (const auto& lv : do_lvs()) {
    struct stat st;
    if (::stat(lv.c_str(), &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == wanted.st_rdev) return lv;
  }
  throw DaemonError(EINVAL, "lvm_canonical_lv_name: " + lvname + ": not a logical volume");
}

std::vector<std::string> do_vglvuuids(const std::string& vgname) {
  return lvm_report({"vgs", "--noheadings", "-o", "lv_uuid", "--", vgname}, "vglvuuids " + vgname);
}

}  // namespace vt::daemon
