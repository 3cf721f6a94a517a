// The package-database parsers behind list_applications (package_db.cpp),
// pure functions over the guest's file contents so that they can be tested
// without an appliance.  Inputs are hostile: they never crash on garbage, and
// a record they cannot make sense of is left out, as libguestfs leaves it out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inspect.hpp"

namespace vt::inspect {

// "[epoch:]version[-release]" split at the first ':' and the first '-' after
// it, as libguestfs splits dpkg, pacman and apk versions.  nullopt when the
// epoch is not a decimal number that fits an int32.
struct PackageVersion {
  int32_t epoch = 0;
  std::string version;
  std::string release;
};
std::optional<PackageVersion> split_package_version(std::string_view text);

// /var/lib/dpkg/status: the packages whose status is "installed".  Summary is
// the Description's first line, description its continuation lines.
std::vector<Application> parse_dpkg_status(std::string_view text);

// /var/lib/pacman/local/NAME-VERSION/desc: one package, or nullopt when a
// mandatory field (%NAME%, %VERSION% with a release, %ARCH%) is missing.
std::optional<Application> parse_pacman_desc(std::string_view text);

// /lib/apk/db/installed: one record per package, "X:value" lines, records
// separated by blank lines.
std::vector<Application> parse_apk_installed(std::string_view text);

// Appends `app`; a database listing more than 100000 packages is not
// believable (and would make us hold gigabytes): Error.
void add_application(std::vector<Application>& apps, Application app);

// Sorts by name, byte order, as libguestfs's strcmp sort; stable, so equal
// names (multilib packages) keep the database's order.
void sort_applications(std::vector<Application>& apps);

// The packages of an rpm database in sqlite format (rpmdb.sqlite), a host
// copy of the guest's file.  The file is opened read-only, immutable and
// defensively.  A damaged package header is skipped with a message in
// `warnings`; a file that is not such a database is an Error.
std::vector<Application> read_rpm_sqlite(const std::string& host_path, std::vector<std::string>& warnings);

// The packages of an rpm database in Berkeley DB format (the Packages file of
// RHEL/CentOS 8 and older, Fedora 32 and older): a hash database whose values
// are the same package headers, given as the file's bytes.  Headers are read
// in header-number order and turned into Applications as read_rpm_sqlite
// does, with the same warnings; a file that is not such a database is an Error.
std::vector<Application> read_rpm_bdb(std::string_view file, std::vector<std::string>& warnings);

}  // namespace vt::inspect
