// The XML report, element for element as libguestfs's virt-inspector writes
// it (libxml2's text writer, two-space indentation), so scripts and XPath
// queries written for it keep working.
#include <libxml/xmlwriter.h>

#include <algorithm>
#include <memory>

#include "errors.hpp"
#include "inspect_fstab.hpp"
#include "inspector.hpp"
#include "xml_ptr.hpp"

namespace vt::inspector {

namespace {

const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
const xmlChar* x(const std::string& s) { return x(s.c_str()); }


// A text writer into memory; every libxml2 failure becomes an Error.
class Writer {
 public:
  Writer() : buffer_(xmlBufferCreate()) {
    if (!buffer_) throw Error("xml: out of memory");
    writer_.reset(xmlNewTextWriterMemory(buffer_.get(), 0));
    if (!writer_) throw Error("xml: cannot create a text writer");
    check(xmlTextWriterSetIndent(writer_.get(), 1));
    check(xmlTextWriterSetIndentString(writer_.get(), x("  ")));
    check(xmlTextWriterStartDocument(writer_.get(), nullptr, nullptr, nullptr));
  }
  void start(const char* name) { check(xmlTextWriterStartElement(writer_.get(), x(name))); }
  void end() { check(xmlTextWriterEndElement(writer_.get())); }
  void attribute(const char* name, const std::string& value) {
    check(xmlTextWriterWriteAttribute(writer_.get(), x(name), x(printable_text(value))));
  }
  void text(const std::string& value) { check(xmlTextWriterWriteString(writer_.get(), x(printable_text(value)))); }
  // <name>value</name>
  void element(const char* name, const std::string& value) {
    start(name);
    text(value);
    end();
  }
  // The element, unless the value is libguestfs's "not known".
  void known(const char* name, const std::string& value) {
    if (!value.empty() && value != "unknown") element(name, value);
  }
  void nonempty(const char* name, const std::string& value) {
    if (!value.empty()) element(name, value);
  }
  // <name>base64</name>, laid out as libxml2 lays base64 out.
  void base64_element(const char* name, const std::string& bytes) {
    start(name);
    check(xmlTextWriterWriteBase64(writer_.get(), bytes.data(), 0, static_cast<int>(bytes.size())));
    end();
  }
  std::string finish() {
    check(xmlTextWriterEndDocument(writer_.get()));
    writer_.reset();  // flushes into the buffer
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_.get())),
                       static_cast<size_t>(xmlBufferLength(buffer_.get())));
  }

 private:
  static void check(int rc) {
    if (rc < 0) throw Error("xml: writing the report failed");
  }
  xml::Buffer buffer_;
  UniqueC<xmlTextWriter, xmlFreeTextWriter> writer_;
};

void write_mountpoints(Writer& w, const inspect::Root& root) {
  w.start("mountpoints");
  for (const auto& [mountpoint, device] : sorted_mountpoints(root)) {
    w.start("mountpoint");
    w.attribute("dev", device);
    w.text(mountpoint);
    w.end();
  }
  w.end();
}

void write_filesystems(Writer& w, const std::vector<FilesystemInfo>& filesystems) {
  w.start("filesystems");
  for (const auto& fs : filesystems) {
    w.start("filesystem");
    w.attribute("dev", fs.device);
    w.nonempty("type", fs.type);
    w.nonempty("label", fs.label);
    w.nonempty("uuid", fs.uuid);
    w.end();
  }
  w.end();
}

// Only when there are some, as libguestfs.
void write_drive_mappings(Writer& w, const inspect::OsFacts& facts) {
  if (facts.drive_mappings.empty()) return;
  auto mappings = facts.drive_mappings;
  std::sort(mappings.begin(), mappings.end());
  w.start("drive_mappings");
  for (const auto& [letter, device] : mappings) {
    w.start("drive_mapping");
    w.attribute("name", letter);
    w.text(device);
    w.end();
  }
  w.end();
}

void write_applications(Writer& w, const std::vector<inspect::Application>& apps) {
  w.start("applications");
  for (const auto& app : apps) {
    w.start("application");
    w.element("name", app.name);
    w.nonempty("display_name", app.display_name);
    if (app.epoch != 0) w.element("epoch", std::to_string(app.epoch));
    w.nonempty("version", app.version);
    w.nonempty("release", app.release);
    w.nonempty("arch", app.arch);
    w.nonempty("install_path", app.install_path);
    w.nonempty("publisher", app.publisher);
    w.nonempty("url", app.url);
    w.nonempty("source_package", app.source_package);
    w.nonempty("summary", app.summary);
    w.nonempty("description", app.description);
    w.end();
  }
  w.end();
}

void write_os(Writer& w, const OsReport& report) {
  const auto& f = report.root.facts;
  w.start("operatingsystem");
  w.element("root", report.root.device);
  w.known("name", f.type);
  w.known("arch", f.arch);
  w.known("distro", f.distro);
  w.known("product_name", f.product_name);
  w.known("product_variant", f.product_variant);
  w.element("major_version", std::to_string(f.major_version));
  w.element("minor_version", std::to_string(f.minor_version));
  w.nonempty("windows_systemroot", f.windows_systemroot);
  w.nonempty("windows_current_control_set", f.windows_current_control_set);
  w.known("package_format", f.package_format);
  w.known("package_management", f.package_management);
  w.known("hostname", f.hostname);
  w.known("osinfo", f.osinfo);
  write_mountpoints(w, report.root);
  write_filesystems(w, report.filesystems);
  write_drive_mappings(w, f);
  if (report.applications) write_applications(w, *report.applications);
  if (!report.icon.empty()) w.base64_element("icon", report.icon);
  w.end();
}

}  // namespace

std::string printable_text(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') c = '?';
  }
  if (!xmlCheckUTF8(reinterpret_cast<const xmlChar*>(out.c_str())))
    for (char& c : out)
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  return out;
}

std::vector<std::pair<std::string, std::string>> sorted_mountpoints(const inspect::Root& root) {
  // Only paths: fstab's "swap" and "none" entries are filesystems, not mountpoints.
  auto mountpoints = inspect::mount_order(root.mountpoints());
  std::erase_if(mountpoints, [](const auto& m) { return m.first.empty() || m.first[0] != '/'; });
  return mountpoints;
}

std::string xml_report(const std::vector<OsReport>& reports) {
  Writer w;
  w.start("operatingsystems");
  for (const auto& report : reports) write_os(w, report);
  w.end();
  return w.finish();
}

}  // namespace vt::inspector
