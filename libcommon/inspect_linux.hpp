// Linux and BSD inspection over a small view of the guest's files, so that
// the rules (which release file wins, which version is read from where) are
// pure and unit-tested without an appliance.  identify_linux(Handle&...) in
// inspect.hpp is this over a view backed by daemon calls.
#pragma once

#include <optional>
#include <string>

#include "inspect.hpp"

namespace vt::inspect {

// What Linux and BSD inspection needs to know about the mounted filesystem.
// Every answer for a missing, unreadable or hostile path is "no"/nullopt:
// none of these throws for anything the guest contains.
class GuestView {
 public:
  virtual ~GuestView() = default;
  // A regular file (following symbolic links if `follow`).
  virtual bool is_file(const std::string& path, bool follow) const = 0;
  // A directory, not following a final symbolic link.
  virtual bool is_dir(const std::string& path) const = 0;
  // The stored target of a symbolic link.
  virtual std::optional<std::string> symlink_target(const std::string& path) const = 0;
  // The contents of a regular file (symbolic links followed) of at most
  // kSmallFileLimit bytes.
  virtual std::optional<std::string> read_small_file(const std::string& path) const = 0;
  // file_architecture of the binary (symbolic links followed).
  virtual std::optional<std::string> architecture(const std::string& path) const = 0;
};

// libguestfs reads release and hostname files only up to this size.
inline constexpr size_t kSmallFileLimit = 2 * 1024 * 1024;

// The whole of Linux / BSD identification over a view.
bool identify_linux(const GuestView& guest, OsFacts& facts);
bool identify_bsd(const GuestView& guest, OsFacts& facts);

// The libosinfo short id libguestfs's inspect_get_osinfo derives from the
// facts ("debian12", "fedora38", "rhel9.2", "ubuntu22.04", "unknown").
// Windows is not handled here (it needs the product name and build id).
std::string unix_osinfo(const OsFacts& facts);

// "deb"/"apt"... from the distro and major version, as libguestfs; the
// view is asked whether /usr/bin/dnf exists (Fedora).
void set_package_facts(const GuestView& guest, OsFacts& facts);

}  // namespace vt::inspect
