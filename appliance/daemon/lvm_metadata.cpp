// Reading LVM2's on-disk metadata: the PV label, the metadata area header
// and the VG's text, as far as activating plain LVs needs.  The disks are
// the guest's, so every length, offset and count is checked, and anything
// unexpected hands the job back to lvm (nullopt) rather than guess.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <array>
#include <cstring>
#include <map>
#include <set>

#include "bytes.hpp"
#include "daemon.hpp"

namespace vt::daemon {

namespace {

constexpr size_t kSector = 512;
constexpr uint64_t kMaxMetadataText = 16 << 20;  // lvm's own metadata areas are 1 MiB by default
constexpr int kMaxDepth = 16;

// lvm's checksums: bytes::crc32_update from this, not inverted.
constexpr uint32_t kInitialCrc = 0xf597a6cf;

bool pread_all(int fd, void* buf, size_t size, uint64_t offset) {
  auto* out = static_cast<char*>(buf);
  while (size > 0) {
    ssize_t n = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (n <= 0) return false;
    out += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

// One value of the metadata's configuration syntax.
struct Value {
  enum class Kind { number, string, array, section } kind = Kind::number;
  int64_t number = 0;
  std::string text;
  std::vector<Value> items;          // array elements, or section members
  std::vector<std::string> names;    // section member names

  const Value* get(std::string_view name, Kind k) const {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name && items[i].kind == k) return &items[i];
    return nullptr;
  }
  bool has(std::string_view name) const { return std::find(names.begin(), names.end(), name) != names.end(); }
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  // The members of the whole text (a section without braces).
  std::optional<Value> parse() {
    Value top;
    top.kind = Value::Kind::section;
    if (!members(top, 0)) return std::nullopt;
    skip_space();
    if (pos_ != text_.size()) return std::nullopt;
    return top;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+' || c == '-';
  }
  bool members(Value& section, int depth) {
    for (;;) {
      skip_space();
      if (pos_ == text_.size() || text_[pos_] == '}') return true;
      size_t start = pos_;
      while (pos_ < text_.size() && name_char(text_[pos_])) ++pos_;
      if (pos_ == start) return false;
      std::string name(text_.substr(start, pos_ - start));
      skip_space();
      if (pos_ == text_.size()) return false;
      Value v;
      if (text_[pos_] == '{') {
        if (depth >= kMaxDepth) return false;
        ++pos_;
        v.kind = Value::Kind::section;
        if (!members(v, depth + 1)) return false;
        if (pos_ == text_.size() || text_[pos_] != '}') return false;
        ++pos_;
      } else if (text_[pos_] == '=') {
        ++pos_;
        if (!value(v, depth)) return false;
      } else {
        return false;
      }
      section.names.push_back(std::move(name));
      section.items.push_back(std::move(v));
    }
  }
  bool value(Value& v, int depth) {
    skip_space();
    if (pos_ == text_.size()) return false;
    char c = text_[pos_];
    if (c == '"') {
      v.kind = Value::Kind::string;
      for (++pos_; pos_ < text_.size() && text_[pos_] != '"'; ++pos_) {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        v.text += text_[pos_];
      }
      if (pos_ == text_.size()) return false;
      ++pos_;
      return true;
    }
    if (c == '[') {
      if (depth >= kMaxDepth) return false;
      v.kind = Value::Kind::array;
      ++pos_;
      for (;;) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ']') {
          ++pos_;
          return true;
        }
        if (!v.items.empty()) {
          if (pos_ == text_.size() || text_[pos_] != ',') return false;
          ++pos_;
        }
        Value item;
        if (!value(item, depth + 1)) return false;
        v.items.push_back(std::move(item));
      }
    }
    // A number; lvm writes floats only outside VG metadata, kept as text.
    size_t start = pos_;
    if (c == '-') ++pos_;
    while (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) ++pos_;
    std::string_view digits = text_.substr(start, pos_ - start);
    if (digits.empty() || digits == "-") return false;
    v.kind = Value::Kind::number;
    if (digits.find('.') != std::string_view::npos) {
      v.text = std::string(digits);
      return true;
    }
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v.number);
    return ec == std::errc() && end == digits.data() + digits.size();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// A device with an LVM2 label, and the VG text of its first metadata area.
struct LabelledPv {
  std::string path;
  dev_t device = 0;
  uint64_t dev_size = 0;  // bytes
  std::string uuid;       // 32 characters, no dashes
  std::optional<std::string> metadata;
  size_t mda_count = 0;
  bool mda_ignored = false;
};

// nullopt: no label.  Throws (hand to lvm) on a label or area that does not check out.
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool is_lvm2_label(std::string_view sector) { return sector.substr(0, 8) == "LABELONE" && sector.substr(24, 8) == "LVM2 001"; }

std::optional<LabelledPv> read_label(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  struct stat st;
  if (::fstat(fd.get(), &st) < 0) return std::nullopt;
  char sectors[4 * kSector];
  if (!pread_all(fd.get(), sectors, sizeof sectors, 0)) return std::nullopt;
  for (size_t s = 0; s < 4; ++s) {
    std::string_view label(sectors + s * kSector, kSector);
    if (label.substr(0, 8) != "LABELONE") continue;
    if (!is_lvm2_label(label)) throw Unsupported(path + ": not an LVM2 label");
    if (bytes::load_le(label, 8, 8) != s) throw Unsupported(path + ": label in the wrong sector");
    if (bytes::crc32_update(kInitialCrc, label.substr(20)) != bytes::load_le(label, 16, 4))
      throw Unsupported(path + ": bad label checksum");
    auto offset = static_cast<size_t>(bytes::load_le(label, 20, 4));
    // The PV header: UUID, device size, then two lists of (offset, size)
    // ended by a zero entry: data areas, then metadata areas.
    if (offset < 32 || offset > kSector - 40) throw Unsupported(path + ": bad label offset");
    LabelledPv pv;
    pv.path = path;
    pv.device = st.st_rdev;
    pv.dev_size = static_cast<uint64_t>(st.st_size);
    if (S_ISBLK(st.st_mode)) {
      uint64_t size = 0;
      if (::ioctl(fd.get(), BLKGETSIZE64, &size) == 0) pv.dev_size = size;
    }
    pv.uuid = label.substr(offset, 32);
    size_t at = offset + 40;
    auto next_locn = [&](uint64_t& off, uint64_t& size) {
      if (at + 16 > kSector) throw Unsupported(path + ": PV header overflows its sector");
      off = bytes::load_le(label, at, 8);
      size = bytes::load_le(label, at + 8, 8);
      at += 16;
      return off != 0;
    };
    uint64_t off, size;
    while (next_locn(off, size)) {
    }
    std::vector<uint64_t> mdas;
    while (next_locn(off, size)) mdas.push_back(off);
    pv.mda_count = mdas.size();
    for (uint64_t mda : mdas) {
      char header_bytes[kSector];
      if (!pread_all(fd.get(), header_bytes, sizeof header_bytes, mda)) throw Unsupported(path + ": cannot read the metadata area");
      std::string_view header(header_bytes, kSector);
      if (header.substr(4, 16) != " LVM2 x[5A%r0N*>" || bytes::load_le(header, 20, 4) != 1 ||
          bytes::crc32_update(kInitialCrc, header.substr(4)) != bytes::load_le(header, 0, 4))
        throw Unsupported(path + ": bad metadata area header");
      uint64_t start = bytes::load_le(header, 24, 8), area_size = bytes::load_le(header, 32, 8);
      uint64_t text_offset = bytes::load_le(header, 40, 8), text_size = bytes::load_le(header, 48, 8);
      uint64_t text_crc = bytes::load_le(header, 56, 4), flags = bytes::load_le(header, 60, 4);
      if (start != mda || area_size <= kSector) throw Unsupported(path + ": bad metadata area header");
      if (flags & 1) {  // an ignored area
        pv.mda_ignored = true;
        continue;
      }
      if (text_offset == 0 || text_size == 0) break;  // a PV in no VG
      if (text_size > kMaxMetadataText || text_size > area_size - kSector || text_offset < kSector ||
          text_offset >= area_size)
        throw Unsupported(path + ": bad metadata location");
      // The text may wrap round the end of the area's circular buffer.
      std::string text(text_size, '\0');
      uint64_t first = std::min(text_size, area_size - text_offset);
      if (!pread_all(fd.get(), text.data(), first, start + text_offset) ||
          !pread_all(fd.get(), text.data() + first, text_size - first, start + kSector))
        throw Unsupported(path + ": cannot read the metadata");
      if (bytes::crc32_update(kInitialCrc, text) != text_crc)
        throw Unsupported(path + ": bad metadata checksum");
      if (auto nul = text.find('\0'); nul != std::string::npos) text.resize(nul);
      pv.metadata = std::move(text);
      break;
    }
    return pv;
  }
  return std::nullopt;
}

std::string without_dashes(std::string uuid) {
  uuid.erase(std::remove(uuid.begin(), uuid.end(), '-'), uuid.end());
  return uuid;
}

bool has_word(const Value* array, std::string_view word) {
  if (!array) return false;
  for (const auto& item : array->items)
    if (item.kind == Value::Kind::string && item.text == word) return true;
  return false;
}

int64_t number(const Value& section, std::string_view name) {
  const Value* v = section.get(name, Value::Kind::number);
  if (!v || !v->text.empty() || v->number < 0) throw Unsupported("metadata: no " + std::string(name));
  return v->number;
}

// The VG of one metadata text (its single top-level section).
struct Vg {
  std::string name, uuid;
  int64_t seqno = 0;
  Value section;
  bool lvm_written = false;  // with lvm's trailer: contents = "Text Format Volume Group", version = 1
};

Vg vg_of(const std::string& text) {
  auto top = Parser(text).parse();
  if (!top) throw Unsupported("metadata: does not parse");
  const Value* section = nullptr;
  Vg vg;
  for (size_t i = 0; i < top->items.size(); ++i)
    if (top->items[i].kind == Value::Kind::section) {
      if (section) throw Unsupported("metadata: two VGs in one text");
      section = &top->items[i];
      vg.name = top->names[i];
    }
  if (!section) throw Unsupported("metadata: no VG");
  const Value* id = section->get("id", Value::Kind::string);
  if (!id) throw Unsupported("metadata: VG without id");
  vg.uuid = without_dashes(id->text);
  vg.seqno = number(*section, "seqno");
  const Value* contents = top->get("contents", Value::Kind::string);
  const Value* version = top->get("version", Value::Kind::number);
  vg.lvm_written = contents && contents->text == "Text Format Volume Group" && version && version->number == 1;
  vg.section = *section;
  return vg;
}

void plan_vg(const Vg& vg, const std::map<std::string, const LabelledPv*>& pv_by_uuid, std::vector<PlainLv>& plan) {
  const Value& s = vg.section;
  const Value* status = s.get("status", Value::Kind::array);
  const Value* format = s.get("format", Value::Kind::string);
  // Exported, clustered, shared (lock_type) or foreign (system_id) VGs,
  // and any format or flag this does not know, are lvm's.
  if (!has_word(status, "READ") || has_word(status, "EXPORTED") || has_word(status, "CLUSTERED") ||
      (format && format->text != "lvm2") || s.has("lock_type") || s.has("lock_args"))
    throw Unsupported("VG " + vg.name + ": needs lvm");
  if (const Value* sysid = s.get("system_id", Value::Kind::string); sysid && !sysid->text.empty())
    throw Unsupported("VG " + vg.name + ": has a system ID");
  if (const Value* flags = s.get("flags", Value::Kind::array); flags && !flags->items.empty())
    throw Unsupported("VG " + vg.name + ": flags");
  int64_t extent = number(s, "extent_size");
  if (extent <= 0 || extent > (int64_t{1} << 32)) throw Unsupported("VG " + vg.name + ": extent size");
  struct Pv {
    std::string path;
    dev_t device;
    uint64_t pe_start, pe_count;
  };
  std::map<std::string, Pv> pvs;  // by the metadata's own name (pv0...)
  if (const Value* list = s.get("physical_volumes", Value::Kind::section)) {
    for (size_t i = 0; i < list->items.size(); ++i) {
      const Value& pv = list->items[i];
      const Value* id = pv.get("id", Value::Kind::string);
      if (pv.kind != Value::Kind::section || !id) throw Unsupported("VG " + vg.name + ": bad PV entry");
      auto found = pv_by_uuid.find(without_dashes(id->text));
      if (found == pv_by_uuid.end()) throw Unsupported("VG " + vg.name + ": a PV is missing");
      if (has_word(pv.get("status", Value::Kind::array), "MISSING") ||
          has_word(pv.get("flags", Value::Kind::array), "MISSING"))
        throw Unsupported("VG " + vg.name + ": a PV is missing");
      pvs[list->names[i]] = {found->second->path, found->second->device, static_cast<uint64_t>(number(pv, "pe_start")),
                             static_cast<uint64_t>(number(pv, "pe_count"))};
    }
  }
  const Value* lvs = s.get("logical_volumes", Value::Kind::section);
  if (!lvs) return;
  for (size_t i = 0; i < lvs->items.size(); ++i) {
    const Value& lv = lvs->items[i];
    if (lv.kind != Value::Kind::section) throw Unsupported("VG " + vg.name + ": bad LV entry");
    const std::string& name = lvs->names[i];
    const Value* lv_status = lv.get("status", Value::Kind::array);
    const Value* lv_flags = lv.get("flags", Value::Kind::array);
    const Value* id = lv.get("id", Value::Kind::string);
    if (!id || !has_word(lv_status, "READ") || !has_word(lv_status, "VISIBLE"))
      throw Unsupported("LV " + name + ": hidden or unreadable");
    if (has_word(lv_flags, "ACTIVATION_SKIP")) continue;  // vgchange -ay leaves it too
    for (const Value* words : {lv_status, lv_flags})
      for (const auto& w : words ? words->items : std::vector<Value>{})
        if (w.kind != Value::Kind::string || (w.text != "READ" && w.text != "WRITE" && w.text != "VISIBLE"))
          throw Unsupported("LV " + name + ": " + w.text);
    PlainLv plain;
    plain.vg = vg.name;
    plain.lv = name;
    plain.vg_uuid = vg.uuid;
    plain.lv_uuid = without_dashes(id->text);
    plain.read_only = !has_word(lv_status, "WRITE");
    int64_t count = number(lv, "segment_count");
    uint64_t next_extent = 0;
    for (int64_t n = 1; n <= count; ++n) {
      const Value* seg = lv.get("segment" + std::to_string(n), Value::Kind::section);
      if (!seg) throw Unsupported("LV " + name + ": segment missing");
      const Value* type = seg->get("type", Value::Kind::string);
      const Value* stripes = seg->get("stripes", Value::Kind::array);
      if (!type || type->text != "striped" || number(*seg, "stripe_count") != 1 || !stripes || stripes->items.size() != 2 ||
          stripes->items[0].kind != Value::Kind::string || stripes->items[1].kind != Value::Kind::number ||
          !stripes->items[1].text.empty() || stripes->items[1].number < 0)
        throw Unsupported("LV " + name + ": not linear");
      uint64_t start = static_cast<uint64_t>(number(*seg, "start_extent"));
      uint64_t size = static_cast<uint64_t>(number(*seg, "extent_count"));
      uint64_t first_pe = static_cast<uint64_t>(stripes->items[1].number);
      auto pv = pvs.find(stripes->items[0].text);
      if (pv == pvs.end() || start != next_extent || size == 0 || first_pe > pv->second.pe_count ||
          size > pv->second.pe_count - first_pe)
        throw Unsupported("LV " + name + ": bad segment");
      uint64_t ext = static_cast<uint64_t>(extent);
      next_extent = start + size;
      plain.segments.push_back({start * ext, size * ext, pv->second.path, pv->second.device, pv->second.pe_start + first_pe * ext});
    }
    if (plain.segments.empty()) throw Unsupported("LV " + name + ": no segment");
    plan.push_back(std::move(plain));
  }
}

// lvm's report rows (the fields calls_lvm.cpp asks fullreport for, as it
// prints them with --units b --nosuffix) for a VG plan_vg accepted, or false
// where this would have to guess: tags, several or ignored metadata areas,
// an allocation policy, a skipped LV that is not linear.
bool report_vg(const Vg& vg, const std::map<std::string, const LabelledPv*>& pv_by_uuid, LvmRows& rows) {
  const Value& s = vg.section;
  if (!vg.lvm_written || s.has("tags") || s.has("allocation_policy")) return false;
  uint64_t extent = static_cast<uint64_t>(number(s, "extent_size")) * kSector;
  struct Pv {
    const LabelledPv* label;
    const Value* section;
    std::string uuid;
    uint64_t pe_count, allocated = 0;
  };
  std::map<std::string, Pv> pvs;
  const Value* list = s.get("physical_volumes", Value::Kind::section);
  if (!list || list->items.empty()) return false;
  for (size_t i = 0; i < list->items.size(); ++i) {
    const Value& pv = list->items[i];
    const LabelledPv* label = pv_by_uuid.at(without_dashes(pv.get("id", Value::Kind::string)->text));
    if (pv.has("tags") || label->mda_count != 1 || label->mda_ignored || !label->metadata) return false;
    pvs[list->names[i]] = {label, &pv, pv.get("id", Value::Kind::string)->text, static_cast<uint64_t>(number(pv, "pe_count"))};
  }
  std::vector<std::map<std::string, std::string>> lv_rows;
  const Value* lvs = s.get("logical_volumes", Value::Kind::section);
  for (size_t i = 0; lvs && i < lvs->items.size(); ++i) {
    const Value& lv = lvs->items[i];
    if (lv.has("tags") || lv.has("allocation_policy")) return false;
    const Value* status = lv.get("status", Value::Kind::array);
    bool skipped = has_word(lv.get("flags", Value::Kind::array), "ACTIVATION_SKIP");
    int64_t count = number(lv, "segment_count");
    uint64_t extents = 0;
    for (int64_t n = 1; n <= count; ++n) {
      const Value* seg = lv.get("segment" + std::to_string(n), Value::Kind::section);
      const Value* type = seg ? seg->get("type", Value::Kind::string) : nullptr;
      const Value* stripes = seg ? seg->get("stripes", Value::Kind::array) : nullptr;
      if (!type || type->text != "striped" || !stripes || stripes->items.size() != 2) return false;
      auto pv = pvs.find(stripes->items[0].text);
      if (pv == pvs.end()) return false;
      uint64_t size = static_cast<uint64_t>(number(*seg, "extent_count"));
      pv->second.allocated += size;
      extents += size;
    }
    if (skipped && (!has_word(status, "VISIBLE") || !has_word(status, "READ"))) return false;
    std::string attr = "-";
    attr += has_word(status, "WRITE") ? 'w' : 'r';
    // Inherited allocation, no fixed minor, inactive (set when activated),
    // not open, no target type, zeroing, health flags.
    attr += "i------";
    attr += skipped ? 'k' : '-';
    lv_rows.push_back({{"lv_name", lvs->names[i]},
                       {"lv_uuid", lv.get("id", Value::Kind::string)->text},
                       {"lv_attr", attr},
                       {"lv_major", "-1"},
                       {"lv_minor", "-1"},
                       {"lv_kernel_major", "-1"},
                       {"lv_kernel_minor", "-1"},
                       {"lv_size", std::to_string(extents * extent)},
                       {"seg_count", std::to_string(count)},
                       {"origin", ""},
                       {"snap_percent", ""},
                       {"copy_percent", ""},
                       {"move_pv", ""},
                       {"lv_tags", ""},
                       {"mirror_log", ""},
                       {"lv_modules", ""},
                       {"vg_name", vg.name},
                       {"lv_role", "public"},
                       {"lv_skip_activation", skipped ? "skip activation" : ""}});
  }
  uint64_t total = 0, allocated = 0;
  for (const auto& [name, pv] : pvs) {
    total += pv.pe_count;
    allocated += pv.allocated;
    bool allocatable = has_word(pv.section->get("status", Value::Kind::array), "ALLOCATABLE");
    rows.pvs.push_back({{"pv_name", pv.label->path},
                        {"pv_uuid", pv.uuid},
                        {"pv_fmt", "lvm2"},
                        {"pv_size", std::to_string(pv.pe_count * extent)},
                        {"dev_size", std::to_string(pv.label->dev_size)},
                        {"pv_free", std::to_string((pv.pe_count - pv.allocated) * extent)},
                        {"pv_used", std::to_string(pv.allocated * extent)},
                        {"pv_attr", allocatable ? "a--" : "---"},
                        {"pv_pe_count", std::to_string(pv.pe_count)},
                        {"pv_pe_alloc_count", std::to_string(pv.allocated)},
                        {"pv_tags", ""},
                        {"pe_start", std::to_string(static_cast<uint64_t>(number(*pv.section, "pe_start")) * kSector)},
                        {"pv_mda_count", "1"},
                        {"pv_mda_free", ""},  // lvm's reckoning: see LvmReports::complete
                        {"vg_name", vg.name}});
  }
  const Value* status = s.get("status", Value::Kind::array);
  std::string attr;
  attr += has_word(status, "WRITE") ? 'w' : 'r';
  attr += has_word(status, "RESIZEABLE") ? 'z' : '-';
  attr += "--n-";
  rows.vgs.push_back({{"vg_name", vg.name},
                      {"vg_uuid", s.get("id", Value::Kind::string)->text},
                      {"vg_fmt", "lvm2"},
                      {"vg_attr", attr},
                      {"vg_size", std::to_string(total * extent)},
                      {"vg_free", std::to_string((total - allocated) * extent)},
                      {"vg_sysid", ""},
                      {"vg_extent_size", std::to_string(extent)},
                      {"vg_extent_count", std::to_string(total)},
                      {"vg_free_count", std::to_string(total - allocated)},
                      {"max_lv", std::to_string(number(s, "max_lv"))},
                      {"max_pv", std::to_string(number(s, "max_pv"))},
                      {"pv_count", std::to_string(pvs.size())},
                      {"lv_count", std::to_string(lv_rows.size())},
                      {"snap_count", "0"},
                      {"vg_seqno", std::to_string(vg.seqno)},
                      {"vg_tags", ""},
                      {"vg_mda_count", std::to_string(pvs.size())},
                      {"vg_mda_free", ""}});
  for (auto& row : lv_rows) rows.lvs.push_back(std::move(row));
  return true;
}

}  // namespace

bool has_lvm_label(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  char sectors[4 * kSector];
  if (!pread_all(fd.get(), sectors, sizeof sectors, 0)) return false;
  for (size_t s = 0; s < 4; ++s)
    if (is_lvm2_label(std::string_view(sectors + s * kSector, kSector))) return true;
  return false;
}

std::optional<std::vector<PlainLv>> plain_lvs_from_metadata(const std::vector<std::string>& devices, std::string& why,
                                                            std::optional<LvmRows>* rows) {
  if (rows) rows->reset();
  try {
    std::vector<LabelledPv> labelled;
    for (const auto& d : devices)
      if (auto pv = read_label(d)) labelled.push_back(std::move(*pv));
    std::map<std::string, const LabelledPv*> pv_by_uuid;
    for (const auto& pv : labelled)
      if (!pv_by_uuid.emplace(pv.uuid, &pv).second) throw Unsupported("two devices with PV " + pv.uuid);
    // Each VG's newest text, from any of its PVs.
    std::map<std::string, Vg> vgs;  // by UUID
    for (const auto& pv : labelled) {
      if (!pv.metadata) continue;
      Vg vg = vg_of(*pv.metadata);
      auto [it, added] = vgs.try_emplace(vg.uuid, vg);
      if (!added && vg.seqno > it->second.seqno) it->second = std::move(vg);
    }
    // lvm activates VGs in name order, and each VG's LVs as its metadata lists them.
    std::vector<const Vg*> by_name;
    std::set<std::string> names;
    for (const auto& [uuid, vg] : vgs) {
      if (!names.insert(vg.name).second) throw Unsupported("two VGs named " + vg.name);
      by_name.push_back(&vg);
    }
    std::sort(by_name.begin(), by_name.end(), [](const Vg* a, const Vg* b) { return a->name < b->name; });
    std::vector<PlainLv> plan;
    for (const Vg* vg : by_name) plan_vg(*vg, pv_by_uuid, plan);
    if (rows) {
      // Every labelled PV must be in a VG: orphans' fields mean other things.
      std::set<std::string> in_vgs;
      for (const Vg* vg : by_name)
        if (const Value* list = vg->section.get("physical_volumes", Value::Kind::section))
          for (const auto& pv : list->items) in_vgs.insert(without_dashes(pv.get("id", Value::Kind::string)->text));
      LvmRows made;
      bool ok = in_vgs.size() == labelled.size();
      try {
        for (const Vg* vg : by_name) ok = ok && report_vg(*vg, pv_by_uuid, made);
      } catch (const Unsupported&) {
        ok = false;  // the activation stands; lvm's reports are read when needed
      }
      if (ok) *rows = std::move(made);
    }
    return plan;
  } catch (const Unsupported& e) {
    why = e.what();
    return std::nullopt;
  }
}

}  // namespace vt::daemon
