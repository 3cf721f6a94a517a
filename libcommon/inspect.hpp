// OS inspection: find the operating systems on the attached disks and what
// they are, as libguestfs's inspection API does.  Everything here is built on
// daemon calls; the guest's files are hostile input (size limits, no symlink
// leaves the guest root: the daemon's file calls guarantee that).
//
// The pieces, one file each:
//   inspect.cpp          inspect_os: which filesystems are roots, fstab, collation
//   inspect_linux.cpp    Linux and BSD: release files, hostname, arch
//   inspect_windows.cpp  Windows: systemroot, SOFTWARE/SYSTEM hives, drive letters
//   inspect_apps.cpp     applications: dpkg, rpm, pacman, apk, Windows Uninstall keys
//   inspect_icon.cpp     the guest's icon (a PNG it ships)
//   inspect_api.cpp      the inspect_* calls of the API table (kLibrary)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vt {
class Handle;
class TempDir;
}

namespace vt::inspect {

// One application, with the fields of libguestfs's application2 struct.
// Empty string / 0 where the package format has no such field.
struct Application {
  std::string name;
  std::string display_name;
  int32_t epoch = 0;
  std::string version;
  std::string release;
  std::string arch;
  std::string install_path;
  std::string trans_path;
  std::string publisher;
  std::string url;
  std::string source_package;
  std::string summary;
  std::string description;
};

// What is known about one filesystem that inspection looked at.  Values use
// libguestfs's vocabulary ("linux", "windows", "freebsd"...; distro "debian",
// "fedora", "rhel", "ubuntu", "opensuse", "sles", "archlinux", "alpinelinux",
// "gentoo", "voidlinux", "windows", "freebsd"...; "unknown" when not known).
struct OsFacts {
  std::string type = "unknown";
  std::string distro = "unknown";
  std::string product_name = "unknown";
  std::string product_variant = "unknown";  // Windows: "Client" / "Server"
  int major_version = 0;
  int minor_version = 0;
  std::string arch = "unknown";      // "x86_64", "i386", "aarch64"...
  std::string hostname = "unknown";
  std::string package_format = "unknown";      // "deb", "rpm", "pacman", "apk", "ebuild", "xbps"...
  std::string package_management = "unknown";  // "apt", "dnf", "yum", "zypper", "pacman", "apk"...
  std::string osinfo = "unknown";              // libosinfo short id: "debian12", "fedora38", "win10"
  std::string build_id;                        // Windows CurrentBuildNumber; Linux BUILD_ID
  std::string format = "installed";            // "installed", "installer", "unknown"
  bool is_live = false;
  bool is_netinst = false;
  bool is_multipart = false;

  // Windows only.
  std::string windows_systemroot;              // "/Windows" (the case found on disk)
  std::string windows_software_hive;           // guest path of SOFTWARE
  std::string windows_system_hive;             // guest path of SYSTEM
  std::string windows_current_control_set;     // "ControlSet001"
  std::vector<std::pair<std::string, std::string>> drive_mappings;  // "C" -> "/dev/sda2", sorted by letter

