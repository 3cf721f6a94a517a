// API table group: miscellaneous: procedures 700-749.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// A guest root on /dev/sda1 with just enough for /bin/sh: the appliance's
// dash and the libraries it needs, and the directories sh binds /dev, /proc
// and /sys onto.
const std::vector<std::string> kShellGuest = {
    "part_disk /dev/sda mbr", "mkfs ext4 /dev/sda1", "mount /dev/sda1 /",
    "command \"cp -L --parents /bin/sh /lib/x86_64-linux-gnu/libc.so.6 /lib64/ld-linux-x86-64.so.2 /sysroot\"",
    "mkdir_p /dev", "mkdir_p /proc", "mkdir_p /sys"};
}  // namespace

std::vector<StructDef> misc_structs() { return {}; }

std::vector<Call> misc_calls() {
  return {
      {"command_lines", 700, {{A::StringList, "arguments"}}, {}, R::StringList, "", kDiscouraged,
       "run a command in the appliance, returning lines",
       "The same as command (the program runs in the appliance, not in the guest), but returns "
       "the standard output split into lines; a final newline does not make an empty last line.  "
       "Discouraged: prefer a call that says what it does.  The output must fit in one protocol "
       "message (4 MiB).",
       {{T::None, {"command_lines \"printf a\\nb\\n\" => a\nb", "command_lines true => ",
                   "command_lines false =>!"}}}},

      {"sh", 701, {{A::String, "command"}}, {}, R::String, "", kDiscouraged,
       "run a shell command in the guest",
       "Runs /bin/sh -c command with the root directory changed to the guest's root filesystem "
       "(which must be mounted on /), as libguestfs does, and returns its standard output; fails "
       "with its standard error if it exits non-zero.  So the guest's own shell and programs run, "
       "with the guest's /dev, /proc and /sys bound to the appliance's while the command runs.  "
       "The guest's programs run as root in the appliance, which is as contained as the "
       "appliance is: never use this on a guest you do not trust.  Fails if nothing is mounted "
       "on /; to run a program of the appliance, use command.  Discouraged: prefer a call that "
       "says what it does.  The output must fit in one protocol message (4 MiB).",
       {{T::Empty, {"sh true =>!"}},
        {T::Empty, with(kShellGuest, {"sh \"echo /*\" => /bin /dev /lib /lib64 /lost+found /proc /sys\n",
                                      "sh \"test -c /dev/null && test -d /proc/self && echo bound\" => bound\n",
                                      "sh \"echo oops >&2; exit 3\" =>!", "umount_all", "mounts => "})}}},

      {"sh_lines", 702, {{A::String, "command"}}, {}, R::StringList, "", kDiscouraged,
       "run a shell command in the guest, returning lines",
       "The same as sh (the guest's /bin/sh, chrooted into the guest's root), but returns the "
       "standard output split into lines; a final newline does not make an empty last line.  "
       "Discouraged: prefer a call that says what it does.",
       {{T::Empty, {"sh_lines true =>!"}},
        {T::Empty, with(kShellGuest, {"sh_lines \"echo a; echo; echo b\" => a\n\nb", "sh_lines true => "})}}},

      {"internal_prepare_save", 711, {}, {}, R::Void, "", kNone,
       "warm a fresh appliance up before its state is saved",
       "The library calls this on a freshly booted appliance just before saving its state: the "
       "daemon loads the kernel modules that most runs need (device mapper, the common "
       "filesystems, FUSE), so every appliance later restored from that state has them already "
       "instead of loading them under emulation.  Not for general use.",
       {{T::None, {"internal_prepare_save", "command \"cat /sys/module/dm_mod/initstate\" => live\n",
                   "command \"cat /sys/module/ext4/initstate\" => live\n"}}}},

      {"internal_resume", 710, {{A::Int64, "seconds"}, {A::Int64, "nanoseconds"}, {A::String, "entropy", true}}, {},
       R::Void, "", kNone,
       "bring a restored appliance up to date",
       "The library calls this first on an appliance restored from a saved state: it sets the "
       "appliance's clock (which stopped when the state was saved) to the host's time, so files "
       "written to guest disks get today's timestamps, and mixes the host's random bytes into the "
       "kernel's random pool, so two restored appliances never make the same UUIDs.  Not for "
       "general use.",
       {{T::None, {"internal_resume 1700000000 0 abcdefgh", "command \"date +%Y\" => 2023\n",
                   "internal_resume -1 0 x =>!", "internal_resume @NOW@ 0 ijklmnop"}}}},

      {"internal_unplug_disk", 712, {{A::Int, "target"}}, {}, R::Void, "", kNone,
       "let go of a disk before it is unplugged (internal)",
       "Called by the library before it unplugs the disk on SCSI target target: refuses if a "
       "filesystem on it is mounted, deactivates the LVM volume groups on it, flushes its buffers "
       "and removes it from the appliance, so that nothing refers to it when it goes.  Not for "
       "general use.",
       {{T::None, {"internal_unplug_disk 200 =>!", "internal_unplug_disk -1 =>!"}}}},

      {"internal_rescue", 713, {{A::String, "term"}, {A::Bool, "terminal"}}, {}, R::Void, "", kNone,
       "turn the channel into a rescue shell (internal)",
       "virt-rescue calls this last: after the reply the daemon starts an interactive shell on a "
       "pseudo-terminal of type term (standard input a pipe unless terminal is true: the library's input is no terminal, and its end ends the shell's), with the guest's filesystems under /sysroot, and the channel "
       "carries the shell's terminal and the escape commands (libcommon/rescue_stream.hpp) "
       "instead of calls.  When the shell exits the disks are synced and the appliance powers "
       "off.  Not for general use.",
       {{T::None, {"internal_rescue \"bad term\" true =>!", "internal_rescue \"\" false =>!"}}}},
  };
}

}  // namespace vt::gen
