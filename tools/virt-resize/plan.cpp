#include "plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>

#include "devices.hpp"
#include "output.hpp"

#include "errors.hpp"

namespace vt::resize {

namespace {

// Below this the surplus is not worth a partition of its own.
constexpr int64_t kMinExtraPartition = 10 * 1024 * 1024;
// Boot loader space assumed before the first partition (as 1.48 copies it).
constexpr uint64_t kMaxBootLoaderBytes = 4096 * 512;
// The Linux filesystem data GPT type, for the extra partition.
constexpr const char* kLinuxDataGuid = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

std::string to_string(uint64_t v) { return std::to_string(v); }

uint64_t div_roundup(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
uint64_t roundup(uint64_t a, uint64_t b) { return div_roundup(a, b) * b; }

// The number of trailing zero bits (64 for 0): how aligned a start sector is.
int alignment_bits(uint64_t n) { return n == 0 ? 64 : __builtin_ctzll(n); }

struct Working {
  const SourcePartition* source;
  Operation operation = Operation::copy;
  uint64_t new_size = 0;
};

class Planner {
 public:
  Planner(const ptable::Table& source, const std::vector<SourcePartition>& partitions,
          const std::vector<SourceLv>& lvs, uint64_t target_size, const Settings& s)
      : source_(source), lvs_(lvs), target_size_(target_size), s_(s) {
    for (const auto& p : partitions) work_.push_back({&p});
  }

  Plan run();

 private:
  uint32_t ss() const { return source_.sector_size; }
  uint64_t old_size(const Working& w) const { return w.source->size_bytes(ss()); }
  Working& find(const std::string& option, const std::string& typed);
  void mark_for_resize(const std::string& option, Working& w, uint64_t new_size, bool force);
  void resize_option(const std::string& option, const std::string& arg, bool force);
  int64_t surplus() const;
  bool can_fix_boot_loader() const;
  void layout(Plan& plan) const;
  void summarise(Plan& plan) const;

  const ptable::Table& source_;
  const std::vector<SourceLv>& lvs_;
  uint64_t target_size_;
  const Settings& s_;
  std::vector<Working> work_;
};

Working& Planner::find(const std::string& option, const std::string& typed) {
  std::string name = canonical_partition_name(typed);
  auto it = std::find_if(work_.begin(), work_.end(), [&](const Working& w) { return w.source->name == name; });
  if (it == work_.end())
    throw Error(name + ": partition not found in the source disk image (this error came from ‘" + option +
                "’ option on the command line).  Try running this command: virt-filesystems --partitions --long -a " +
                s_.indisk);
  if (it->operation == Operation::ignore)
    throw Error(name + ": partition already ignored, you cannot use it in ‘" + option + "’ option");
  if (it->operation == Operation::remove)
    throw Error(name + ": partition already deleted, you cannot use it in ‘" + option + "’ option");
  return *it;
}

void Planner::mark_for_resize(const std::string& option, Working& w, uint64_t new_size, bool force) {
  const std::string& name = w.source->name;
  if (w.operation == Operation::resize) throw Error(name + ": this partition has already been marked for resizing");
  uint64_t old = old_size(w);
  if (old == new_size) return;
  if (new_size < old && !force) {
    const Content& c = w.source->content;
    const std::string force_hint = "If you want to shrink this partition, you need to use the ‘--resize-force’ "
                                   "option, but that could destroy any data on this partition.  (This error came "
                                   "from ‘" + option + "’ option on the command line.)";
    switch (c.kind) {
      case ContentKind::unknown:
        throw Error(name + ": This partition has unknown content which might be damaged by shrinking it.  " +
                    force_hint);
      case ContentKind::pv:
        if (c.size > new_size)
          throw Error(name + ": This partition contains an LVM physical volume which will be damaged by shrinking "
                             "it below " + to_string(c.size) + " bytes (user asked to shrink it to " +
                      to_string(new_size) + " bytes).  " + force_hint);
        break;
      case ContentKind::fs:
        if (c.size > new_size)
          throw Error(name + ": This partition contains a " + c.fstype +
                      " filesystem which will be damaged by shrinking it below " + to_string(c.size) +
                      " bytes (user asked to shrink it to " + to_string(new_size) + " bytes).  " + force_hint);
        break;
      case ContentKind::extended:
        throw Error(name + ": This extended partition contains logical partitions which might be damaged by "
                           "shrinking it.  If you want to shrink this partition, you need to use the "
                           "‘--resize-force’ option, but that could destroy logical partitions within this "
                           "partition.  (This error came from ‘" + option + "’ option on the command line.)");
      case ContentKind::swap:
        break;
    }
  }
  w.operation = Operation::resize;
  w.new_size = new_size;
}

void Planner::resize_option(const std::string& option, const std::string& arg, bool force) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq + 1 == arg.size())
    throw Error(arg + ": missing size field in ‘" + option + "’ option");
  std::string dev = arg.substr(0, eq);
  Working& w = find(option, dev);
  uint64_t new_size = parse_resize(old_size(w), arg.substr(eq + 1));
  if (new_size == 0) throw Error(dev + ": new partition size is zero or negative");
  mark_for_resize(option, w, new_size, force);
}

// Bytes left over (negative: missing) once every partition has its new size
// and the table, the boot loader and alignment have their worst case.
int64_t Planner::surplus() const {
  uint64_t first_start = work_.empty() ? 0 : work_.front().source->part.first_sector;
  uint64_t start_overhead = std::max({uint64_t{64}, kMaxBootLoaderBytes / 512, first_start});
  uint64_t alignment_overhead = s_.alignment * (work_.size() + 1);
  uint64_t overhead = ss() * (start_overhead + alignment_overhead + 64);
  uint64_t required = 0;
  for (const auto& w : work_) {
    switch (w.operation) {
      case Operation::copy:
      case Operation::ignore: required += old_size(w); break;
      case Operation::remove: break;
      case Operation::resize: required += w.new_size; break;
    }
  }
  return static_cast<int64_t>(target_size_) - static_cast<int64_t>(required + overhead);
}

// Windows XP and older boot only from where their boot record says: a lone
// bootable NTFS partition can be moved to an aligned start if its "hidden
// sectors" field is fixed to match.
bool Planner::can_fix_boot_loader() const {
  if (work_.size() != 1) return false;
  const Working& w = work_.front();
  return w.source->content.kind == ContentKind::fs && w.source->content.fstype == "ntfs" &&
         w.source->part.bootable && w.operation != Operation::remove &&
         alignment_bits(w.source->part.first_sector * ss()) < 12;
}

void Planner::layout(Plan& plan) const {
  ptable::Table& t = plan.target_table;
  t.scheme = source_.scheme;
  t.sector_size = ss();
  t.disk_sectors = target_size_ / ss();
  t.mbr_signature = source_.mbr_signature;
  t.disk_guid = source_.disk_guid;
  t.gpt_entries = 128;

  uint64_t start = plan.align_first ? s_.alignment : work_.front().source->part.first_sector;
  uint32_t number = 1;
  for (const auto& w : work_) {
    PartitionPlan pp;
    pp.source = w.source;
    pp.operation = w.operation;
    pp.new_size = w.new_size;
    if (w.operation != Operation::remove) {
      uint64_t bytes = w.operation == Operation::resize ? w.new_size : old_size(w);
      uint64_t sectors = div_roundup(bytes, ss());
      pp.target_number = number++;
      pp.target_first = start;
      uint64_t next = roundup(start + sectors, s_.alignment);
      // A copied partition keeps its size; a resized one takes the alignment gap.
      pp.target_last = (w.operation == Operation::resize ? next : start + sectors) - 1;
      start = next;
      if (w.operation == Operation::resize) pp.expand = expand_method_for(w.source->content, s_.expand_content);

      ptable::Partition p = w.source->part;
      p.number = pp.target_number;
      p.first_sector = pp.target_first;
      p.last_sector = pp.target_last;
      t.partitions.push_back(p);
    }
    plan.partitions.push_back(pp);
  }

  // An MBR has four slots: no room for one more partition after four.
  bool slot_free = t.scheme == ptable::Scheme::gpt || t.partitions.size() < 4;
  if (s_.extra_partition && slot_free && plan.surplus >= kMinExtraPartition) {
    PartitionPlan extra;
    extra.operation = Operation::ignore;
    extra.target_number = number;
    extra.target_first = start;
    extra.target_last = t.disk_sectors - 65;
    ptable::Partition p;
    p.number = number;
    p.first_sector = extra.target_first;
    p.last_sector = extra.target_last;
    p.mbr_type = 0x83;
    p.type = *ptable::Guid::parse(kLinuxDataGuid);
    p.guid = ptable::Guid::random();
    p.set_name("primary");
    t.partitions.push_back(p);
    plan.partitions.push_back(extra);
  }
  for (const auto& p : t.partitions)
    if (p.last_sector > t.last_usable() || p.first_sector < t.first_usable())
      throw Error("the partitions do not fit on the target disk: it needs at least " +
                  human_size_one_decimal(static_cast<int64_t>((p.last_sector + t.first_usable() + 1) * ss())));
}

void Planner::summarise(Plan& plan) const {
  auto warn_unknown = [&](const Content& c, const std::string& name) {
    if (c.kind == ContentKind::fs)
      plan.summary.push_back({true, "unknown/unavailable method for expanding the " + c.fstype + " filesystem on " +
                                        name});
  };
  for (const auto& pp : plan.partitions) {
    if (!pp.source) continue;
    const std::string& name = pp.source->name;
    std::string text;
    switch (pp.operation) {
      case Operation::copy: text = name + ": This partition will be left alone."; break;
      case Operation::ignore:
        text = name + ": This partition will be created, but the contents will be ignored (ie. not copied to the "
                      "target).";
        break;
      case Operation::remove: text = name + ": This partition will be deleted."; break;
      case Operation::resize:
        text = name + ": This partition will be resized from " +
               human_size_one_decimal(static_cast<int64_t>(pp.source->size_bytes(ss()))) + " to " +
               human_size_one_decimal(static_cast<int64_t>(pp.new_size)) + ".";
        if (pp.expand)
          text += "  The " + describe(pp.source->content) + " on " + name + " will be expanded using the ‘" +
                  method_name(*pp.expand) + "’ method.";
        else
          warn_unknown(pp.source->content, name);
        break;
    }
    plan.summary.push_back({false, text});
  }
  for (const auto& lp : plan.lv_expands) {
    std::string text = lp.lv->name + ": This logical volume will be expanded to maximum size.";
    if (lp.expand)
      text += "  The " + describe(lp.lv->content) + " on " + lp.lv->name + " will be expanded using the ‘" +
              method_name(*lp.expand) + "’ method.";
    else
      warn_unknown(lp.lv->content, lp.lv->name);
    plan.summary.push_back({false, text});
  }
  if (plan.surplus > 0) {
    std::string text = "There is a surplus of " + human_size_one_decimal(plan.surplus) + ".";
    bool slot_free = source_.scheme == ptable::Scheme::gpt ||
                     std::count_if(plan.partitions.begin(), plan.partitions.end(),
                                   [](const PartitionPlan& p) { return p.source && p.operation != Operation::remove; }) < 4;
    if (!s_.extra_partition || !slot_free)
      text += "  The surplus space will be ignored.  Run a partitioning program in the guest to partition this "
              "extra space if you want.";
    else if (plan.surplus >= kMinExtraPartition)
      text += "  An extra partition will be created for the surplus.";
    else
      text += "  The surplus space is not large enough for an extra partition to be created and so it will just "
              "be ignored.";
    plan.summary.push_back({false, text});
  }
}

Plan Planner::run() {
  if (work_.empty()) throw Error("the source disk has no partitions");
  for (const auto& w : work_) {
    const Content& c = w.source->content;
    uint64_t size = old_size(w);
    if (c.kind == ContentKind::pv && size < c.size)
      throw Error(w.source->name + ": partition size " + to_string(size) + " < physical volume size " +
                  to_string(c.size));
    if (c.kind == ContentKind::fs && size < c.size)
      throw Error(w.source->name + ": partition size " + to_string(size) + " < filesystem size " + to_string(c.size));
  }
  for (size_t i = 1; i < work_.size(); ++i)
    if (work_[i].source->part.first_sector <= work_[i - 1].source->part.last_sector)
      throw Error(work_[i].source->name + ": this partition overlaps the previous one");
  if (s_.alignment < 1) throw Error("alignment cannot be < 1");

  for (const auto& dev : s_.ignores) find("--ignore", dev).operation = Operation::ignore;
  for (const auto& dev : s_.deletes) find("--delete", dev).operation = Operation::remove;
  for (const auto& arg : s_.resizes) resize_option("--resize", arg, false);
  for (const auto& arg : s_.resizes_force) resize_option("--resize-force", arg, true);

  if (s_.expand && s_.shrink) throw Error("you cannot use options --expand and --shrink together");
  if (s_.expand || s_.shrink) {
    int64_t before = surplus();
    if (s_.expand) {
      if (before < 0)
        throw Error("You cannot use --expand when there is no surplus space to expand into.  You need to make the "
                    "target disk larger by at least " + human_size_one_decimal(-before) + ".");
      Working& w = find("--expand", *s_.expand);
      mark_for_resize("--expand", w, old_size(w) + static_cast<uint64_t>(before), false);
    }
    if (s_.shrink) {
      if (before > 0)
        throw Error("You cannot use --shrink when there is no deficit (see ‘deficit’ in the virt-resize(1) man "
                    "page).");
      Working& w = find("--shrink", *s_.shrink);
      int64_t new_size = static_cast<int64_t>(old_size(w)) + before;
      if (new_size <= 0) throw Error(w.source->name + ": new partition size is zero or negative");
      mark_for_resize("--shrink", w, static_cast<uint64_t>(new_size), false);
    }
  }

  Plan plan;
  plan.surplus = surplus();
  if (plan.surplus < 0) {
    int64_t deficit = -plan.surplus;
    throw Error("There is a deficit of " + std::to_string(deficit) + " bytes (" + human_size_one_decimal(deficit) +
                ").  You need to make the target disk larger by at least this amount or adjust your resizing "
                "requests.");
  }

  for (const auto& name : s_.lv_expands) {
    auto it = std::find_if(lvs_.begin(), lvs_.end(), [&](const SourceLv& lv) { return lv.name == name; });
    if (it == lvs_.end())
      throw Error(name + ": logical volume not found in the source disk image (this error came from ‘--lv-expand’ "
                         "option on the command line).  Try running this command: virt-filesystems "
                         "--logical-volumes --long -a " + s_.indisk);
    bool seen = std::any_of(plan.lv_expands.begin(), plan.lv_expands.end(),
                            [&](const LvPlan& lp) { return lp.lv == &*it; });
    if (!seen) plan.lv_expands.push_back({&*it, expand_method_for(it->content, s_.expand_content)});
  }
  // Summary and expansions follow the volumes' own order, as 1.48 lists them.
  std::stable_sort(plan.lv_expands.begin(), plan.lv_expands.end(),
                   [](const LvPlan& a, const LvPlan& b) { return a.lv < b.lv; });

  if (s_.unknown_filesystems == UnknownFilesystems::error) {
    for (const auto& w : work_)
      if (w.operation == Operation::resize && w.source->content.kind == ContentKind::fs &&
          !expand_method_for(w.source->content, s_.expand_content))
        throw Error("unknown/unavailable method for expanding the " + w.source->content.fstype + " filesystem on " +
                    w.source->name);
    for (const auto& lp : plan.lv_expands)
      if (lp.lv->content.kind == ContentKind::fs && !lp.expand)
        throw Error("unknown/unavailable method for expanding the " + lp.lv->content.fstype + " filesystem on " +
                    lp.lv->name);
  }

  plan.align_first = s_.align_first == AlignFirst::always ||
                     (s_.align_first == AlignFirst::automatic && can_fix_boot_loader());
  layout(plan);
  summarise(plan);
  if (s_.unknown_filesystems == UnknownFilesystems::ignore)
    std::erase_if(plan.summary, [](const SummaryLine& l) { return l.warning; });
  return plan;
}

}  // namespace

