// API table group: LVM: procedures 300-399.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// Most tests start from one volume group on all of /dev/sda (96 MiB, 24 extents).
std::vector<std::string> with_vg(const std::string& vg, std::vector<std::string> steps) {
  std::vector<std::string> all = {"part_init /dev/sda mbr", "part_add /dev/sda p 2048 -2048", "pvcreate /dev/sda1",
                                  "vgcreate " + vg + " /dev/sda1"};
  all.insert(all.end(), steps.begin(), steps.end());
  all.push_back("vgremove " + vg);
  return all;
}
}  // namespace

std::vector<StructDef> lvm_structs() {
  // Field names and order as libguestfs's; sizes in bytes; UUIDs are 32
  // characters, without LVM's dashes.
  return {
      {"lvm_pv",
       {{F::String, "pv_name"}, {F::String, "pv_uuid"}, {F::String, "pv_fmt"}, {F::Int64, "pv_size"},
        {F::Int64, "dev_size"}, {F::Int64, "pv_free"}, {F::Int64, "pv_used"}, {F::String, "pv_attr"},
        {F::Int64, "pv_pe_count"}, {F::Int64, "pv_pe_alloc_count"}, {F::String, "pv_tags"}, {F::Int64, "pe_start"},
        {F::Int64, "pv_mda_count"}, {F::Int64, "pv_mda_free"}},
       "an LVM physical volume, as pvs(8) reports it"},
      {"lvm_vg",
       {{F::String, "vg_name"}, {F::String, "vg_uuid"}, {F::String, "vg_fmt"}, {F::String, "vg_attr"},
        {F::Int64, "vg_size"}, {F::Int64, "vg_free"}, {F::String, "vg_sysid"}, {F::Int64, "vg_extent_size"},
        {F::Int64, "vg_extent_count"}, {F::Int64, "vg_free_count"}, {F::Int64, "max_lv"}, {F::Int64, "max_pv"},
        {F::Int64, "pv_count"}, {F::Int64, "lv_count"}, {F::Int64, "snap_count"}, {F::Int64, "vg_seqno"},
        {F::String, "vg_tags"}, {F::Int64, "vg_mda_count"}, {F::Int64, "vg_mda_free"}},
       "an LVM volume group, as vgs(8) reports it"},
      {"lvm_lv",
       {{F::String, "lv_name"}, {F::String, "lv_uuid"}, {F::String, "lv_attr"}, {F::Int64, "lv_major"},
        {F::Int64, "lv_minor"}, {F::Int64, "lv_kernel_major"}, {F::Int64, "lv_kernel_minor"}, {F::Int64, "lv_size"},
        {F::Int64, "seg_count"}, {F::String, "origin"}, {F::OptPercent, "snap_percent"},
        {F::OptPercent, "copy_percent"}, {F::String, "move_pv"}, {F::String, "lv_tags"}, {F::String, "mirror_log"},
        {F::String, "modules"}},
       "an LVM logical volume, as lvs(8) reports it"},
  };
}

