// The QEMU command line and the choice of accelerator.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "appliance.hpp"

namespace vt {

enum class Accelerator { kvm, tcg };

struct QemuConfig {
  Appliance appliance;
  Accelerator accel = Accelerator::tcg;
  std::string machine;  // "microvm" or "q35"
  std::string daemon_socket;
  std::string qmp_socket;
  bool verbose = false;
  int memory_mb = 768;
  int smp = 1;
  // More kernel command line (a tool's --append), after VIRT_TOOLS_APPEND.
  std::string append;
  // Guest RAM in this file instead of anonymous memory: shared (written
  // through) while booting the appliance whose state is saved, private
  // (copy on write) when restoring it.  Empty: anonymous memory.
  std::string ram_file;
  bool ram_shared = false;
};

// The QEMU binary, or an Error naming the package to install.
std::string qemu_binary();

std::vector<std::string> qemu_command(const QemuConfig& c);

// VIRT_TOOLS_MACHINE, else the default machine type.
std::string machine_type();

// The accelerator to use without trying: forced by VIRT_TOOLS_ACCEL, TCG when
// /dev/kvm is unusable, or a verdict remembered from an earlier launch.
// nullopt means KVM must be tried (and the verdict recorded).
std::optional<Accelerator> known_accelerator();
void remember_accelerator(Accelerator a);

const char* accelerator_name(Accelerator a);

// A saved appliance state: the memory and devices of an appliance that has
// booted and whose daemon waits for its first call, saved by QEMU's migration
// to a file.  Restoring it replaces the boot (launch in a fraction of the
// time).  The file name is keyed by everything the state depends on: the
// QEMU command line (without the per-run socket paths), the QEMU binary and
// the appliance's files.  Empty if saved states are off (VIRT_TOOLS_NO_SAVED_STATE=1).
std::string saved_state_path(const QemuConfig& c);
// The other saved states of the same kind (stale after an appliance rebuild),
// and RAM files (see saved_state_ram_file) that `current_ram` is not.
std::vector<std::string> stale_saved_states(const std::string& current, const std::string& current_ram);
// The file a first launch locks (flock) while it boots to save `state`, so
// that launches racing it wait and restore instead of each booting and saving.
std::string saved_state_lock_path(const std::string& state);

// The guest RAM of a saved state lives beside it in its own file, which
// restores map copy-on-write: restoring then copies only what the device
// state needs, and the appliance's memory is the host's page cache, shared by
// every tool that runs at once, until the guest writes to it.  The state file
// starts with one line naming its RAM file, so a state and its RAM always
// match even while another launch replaces both.
std::string new_saved_state_ram_file(const std::string& state);
std::string ram_file_header(const std::string& ram_file);
// Reads the header from `state_fd`, leaving the offset at QEMU's stream; the
// RAM file's path, or "" if the header is missing or names no file of `state`.
std::string read_ram_file_header(int state_fd, const std::string& state);

}  // namespace vt
