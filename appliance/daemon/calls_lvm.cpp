// Calls about LVM: the reads are answered from one lvm session's reports,
// kept until a call could change what they say; the changes each run the
// lvm tool.  This is the one place that knows lvm's output format.
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <sstream>
#include <variant>

#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// One row of an lvm report run with --nameprefixes: field ("pv_name") to value.
using ReportRow = std::map<std::string, std::string>;

std::string trimmed(const std::string& line) {
  auto b = line.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return line.substr(b, line.find_last_not_of(" \t") - b + 1);
}

// LVM2_PV_NAME='/dev/sda2' LVM2_PV_UUID='...': LVM allows no quote in any
// name, tag or UUID, so a value ends at the next quote.
ReportRow parse_report_row(const std::string& line) {
  ReportRow row;
  size_t p = 0;
  while (p < line.size()) {
    if (line.compare(p, 5, "LVM2_") != 0) throw DaemonError(EIO, "unexpected report line from lvm: " + line);
    auto eq = line.find("='", p);
    if (eq == std::string::npos) throw DaemonError(EIO, "unexpected report line from lvm: " + line);
    auto close = line.find('\'', eq + 2);
    if (close == std::string::npos) throw DaemonError(EIO, "unexpected report line from lvm: " + line);
    std::string key = line.substr(p + 5, eq - p - 5);
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    row[key] = line.substr(eq + 2, close - eq - 2);
    p = line.find_first_not_of(' ', close + 1);
    if (p == std::string::npos) break;
  }
  return row;
}

const std::string& field(const ReportRow& row, const std::string& name, const std::string& what) {
  auto it = row.find(name);
  if (it == row.end()) throw DaemonError(EIO, what + ": lvm reported no " + name);
  return it->second;
}

// The fields each report asks for: what the *_full structs hold, and the
// volume group of each PV and LV.
const std::vector<std::string> kPvFields = {"pv_name", "pv_uuid", "pv_fmt", "pv_size", "dev_size", "pv_free",
                                            "pv_used", "pv_attr", "pv_pe_count", "pv_pe_alloc_count", "pv_tags",
                                            "pe_start", "pv_mda_count", "pv_mda_free", "vg_name"};
const std::vector<std::string> kVgFields = {
    "vg_name",         "vg_uuid",       "vg_fmt", "vg_attr", "vg_size", "vg_free",  "vg_sysid",
    "vg_extent_size",  "vg_extent_count", "vg_free_count", "max_lv", "max_pv", "pv_count", "lv_count",
    "snap_count",      "vg_seqno",      "vg_tags", "vg_mda_count", "vg_mda_free"};
const std::vector<std::string> kLvFields = {
    "lv_name", "lv_uuid", "lv_attr", "lv_major", "lv_minor", "lv_kernel_major", "lv_kernel_minor", "lv_size",
    "seg_count", "origin", "snap_percent", "copy_percent", "move_pv", "lv_tags", "mirror_log", "lv_modules",
    "vg_name"};

// Everything the read-only LVM calls answer, read by one lvm process: an
// lvm process costs about 0.1 s just to start under TCG and each
// command in it rescans the disks, so one shell session runs them all.
struct LvmReports {
  std::vector<ReportRow> pvs, vgs, lvs;  // as lvm's pvs, vgs and lvs list them
  std::vector<ReportRow> public_lvs;     // the LVs libguestfs's lvs lists
  // false when made from the metadata (plain_lvs_from_metadata): the
  // metadata areas' free space is lvm's own reckoning, so pvs_full and
  // vgs_full read lvm's reports.
  bool complete = true;
};

std::optional<LvmReports> g_lvm_reports;
// What lvs lists, known without the reports after an activation that
// succeeded (see active_plain_lvs); dropped with them.
std::optional<std::vector<std::string>> g_active_lvs;

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

// A report row and the name of its first field.
using TaggedRow = std::pair<std::string, ReportRow>;

// What one lvm command did.
struct LvmResult {
  bool ok = false;
  std::string errors;  // what lvm wrote on stderr, trimmed
  std::vector<TaggedRow> rows;
};