std::vector<Call> lvm_calls() {
  return {
      {"lvcreate_free", 300, {{A::String, "logvol"}, {A::String, "volgroup"}, {A::Int, "percent"}}, {}, R::Void, "",
       kDestructive,
       "create an LVM logical volume in a percentage of the free space",
       "Creates the logical volume /dev/volgroup/logvol using about percent % (0 to 100) of the "
       "space still free in the volume group.  With 100 it takes all of it.",
       {{T::Empty, with_vg("VGF", {"lvcreate_free LV1 VGF 50", "blockdev_getsize64 /dev/VGF/LV1 => 50331648",
                                   "lvcreate_free LV2 VGF 100", "blockdev_getsize64 /dev/VGF/LV2 => 50331648",
                                   "lvcreate_free LV3 VGF 101 =>!"})}}},

      {"lvremove", 301, {{A::String, "device"}}, {}, R::Void, "", kDestructive,
       "remove an LVM logical volume",
       "Removes the logical volume device (/dev/VG/LV).  Given a volume group as /dev/VG, removes "
       "every logical volume in it (the volume group itself stays).",
       {{T::Empty, with_vg("VGR", {"lvcreate LV1 VGR 4", "lvcreate LV2 VGR 4", "lvcreate LV3 VGR 4",
                                   "lvremove /dev/VGR/LV1", "lvs => /dev/VGR/LV2\n/dev/VGR/LV3", "lvremove /dev/VGR",
                                   "lvs => ", "vgs => VGR", "lvremove /dev/VGR/LV1 =>!"})}}},

      {"pvs_full", 302, {}, {}, R::StructList, "lvm_pv", kNone,
       "list the LVM physical volumes with all their fields",
       "Lists the physical volumes, like pvs(8), with every field of the lvm_pv structure.",
       {{T::Empty, with_vg("VGP", {"pvs_full =~ ^\\[0\\] = \\{\n  pv_name: /dev/sda1\n  pv_uuid: [0-9A-Za-z]{32}\n"
                                   "  pv_fmt: lvm2\n  pv_size: 100663296\n(.*\n){4}  pv_pe_count: 24\n"
                                   "  pv_pe_alloc_count: 0\n  pv_tags: \n  pe_start: 1048576\n  pv_mda_count: 1\n"})}}},

      {"vgs_full", 303, {}, {}, R::StructList, "lvm_vg", kNone,
       "list the LVM volume groups with all their fields",
       "Lists the volume groups, like vgs(8), with every field of the lvm_vg structure.",
       {{T::Empty, with_vg("VGV", {"lvcreate LV VGV 8",
                                   "vgs_full =~ ^\\[0\\] = \\{\n  vg_name: VGV\n  vg_uuid: [0-9A-Za-z]{32}\n"
                                   "  vg_fmt: lvm2\n  vg_attr: wz--n-\n  vg_size: 100663296\n  vg_free: 92274688\n"
                                   "  vg_sysid: \n  vg_extent_size: 4194304\n  vg_extent_count: 24\n"
                                   "  vg_free_count: 22\n  max_lv: 0\n  max_pv: 0\n  pv_count: 1\n  lv_count: 1\n"
                                   "  snap_count: 0\n  vg_seqno: 2\n"})}}},

      {"lvs_full", 304, {}, {}, R::StructList, "lvm_lv", kNone,
       "list the LVM logical volumes with all their fields",
       "Lists the logical volumes, like lvs(8), with every field of the lvm_lv structure.  A "
       "percentage that does not apply to the volume is -1 (shown empty).",
       {{T::Empty, with_vg("VGL", {"lvcreate LV VGL 8",
                                   "lvs_full =~ ^\\[0\\] = \\{\n  lv_name: LV\n  lv_uuid: [0-9A-Za-z]{32}\n"
                                   "  lv_attr: -wi-a-----\n  lv_major: -1\n  lv_minor: -1\n  lv_kernel_major: 25[0-9]\n"
                                   "  lv_kernel_minor: [0-9]+\n  lv_size: 8388608\n  seg_count: 1\n  origin: \n"
                                   "  snap_percent: \n  copy_percent: \n  move_pv: \n  lv_tags: \n"
                                   "  mirror_log: \n  modules: \n\\}$",
                                   // A snapshot has an origin and a percentage.
                                   "command \"lvm lvcreate -q -s -L 4m -n SNAP VGL/LV\"",
                                   "lvs_full =~ lv_name: SNAP\n(.*\n){8}  origin: LV\n  snap_percent: 0 %\n"
                                   "  copy_percent: \n"})}}},

      {"lvresize", 305, {{A::Device, "device"}, {A::Int, "mbytes"}}, {}, R::Void, "", kDestructive,
       "resize an LVM logical volume",
       "Grows or shrinks the logical volume to mbytes megabytes.  Shrinking loses the data in the "
       "part cut off; the filesystem on it is not resized.",
       {{T::Empty, with_vg("VGZ", {"lvcreate LV VGZ 8", "lvresize /dev/VGZ/LV 16",
                                   "blockdev_getsize64 /dev/VGZ/LV => 16777216", "lvresize /dev/VGZ/LV 4",
                                   "blockdev_getsize64 /dev/VGZ/LV => 4194304", "lvresize /dev/VGZ/LV -4 =>!"})}}},

      {"lvresize_free", 306, {{A::Device, "lv"}, {A::Int, "percent"}}, {}, R::Void, "", kDestructive,
       "grow an LVM logical volume into the free space",
       "Grows the logical volume lv by percent % (0 to 100) of the space still free in its volume "
       "group; with 100 it takes all of it.",
       {{T::Empty, with_vg("VGX", {"lvcreate LV VGX 8", "lvresize_free /dev/VGX/LV 50",
                                   "blockdev_getsize64 /dev/VGX/LV => 54525952", "lvresize_free /dev/VGX/LV 100",
                                   "blockdev_getsize64 /dev/VGX/LV => 100663296"})}}},

      {"pvresize", 307, {{A::Device, "device"}}, {}, R::Void, "", kDestructive,
       "resize an LVM physical volume to its device",
       "Grows or shrinks the physical volume to the current size of the device under it (after the "
       "partition was resized, for example).",
       {{T::Empty, with_vg("VGS", {"command \"lvm pvresize -y --setphysicalvolumesize 40m /dev/sda1\"",
                                   "pv_size /dev/sda1 => 37748736", "pvresize /dev/sda1",
                                   "pv_size /dev/sda1 => 100663296",
                                   "vg_size VGS => 100663296"})}}},

      {"vg_activate_all", 308, {{A::Bool, "activate"}}, {}, R::Void, "", kNone,
       "activate or deactivate every volume group",
       "Activates (or, if activate is false, deactivates) every logical volume of every volume "
       "group, as vgchange -a y|n.",
       {{T::Empty, with_vg("VGA", {"lvcreate LV VGA 8", "vg_activate_all false",
                                   "blockdev_getsize64 /dev/VGA/LV =>!", "vg_activate_all true",
                                   "blockdev_getsize64 /dev/VGA/LV => 8388608"})}}},

      {"vgscan", 309, {}, {}, R::Void, "", kNone,
       "rescan for LVM volumes",
       "Rescans every block device for LVM physical volumes, volume groups and logical volumes.",
       {{T::Empty, with_vg("VGN", {"vgscan", "vgs => VGN"})}}},

      {"lvm_canonical_lv_name", 310, {{A::Device, "lvname"}}, {}, R::String, "", kNone,
       "get the canonical name of a logical volume",
       "Returns the /dev/VG/LV name of a logical volume given by any of its names, such as "
       "/dev/mapper/VG-LV or /dev/dm-N.  Fails with EINVAL if lvname is not a logical volume.",
       {{T::Empty, with_vg("VGC", {"lvcreate LV VGC 4", "lvm_canonical_lv_name /dev/mapper/VGC-LV => /dev/VGC/LV",
                                   "lvm_canonical_lv_name /dev/VGC/LV => /dev/VGC/LV",
                                   "lvm_canonical_lv_name /dev/sda1 =>!"})}}},

      {"vglvuuids", 311, {{A::String, "vgname"}}, {}, R::StringList, "", kNone,
       "get the UUIDs of a volume group's logical volumes",
       "Returns the UUIDs (as LVM prints them, with dashes, like lvuuid) of the logical volumes of "
       "the volume group.",
       {{T::Empty, with_vg("VGU", {"vglvuuids VGU => ", "lvcreate LV1 VGU 4", "lvcreate LV2 VGU 4",
                                   "vglvuuids VGU =~ ^([0-9A-Za-z]{6}(-[0-9A-Za-z]{4}){5}-[0-9A-Za-z]{6}\n?){2}$",
                                   "vglvuuids novg =>!"})}}},
  };
}

}  // namespace vt::gen
