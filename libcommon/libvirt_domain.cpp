#include "libvirt_domain.hpp"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>

#include "errors.hpp"
#include "unique_c.hpp"
#include "xml_ptr.hpp"

namespace vt::libvirt {

namespace {

using ConnectPtr = UniqueC<virConnect, virConnectClose>;
using DomainPtr = UniqueC<virDomain, virDomainFree>;
using PoolPtr = UniqueC<virStoragePool, virStoragePoolFree>;
using VolumePtr = UniqueC<virStorageVol, virStorageVolFree>;
using MallocedChars = UniqueC<char, free_malloced>;

// The message of libvirt's last error in this thread.
std::string last_error() {
  const char* message = virGetLastErrorMessage();
  return message ? message : "unknown error";
}

// libvirt prints every error on stderr unless told otherwise; ours say the
// same once, with what was being done.
void quiet_libvirt_errors() {
  virSetErrorFunc(nullptr, [](void*, virErrorPtr) {});
}

const xmlNode* child_element(const xmlNode* parent, const char* name) {
  for (const xmlNode* n = parent->children; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, reinterpret_cast<const xmlChar*>(name))) return n;
  return nullptr;
}

// The attribute's value, or "" when the element or the attribute is missing.
std::string attribute(const xmlNode* element, const char* name) {
  if (!element) return "";
  xml::Chars value(
      xmlGetProp(const_cast<xmlNode*>(element), reinterpret_cast<const xmlChar*>(name)));
  return value ? reinterpret_cast<const char*>(value.get()) : "";
}

int parse_block_size(const std::string& text, const std::string& what) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size())
    throw Error(what + ": logical_block_size " + text + " is not a number");
  return n;
}

}  // namespace

std::vector<DomainDisk> disks_from_xml(const std::string& xml, const VolumePath& volume_path) {
  xml::Doc doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) throw Error("the domain XML from libvirt does not parse");
  xml::XPathContext context(xmlXPathNewContext(doc.get()));
  if (!context) throw Error("out of memory");
  xml::XPathObject found(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>("/domain/devices/disk"), context.get()));
  if (!found) throw Error("cannot search the domain XML");
  std::vector<DomainDisk> disks;
  int count = found->nodesetval ? found->nodesetval->nodeNr : 0;
  for (int i = 0; i < count; ++i) {
    const xmlNode* disk = found->nodesetval->nodeTab[i];
    const xmlNode* source = child_element(disk, "source");
    DomainDisk d;
    d.target = attribute(child_element(disk, "target"), "dev");
    std::string what = "disk " + (d.target.empty() ? std::to_string(i + 1) : d.target);
    std::string type = attribute(disk, "type");
    if (type.empty() || type == "file") {  // libvirt's default type
      d.path = attribute(source, "file");
    } else if (type == "block") {
      d.path = attribute(source, "dev");
    } else if (type == "volume") {
      std::string pool = attribute(source, "pool"), volume = attribute(source, "volume");
      if (!pool.empty() && !volume.empty()) d.path = volume_path(pool, volume);
    } else if (type == "network") {
      throw Error(what + ": network disks (protocol " + attribute(source, "protocol") +
                  ") are not supported: only image files and host block devices are");
    } else {
      throw Error(what + ": disks of type '" + type + "' are not supported: only image files and host block devices are");
    }
    if (d.path.empty()) continue;  // an empty CD-ROM or floppy drive
    d.format = attribute(child_element(disk, "driver"), "type");
    d.readonly = child_element(disk, "readonly") != nullptr;
    std::string block_size = attribute(child_element(disk, "blockio"), "logical_block_size");
    if (!block_size.empty()) d.blocksize = parse_block_size(block_size, what);
    disks.push_back(std::move(d));
  }
  return disks;
}

struct Connection::Impl {
  ConnectPtr conn;