  // fstab (or the BSD/Windows equivalent) as read from the guest, already
  // mapped to the appliance's device names; entries naming devices that do
  // not exist here are dropped.  mountpoint -> mountable, in fstab order.
  std::vector<std::pair<std::string, std::string>> fstab;
};

// One operating system found: its root filesystem and what it is.
struct Root {
  std::string device;  // mountable of the root filesystem ("/dev/sda2", "btrfsvol:/dev/sda2/@")
  OsFacts facts;
  // mountpoint -> mountable: "/" first, then the fstab entries, as
  // inspect_get_mountpoints returns them.
  std::vector<std::pair<std::string, std::string>> mountpoints() const;
  // The mountables that belong to this OS (root and fstab), as
  // inspect_get_filesystems returns them.
  std::vector<std::string> filesystems() const;
};

// The result of inspect_os, kept in the Handle for the inspect_get_* calls.
struct Inspection {
  bool done = false;
  std::vector<Root> roots;  // sorted by device name
  const Root* find(const std::string& device) const;
};

// Looks at every filesystem (mounting each read-only in turn, unmounting
// everything first and after) and fills h's inspection state.  Returns the
// roots' devices.  Needs a launched handle; works on read-only disks.
std::vector<std::string> inspect_os(Handle& h);

// Mounts the filesystems of `root` as guestfish -i and virt-inspector do:
// shortest mountpoint first, read-only if `readonly`; a mountpoint that fails
// to mount is reported on stderr as a warning and skipped, unless it is "/".
void mount_root(Handle& h, const Root& root, bool readonly);

// Applications of an inspected root.  The root's filesystems must be mounted
// (mount_root).  Sorted as libguestfs sorts them (by name).
std::vector<Application> list_applications(Handle& h, const Root& root);

// The guest's icon (inspect_get_icon, inspect_icon.cpp): the bytes of a PNG
// file, "" when none is found.  The root's filesystems must be mounted.
// `favicon` tries /etc/favicon.png first; `highquality` wants 48x48 or more.
std::string guest_icon(Handle& h, const Root& root, bool favicon, bool highquality);

// Copies the guest file `path` into `dir` as `name` and returns the host
// path.  Guest files are hostile: one above `limit` bytes is refused, both
// before the copy and after it (the file may grow meanwhile).
std::string download_guest_file(Handle& h, const std::string& path, uint64_t limit, const TempDir& dir,
                                const std::string& name);

// --- the per-OS pieces inspect_os is made of -----------------------------
// Each is given a handle with the candidate filesystem mounted on "/".

// Linux (inspect_linux.cpp).  True if the mounted filesystem looks like a
// Linux root (/etc with release files, /bin or /usr/bin...); fills facts.
bool identify_linux(Handle& h, OsFacts& facts);
// Linux, else FreeBSD, NetBSD or OpenBSD (best effort), asking the guest
// each question once for both.
bool identify_unix(Handle& h, OsFacts& facts);
// Reads /etc/fstab (or the BSD one) through augeas and maps each entry's
// device spec (UUID=, LABEL=, PARTUUID=, /dev/mapper/..., /dev/disk/by-*,
// btrfs subvol=, BSD partition names) to a mountable of the appliance
// (inspect.cpp).  A BSD's "/" entry is root itself: its own name for the
// root partition says little about where Linux shows it.
std::vector<std::pair<std::string, std::string>> read_fstab(Handle& h, const std::string& fstab_path,
                                                            const std::string& os_type, const std::string& root);

// Windows (inspect_windows.cpp).  True if the mounted filesystem holds a
// Windows systemroot; fills facts from the hives, including drive_mappings.
bool identify_windows(Handle& h, const std::string& device, OsFacts& facts);
// The guest path as it is cased on disk (case_sensitive_path), or nullopt
// when it cannot be found: Windows paths, whatever their case.
std::optional<std::string> try_case_sensitive_path(Handle& h, const std::string& path);
// Applications from the Uninstall keys of the SOFTWARE hive (64- and 32-bit
// views); list_applications (inspect_apps.cpp) calls it for Windows roots.
std::vector<Application> list_windows_applications(Handle& h, const Root& root);

// --- pure parsers (unit-tested without an appliance) ----------------------

// "KEY=value" lines of os-release, with shell quoting removed.
std::vector<std::pair<std::string, std::string>> parse_os_release(const std::string& text);
// The architecture named by an ELF or PE header ("x86_64", "i386",
// "aarch64", "armv7l", "ppc64le", "s390x", "riscv64"...), or nullopt.
std::optional<std::string> binary_architecture(const std::string& header_bytes);

// Width and height from a PNG's signature and IHDR chunk, or nullopt when
// the bytes do not start as a PNG does.
std::optional<std::pair<uint32_t, uint32_t>> png_geometry(std::string_view bytes);

}  // namespace vt::inspect