std::string describe(const Content& c) {
  switch (c.kind) {
    case ContentKind::unknown: return "unknown data";
    case ContentKind::pv: return "LVM PV";
    case ContentKind::fs: return "filesystem " + c.fstype;
    case ContentKind::extended: return "extended partition";
    case ContentKind::swap: return "swap";
  }
  return "";
}

const char* method_name(ExpandMethod m) {
  switch (m) {
    case ExpandMethod::pvresize: return "pvresize";
    case ExpandMethod::resize2fs: return "resize2fs";
    case ExpandMethod::ntfsresize: return "ntfsresize";
    case ExpandMethod::btrfs_filesystem_resize: return "btrfs-filesystem-resize";
    case ExpandMethod::xfs_growfs: return "xfs_growfs";
    case ExpandMethod::mkswap: return "mkswap";
  }
  return "";
}

std::optional<ExpandMethod> expand_method_for(const Content& c, bool expand_content) {
  if (!expand_content) return std::nullopt;
  switch (c.kind) {
    case ContentKind::pv: return ExpandMethod::pvresize;
    case ContentKind::swap: return ExpandMethod::mkswap;
    case ContentKind::fs:
      if (c.fstype == "ext2" || c.fstype == "ext3" || c.fstype == "ext4") return ExpandMethod::resize2fs;
      if (c.fstype == "ntfs") return ExpandMethod::ntfsresize;
      if (c.fstype == "btrfs") return ExpandMethod::btrfs_filesystem_resize;
      if (c.fstype == "xfs") return ExpandMethod::xfs_growfs;
      return std::nullopt;
    case ContentKind::unknown:
    case ContentKind::extended: return std::nullopt;
  }
  return std::nullopt;
}