  std::string volume_path(const std::string& pool_name, const std::string& volume_name) {
    PoolPtr pool(virStoragePoolLookupByName(conn.get(), pool_name.c_str()));
    if (!pool) throw Error("no libvirt storage pool called ‘" + pool_name + "’: " + last_error());
    VolumePtr volume(virStorageVolLookupByName(pool.get(), volume_name.c_str()));
    if (!volume)
      throw Error("no volume called ‘" + volume_name + "’ in the libvirt storage pool ‘" + pool_name + "’: " +
                  last_error());
    MallocedChars path(virStorageVolGetPath(volume.get()));
    if (!path) throw Error("volume ‘" + volume_name + "’ of pool ‘" + pool_name + "’ has no path: " + last_error());
    return path.get();
  }
};

Connection::Connection(const std::optional<std::string>& uri) : impl_(std::make_unique<Impl>()) {
  quiet_libvirt_errors();
  impl_->conn.reset(virConnectOpenReadOnly(uri ? uri->c_str() : nullptr));
  if (!impl_->conn)
    throw Error("could not connect to libvirt " + (uri ? "at ‘" + *uri + "’" : std::string("(its default URI)")) +
                ": " + last_error());
}

Connection::~Connection() = default;

Domain Connection::domain(const std::string& name_or_uuid) {
  virConnectPtr conn = impl_->conn.get();
  DomainPtr dom(virDomainLookupByUUIDString(conn, name_or_uuid.c_str()));
  if (!dom) dom.reset(virDomainLookupByName(conn, name_or_uuid.c_str()));
  if (!dom) throw Error("no libvirt domain called ‘" + name_or_uuid + "’: " + last_error());

  Domain d;
  d.name = virDomainGetName(dom.get());
  char uuid[VIR_UUID_STRING_BUFLEN];
  if (virDomainGetUUIDString(dom.get(), uuid) == 0) d.uuid = uuid;
  int state = 0, reason = 0;
  if (virDomainGetState(dom.get(), &state, &reason, 0) < 0)
    throw Error(d.name + ": cannot get the domain's state: " + last_error());
  d.running = state != VIR_DOMAIN_SHUTOFF;
  // A running domain's XML names the images it has open now (after a
  // snapshot or a block job, not those of its definition).
  MallocedChars xml(virDomainGetXMLDesc(dom.get(), 0));
  if (!xml) throw Error(d.name + ": cannot read the domain's XML: " + last_error());
  try {
    d.disks = disks_from_xml(xml.get(), [this](const std::string& pool, const std::string& volume) {
      return impl_->volume_path(pool, volume);
    });
  } catch (const Error& e) {
    throw Error(d.name + ": " + e.what());
  }
  return d;
}

std::vector<std::string> Connection::domain_names() {
  virDomainPtr* list = nullptr;
  int n = virConnectListAllDomains(impl_->conn.get(), &list, 0);
  if (n < 0) throw Error("could not list the libvirt domains: " + last_error());
  std::vector<DomainPtr> domains;
  for (int i = 0; i < n; ++i) domains.emplace_back(list[i]);
  std::free(list);
  std::vector<std::string> names;
  for (const auto& dom : domains) {
    // Xen's domain 0 is the host itself: its disks are the host's.
    if (virDomainGetID(dom.get()) == 0) continue;
    if (const char* name = virDomainGetName(dom.get())) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void add_domain_disks(Handle& h, const Domain& domain, bool readonly) {
  if (domain.disks.empty()) throw Error(domain.name + ": libvirt domain has no disks");
  if (domain.running && !readonly)
    throw Error(domain.name +
                ": domain is a live virtual machine: writing to the disks of a running guest can corrupt them; "
                "open it read-only (guestfish --ro) or shut it down first");
  for (const auto& disk : domain.disks) {
    DriveOptions options;
    options.readonly = readonly || disk.readonly;
    options.format = disk.format;
    options.blocksize = disk.blocksize;
    options.no_locking = domain.running;
    if (h.verbose())
      std::cerr << h.program_name() << ": libvirt domain " << domain.name << ": " << disk.target << " " << disk.path
                << " (format " << (disk.format.empty() ? "probed" : disk.format)
                << (options.readonly ? ", read-only" : "") << (options.no_locking ? ", not locked" : "") << ")\n";
    try {
      h.add_drive(disk.path, options);
    } catch (const Error& e) {
      throw Error(domain.name + ": " + e.what());
    }
  }
}

}  // namespace vt::libvirt
