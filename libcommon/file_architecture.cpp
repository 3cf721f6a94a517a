// file_architecture: the architecture of an ELF or PE binary in the guest,
// read from its header alone (a few pread calls), in libguestfs's
// vocabulary ("x86_64", "i386", "aarch64", "arm", "ppc64le"...).
#include <cstdint>

#include "errors.hpp"
#include "handle.hpp"
#include "inspect.hpp"
#include "trace_format.hpp"

namespace vt {

namespace inspect {

namespace {

// Little- or big-endian unsigned integers at `offset`; the caller has
// checked that the bytes are there.
uint32_t get_le(const std::string& b, size_t offset, int size) {
  uint32_t v = 0;
  for (int i = size - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[offset + static_cast<size_t>(i)]);
  return v;
}

uint32_t get_be(const std::string& b, size_t offset, int size) {
  uint32_t v = 0;
  for (int i = 0; i < size; ++i) v = (v << 8) | static_cast<uint8_t>(b[offset + static_cast<size_t>(i)]);
  return v;
}

std::optional<std::string> elf_architecture(const std::string& b) {
  constexpr size_t kMachineOffset = 18;  // e_machine, after e_ident[16] and e_type
  if (b.size() < kMachineOffset + 2) return std::nullopt;
  int ei_class = static_cast<uint8_t>(b[4]), ei_data = static_cast<uint8_t>(b[5]);
  if ((ei_class != 1 && ei_class != 2) || (ei_data != 1 && ei_data != 2)) return std::nullopt;
  bool is64 = ei_class == 2, little = ei_data == 1;
  uint32_t machine = little ? get_le(b, kMachineOffset, 2) : get_be(b, kMachineOffset, 2);
  switch (machine) {
    case 2:     // EM_SPARC
    case 18:    // EM_SPARC32PLUS
      return "sparc";
    case 3:     // EM_386
    case 6:     // EM_486
      return "i386";
    case 8:     // EM_MIPS
    case 10:    // EM_MIPS_RS3_LE
      return is64 ? "mips64" : "mips";
    case 20:    // EM_PPC
      return "ppc";
    case 21:    // EM_PPC64
      return little ? "ppc64le" : "ppc64";
    case 22:    // EM_S390: both s390 (31 bit) and s390x
      return is64 ? "s390x" : "s390";
    case 40:    // EM_ARM
      return "arm";
    case 43:    // EM_SPARCV9
      return "sparc64";
    case 50:    // EM_IA_64
      return "ia64";
    case 62:    // EM_X86_64
      return "x86_64";
    case 183:   // EM_AARCH64
      return "aarch64";
    case 243:   // EM_RISCV
      return is64 ? "riscv64" : "riscv32";
    case 258:   // EM_LOONGARCH
      return is64 ? "loongarch64" : "loongarch32";
    default:
      return std::nullopt;
  }
}

std::optional<std::string> pe_architecture(const std::string& b) {
  constexpr size_t kLfanewOffset = 0x3c;
  if (b.size() < kLfanewOffset + 4) return std::nullopt;
  uint64_t pe = get_le(b, kLfanewOffset, 4);
  // "PE\0\0" then the COFF header's Machine.
  if (pe > b.size() || b.size() - pe < 6) return std::nullopt;
  if (b.compare(static_cast<size_t>(pe), 4, std::string("PE\0\0", 4)) != 0) return std::nullopt;
  switch (get_le(b, static_cast<size_t>(pe) + 4, 2)) {
    case 0x014c: return "i386";
    case 0x8664: return "x86_64";
    case 0xaa64: return "aarch64";
    case 0x0200: return "ia64";
    case 0x01c0:
    case 0x01c4: return "arm";
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> binary_architecture(const std::string& header_bytes) {
  if (header_bytes.compare(0, 4, "\x7f" "ELF") == 0) return elf_architecture(header_bytes);
  if (header_bytes.compare(0, 2, "MZ") == 0) return pe_architecture(header_bytes);
  return std::nullopt;
}

}  // namespace inspect

std::string Handle::file_architecture(const std::string& filename) {
  if (trace_enabled()) trace_call("file_architecture", {trace_format(filename)});
  // Enough for an ELF header and for the PE header of nearly every
  // executable; a PE header further in is fetched on its own.
  constexpr int32_t kHeadSize = 4096;
  constexpr uint32_t kMaxPeOffset = 1024 * 1024;
  std::string header = pread(filename, kHeadSize, 0);
  if (header.compare(0, 2, "MZ") == 0 && header.size() >= 0x40) {
    uint32_t pe = 0;
    for (int i = 3; i >= 0; --i) pe = (pe << 8) | static_cast<uint8_t>(header[0x3c + static_cast<size_t>(i)]);
    if (pe + 6 > header.size() && pe < kMaxPeOffset) {
      std::string coff = pread(filename, 6, pe);
      header.resize(pe, '\0');
      header += coff;
    }
  }
  auto arch = inspect::binary_architecture(header);
  if (!arch) throw Error("file_architecture: " + filename + ": not an ELF or PE binary of a known architecture");
  if (trace_enabled()) trace_return("file_architecture", trace_format(*arch));
  return *arch;
}

}  // namespace vt
