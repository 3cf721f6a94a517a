// Shared pieces of the appliance daemon: errors, the connection to the
// library, file streams, argument checks and guest path resolution.
#pragma once

#include <blkid/blkid.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "process.hpp"
#include "protocol.hpp"
#include "unique_c.hpp"

namespace vt::daemon {

// A call failed: sent back as an error reply with the errno's name.
class DaemonError : public std::runtime_error {
 public:
  DaemonError(int err, const std::string& msg) : std::runtime_error(msg), err_(err) {}
  int err() const { return err_; }

 private:
  int err_;
};

// "what: strerror(errno)" as a DaemonError.
[[noreturn]] void throw_errno(const std::string& what, int err = errno);

// Writes all of data to fd (retrying short writes); errors name path.
void write_all(int fd, std::string_view data, const std::string& path);

class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  std::optional<proto::Message> read() { return proto::read_message(fd_); }
  void send(const proto::Header& h, std::string_view payload) { proto::write_message(fd_, h, payload); }
  // Sends a message of `kind` answering the call `call`.
  void send_for(const proto::Header& call, proto::Kind kind, proto::Status status, std::string_view payload);
  int fd() const { return fd_; }

 private:
  int fd_;
};

// The FileIn side of a call: chunks sent by the library after the request.
// Whatever happens, the stream is read to its end so the connection stays in
// step (the destructor drains it).
class FileInStream {
 public:
  FileInStream(Connection& conn, const proto::Header& call) : conn_(conn), call_(call) {}
  ~FileInStream();
  FileInStream(const FileInStream&) = delete;
  FileInStream& operator=(const FileInStream&) = delete;
  // The next piece of data, or nullopt at the end.  Throws if the library cancelled.
  std::optional<std::string> next();
  void finish();

 private:
  Connection& conn_;
  proto::Header call_;
  bool done_ = false;
};

// The FileOut side of a call: chunks sent before the reply.  If the call fails
// midway, the destructor sends a cancel chunk so the library stops waiting.
class FileOutStream {
 public:
  FileOutStream(Connection& conn, const proto::Header& call) : conn_(conn), call_(call) {}
  ~FileOutStream();
  FileOutStream(const FileOutStream&) = delete;
  FileOutStream& operator=(const FileOutStream&) = delete;
  void write(std::string_view data);
  void finish();

 private:
  void send_chunk(const proto::Chunk& c);
  Connection& conn_;
  proto::Header call_;
  std::string pending_;
  bool done_ = false;
};

// Progress of the current call (rate-limited; a no-op when nobody listens).
void send_progress(uint64_t position, uint64_t total);

void check_optargs_mask(const char* call, uint64_t mask, uint64_t known);
void check_device(const char* call, const std::string& device);

// A Mountable argument: a device, or a btrfs subvolume written as
// btrfsvol:DEVICE/SUBVOLUME (libguestfs's form, which list_filesystems
// returns).  `subvolume` is empty for a plain device.
struct Mountable {
  std::string device;
  std::string subvolume;
};
Mountable parse_mountable(const char* call, const std::string& mountable);
inline void check_mountable(const char* call, const std::string& mountable) { parse_mountable(call, mountable); }

// The subvolumes list_filesystems shows for a btrfs device: every one but
// the default (which mounting the device itself gives), in btrfs's order.
std::vector<std::string> listed_btrfs_subvolumes(const std::string& device);
void check_pathname(const char* call, const std::string& path);

// After internal_rescue has answered: runs the rescue shell on `channel`
// until it ends (rescue.cpp) and returns true; false if no call asked.
bool run_rescue_if_asked(int channel);

// Guest filesystems are mounted under this directory.
inline constexpr const char* kSysroot = "/sysroot";

// Opens a path inside the mounted guest.  Symbolic links are resolved as if
// /sysroot were the root directory, so a hostile guest cannot point us at the
// appliance's own files.
UniqueFd open_in_guest(const std::string& path, int flags, bool follow_last = true);
// Opens the directory holding `path` and returns it with the last component.
std::pair<UniqueFd, std::string> open_guest_parent(const std::string& path);

// Runs a program in the appliance; throws with its stderr if it fails.
std::string run_or_fail(const std::vector<std::string>& argv, const std::string& what);
// The same run (logged with -v, timed, output capped), its failure left to
// the caller.
CommandResult run_logged(const std::vector<std::string>& argv, const std::string& what);

// Block devices: the whole disks added by the library (/dev/sda …), sorted.
std::vector<std::string> guest_disks();
// Partitions of one disk, sorted by number.
std::vector<std::string> disk_partitions(const std::string& disk);
// Waits until the kernel's partitions of `disk` have device nodes.
void wait_for_partition_nodes(const std::string& disk);

