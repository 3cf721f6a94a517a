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
// The other saved states of the same kind (stale after an appliance rebuild).
std::vector<std::string> stale_saved_states(const std::string& current);

}  // namespace vt
