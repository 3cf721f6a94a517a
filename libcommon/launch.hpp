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

}  // namespace vt