bool Plan::expands_anything() const {
  return std::any_of(partitions.begin(), partitions.end(), [](const PartitionPlan& p) { return p.expand.has_value(); }) ||
         std::any_of(lv_expands.begin(), lv_expands.end(), [](const LvPlan& l) { return l.expand.has_value(); });
}

std::string canonical_partition_name(const std::string& typed) {
  return canonical_device_name(typed.rfind("/dev/", 0) == 0 ? typed : "/dev/" + typed);
}

uint64_t parse_resize(uint64_t old_size, const std::string& field) {
  static const std::regex size_re(R"(^([+-]?)([.0-9]+)([bKMG])$)");
  static const std::regex percent_re(R"(^([+-]?)([.0-9]+)%$)");
  std::smatch m;
  auto number = [&](const std::string& text) {
    try {
      size_t used = 0;
      double v = std::stod(text, &used);
      if (used != text.size() || !std::isfinite(v)) throw std::invalid_argument(text);
      return v;
    } catch (const std::exception&) {
      throw Error(field + ": cannot parse resize field");
    }
  };
  double amount;
  std::string sign;
  if (std::regex_match(field, m, size_re)) {
    sign = m[1];
    double v = number(m[2]);
    static const std::map<char, double> scale = {{'b', 1.0}, {'K', 1024.0}, {'M', 1048576.0}, {'G', 1073741824.0}};
    amount = std::floor(v * scale.at(m[3].str()[0]));
  } else if (std::regex_match(field, m, percent_re)) {
    sign = m[1];
    // Tenths of a percent, as 1.48 computes it.
    auto tenths = static_cast<uint64_t>(10.0 * number(m[2]));
    amount = static_cast<double>(old_size / 1000 * tenths + old_size % 1000 * tenths / 1000);
  } else {
    throw Error(field + ": cannot parse resize field");
  }
  if (amount > 9.0e18) throw Error(field + ": cannot parse resize field");
  auto delta = static_cast<uint64_t>(amount);
  if (sign == "+") return old_size + delta;
  if (sign == "-") return delta >= old_size ? 0 : old_size - delta;
  return delta;
}

Plan make_plan(const ptable::Table& source, const std::vector<SourcePartition>& partitions,
               const std::vector<SourceLv>& lvs, uint64_t target_size, const Settings& settings) {
  return Planner(source, partitions, lvs, target_size, settings).run();
}

}  // namespace vt::resize
