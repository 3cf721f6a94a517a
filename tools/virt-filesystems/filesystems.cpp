// The work: ask the appliance about each kind of object, in the order and with
// the values libguestfs's virt-filesystems shows.  Values of hidden columns
// are not looked up, to save round trips.
#include <algorithm>
#include <cstdio>
#include <map>
#include <type_traits>

#include "devices.hpp"
#include "errors.hpp"
#include "filesystems.hpp"
#include "output.hpp"

namespace vt::filesystems {

namespace {

std::string size_text(int64_t size, const Settings& s) {
  return s.human ? human_size(static_cast<uint64_t>(size)) : std::to_string(size);
}

std::string strip_dashes(const std::string& uuid) {
  std::string out;
  for (char c : uuid)
    if (c != '-') out += c;
  return out.substr(0, 32);
}

// LVs are the one object libguestfs's tool shows with LVM's dashes
// (6-4-4-4-4-4-6), as lvuuid returns them; lvs_full has them removed.
std::string with_lvm_dashes(const std::string& bare) {
  if (bare.size() != 32) return bare;
  std::string out;
  for (size_t i = 0; i < bare.size(); ++i) {
    if (i == 6 || (i > 6 && i < 30 && (i - 6) % 4 == 0)) out += '-';
    out += bare[i];
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Errors in optional lookups (a label on a filesystem that has none, …)
// print as "-", as in libguestfs.
template <typename F>
std::string or_empty(F&& f) {
  try {
    return f();
  } catch (const CallError&) {
    return "";
  }
}

// LVM answers, each asked once.  The daemon answers pvs, vgs and the
// per-object calls from the report it made at launch, without lvm (see
// lvm_activate); pvs_full and vgs_full would make it run lvm for fields this
// does not show (the metadata areas' free space), about 0.3 s under TCG.
// What `make` gives for each name, in name order.
template <typename Make>
std::vector<std::invoke_result_t<Make, const std::string&>> each(std::vector<std::string> names, Make make) {
  std::sort(names.begin(), names.end());
  std::vector<std::invoke_result_t<Make, const std::string&>> out;
  for (const auto& name : names) out.push_back(make(name));
  return out;
}

class Lookups {
 public:
  explicit Lookups(Handle& h) : h_(h) {}
  // Sorted by name, as pvs and vgs list them.
  const std::vector<api::lvm_pv>& pvs() {
    if (!pvs_) pvs_ = each(h_.pvs(), [&](const std::string& name) {
        api::lvm_pv pv;
        pv.pv_name = name;
        pv.pv_uuid = strip_dashes(h_.pvuuid(name));
        pv.pv_size = h_.pv_size(name);
        return pv;
      });
    return *pvs_;
  }
  const std::vector<api::lvm_vg>& vgs() {
    if (!vgs_) vgs_ = each(h_.vgs(), [&](const std::string& name) {
        api::lvm_vg vg;
        vg.vg_name = name;
        vg.vg_uuid = strip_dashes(h_.vguuid(name));
        vg.vg_size = h_.vg_size(name);
        return vg;
      });
    return *vgs_;
  }
  // An LV's UUID by its /dev/VG/LV name.  lvs_full names LVs without their
  // VG, so a name found in two VGs is asked about on its own.
  std::string lv_uuid(const std::string& lv) {
    if (!lvs_) lvs_ = h_.lvs_full();
    std::string name = lv.substr(lv.rfind('/') + 1);
    const api::lvm_lv* found = nullptr;
    int matches = 0;
    for (const auto& l : *lvs_)
      if (l.lv_name == name) found = &l, ++matches;
    return matches == 1 ? with_lvm_dashes(found->lv_uuid) : h_.lvuuid(lv);
  }
  // "" when the disk has no partition table.
  const std::string& parttype(const std::string& disk) {
    auto it = parttypes_.find(disk);
    if (it == parttypes_.end()) it = parttypes_.emplace(disk, or_empty([&] { return h_.part_get_parttype(disk); })).first;
    return it->second;
  }

 private:
  Handle& h_;
  std::optional<std::vector<api::lvm_pv>> pvs_;
  std::optional<std::vector<api::lvm_vg>> vgs_;
  std::optional<std::vector<api::lvm_lv>> lvs_;
  std::map<std::string, std::string> parttypes_;
};

// A filesystem's size is what statvfs reports once mounted (as libguestfs
// 1.48 does); one that cannot be mounted gets its device's size.
int64_t filesystem_size(Handle& h, const std::string& dev) {
  try {
    h.mount_ro(dev, "/");
  } catch (const CallError&) {
    return h.blockdev_getsize64(dev);
  }
  api::statvfs st = h.statvfs("/");
  h.umount_all();
  return st.blocks * st.bsize;
}

void add_filesystems(Handle& h, const Settings& s, std::vector<Row>& rows) {
  for (const auto& [dev, vfs] : h.list_filesystems()) {
    if (!(s.kinds & kFilesystemsExtra) && (vfs == "swap" || vfs == "unknown")) continue;
    Row r;
    r[kName] = canonical_device_name(dev);
    r[kType] = "filesystem";
    r[kVfs] = vfs;
    if (s.columns[kLabel]) r[kLabel] = or_empty([&] { return h.vfs_label(dev); });
    // A subvolume has no size of its own: libguestfs shows none.
    if (s.columns[kSize] && !dev.starts_with("btrfsvol:")) r[kSize] = size_text(filesystem_size(h, dev), s);
    r[kParent] = "";
    if (s.columns[kUuid]) r[kUuid] = or_empty([&] { return h.vfs_uuid(dev); });
    rows.push_back(r);
  }
}

void add_lvs(Handle& h, Lookups& look, const Settings& s, std::vector<Row>& rows) {
  for (const auto& lv : h.lvs()) {
    Row r;
    r[kName] = lv;
    r[kType] = "lv";
    if (s.columns[kSize]) r[kSize] = size_text(h.blockdev_getsize64(lv), s);
    r[kParent] = lv.substr(0, lv.rfind('/'));
    if (s.columns[kUuid]) r[kUuid] = look.lv_uuid(lv);
    rows.push_back(r);
  }
}

void add_vgs(Handle& h, Lookups& look, const Settings& s, std::vector<Row>& rows) {
  for (const auto& vg : look.vgs()) {
    Row r;
    r[kName] = "/dev/" + vg.vg_name;
    r[kType] = "vg";
    if (s.columns[kSize]) r[kSize] = size_text(vg.vg_size, s);
    if (s.columns[kParent]) {
      std::vector<std::string> parents;
      for (const auto& u : h.vgpvuuids(vg.vg_name)) {
        // A VG's parents are the PVs whose UUIDs it lists.
        std::string want = strip_dashes(u), found = want;
        for (const auto& pv : look.pvs())
          if (pv.pv_uuid == want) found = canonical_device_name(pv.pv_name);
        parents.push_back(found);
      }
      r[kParent] = join(parents, ",");
    }
    if (s.columns[kUuid]) r[kUuid] = vg.vg_uuid;
    rows.push_back(r);
  }
}

void add_pvs(Lookups& look, const Settings& s, std::vector<Row>& rows) {
  for (const auto& pv : look.pvs()) {
    Row r;
    r[kName] = canonical_device_name(pv.pv_name);
    r[kType] = "pv";
    if (s.columns[kSize]) r[kSize] = size_text(pv.pv_size, s);
    r[kParent] = "";
    if (s.columns[kUuid]) r[kUuid] = pv.pv_uuid;
    rows.push_back(r);
  }
}

void add_partitions(Handle& h, Lookups& look, const Settings& s, std::vector<Row>& rows) {
  for (const auto& part : h.list_partitions()) {
    Row r;
    r[kName] = canonical_device_name(part);
    r[kType] = "partition";
    if (s.columns[kSize]) r[kSize] = size_text(h.blockdev_getsize64(part), s);
    if (s.columns[kParent]) {
      std::string disk = h.part_to_dev(part);
      r[kParent] = canonical_device_name(disk);
      if (s.columns[kMbr] && look.parttype(disk) == "msdos") {
        try {
          char id[8];
          std::snprintf(id, sizeof id, "%02x", static_cast<unsigned>(h.part_get_mbr_id(disk, h.part_to_partnum(part))));
          r[kMbr] = id;
        } catch (const CallError&) {
        }
      }
    }
    rows.push_back(r);
  }
}

void add_devices(Handle& h, const Settings& s, std::vector<Row>& rows) {
  for (const auto& dev : h.list_devices()) {
    Row r;
    r[kName] = canonical_device_name(dev);
    r[kType] = "device";
    if (s.columns[kSize]) r[kSize] = size_text(h.blockdev_getsize64(dev), s);
    r[kParent] = "";
    rows.push_back(r);
  }
}

}  // namespace

void choose_columns(Settings& s) {
  s.columns = {};
  s.columns[kName] = true;
  if (!s.long_mode) return;
  s.columns[kType] = s.columns[kSize] = s.columns[kParent] = true;
  if (s.kinds & kFilesystems) s.columns[kVfs] = s.columns[kLabel] = true;
  if (s.kinds & kPartitions) s.columns[kMbr] = true;
  if (s.uuid) s.columns[kUuid] = true;
}

std::vector<Row> collect_rows(Handle& h, const Settings& s) {
  std::vector<Row> rows;
  Lookups look(h);
  // Most specific to least specific, as libguestfs orders them.
  if (s.kinds & kFilesystems) add_filesystems(h, s, rows);
  if (s.kinds & kLogicalVolumes) add_lvs(h, look, s, rows);
  if (s.kinds & kVolumeGroups) add_vgs(h, look, s, rows);
  if (s.kinds & kPhysicalVolumes) add_pvs(look, s, rows);
  if (s.kinds & kPartitions) add_partitions(h, look, s, rows);
  if (s.kinds & kBlockDevices) add_devices(h, s, rows);
  return rows;
}

}  // namespace vt::filesystems
