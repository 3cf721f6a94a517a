// API table group: inspection: procedures 750-799.  The inspect_* calls run in
// the library (kLibrary, libcommon/inspect_api.cpp) on top of other calls.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// A tiny Linux root on /dev/sda1 and a second filesystem, /dev/sda2
// (label BOOTFS), that its fstab names in several ways, some of which name
// nothing on this appliance.  /bin/ls is the appliance's own, for the arch.
const std::vector<std::string> kFakeLinux = {
    "part_init /dev/sda mbr", "part_add /dev/sda p 2048 61439", "part_add /dev/sda p 61440 -2048",
    "mkfs ext4 /dev/sda1", "mkfs ext4 /dev/sda2 label:BOOTFS", "mount /dev/sda1 /", "mkdir_p /etc", "mkdir_p /bin",
    "mkdir_p /boot", "command \"cp -L /bin/ls /sysroot/bin/ls\"",
    "write /etc/os-release \"NAME='Fedora Linux'\nID=fedora\nVERSION_ID=38\nPRETTY_NAME='Fedora Linux 38'\n\"",
    "write /etc/hostname \"fakehost\n\"",
    "write /etc/fstab \"# fake\n/dev/vda1 / ext4 defaults 0 1\nLABEL=BOOTFS /boot ext4 defaults 0 2\n"
    "UUID=01234567-0000-0000-0000-000000000000 /missing ext4 defaults 0 2\nproc /proc proc defaults 0 0\n"
    "/dev/sdz9 /gone ext4 defaults 0 0\n/dev/disk/by-label/BOOTFS /boot2/ ext4 defaults 0 0\n"
    "tmpfs /tmp tmpfs defaults 0 0\n/dev/mapper/vg-swap none swap sw 0 0\n/dev/mapper/no-such /srv ext4 defaults 0 0\n\"",
};

std::vector<std::string> fake_linux(std::initializer_list<std::string> then) { return with(kFakeLinux, then); }

std::string root_call_doc(const std::string& what) {
  return what + "  root is a root filesystem that inspect_os returned; any other mountable is an error.";
}

// The test every inspect_get_* call has: the scratch filesystem is never a root.
std::vector<Test> not_a_root(const std::string& name) { return {{T::None, {name + " /dev/sdb1 =>!"}}}; }

Call string_getter(const std::string& name, const std::string& summary, const std::string& doc) {
  return {name, 0, {{A::Mountable, "root"}}, {}, R::String, "", kLibrary, summary, root_call_doc(doc), not_a_root(name)};
}
}  // namespace

std::vector<StructDef> inspect_structs() {
  return {
      {"application2",
       {{F::String, "app2_name"},         {F::String, "app2_display_name"}, {F::Int32, "app2_epoch"},
        {F::String, "app2_version"},      {F::String, "app2_release"},      {F::String, "app2_arch"},
        {F::String, "app2_install_path"}, {F::String, "app2_trans_path"},   {F::String, "app2_publisher"},
        {F::String, "app2_url"},          {F::String, "app2_source_package"}, {F::String, "app2_summary"},
        {F::String, "app2_description"},  {F::String, "app2_spare1"},       {F::String, "app2_spare2"},
        {F::String, "app2_spare3"},       {F::String, "app2_spare4"}},
       "one installed application: its package name, the name shown to users, epoch, version, "
       "release, architecture, install and translation paths, publisher, URL, source package, "
       "summary and description; \"\" (or 0) where the package format has no such field"},
  };
}