// Runs one lvm command (LVM_SYSTEM_DIR is the daemon's own configuration).
// Run directly rather than in an lvm shell: under TCG the shell and its
// command log cost about 80 ms more than the command itself.
LvmResult run_lvm(std::initializer_list<std::string> args) {
  CommandResult r = run_logged(lvm_command(args), "lvm");
  LvmResult result;
  result.ok = r.ok();
  result.errors = r.err;
  while (!result.errors.empty() && std::isspace(static_cast<unsigned char>(result.errors.back()))) result.errors.pop_back();
  if (!result.ok && result.errors.empty()) result.errors = "failed";
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    line = trimmed(line);
    if (line.rfind("LVM2_", 0) != 0) continue;
    auto eq = line.find('=');
    std::string first = line.substr(5, eq == std::string::npos ? 0 : eq - 5);
    for (auto& ch : first) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    result.rows.emplace_back(std::move(first), parse_report_row(line));
  }
  return result;
}

// Whether libguestfs's lvs lists the LV: public (not a thin pool or one of
// its parts) and not flagged to skip activation.
bool is_listed_lv(const ReportRow& row) {
  std::istringstream roles(field(row, "lv_role", "lvs"));
  bool is_public = false;
  for (std::string role; std::getline(roles, role, ',');) is_public = is_public || role == "public";
  return is_public && field(row, "lv_skip_activation", "lvs").empty();
}

std::string sort_key(const ReportRow& row, const char* first, const char* second = nullptr) {
  std::string key = field(row, first, "lvm");
  if (second) key += std::string(1, '\0') + field(row, second, "lvm");
  return key;
}

LvmReports sorted_reports(LvmReports reports);

LvmReports read_lvm() {
  // fullreport prints every PV (orphans too), VG and LV; each row starts
  // with the field that says which it is.  Its segment reports are turned
  // off by selections nothing matches.
  std::vector<std::string> lv_fields = kLvFields;
  lv_fields.insert(lv_fields.end(), {"lv_role", "lv_skip_activation"});
  auto result = run_lvm({"fullreport", "--nameprefixes", "--noheadings", "--units", "b", "--nosuffix",
                         "--configreport", "pv", "-o", join_fields(kPvFields),
                         "--configreport", "vg", "-o", join_fields(kVgFields),
                         "--configreport", "lv", "-o", join_fields(lv_fields),
                         "--configreport", "pvseg", "-o", "pvseg_start", "-S", "pvseg_start=-1",
                         "--configreport", "seg", "-o", "segtype", "-S", "segtype=none"});
  if (!result.ok) throw DaemonError(EIO, "lvm fullreport: " + result.errors);
  LvmReports reports;
  for (auto& [first_field, row] : result.rows) {
    if (first_field == "pv_name") reports.pvs.push_back(std::move(row));
    else if (first_field == "vg_name") reports.vgs.push_back(std::move(row));
    else if (first_field == "lv_name") reports.lvs.push_back(std::move(row));
    else throw DaemonError(EIO, "lvm fullreport: unexpected row starting with " + first_field);
  }
  return sorted_reports(std::move(reports));
}

// In the order lvm's own pvs, vgs and lvs print, with the LVs lvs lists.
LvmReports sorted_reports(LvmReports reports) {
  auto by = [](const char* first, const char* second = nullptr) {
    return [=](const ReportRow& x, const ReportRow& y) { return sort_key(x, first, second) < sort_key(y, first, second); };
  };
  std::stable_sort(reports.pvs.begin(), reports.pvs.end(), by("pv_name"));
  std::stable_sort(reports.vgs.begin(), reports.vgs.end(), by("vg_name"));
  std::stable_sort(reports.lvs.begin(), reports.lvs.end(), by("vg_name", "lv_name"));
  for (const auto& row : reports.lvs)
    if (is_listed_lv(row)) reports.public_lvs.push_back(row);
  return reports;
}

const LvmReports& lvm_reports() {
  if (!g_lvm_reports) g_lvm_reports = read_lvm();
  return *g_lvm_reports;
}

// With every field lvm reports.
const LvmReports& complete_lvm_reports() {
  if (!g_lvm_reports || !g_lvm_reports->complete) g_lvm_reports = read_lvm();
  return *g_lvm_reports;
}

