// virt-inspector: what is gathered about each operating system (the work)
// and how it is written (XML as libguestfs's virt-inspector writes it, or
// JSON with the same content).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inspect.hpp"

namespace vt {
class Handle;
}

namespace vt::inspector {

// What blkid says about one filesystem of a root; empty when not known.
struct FilesystemInfo {
  std::string device;  // the mountable, as inspect_get_filesystems names it
  std::string type;
  std::string label;
  std::string uuid;
};

// Everything the report says about one operating system.
struct OsReport {
  inspect::Root root;
  std::vector<FilesystemInfo> filesystems;  // in the order they are written
  // nullopt with --no-applications: no <applications> element at all.
  std::optional<std::vector<inspect::Application>> applications;
  // The guest's icon, the bytes of a PNG; empty when there is none or with
  // --no-icon (no <icon> element).
  std::string icon;
};

// What to gather beyond the inspection itself.
struct Wanted {
  bool applications = true;
  bool icon = true;
};

// --- the work (work.cpp) ---------------------------------------------------

// Inspects the launched handle's disks: one report per root, in root order.
// Returns an empty vector when no operating system was found.  Mounts each
// root read-only to list its applications and find its icon, if wanted.
std::vector<OsReport> inspect_guest(Handle& h, const std::vector<std::string>& roots, const Wanted& wanted);

// The filesystems of a root as libguestfs's virt-inspector writes them:
// sorted by name, with type, label and UUID from one blkid call per device.
std::vector<FilesystemInfo> describe_filesystems(Handle& h, const inspect::Root& root);

// The block device holding a mountable ("btrfsvol:/dev/sda2/@" -> "/dev/sda2").
std::string mountable_device(const std::string& mountable);

// --- the output (output_xml.cpp, output_json.cpp) --------------------------

// The whole XML document, byte for byte what libguestfs 1.48 prints.
std::string xml_report(const std::vector<OsReport>& reports);

// The same content as JSON: {"operatingsystems": [ {...}, ... ]}, the XML
// elements as members in the same order, numbers as numbers, an element
// with attributes as an object.
std::string json_report(const std::vector<OsReport>& reports);

// Guest strings are hostile: XML 1.0 cannot carry control characters (other
// than tab and newlines) nor invalid UTF-8, so those bytes become '?' in
// both reports rather than making a document no parser reads.
std::string printable_text(const std::string& s);

// Mountpoints in the order libguestfs's virt-inspector writes them: shortest
// mountpoint first, then by name; only those that are paths (not "swap").
std::vector<std::pair<std::string, std::string>> sorted_mountpoints(const inspect::Root& root);

// --- --xpath (xpath.cpp) ----------------------------------------------------

// Runs an XPath query on an XML document (virt-inspector's output) and
// returns what libguestfs's --xpath prints: each node serialised on its own
// lines, or a string/number/boolean on one line.  Throws vt::Error when the
// document or the expression is malformed (libxml2's own message goes to
// stderr first, as with libguestfs).
std::string xpath_query(const std::string& document, const std::string& expression);

}  // namespace vt::inspector
