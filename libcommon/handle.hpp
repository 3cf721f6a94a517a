// The public handle: add drives, launch the appliance, make calls, shut down.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api_types.hpp"
#include "appliance.hpp"
#include "launch.hpp"
#include "qcow2_backing.hpp"
#include "process.hpp"
#include "protocol.hpp"

namespace vt {

struct DriveOptions {
  bool readonly = false;
  std::string format;  // "raw", "qcow2", …; empty: probe (qcow2 by magic, else raw)
  int blocksize = 0;   // the disk's sector size as the appliance sees it: 512 or 4096; 0: QEMU's (512)
  // Discards in the appliance (fstrim, blkdiscard) free space in the image,
  // and blocks written as zeroes are discarded too (virt-sparsify).
  bool discard = false;
  // QEMU does not flush the image to the host disk: for an output that is
  // worthless until the job completes, which then syncs it itself.
  bool cache_unsafe = false;
  // QEMU takes no lock on the image (file.locking=off): the disk of a
  // running guest, opened read-only, whose QEMU holds its own locks.
  bool no_locking = false;
  // Set for a qcow2 overlay the tool made itself: the files below it (see
  // overlay_chain).  Otherwise a qcow2's chain is read from its headers.
  std::optional<std::vector<BackingFile>> backing = std::nullopt;
};

struct Drive {
  std::string path;
  DriveOptions options;
  std::string format;  // resolved
  bool plugged = false;  // attached to the running appliance
  // A read-only drive's throwaway qcow2 overlay, which takes the appliance's
  // writes (in the Handle's temporary directory); empty for other drives.
  std::string overlay;
  std::vector<BackingFile> backing;  // what a qcow2 drive is opened over
};

class QmpClient;
class SignalCleanup;
namespace inspect {
struct Inspection;
}

// Where an appliance's RAM lives (see saved_state_path in launch.hpp).
struct RamBacking {
  std::string file;  // empty: anonymous memory
  bool shared = false;
};

class Handle {
 public:
  Handle();
  ~Handle();
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  // -v: appliance console and boot phases on stderr.
  void set_verbose(bool v) { verbose_ = v; }
  bool verbose() const { return verbose_; }
  // -x: one trace line per call with its arguments, one with its result.
  void set_trace(bool t) { trace_ = t; }
  // Called with position/total while a call that reports progress runs.
  void set_progress_callback(std::function<void(uint64_t, uint64_t)> cb) { progress_ = std::move(cb); }
  // Name used as the prefix of trace and verbose lines.
  void set_program_name(const std::string& name) { program_ = name; }
  // The tool's name, which starts its warnings and errors.
  const std::string& program_name() const { return program_; }

  // Checks the file now (exists, readable, format) so errors name the disk
  // before anything is launched.  Once the appliance runs, the disk is
  // plugged into it at once.  Returns the drive's index.
  size_t add_drive(const std::string& path, const DriveOptions& opts = {});
  // Unplugs a drive from the running appliance (nothing of it may be
  // mounted); its LVM volume groups are deactivated first.
  void remove_drive(size_t index);
  const std::vector<Drive>& drives() const { return drives_; }

  void launch();
  // Syncs writable disks, then stops the appliance.  Also done by the destructor.
  void shutdown();
  bool launched() const { return static_cast<bool>(qemu_); }

  // The last lines the appliance printed on its console.
  std::string console_tail(size_t lines = 20) const;
  // The appliance's memory, CPUs and extra kernel command line (virt-rescue's
  // --memsize, --smp, --append), before launch.  An appliance other than the
  // default boots: its state is neither restored nor saved.
  struct ApplianceSettings {
    int memory_mb = 0;  // 0: the default
    int smp = 0;        // 0: one CPU
    std::string append;
  };
  void set_appliance_settings(const ApplianceSettings& s) { settings_ = s; }

  // After a call that turns the daemon's channel into another stream
  // (internal_rescue): the channel and the bytes already read past that
  // call's reply.  No more calls can be made; shutdown() still stops QEMU.
  struct DaemonChannel {
    UniqueFd fd;
    std::string pending;
  };
  DaemonChannel take_daemon_channel();
  // The appliance's serial console, for a caller polling it with its own
  // descriptors (-1 once QEMU has closed it); pump_console() reads what is
  // there (shown with -v, kept for error messages) without waiting.
  int console_fd() const { return console_fd_.get(); }
  void pump_console() { drain_console(0); }

