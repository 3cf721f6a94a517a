// The description of every call that crosses the wire.  Everything else about
// a call (the Handle method, the daemon dispatch, the command-line dispatcher
// used by guestfish and the table tests, the API reference) is generated from
// this description by generator.cpp.
#pragma once

#include <string>
#include <vector>

namespace vt::gen {

enum class ArgType {
  Device,      // a block device: /dev/sda, /dev/sda1, /dev/VG/LV
  Mountable,   // a device that holds a filesystem
  Pathname,    // an absolute path inside the mounted guest
  String,      // any string
  StringList,  // a list of strings
  Int,         // 32-bit signed
  Int64,       // 64-bit signed
  Bool,
  FileIn,      // a host file streamed to the daemon
  FileOut,     // a host file the daemon streams back
};

enum class RetType { Void, Int, Int64, Bool, String, StringList, Struct, StructList, Hash, Buffer };

// OptPercent: a percentage (0-100) as a float, or -1 when it does not apply
// (an LV's snap_percent, copy_percent).
enum class FieldType { String, Int32, Int64, OptPercent };

struct Field {
  FieldType type;
  std::string name;
};

struct StructDef {
  std::string name;
  std::vector<Field> fields;
  std::string summary;
};

struct Arg {
  ArgType type;
  std::string name;
  bool secret = false;  // traced as *** (passphrases, random seeds)
};

enum Flags : unsigned {
  kNone = 0,
  kDestructive = 1 << 0,  // writes to a disk: refused on read-only drives by the guest kernel anyway
  kDiscouraged = 1 << 1,  // an escape hatch; documented as such
  kProgress = 1 << 2,     // sends progress messages
  // Runs in the library, built on other calls: nothing on the wire, so proc is
  // 0; the Handle method is hand-written (libcommon/handle_library.cpp).
  kLibrary = 1 << 3,
  kHexOutput = 1 << 4,    // guestfish prints the Int result in hexadecimal (0x83), as libguestfs's does
};

// How a table test prepares the appliance before its steps.
enum class TestInit {
  None,      // nothing: any disk state
  Empty,     // /dev/sda blank (no partition table), nothing mounted
  ScratchFS, // /dev/sdb1 is an ext4 filesystem mounted on /
};

struct Test {
  TestInit init;
  // Steps in command syntax: "CMD ARGS..." must succeed; "CMD ARGS => TEXT"
  // must print exactly TEXT ("\n" separates lines); "CMD ARGS =~ REGEX" must
  // print something REGEX matches (ECMAScript, multiline search); "CMD ARGS =>!"
  // must fail.
  std::vector<std::string> steps;
};

// Test steps: a shared setup, then the steps of one test.
inline std::vector<std::string> with(std::vector<std::string> setup, std::initializer_list<std::string> then) {
  setup.insert(setup.end(), then);
  return setup;
}

struct Call {
  std::string name;
  unsigned proc;  // stable forever: see generator/procedures.txt
  std::vector<Arg> args;
  std::vector<Arg> optargs;  // only ever appended to
  RetType ret;
  std::string ret_struct;  // for Struct / StructList
  unsigned flags;
  std::string summary;
  std::string doc;
  std::vector<Test> tests;
};

const std::vector<StructDef>& all_structs();
const std::vector<Call>& all_calls();

// The groups of the table, one file each (generator/api_GROUP.cpp), with the
// procedure numbers each group draws new calls from:
//   devices and partitions 100-199, filesystems 200-299, LVM 300-399,
//   reading files 400-499, writing files 500-599, augeas 600-649, hivex 650-699, misc 700-749,
//   inspection 750-799.
// Calls 1-50 (api_table.cpp) came first and keep their numbers.
std::vector<Call> device_calls();
std::vector<StructDef> device_structs();
std::vector<Call> filesystem_calls();
std::vector<StructDef> filesystem_structs();
std::vector<Call> lvm_calls();
std::vector<StructDef> lvm_structs();
std::vector<Call> file_calls();
std::vector<StructDef> file_structs();
std::vector<Call> file_write_calls();
std::vector<StructDef> file_write_structs();
std::vector<Call> augeas_calls();
std::vector<StructDef> augeas_structs();
std::vector<Call> hivex_calls();
std::vector<StructDef> hivex_structs();
std::vector<Call> misc_calls();
std::vector<StructDef> misc_structs();
std::vector<Call> inspect_calls();
std::vector<StructDef> inspect_structs();

}  // namespace vt::gen
