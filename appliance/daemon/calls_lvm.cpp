// Calls about LVM: each runs the lvm tool once and parses its output here,
// the one place that knows its format.
#include <sys/stat.h>

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

// The *_full reports: one line per object, fields separated by a character
// LVM allows in no name or tag.
constexpr char kFieldSeparator = '|';

std::vector<std::vector<std::string>> lvm_full_report(const std::string& command, const std::string& fields,
                                                       size_t field_count) {
  auto lines = lvm_report({command, "--noheadings", "--units", "b", "--nosuffix", "--separator",
                           std::string(1, kFieldSeparator), "-o", fields},
                          command);
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : lines) {
    std::vector<std::string> row;
    std::string::size_type start = 0;
    while (true) {
      auto sep = line.find(kFieldSeparator, start);
      row.push_back(line.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
      if (sep == std::string::npos) break;
      start = sep + 1;
    }
    if (row.size() != field_count)
      throw DaemonError(EIO, command + ": expected " + std::to_string(field_count) + " fields from lvm, got " +
                                 std::to_string(row.size()) + " in '" + line + "'");
    rows.push_back(std::move(row));
  }
  return rows;
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
  std::vector<api::lvm_pv> out;
  for (const auto& f : lvm_full_report("pvs",
                                       "pv_name,pv_uuid,pv_fmt,pv_size,dev_size,pv_free,pv_used,pv_attr,pv_pe_count,"
                                       "pv_pe_alloc_count,pv_tags,pe_start,pv_mda_count,pv_mda_free",
                                       14)) {
    api::lvm_pv pv;
    pv.pv_name = f[0];
    pv.pv_uuid = bare_uuid(f[1]);
    pv.pv_fmt = f[2];
    pv.pv_size = parse_bytes(f[3], "pvs_full");
    pv.dev_size = parse_bytes(f[4], "pvs_full");
    pv.pv_free = parse_bytes(f[5], "pvs_full");
    pv.pv_used = parse_bytes(f[6], "pvs_full");
    pv.pv_attr = f[7];
    pv.pv_pe_count = parse_bytes(f[8], "pvs_full");
    pv.pv_pe_alloc_count = parse_bytes(f[9], "pvs_full");
    pv.pv_tags = f[10];
    pv.pe_start = parse_bytes(f[11], "pvs_full");
    pv.pv_mda_count = parse_bytes(f[12], "pvs_full");
    pv.pv_mda_free = parse_bytes(f[13], "pvs_full");
    out.push_back(std::move(pv));
  }
  return out;
}

std::vector<api::lvm_vg> do_vgs_full() {
  std::vector<api::lvm_vg> out;
  for (const auto& f : lvm_full_report("vgs",
                                       "vg_name,vg_uuid,vg_fmt,vg_attr,vg_size,vg_free,vg_sysid,vg_extent_size,"
                                       "vg_extent_count,vg_free_count,max_lv,max_pv,pv_count,lv_count,snap_count,"
                                       "vg_seqno,vg_tags,vg_mda_count,vg_mda_free",
                                       19)) {
    api::lvm_vg vg;
    vg.vg_name = f[0];
    vg.vg_uuid = bare_uuid(f[1]);
    vg.vg_fmt = f[2];
    vg.vg_attr = f[3];
    vg.vg_size = parse_bytes(f[4], "vgs_full");
    vg.vg_free = parse_bytes(f[5], "vgs_full");
    vg.vg_sysid = f[6];
    vg.vg_extent_size = parse_bytes(f[7], "vgs_full");
    vg.vg_extent_count = parse_bytes(f[8], "vgs_full");
    vg.vg_free_count = parse_bytes(f[9], "vgs_full");
    vg.max_lv = parse_bytes(f[10], "vgs_full");
    vg.max_pv = parse_bytes(f[11], "vgs_full");
    vg.pv_count = parse_bytes(f[12], "vgs_full");
    vg.lv_count = parse_bytes(f[13], "vgs_full");
    vg.snap_count = parse_bytes(f[14], "vgs_full");
    vg.vg_seqno = parse_bytes(f[15], "vgs_full");
    vg.vg_tags = f[16];
    vg.vg_mda_count = parse_bytes(f[17], "vgs_full");
    vg.vg_mda_free = parse_bytes(f[18], "vgs_full");
    out.push_back(std::move(vg));
  }
  return out;
}

std::vector<api::lvm_lv> do_lvs_full() {
  std::vector<api::lvm_lv> out;
  for (const auto& f : lvm_full_report("lvs",
                                       "lv_name,lv_uuid,lv_attr,lv_major,lv_minor,lv_kernel_major,lv_kernel_minor,"
                                       "lv_size,seg_count,origin,snap_percent,copy_percent,move_pv,lv_tags,"
                                       "mirror_log,lv_modules",
                                       16)) {
    api::lvm_lv lv;
    lv.lv_name = f[0];
    lv.lv_uuid = bare_uuid(f[1]);
    lv.lv_attr = f[2];
    lv.lv_major = parse_bytes(f[3], "lvs_full");
    lv.lv_minor = parse_bytes(f[4], "lvs_full");
    lv.lv_kernel_major = parse_bytes(f[5], "lvs_full");
    lv.lv_kernel_minor = parse_bytes(f[6], "lvs_full");
    lv.lv_size = parse_bytes(f[7], "lvs_full");
    lv.seg_count = parse_bytes(f[8], "lvs_full");
    lv.origin = f[9];
    lv.snap_percent = parse_percent(f[10]);
    lv.copy_percent = parse_percent(f[11]);
    lv.move_pv = f[12];
    lv.lv_tags = f[13];
    lv.mirror_log = f[14];
    lv.modules = f[15];
    out.push_back(std::move(lv));
  }
  return out;
}

void do_lvresize(const std::string& device, int32_t mbytes) {
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