// Runs an lvm command that prints lines and returns them, trimmed, empty ones dropped.
std::vector<std::string> lvm_report(std::initializer_list<std::string> args, const std::string& what) {
  std::istringstream in(run_or_fail(lvm_command(args), what));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (auto t = trimmed(line); !t.empty()) lines.push_back(t);
  return lines;
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

template <class Struct>
std::vector<Struct> full_structs(const std::vector<ReportRow>& rows, const std::vector<Column<Struct>>& columns,
                                 const std::string& what) {
  std::vector<Struct> out;
  for (const auto& row : rows) {
    Struct s;
    for (const auto& c : columns) {
      const std::string& value = field(row, c.lvm_field, what);
      if (auto text = std::get_if<std::string Struct::*>(&c.member))
        s.*(*text) = c.is_uuid ? bare_uuid(value) : value;
      else if (auto number = std::get_if<int64_t Struct::*>(&c.member))
        s.*(*number) = parse_bytes(value, what);
      else
        s.*std::get<float Struct::*>(c.member) = parse_percent(value);
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Whether two paths name the same block device (/dev/mapper/vg-lv and /dev/vg/lv).
bool same_block_device(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode) &&
         sa.st_rdev == sb.st_rdev;
}

const ReportRow* find_pv(const std::string& device) {
  for (const auto& row : lvm_reports().pvs)
    if (auto it = row.find("pv_name"); it != row.end() && (it->second == device || same_block_device(it->second, device)))
      return &row;
  return nullptr;
}

const ReportRow* find_vg(const std::string& vgname) {
  for (const auto& row : lvm_reports().vgs)
    if (auto it = row.find("vg_name"); it != row.end() && it->second == vgname) return &row;
  return nullptr;
}

std::string lv_path(const ReportRow& row, const std::string& what) {
  return "/dev/" + field(row, "vg_name", what) + "/" + field(row, "lv_name", what);
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
  if (!g_lvm_reports && g_active_lvs) return *g_active_lvs;
  std::vector<std::string> out;
  for (const auto& row : lvm_reports().public_lvs) out.push_back(lv_path(row, "lvs"));
  return sorted(out);
}

std::vector<std::string> do_vgs() {
  std::vector<std::string> out;
  for (const auto& row : lvm_reports().vgs) out.push_back(field(row, "vg_name", "vgs"));
  return sorted(out);
}

std::vector<std::string> do_pvs() {
  std::vector<std::string> out;
  for (const auto& row : lvm_reports().pvs) out.push_back(field(row, "pv_name", "pvs"));
  return sorted(out);
}

std::string do_pvuuid(const std::string& device) {
  const ReportRow* pv = find_pv(device);
  if (!pv) throw DaemonError(ENOENT, "pvuuid: " + device + ": not a physical volume");
  return field(*pv, "pv_uuid", "pvuuid");
}

std::string do_vguuid(const std::string& vgname) {
  const ReportRow* vg = find_vg(vgname);
  if (!vg) throw DaemonError(ENOENT, "vguuid: " + vgname + ": no such volume group");
  return field(*vg, "vg_uuid", "vguuid");
}

std::string do_lvuuid(const std::string& device) {
  for (const auto& row : lvm_reports().lvs) {
    std::string path = lv_path(row, "lvuuid");
    if (path == device || same_block_device(path, device)) return field(row, "lv_uuid", "lvuuid");
  }
  throw DaemonError(ENOENT, "lvuuid: " + device + ": not a logical volume");
}

std::vector<std::string> do_vgpvuuids(const std::string& vgname) {
  if (!find_vg(vgname)) throw DaemonError(ENOENT, "vgpvuuids: " + vgname + ": no such volume group");
  std::vector<std::string> out;
  for (const auto& row : lvm_reports().pvs)
    if (field(row, "vg_name", "vgpvuuids") == vgname) out.push_back(field(row, "pv_uuid", "vgpvuuids"));
  return out;
}

int64_t do_vg_size(const std::string& vgname) {
  const ReportRow* vg = find_vg(vgname);
  if (!vg) throw DaemonError(ENOENT, "vg_size: " + vgname + ": no such volume group");
  return parse_bytes(field(*vg, "vg_size", "vg_size"), "vg_size");
}

int64_t do_pv_size(const std::string& device) {
  const ReportRow* pv = find_pv(device);
  if (!pv) throw DaemonError(ENOENT, "pv_size: " + device + ": not a physical volume");
  return parse_bytes(field(*pv, "pv_size", "pv_size"), "pv_size");
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
  return full_structs<P>(
      complete_lvm_reports().pvs, {{"pv_name", &P::pv_name}, {"pv_uuid", &P::pv_uuid, true}, {"pv_fmt", &P::pv_fmt},
              {"pv_size", &P::pv_size}, {"dev_size", &P::dev_size}, {"pv_free", &P::pv_free},
              {"pv_used", &P::pv_used}, {"pv_attr", &P::pv_attr}, {"pv_pe_count", &P::pv_pe_count},
              {"pv_pe_alloc_count", &P::pv_pe_alloc_count}, {"pv_tags", &P::pv_tags}, {"pe_start", &P::pe_start},
              {"pv_mda_count", &P::pv_mda_count}, {"pv_mda_free", &P::pv_mda_free}},
      "pvs_full");
}

std::vector<api::lvm_vg> do_vgs_full() {
  using V = api::lvm_vg;
  return full_structs<V>(
      complete_lvm_reports().vgs, {{"vg_name", &V::vg_name}, {"vg_uuid", &V::vg_uuid, true}, {"vg_fmt", &V::vg_fmt},
              {"vg_attr", &V::vg_attr}, {"vg_size", &V::vg_size}, {"vg_free", &V::vg_free},
              {"vg_sysid", &V::vg_sysid}, {"vg_extent_size", &V::vg_extent_size},
              {"vg_extent_count", &V::vg_extent_count}, {"vg_free_count", &V::vg_free_count},
              {"max_lv", &V::max_lv}, {"max_pv", &V::max_pv}, {"pv_count", &V::pv_count},
              {"lv_count", &V::lv_count}, {"snap_count", &V::snap_count}, {"vg_seqno", &V::vg_seqno},
              {"vg_tags", &V::vg_tags}, {"vg_mda_count", &V::vg_mda_count}, {"vg_mda_free", &V::vg_mda_free}},
      "vgs_full");
}

std::vector<api::lvm_lv> do_lvs_full() {
  using L = api::lvm_lv;
  std::vector<ReportRow> rows = lvm_reports().lvs;
  if (!g_lvm_reports->complete) {
    // lvm reads the open attribute when it reports; so does this.
    for (auto& row : rows) {
      unsigned maj = 0, min = 0;
      if (std::sscanf(row["lv_kernel_major"].c_str(), "%u", &maj) != 1 ||
          std::sscanf(row["lv_kernel_minor"].c_str(), "%u", &min) != 1 || row["lv_attr"].size() < 6)
        continue;
      row["lv_attr"][5] = dm_open_count(makedev(maj, min)) > 0 ? 'o' : '-';
    }
  }
  return full_structs<L>(
      rows, {{"lv_name", &L::lv_name}, {"lv_uuid", &L::lv_uuid, true}, {"lv_attr", &L::lv_attr},
              {"lv_major", &L::lv_major}, {"lv_minor", &L::lv_minor}, {"lv_kernel_major", &L::lv_kernel_major},
              {"lv_kernel_minor", &L::lv_kernel_minor}, {"lv_size", &L::lv_size}, {"seg_count", &L::seg_count},
              {"origin", &L::origin}, {"snap_percent", &L::snap_percent}, {"copy_percent", &L::copy_percent},
              {"move_pv", &L::move_pv}, {"lv_tags", &L::lv_tags}, {"mirror_log", &L::mirror_log},
              {"lv_modules", &L::modules}},
      "lvs_full");
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

void lvm_none_found() {
  g_lvm_reports.reset();
  g_active_lvs = std::vector<std::string>{};
}

void lvm_activate(const std::vector<std::string>& devices) {
  g_lvm_reports.reset();
  g_active_lvs.reset();
  std::string why;
  std::optional<LvmRows> rows;
  if (auto plan = plain_lvs_from_metadata(devices, why, &rows)) {
    if (dm_activate_plain_lvs(*plan)) {
      if (g_verbose)
        std::fprintf(stderr, "virt-tools-daemon: activated %zu LVs from the metadata%s\n", plan->size(),
                     rows ? ", reports too" : "");
      g_active_lvs = active_plain_lvs();
      if (rows) {
        // What lvm would report now: the LVs made active, with their devices.
        std::map<std::string, dev_t> device_of;
        for (const auto& lv : *plan) device_of[lv.vg + "/" + lv.lv] = lv.device;
        LvmReports reports;
        reports.pvs = std::move(rows->pvs);
        reports.vgs = std::move(rows->vgs);
        for (auto& row : rows->lvs) {
          if (auto it = device_of.find(row["vg_name"] + "/" + row["lv_name"]); it != device_of.end()) {
            row["lv_attr"][4] = 'a';
            row["lv_kernel_major"] = std::to_string(major(it->second));
            row["lv_kernel_minor"] = std::to_string(minor(it->second));
          }
          reports.lvs.push_back(std::move(row));
        }
        reports.complete = false;
        g_lvm_reports = sorted_reports(std::move(reports));
      }
      return;
    }
    why = "device-mapper refused";
  }
  if (g_verbose) std::fprintf(stderr, "virt-tools-daemon: activation left to lvm: %s\n", why.c_str());
  auto result = run_lvm({"vgchange", "-ay", "--quiet"});
  // A VG that cannot be activated (a missing PV, a thin pool without its
  // tools) leaves the rest readable, as libguestfs's appliance does; lvs
  // then comes from the reports, which list the inactive LVs too.
  if (result.ok) g_active_lvs = active_plain_lvs();
  else if (g_verbose) std::fprintf(stderr, "virt-tools-daemon: vgchange: %s\n", result.errors.c_str());
}

void lvm_reports_forget_unless_kept_by(const char* call) {
  // Calls that read, or that write only inside a mounted filesystem: none
  // of them can change a PV, VG or LV.  Any other call drops the reports.
  static const std::set<std::string_view> kKeep = {
      "list_filesystems", "lvs", "vgs", "pvs", "lvs_full", "vgs_full", "pvs_full", "pvuuid", "vguuid", "lvuuid",
      "vgpvuuids", "vglvuuids", "vg_size", "pv_size", "lvm_canonical_lv_name", "canonical_device_name",
      "list_devices", "list_partitions", "blockdev_getsize64", "blockdev_getss", "blockdev_getsz",
      "blockdev_getro", "blkid", "vfs_type", "vfs_label", "vfs_uuid", "mount_ro", "umount", "umount_all",
      "mounts", "mountpoints", "statvfs", "part_list", "part_get_parttype", "part_get_mbr_id",
      "part_get_bootable", "part_get_gpt_type", "part_get_gpt_guid", "part_get_disk_guid", "part_get_name",
      "part_to_dev", "part_to_partnum", "pread_device", "ping", "version", "ls", "ll", "cat", "read_file",
      "read_lines", "readlink", "readlinklist", "realpath", "statns", "lstatns", "lstatnslist", "is_file",
      "is_dir", "is_symlink", "is_blockdev", "is_chardev", "is_fifo", "is_socket", "exists", "find", "find0",
      "glob_expand", "case_sensitive_path", "checksum", "checksums_out", "filesize", "head", "tail", "head_n",
      "tail_n", "grep", "du", "pread", "file_architecture", "download", "tar_out", "copy_out", "tune2fs_l",
      "xfs_info", "btrfs_subvolume_list", "aug_init", "aug_close", "aug_get", "aug_match", "aug_ls",
      "aug_load", "aug_defvar", "hivex_open", "hivex_close", "hivex_root", "hivex_node_name",
      "hivex_node_children", "hivex_node_get_child", "hivex_node_parent", "hivex_node_values",
      "hivex_node_get_value", "hivex_value_key", "hivex_value_type", "hivex_value_value", "hivex_value_string",
      "hivex_value_utf8"};
  if (call && kKeep.count(call)) return;
  g_lvm_reports.reset();
  g_active_lvs.reset();
}

}  // namespace vt::daemon