std::vector<Call> inspect_calls() {
  return {
      {"inspect_os", 0, {}, {}, R::StringList, "", kLibrary,
       "inspect disk images for operating systems",
       "Unmounts everything, then mounts each filesystem read-only in turn to find the root "
       "filesystems of operating systems (Linux, Windows, the BSDs), and returns them, sorted.  "
       "Reads what each OS is, and its /etc/fstab (mapped to the devices of this appliance: "
       "UUID=, LABEL=, PARTUUID=, /dev/disk/by-*, /dev/mapper/VG-LV, /dev/vdX as /dev/sdX; "
       "a BSD's /dev/ada0s1b, /dev/wd0d or DUID.d as the disklabel partitions /dev/sda5 and up), "
       "for the other inspect_* calls.  Leaves nothing mounted.  An empty list means no operating "
       "system was found.",
       {{T::Empty, fake_linux({"inspect_os => /dev/sda1", "inspect_get_roots => /dev/sda1",
                               "inspect_get_type /dev/sda1 => linux", "inspect_get_distro /dev/sda1 => fedora",
                               "inspect_get_major_version /dev/sda1 => 38",
                               "inspect_get_minor_version /dev/sda1 => 0",
                               "inspect_get_hostname /dev/sda1 => fakehost",
                               "inspect_get_product_name /dev/sda1 => Fedora Linux 38",
                               // /dev/sdz9 is a disk this guest was not given: kept, as libguestfs keeps it.
                               "inspect_get_mountpoints /dev/sda1 => /: /dev/sda1\n/boot: /dev/sda2\n/gone: /dev/sdz9\n/boot2: /dev/sda2",
                               "inspect_get_filesystems /dev/sda1 => /dev/sda1\n/dev/sda2\n/dev/sdz9",
                               "inspect_get_format /dev/sda1 => installed", "inspect_is_live /dev/sda1 => false",
                               "mounts => ", "inspect_get_type /dev/sda2 =>!", "inspect_get_type /dev/sdb1 =>!"})},
        // No OS: no roots, and inspect_get_* on anything fails.
        {T::Empty, {"inspect_os => ", "inspect_get_roots => ", "inspect_get_type /dev/sdb1 =>!"}}}},

      {"inspect_get_roots", 0, {}, {}, R::StringList, "", kLibrary,
       "return the roots found by inspect_os",
       "Returns the root filesystems that the last inspect_os found, sorted; an empty list before "
       "inspect_os.",
       {{T::None, {"inspect_get_roots =~ ^(/dev/.*)?$"}}}},

      string_getter("inspect_get_type", "get the type of the inspected operating system",
                    "Returns \"linux\", \"windows\", \"freebsd\", \"netbsd\", \"openbsd\", \"hurd\", "
                    "\"dos\", \"minix\" or \"unknown\"."),
      string_getter("inspect_get_distro", "get the distribution of the inspected operating system",
                    "Returns the distribution as libguestfs names it: \"debian\", \"fedora\", \"rhel\", "
                    "\"ubuntu\", \"opensuse\", \"archlinux\", \"alpinelinux\", \"windows\", \"freebsd\"... "
                    "or \"unknown\"."),
      string_getter("inspect_get_product_name", "get the product name of the inspected operating system",
                    "Returns the product name in free text (os-release's PRETTY_NAME, Windows's "
                    "ProductName), or \"unknown\"."),
      string_getter("inspect_get_product_variant", "get the product variant of the inspected operating system",
                    "Returns the variant (Windows: \"Client\" or \"Server\"), or \"unknown\"."),
      {"inspect_get_major_version", 0, {{A::Mountable, "root"}}, {}, R::Int, "", kLibrary,
       "get the major version of the inspected operating system",
       root_call_doc("Returns the major version number, or 0 when it is not known."),
       not_a_root("inspect_get_major_version")},
      {"inspect_get_minor_version", 0, {{A::Mountable, "root"}}, {}, R::Int, "", kLibrary,
       "get the minor version of the inspected operating system",
       root_call_doc("Returns the minor version number, or 0 when it is not known."),
       not_a_root("inspect_get_minor_version")},
      string_getter("inspect_get_arch", "get the architecture of the inspected operating system",
                    "Returns the architecture of the OS's binaries (\"x86_64\", \"i386\", \"aarch64\"...), "
                    "or \"unknown\"."),
      string_getter("inspect_get_hostname", "get the hostname of the inspected operating system",
                    "Returns the hostname found in the guest's configuration, or \"unknown\"."),
      string_getter("inspect_get_package_format", "get the package format of the inspected operating system",
                    "Returns \"rpm\", \"deb\", \"pacman\", \"apk\", \"ebuild\", \"xbps\", \"pkgsrc\"... "
                    "or \"unknown\"."),
      string_getter("inspect_get_package_management", "get the package management tool of the inspected operating system",
                    "Returns \"dnf\", \"yum\", \"apt\", \"zypper\", \"pacman\", \"apk\", \"portage\"... "
                    "or \"unknown\"."),
      {"inspect_get_mountpoints", 0, {{A::Mountable, "root"}}, {}, R::Hash, "", kLibrary,
       "get the mountpoints of the inspected operating system",
       root_call_doc("Returns where the OS mounts its filesystems: \"/\" and the root, then the "
                     "other /etc/fstab entries whose devices exist here, as mountpoint -> mountable.  "
                     "Mount them shortest mountpoint first."),
       not_a_root("inspect_get_mountpoints")},
      {"inspect_get_filesystems", 0, {{A::Mountable, "root"}}, {}, R::StringList, "", kLibrary,
       "get the filesystems of the inspected operating system",
       root_call_doc("Returns the filesystems that belong to the OS: the root and those its fstab names."),
       not_a_root("inspect_get_filesystems")},
      string_getter("inspect_get_osinfo", "get the libosinfo short id of the inspected operating system",
                    "Returns the libosinfo short id (\"fedora38\", \"debian12\", \"win10\"...), or "
                    "\"unknown\"."),
      string_getter("inspect_get_windows_systemroot", "get the Windows systemroot of the inspected guest",
                    "Returns the path of the Windows systemroot, as found on the disk (\"/Windows\"); "
                    "an error for an OS that is not Windows."),
      string_getter("inspect_get_windows_current_control_set",
                    "get the Windows CurrentControlSet of the inspected guest",
                    "Returns the control set that the SYSTEM hive marks current (\"ControlSet001\"); "
                    "an error for an OS that is not Windows."),
      string_getter("inspect_get_windows_software_hive", "get the path of the Windows software hive",
                    "Returns the guest path of the HKLM\\SOFTWARE hive; an error for an OS that is not "
                    "Windows."),
      string_getter("inspect_get_windows_system_hive", "get the path of the Windows system hive",
                    "Returns the guest path of the HKLM\\SYSTEM hive; an error for an OS that is not "
                    "Windows."),
      {"inspect_get_drive_mappings", 0, {{A::Mountable, "root"}}, {}, R::Hash, "", kLibrary,
       "get the drive letter mappings of the inspected operating system",
       root_call_doc("Returns Windows's drive letters (\"C\") and the mountables they name, sorted by "
                     "letter; empty for other OSes."),
       not_a_root("inspect_get_drive_mappings")},
      string_getter("inspect_get_format", "get the format of the inspected operating system",
                    "Returns \"installed\" for an installed OS, \"installer\" for install media, or "
                    "\"unknown\"."),
      {"inspect_is_live", 0, {{A::Mountable, "root"}}, {}, R::Bool, "", kLibrary,
       "get the live flag of install media",
       root_call_doc("Deprecated, as in libguestfs: always false."),
       not_a_root("inspect_is_live")},
      {"inspect_is_netinst", 0, {{A::Mountable, "root"}}, {}, R::Bool, "", kLibrary,
       "get the netinst flag of install media",
       root_call_doc("Deprecated, as in libguestfs: always false."),
       not_a_root("inspect_is_netinst")},
      {"inspect_is_multipart", 0, {{A::Mountable, "root"}}, {}, R::Bool, "", kLibrary,
       "get the multipart flag of install media",
       root_call_doc("Deprecated, as in libguestfs: always false."),
       not_a_root("inspect_is_multipart")},
      {"inspect_get_icon", 0, {{A::Mountable, "root"}}, {{A::Bool, "favicon"}, {A::Bool, "highquality"}}, R::Buffer, "",
       kLibrary, "get the icon of the inspected operating system",
       root_call_doc("Returns the guest's own logo as the bytes of a PNG file, or an empty buffer when "
                     "none is found (not an error).  The root's filesystems must be mounted first, as "
                     "inspect_get_mountpoints says.  With favicon (the default) /etc/favicon.png is "
                     "tried first; highquality asks for an icon of at least 48x48 and skips the "
                     "favicon.  Otherwise the file each distribution ships is used (Fedora, RHEL "
                     "and its clones, Debian, Ubuntu, Mageia, openSUSE, Void, ALT; Windows 8's "
                     "WLive48x48.png), as libguestfs does; it must be a PNG of 16x16 to 1024x1024 "
                     "pixels within the size that distribution's logo has.  Icons held inside "
                     "Windows executables (XP, 7) are not extracted."),
       {{T::Empty, fake_linux({"inspect_os => /dev/sda1", "inspect_get_icon /dev/sda1 => ",
                               "inspect_get_icon /dev/sda1 favicon:false highquality:true => "})},
        {T::None, {"inspect_get_icon /dev/sdb1 =>!"}}}},
      {"inspect_list_applications2", 0, {{A::Mountable, "root"}}, {}, R::StructList, "application2", kLibrary,
       "list the applications installed in the inspected operating system",
       root_call_doc("Returns the installed applications (dpkg, rpm, pacman, apk databases; Windows's "
                     "Uninstall keys), sorted by name.  The root's filesystems must be mounted first, as "
                     "inspect_get_mountpoints says (guestfish -i does that)."),
       not_a_root("inspect_list_applications2")},
  };
}

}  // namespace vt::gen
