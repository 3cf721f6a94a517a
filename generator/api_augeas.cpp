// API table group: augeas: procedures 600-649.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// A guest root with an /etc/hosts augeas can parse, then an augeas handle on it.
std::vector<std::string> with_hosts(const std::string& dir, std::vector<std::string> steps) {
  std::vector<std::string> all = {"mkdir_p /" + dir + "/etc",
                                  "write /" + dir + "/etc/hosts \"127.0.0.1 localhost\n10.0.0.1 alpha a1\n\"",
                                  "aug_init /" + dir + " 0"};
  all.insert(all.end(), steps.begin(), steps.end());
  all.push_back("aug_close");
  return all;
}
}  // namespace

std::vector<StructDef> augeas_structs() { return {}; }

std::vector<Call> augeas_calls() {
  return {
      {"aug_init", 600, {{A::Pathname, "root"}, {A::Int, "flags"}}, {}, R::Void, "", kNone,
       "create an augeas handle",
       "Opens the augeas handle used by every other aug_* call, closing any previous one.  root is "
       "the directory of the mounted guest that augeas sees as /, usually /.  flags are augeas's "
       "aug_init flags, OR-ed: 1 keep the original as .augsave, 2 save into .augnew files instead, "
       "4 type-check lenses, 8 no standard lens path, 16 make saving a no-op, 32 do not load the "
       "tree now (see aug_load), 64 compile no lens now: aug_load then compiles only the lenses "
       "named under /augeas/load, which makes reading one file quick (flags 96, then aug_set "
       "/augeas/load/NAME/lens and /augeas/load/NAME/incl, then aug_load).",
       {{T::ScratchFS, with_hosts("augi", {"aug_get /files/etc/hosts/1/canonical => localhost"})},
        {T::ScratchFS, {"aug_init /nonexistent-root 0 =>!"}},
        // An absolute symlink in the guest leads to the guest's file, not the appliance's.
        {T::ScratchFS, {"mkdir_p /augy/etc", "write /augy/guest-hosts \"192.0.2.1 inguest\n\"",
                        "command \"ln -s /guest-hosts /sysroot/augy/etc/hosts\"", "aug_init /augy 0",
                        "aug_get /files/etc/hosts/1/canonical => inguest", "aug_close"}}}},

      {"aug_close", 601, {}, {}, R::Void, "", kNone,
       "close the augeas handle",
       "Closes the augeas handle and frees what it holds.  Unsaved changes are lost.  The other aug_* "
       "calls fail until aug_init is called again.",
       {{T::ScratchFS, {"mkdir_p /augc", "aug_init /augc 0", "aug_close", "aug_get /files/etc/hosts/1/canonical =>!",
                        "aug_close =>!"}}}},

      {"aug_get", 602, {{A::String, "augpath"}}, {}, R::String, "", kNone,
       "get the value of an augeas node",
       "Returns the value of the one node that augpath matches.  Fails if it matches none, more "
       "than one, or a node without a value.",
       {{T::ScratchFS, with_hosts("augg", {"aug_get /files/etc/hosts/2/ipaddr => 10.0.0.1",
                                           "aug_get /files/etc/hosts/*/alias => a1", "aug_get /files/etc/hosts/3 =>!",
                                           "aug_get /files/etc/hosts/*/ipaddr =>!"})}}},

      {"aug_set", 603, {{A::String, "augpath"}, {A::String, "val"}}, {}, R::Void, "", kNone,
       "set the value of an augeas node",
       "Sets the value of the node augpath, creating it if needed.  Changes reach the files only "
       "when aug_save is called.",
       {{T::ScratchFS, with_hosts("augs", {"aug_set /files/etc/hosts/2/canonical beta", "aug_save",
                                           "cat /augs/etc/hosts => 127.0.0.1 localhost\n10.0.0.1 beta a1\n",
                                           "aug_get /files/etc/hosts/2/canonical => beta"})}}},

      {"aug_match", 604, {{A::String, "augpath"}}, {}, R::StringList, "", kNone,
       "list the augeas nodes an expression matches",
       "Returns the path of every node the augeas path expression matches, each precise enough to "
       "match that one node only.",
       {{T::ScratchFS, with_hosts("augm", {"aug_match /files/etc/hosts/*/ipaddr => "
                                           "/files/etc/hosts/1/ipaddr\n/files/etc/hosts/2/ipaddr",
                                           "aug_match /files/etc/nothing => "})}}},

      {"aug_save", 605, {}, {}, R::Void, "", kNone,
       "write augeas changes to the files",
       "Writes every pending change to the guest's files, as the aug_init flags say (in place, "
       "with a .augsave backup, or into .augnew files).",
       {{T::ScratchFS, {"mkdir_p /augv/etc", "write /augv/etc/hosts \"127.0.0.1 localhost\n\"", "aug_init /augv 2",
                        "aug_set /files/etc/hosts/1/canonical lh", "aug_save",
                        "cat /augv/etc/hosts => 127.0.0.1 localhost\n", "cat /augv/etc/hosts.augnew => 127.0.0.1 lh\n",
                        "aug_close", "aug_save =>!"}}}},

      {"aug_ls", 606, {{A::String, "augpath"}}, {}, R::StringList, "", kNone,
       "list the children of an augeas node",
       "Returns the paths of the children of augpath, sorted: aug_match of augpath/* in order.",
       {{T::ScratchFS, with_hosts("augl", {"aug_ls /files/etc/hosts/2 => /files/etc/hosts/2/alias\n"
                                           "/files/etc/hosts/2/canonical\n/files/etc/hosts/2/ipaddr"})}}},

      {"aug_rm", 607, {{A::String, "augpath"}}, {}, R::Int, "", kNone,
       "remove augeas nodes",
       "Removes every node augpath matches, with its children, and returns how many nodes went.",
       {{T::ScratchFS, with_hosts("augr", {"aug_rm /files/etc/hosts/2 => 4", "aug_save",
                                           "cat /augr/etc/hosts => 127.0.0.1 localhost\n"})}}},

      {"aug_insert", 608, {{A::String, "augpath"}, {A::String, "label"}, {A::Bool, "before"}}, {}, R::Void, "",
       kNone,
       "insert an augeas node",
       "Creates a sibling node called label just before (before true) or after augpath, which must "
       "match exactly one node.  label is a plain name: no /, * or [N].",
       {{T::ScratchFS, with_hosts("augn", {"aug_insert /files/etc/hosts/2/canonical alias true",
                                           "aug_ls /files/etc/hosts/2 => /files/etc/hosts/2/alias[1]\n"
                                           "/files/etc/hosts/2/alias[2]\n/files/etc/hosts/2/canonical\n"
                                           "/files/etc/hosts/2/ipaddr",
                                           "aug_insert /files/etc/hosts/*/canonical x false =>!"})}}},

      {"aug_load", 609, {}, {}, R::Void, "", kNone,
       "load the files into the augeas tree",
       "(Re)reads the files into the tree, as the lenses and /augeas/load say; unsaved changes are "
       "lost.  Needed after aug_init with flag 32, or after changing /augeas/load.",
       {{T::ScratchFS, {"mkdir_p /augd/etc", "write /augd/etc/hosts \"10.1.1.1 h\n\"", "aug_init /augd 32",
                        "aug_match /files/etc/hosts/* => ", "aug_load", "aug_get /files/etc/hosts/1/ipaddr => 10.1.1.1",
                        "aug_close"}},
        // Flag 64: only the lens named under /augeas/load is compiled, from
        // the appliance, although aug_load runs inside the guest.
        {T::ScratchFS, {"mkdir_p /augq/etc", "write /augq/etc/fstab \"UUID=1234 /boot ext4 defaults 0 2\n\"",
                        "write /augq/etc/hosts \"10.1.1.1 h\n\"", "aug_init /augq 96",
                        "aug_set /augeas/load/Fstab/lens Fstab.lns", "aug_set /augeas/load/Fstab/incl /etc/fstab",
                        "aug_load", "aug_get /files/etc/fstab/1/spec => UUID=1234",
                        "aug_get /files/etc/fstab/1/file => /boot", "aug_match /files/etc/hosts => ",
                        "aug_match /augeas/vt-lens-probe => ", "aug_close"}}}},

      {"aug_defvar", 610, {{A::String, "name"}, {A::String, "expr"}}, {}, R::Int, "", kNone,
       "define an augeas variable",
       "Defines the variable name (used as $name in later paths) as the result of expr, and returns "
       "the number of nodes it holds (0 if it is not a node set).  An empty expr undefines it.",
       {{T::ScratchFS, with_hosts("auge", {"aug_defvar h /files/etc/hosts/* => 2",
                                           "aug_get $h[2]/canonical => alpha", "aug_defvar h \"\" => 0",
                                           "aug_get $h[2]/canonical =>!"})}}},

      {"internal_read_fstab", 611, {{A::Pathname, "path"}}, {}, R::StringList, "", kNone,
       "read an fstab through augeas in one call (internal)",
       "Parses the guest file path with augeas's Fstab lens, as aug_init / 96, aug_load and an "
       "aug_get of each field would, and returns five strings per entry that has a spec: spec, "
       "file, vfstype, and the values of its subvol and subvolid options (\"\" when absent).  An "
       "entry missing spec, file or a single vfstype is left out; a file the lens cannot parse "
       "gives no entries.  The lens is compiled once, before the appliance state is saved; the "
       "user's augeas handle (aug_init) is not touched.  Inspection's one round trip for fstab.",
       {{T::ScratchFS, {"mkdir_p /rfs/etc",
                        "write /rfs/etc/fstab \"# c\nUUID=1234 /boot ext4 defaults 0 2\n"
                        "LABEL=r / btrfs subvol=@,compress 0 0\n/dev/sdb1 /x btrfs subvolid=5 0 0\n"
                        "/dev/sdb9 /y ext4,xfs defaults 0 0\n\"",
                        "internal_read_fstab /rfs/etc/fstab => UUID=1234\n/boot\next4\n\n\n"
                        "LABEL=r\n/\nbtrfs\n@\n\n/dev/sdb1\n/x\nbtrfs\n\n5",
                        "write /rfs/etc/fstab \"a b\n\"", "internal_read_fstab /rfs/etc/fstab => ",
                        "internal_read_fstab /rfs/etc/missing => ",
                        "aug_init /rfs 96", "aug_match /files/etc/fstab => ", "aug_close"}}}},
  };
}

}  // namespace vt::gen