  // Milliseconds from the start of launch() to daemon ready, for benchmarks.
  double launch_ms() const { return launch_ms_; }
  pid_t qemu_pid() const { return qemu_ ? qemu_->pid() : -1; }

  // What inspect_os found, for the inspect_* calls (libcommon/inspect.hpp).
  inspect::Inspection& inspection();

  // One method per API call, generated from the API table.
#include "handle_methods.inc"

  // Sends a request and returns the reply payload; streams the host file
  // `filein` to the daemon, or the daemon's stream into `fileout`.
  std::string call_raw(uint32_t procedure, uint64_t optargs_mask, std::string payload, const std::string* filein,
                       const std::string* fileout);

 private:
  bool trace_enabled() const { return trace_; }
  void trace_call(const char* name, const std::vector<std::string>& args);
  void trace_return(const char* name, const std::string& result);
  void log_phase(const std::string& what);

  enum class Accel { kvm, tcg };
  QemuConfig qemu_config(const Appliance& app, Accel accel) const;
  // One attempt at starting QEMU and reaching daemon 'ready'.  Throws on failure.
  // With state_fd >= 0 the appliance is restored from that saved state instead
  // of booting.
  void start_appliance(const Appliance& app, Accel accel, std::chrono::milliseconds ready_timeout, int state_fd = -1,
                       const RamBacking& ram = {});
  // Boots, or restores the saved state (saving one first if there is none).
  void start_or_restore(const Appliance& app, Accel accel);
  // While one lives, calls fail the appliance if no reply comes by its
  // deadline (launch-time calls: a stuck appliance must not hang the tool).
  class CallDeadline {
   public:
    CallDeadline(Handle& h, std::chrono::steady_clock::time_point deadline) : h_(h) { h_.call_deadline_ = deadline; }
    ~CallDeadline() { h_.call_deadline_.reset(); }
    CallDeadline(const CallDeadline&) = delete;
    CallDeadline& operator=(const CallDeadline&) = delete;

   private:
    Handle& h_;
  };
  bool save_state(const std::string& path, const std::string& ram_file);
  UniqueFd lock_for_saving(const std::string& state);
  void wait_until_running(std::chrono::steady_clock::time_point deadline);
  void resume_daemon(std::chrono::steady_clock::time_point deadline);
  void hot_add_drives();
  // Plugs drive `index` in over QMP (SCSI target `index`); the daemon is told by the caller.
  void plug_drive(size_t index);
  // Puts a new qcow2 overlay as node `node` over the read-only node `image_node`.
  void add_overlay(Drive& d, const std::string& node, const std::string& image_node);
  // Waits for QMP job `id` to conclude, dismisses it, and throws its error if it failed.
  void finish_qmp_job(const std::string& id);
  size_t plugged_drives() const;
  void stop_qemu();

  // Waits for the next daemon message, draining the console meanwhile.
  proto::Message read_daemon_message(std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
  void send_daemon_message(const proto::Header& h, std::string_view payload);
  void drain_console(int timeout_ms);
  void handle_console_bytes(std::string_view bytes);
  [[noreturn]] void fail_appliance(const std::string& why);

  bool verbose_ = false;
  bool trace_ = false;
  ApplianceSettings settings_;
  std::string program_ = "virt-tools";
  std::function<void(uint64_t, uint64_t)> progress_;
  std::vector<Drive> drives_;

  std::unique_ptr<TempDir> tmpdir_;
  std::unique_ptr<ChildProcess> qemu_;
  std::unique_ptr<QmpClient> qmp_;
  UniqueFd daemon_fd_;
  UniqueFd console_fd_;
  proto::FrameBuffer daemon_in_;
  std::string console_partial_;
  std::deque<std::string> console_lines_;
  uint32_t serial_ = 0;
  std::optional<std::chrono::steady_clock::time_point> call_deadline_;
  // How long a call may go without a word from the daemon; 0: for ever.
  std::chrono::seconds call_silence_limit_{0};
  std::unique_ptr<SignalCleanup> signal_cleanup_;  // while QEMU and tmpdir_ exist
  std::chrono::steady_clock::time_point launch_start_;
  double launch_ms_ = 0;
  std::optional<int> qemu_status_;  // once QEMU has been reaped
  std::unique_ptr<inspect::Inspection> inspection_;
};

}  // namespace vt