// The partition table of a disk, read with libblkid.  Throws if the disk
// has none.
class PartitionTable {
 public:
  explicit PartitionTable(const std::string& disk);
  ~PartitionTable();
  PartitionTable(const PartitionTable&) = delete;
  PartitionTable& operator=(const PartitionTable&) = delete;
  std::string type() const;  // "msdos" or "gpt"
  int count() const;
  blkid_partition at(int i) const;
  blkid_partition by_number(int n) const;

 private:
  std::string disk_;
  blkid_probe probe_ = nullptr;
  blkid_partlist list_ = nullptr;
};

// A libblkid probe, freed on every path.
using BlkidProbe = UniqueC<blkid_struct_probe, blkid_free_probe>;

// Filesystem type as blkid reports it ("" if none), and label/UUID.
std::string probe_value(const std::string& device, const char* name);

// Loads a kernel module and its dependencies (no-op if already loaded).
void load_module(const std::string& name);

// The environment LVM commands run with (configuration in /tmp).
std::vector<std::string> lvm_command(std::initializer_list<std::string> args);

// Activates every volume group on `devices` (the guest's disks and
// partitions).  When every LV `vgchange -ay` would activate is plain
// (PlainLv), the daemon activates them itself from the on-disk metadata, and
// no lvm process runs; otherwise lvm does.  The reports the LVM calls answer
// from are read later, by the first call that needs them: lvs alone does
// not, after an activation that succeeded (active_plain_lvs).
void lvm_activate(const std::vector<std::string>& devices);
// An LV that device-mapper's linear target can map as it is: every segment
// one area on one PV.  Sizes and offsets in 512-byte sectors.
struct PlainLv {
  std::string vg, lv;
  std::string vg_uuid, lv_uuid;  // without dashes, as lvm's device-mapper UUIDs hold them
  bool read_only = false;
  struct Segment {
    uint64_t start = 0, length = 0;
    std::string pv_path;
    dev_t pv_device = 0;
    uint64_t pv_offset = 0;
  };
  std::vector<Segment> segments;
  dev_t device = 0;  // set once activated
};
// lvm's name for an LV's device-mapper device: VG-LV, each dash doubled.
std::string lvm_dm_device_name(const std::string& vg, const std::string& lv);
// Activates them as lvm would (device-mapper name, UUID, table, the node in
// /dev/mapper and /dev/VG/LV).  false, with nothing left behind, if any of
// them cannot be (a name already in /dev, a device-mapper error): then lvm
// must do it.
bool dm_activate_plain_lvs(std::vector<PlainLv>& lvs);
// How many openers a device-mapper device has (lvm's "open" attribute), -1 if unknown.
int dm_open_count(dev_t device);
// Removes device-mapper device `name` (closed, held by nothing).
bool dm_remove_device(const std::string& name);
// Whether the device has an LVM2 physical volume label ("LABELONE", then
// "LVM2 001", in one of its first four sectors).  A read of 2 KiB instead of
// a blkid probe of every known superblock (about 30 ms a device under TCG):
// it decides whether LVM is looked at at all.
bool has_lvm_label(const std::string& device);
// What `vgchange -ay` would activate, read from the LVM2 labels and metadata
// on `devices`, in lvm's order (VGs by name, each VG's LVs as its metadata
// lists them), when all of it is plain: no VG exported, clustered, shared,
// foreign or missing a PV, no PV on two devices, every LV visible with only
// linear segments (no snapshot, thin, mirror, RAID, cache, VDO, stripes).
// nullopt otherwise, with `why`: that is for lvm.
// With `rows`, also what lvm's pvs, vgs and lvs reports would say (the
// fields the LVM calls read, before activation), when that is certain.
struct LvmRows {
  std::vector<std::map<std::string, std::string>> pvs, vgs, lvs;
};
std::optional<std::vector<PlainLv>> plain_lvs_from_metadata(const std::vector<std::string>& devices, std::string& why,
                                                            std::optional<LvmRows>* rows = nullptr);

// No device has a PV label: lvs (and list_filesystems) know there is no LV
// without running lvm at all.
void lvm_none_found();

// The LVs that lvs lists, from the device-mapper devices LVM made, when each
// of them is a plain public LV; nullopt when any is a layer or a hidden part
// of a pool, mirror, RAID, cache or snapshot (then only lvm can tell).
std::optional<std::vector<std::string>> active_plain_lvs();

// Compiles the Fstab lens of internal_read_fstab's own augeas handle, so
// that a saved appliance state holds it compiled.
void warm_fstab_augeas();

// Forgets those reports unless `call` (a procedure name) cannot change LVM.
void lvm_reports_forget_unless_kept_by(const char* call);

extern bool g_verbose;

}  // namespace vt::daemon
