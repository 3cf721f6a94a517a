// libvirt guests (-d DOMAIN, -c URI): a domain's disks, read from its XML
// through libvirt, added to a Handle.  The connection is closed once the
// disks are known: nothing of libvirt stays open while the appliance runs.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "handle.hpp"

namespace vt::libvirt {

// One <disk> of a domain that has an image to open.
struct DomainDisk {
  std::string target;     // <target dev=>: vda, sdb, … (for messages)
  std::string path;       // an image file or a host block device
  std::string format;     // <driver type=>; empty: probed
  bool readonly = false;  // <readonly/>
  int blocksize = 0;      // <blockio logical_block_size=>; 0: the default
};

struct Domain {
  std::string name, uuid;
  bool running = false;  // any state but shut off: paused and crashed guests hold their disks too
  std::vector<DomainDisk> disks;
};

// (pool, volume) to the volume's path, for <disk type='volume'>.
using VolumePath = std::function<std::string(const std::string& pool, const std::string& volume)>;

// The disks of a domain's XML, in order.  Drives with no image (an empty
// CD-ROM or floppy) are left out; a disk this tool cannot open (network,
// directory, NVMe, vhost-user) is an error naming it.
std::vector<DomainDisk> disks_from_xml(const std::string& xml, const VolumePath& volume_path);

// A read-only connection: reading XML and states needs no more.
class Connection {
 public:
  // No URI: libvirt's default (LIBVIRT_DEFAULT_URI, its configuration, or
  // qemu:///system for root).
  explicit Connection(const std::optional<std::string>& uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A domain by UUID or else by name, with its disks.
  Domain domain(const std::string& name_or_uuid);
  // Every domain, running or not, sorted by name.
  std::vector<std::string> domain_names();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Adds the domain's disks to `h`: all read-only if `readonly`, else those
// marked <readonly/>.  A running domain is only opened read-only, and then
// without locking its images.  Errors name the domain.
void add_domain_disks(Handle& h, const Domain& domain, bool readonly);

// A libvirt domain as a guest of its own, its disks added to `handle`
// (see every_domain in options.hpp).
struct DomainGuest {
  std::string name, uuid;
  std::unique_ptr<Handle> handle;
};

}  // namespace vt::libvirt
