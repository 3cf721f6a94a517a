// API table group: hivex (Windows registry hives): procedures 650-699.
//
// The tests upload the empty hive that tests/phony-guests/empty_hive.hpp
// builds (the runner writes it to the host path it substitutes for
// @EMPTY_HIVE@).  Node and value handles are offsets in the hive file, and
// libhivex lays out new cells deterministically, so the tests can name them:
// the root of the empty hive is 4128 (0x1020), and the first cells libhivex
// allocates land in a new hbin from 0x2020 on.  Each test closes its hive,
// so the next one starts with none open.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// An empty hive at `path`, opened for writing.
std::vector<std::string> with_empty_hive(const std::string& path, std::vector<std::string> steps) {
  std::vector<std::string> all = {"upload @EMPTY_HIVE@ " + path, "hivex_open " + path + " write:true"};
  all.insert(all.end(), steps.begin(), steps.end());
  all.push_back("hivex_close");
  return all;
}
}  // namespace

std::vector<StructDef> hivex_structs() {
  return {
      {"hivex_node", {{F::Int64, "hivex_node_h"}}, "a node (registry key) of the open hive"},
      {"hivex_value", {{F::Int64, "hivex_value_h"}}, "a value of the open hive"},
  };
}

std::vector<Call> hivex_calls() {
  return {
      {"hivex_open", 650, {{A::Pathname, "filename"}},
       {{A::Bool, "verbose"}, {A::Bool, "debug"}, {A::Bool, "write"}, {A::Bool, "unsafe"}}, R::Void, "", kNone,
       "open a Windows registry hive file",
       "Opens the registry hive file at the guest path with libhivex, closing any hive opened before: the "
       "daemon holds at most one.  The other hivex calls work on this hive until hivex_close.  write:true "
       "allows changes (which reach the file only at hivex_commit); unsafe:true tolerates some corruption "
       "instead of refusing the hive; verbose and debug make libhivex log to the appliance console.  "
       "To change a hive libhivex holds all of it in memory, so a hive larger than half the appliance's "
       "free memory cannot be opened with write:true.",
       {{T::ScratchFS,
         {"upload @EMPTY_HIVE@ /hx-open.hiv", "hivex_open /hx-open.hiv", "hivex_root => 4128",
          // Read-only unless write:true.
          "hivex_node_add_child 4128 NoWrite =>!", "hivex_commit \"\" =>!",
          "hivex_open /hx-open.hiv unsafe:true verbose:false debug:false", "hivex_root => 4128",
          // A failed open leaves no hive open.
          "hivex_open /hx-missing.hiv =>!", "hivex_root =>!", "hivex_open /lost+found =>!",
          "write /hx-notahive.hiv \"not a registry hive\"", "hivex_open /hx-notahive.hiv =>!"}},
        // Symbolic links resolve inside the guest: an absolute target is the guest's file, and a target
        // that exists only in the appliance is not found.
        {T::ScratchFS,
         {"upload @EMPTY_HIVE@ /hx-target.hiv", "command \"ln -sf /hx-target.hiv /sysroot/hx-link.hiv\"",
          "hivex_open /hx-link.hiv", "hivex_root => 4128", "hivex_close",
          "command \"test -f /usr/sbin/virt-tools-daemon\" => ",
          "command \"ln -sf ../../usr/sbin/virt-tools-daemon /sysroot/hx-escape.hiv\"", "hivex_open /hx-escape.hiv =>!",
          "command \"ln -sf /usr/sbin/virt-tools-daemon /sysroot/hx-escape.hiv\"", "hivex_open /hx-escape.hiv =>!"}},
        // A hive too large to change in the appliance's memory is refused, and the daemon lives on.
        {T::ScratchFS,
         {"command \"truncate -s 4G /sysroot/hx-huge.hiv\"", "hivex_open /hx-huge.hiv write:true =>!", "ping",
          "command \"rm /sysroot/hx-huge.hiv\""}}}},

      {"hivex_close", 651, {}, {}, R::Void, "", kNone,
       "close the open hive",
       "Closes the hive opened by hivex_open, dropping any changes not committed.  Fails if no hive is open.",
       {{T::ScratchFS, {"upload @EMPTY_HIVE@ /hx-close.hiv", "hivex_open /hx-close.hiv write:true",
                        "hivex_node_add_child 4128 Dropped", "hivex_close", "hivex_open /hx-close.hiv",
                        "hivex_node_get_child 4128 Dropped => 0", "hivex_close", "hivex_root =>!",
                        "hivex_close =>!"}}}},

      {"hivex_root", 652, {}, {}, R::Int64, "", kNone,
       "get the root node of the hive",
       "Returns the handle of the root node (key) of the open hive.",
       {{T::ScratchFS, with_empty_hive("/hx-root.hiv", {"hivex_root => 4128"})}}},

      {"hivex_node_name", 653, {{A::Int64, "nodeh"}}, {}, R::String, "", kNone,
       "get the name of a node",
       "Returns the name of the node (registry key), in UTF-8.",
       {{T::ScratchFS, with_empty_hive("/hx-name.hiv", {"hivex_node_name 4128 => $$$PROTO.HIV",
                                                        "hivex_node_add_child 4128 Software => 8224",
                                                        "hivex_node_name 8224 => Software",
                                                        "hivex_node_name 4129 =>!", "hivex_node_name 0 =>!"})}}},

      {"hivex_node_children", 654, {{A::Int64, "nodeh"}}, {}, R::StructList, "hivex_node", kNone,
       "list the children of a node",
       "Returns the handles of the subkeys of the node.",
       {{T::ScratchFS,
         with_empty_hive("/hx-children.hiv",
                         {"hivex_node_children 4128 => ", "hivex_node_add_child 4128 A => 8224",
                          "hivex_node_add_child 4128 B => 8328",
                          "hivex_node_children 4128 => [0] = {\n  hivex_node_h: 8224\n}\n[1] = {\n  hivex_node_h: 8328\n}"})}}},

      {"hivex_node_get_child", 655, {{A::Int64, "nodeh"}, {A::String, "name"}}, {}, R::Int64, "", kNone,
       "find a child of a node by name",
       "Returns the handle of the subkey of the node called name (compared without regard to case, as "
       "Windows does), or 0 if there is none.",
       {{T::ScratchFS, with_empty_hive("/hx-getchild.hiv", {"hivex_node_add_child 4128 Software => 8224",
                                                            "hivex_node_get_child 4128 Software => 8224",
                                                            "hivex_node_get_child 4128 SOFTWARE => 8224",
                                                            "hivex_node_get_child 4128 Missing => 0"})}}},

      {"hivex_node_parent", 656, {{A::Int64, "nodeh"}}, {}, R::Int64, "", kNone,
       "get the parent of a node",
       "Returns the handle of the node's parent.  Fails for the root node.",
       {{T::ScratchFS, with_empty_hive("/hx-parent.hiv", {"hivex_node_add_child 4128 Software => 8224",
                                                          "hivex_node_add_child 8224 Vendor => 8336",
                                                          "hivex_node_parent 8336 => 8224",
                                                          "hivex_node_parent 8224 => 4128",
                                                          "hivex_node_parent 4128 =>!"})}}},

      {"hivex_node_values", 657, {{A::Int64, "nodeh"}}, {}, R::StructList, "hivex_value", kNone,
       "list the values of a node",
       "Returns the handles of the values (name, type, data) attached to the node.",
       {{T::ScratchFS,
         with_empty_hive("/hx-values.hiv", {"hivex_node_values 4128 => ", "hivex_node_set_value 4128 One 3 a",
                                            "hivex_node_set_value 4128 Two 3 b",
                                            "hivex_node_values 4128 =~ ^\\[0\\] = \\{\n  hivex_value_h: [1-9][0-9]*\n\\}\n"
                                            "\\[1\\] = \\{\n  hivex_value_h: [1-9][0-9]*\n\\}$"})}}},

      {"hivex_node_get_value", 658, {{A::Int64, "nodeh"}, {A::String, "key"}}, {}, R::Int64, "", kNone,
       "find a value of a node by name",
       "Returns the handle of the node's value called key (compared without regard to case), or 0 if there "
       "is none.  The empty key names the node's default value.",
       {{T::ScratchFS, with_empty_hive("/hx-getvalue.hiv", {"hivex_node_set_value 4128 Greeting 3 hi",
                                                            "hivex_node_get_value 4128 greeting =~ ^[1-9][0-9]*$",
                                                            "hivex_node_get_value 4128 Missing => 0"})}}},

      {"hivex_value_key", 659, {{A::Int64, "valueh"}}, {}, R::String, "", kNone,
       "get the name of a value",
       "Returns the name (key) of the value, in UTF-8.  The default value of a node has an empty name.",
       {{T::ScratchFS, with_empty_hive("/hx-valuekey.hiv", {"hivex_node_set_value 4128 Greeting 3 hi => ",
                                                            "hivex_node_values 4128 =~ hivex_value_h: 8232$",
                                                            "hivex_value_key 8232 => Greeting",
                                                            "hivex_value_key 4128 =>!"})}}},

      {"hivex_value_type", 660, {{A::Int64, "valueh"}}, {}, R::Int64, "", kNone,
       "get the type of a value",
       "Returns the registry type of the value: 1 for REG_SZ, 2 REG_EXPAND_SZ, 3 REG_BINARY, 4 REG_DWORD, "
       "7 REG_MULTI_SZ, 11 REG_QWORD, …",
       {{T::ScratchFS, with_empty_hive("/hx-valuetype.hiv", {"hivex_node_set_value 4128 Count 4 abcd",
                                                             "hivex_node_get_value 4128 Count => 8232",
                                                             "hivex_value_type 8232 => 4"})}}},

      {"hivex_value_value", 661, {{A::Int64, "valueh"}}, {}, R::Buffer, "", kNone,
       "get the data of a value",
       "Returns the data of the value as stored, whatever its type.  Fails if it does not fit in one "
       "message.",
       {{T::ScratchFS, with_empty_hive("/hx-valuevalue.hiv", {"hivex_node_set_value 4128 Blob 3 \"a b c\"",
                                                              "hivex_node_get_value 4128 Blob => 8232",
                                                              "hivex_value_value 8232 => a b c"})}}},

      {"hivex_value_string", 662, {{A::Int64, "valueh"}}, {}, R::String, "", kNone,
       "get the data of a string value as UTF-8",
       "Returns the data of a REG_SZ, REG_EXPAND_SZ or REG_LINK value, which the registry stores as "
       "UTF-16LE, converted to UTF-8.  Fails for other types and for data that is not valid UTF-16.",
       // "-N" as UTF-16LE is U+4E2D: the text commands cannot pass the NUL bytes of ASCII in UTF-16.
       {{T::ScratchFS, with_empty_hive("/hx-valuestring.hiv", {"hivex_node_set_value 4128 Name 1 -N",
                                                               "hivex_node_get_value 4128 Name => 8232",
                                                               "hivex_value_string 8232 => 中",
                                                               "hivex_node_set_value 4128 Count 4 abcd",
                                                               "hivex_node_get_value 4128 Count => 8312",
                                                               "hivex_value_string 8312 =>!"})}}},

      {"hivex_value_utf8", 663, {{A::Int64, "valueh"}}, {}, R::String, "", kDiscouraged,
       "get the data of a string value as UTF-8 (deprecated)",
       "The old name of hivex_value_string, kept for scripts that use it; new code should call "
       "hivex_value_string.",
       {{T::ScratchFS, with_empty_hive("/hx-valueutf8.hiv", {"hivex_node_set_value 4128 Name 2 -N",
                                                             "hivex_node_get_value 4128 Name => 8232",
                                                             "hivex_value_utf8 8232 => 中"})}}},

      {"hivex_commit", 664, {{A::String, "filename"}}, {}, R::Void, "", kNone,
       "write the changes to the hive file",
       "Writes the open hive, with its changes, to the guest path filename, leaving the file it was opened "
       "from untouched; or, if filename is empty, back to that file.  The hive must have been opened with "
       "write:true.",
       {{T::ScratchFS,
         {"upload @EMPTY_HIVE@ /hx-commit.hiv", "hivex_open /hx-commit.hiv write:true",
          "hivex_node_add_child 4128 Software => 8224", "hivex_node_set_value 8224 Name 1 -N",
          "hivex_commit \"\"", "hivex_close", "hivex_open /hx-commit.hiv",
          "hivex_node_get_child 4128 Software => 8224", "hivex_node_get_value 8224 Name => 8344",
          "hivex_node_values 8224 =~ hivex_value_h: 8344$", "hivex_value_string 8344 => 中", "hivex_close"}},
        // Committing to another file leaves the original as it was.
        {T::ScratchFS,
         {"upload @EMPTY_HIVE@ /hx-commit-orig.hiv", "hivex_open /hx-commit-orig.hiv write:true",
          "hivex_node_add_child 4128 Copied => 8224", "hivex_commit /hx-commit-copy.hiv",
          "hivex_commit relative.hiv =>!", "hivex_close", "hivex_open /hx-commit-orig.hiv",
          "hivex_node_get_child 4128 Copied => 0", "hivex_open /hx-commit-copy.hiv",
          "hivex_node_get_child 4128 Copied => 8224", "hivex_close"}}}},

      {"hivex_node_add_child", 665, {{A::Int64, "parent"}, {A::String, "name"}}, {}, R::Int64, "", kNone,
       "add a child node",
       "Adds a subkey called name to the parent node and returns its handle.  Fails if the parent already "
       "has a child of that name.",
       {{T::ScratchFS, with_empty_hive("/hx-addchild.hiv", {"hivex_node_add_child 4128 Software => 8224",
                                                            "hivex_node_add_child 4128 Software =>!",
                                                            "hivex_node_get_child 4128 Software => 8224"})}}},

      {"hivex_node_delete_child", 666, {{A::Int64, "nodeh"}}, {}, R::Void, "", kNone,
       "delete a node and everything below it",
       "Deletes the node, its subkeys (recursively) and their values.  The root node cannot be deleted.",
       {{T::ScratchFS,
         with_empty_hive("/hx-delchild.hiv", {"hivex_node_add_child 4128 Doomed => 8224",
                                              "hivex_node_add_child 8224 Below => 8328",
                                              "hivex_node_set_value 8328 Data 3 x", "hivex_node_delete_child 8224",
                                              "hivex_node_get_child 4128 Doomed => 0", "hivex_node_children 4128 => ",
                                              "hivex_node_delete_child 4128 =>!"})}}},

      {"hivex_node_set_value", 667, {{A::Int64, "nodeh"}, {A::String, "key"}, {A::Int64, "t"}, {A::String, "val"}},
       {}, R::Void, "", kNone,
       "set or replace a value of a node",
       "Sets the node's value called key to type t (see hivex_value_type) and data val (any bytes), "
       "replacing a value of that name if there is one.",
       {{T::ScratchFS,
         with_empty_hive("/hx-setvalue.hiv", {"hivex_node_set_value 4128 Greeting 3 hi",
                                              "hivex_node_set_value 4128 Greeting 4 abcd",
                                              "hivex_node_values 4128 =~ ^\\[0\\] = \\{\n  hivex_value_h: [0-9]+\n\\}$",
                                              "hivex_node_get_value 4128 Greeting => 8280",
                                              "hivex_value_type 8280 => 4", "hivex_value_value 8280 => abcd",
                                              "hivex_node_set_value 4128 Bad -1 x =>!"})},
        // Types beyond the documented ones are kept as they are.
        {T::ScratchFS, with_empty_hive("/hx-setvalue-type.hiv", {"hivex_node_set_value 4128 Odd 1048576 x",
                                                                 "hivex_node_get_value 4128 Odd => 8232",
                                                                 "hivex_value_type 8232 => 1048576"})}}},
  };
}

}  // namespace vt::gen
