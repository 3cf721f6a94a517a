// --machine-readable[=FORMAT] of libguestfs 1.48's tools: where the
// machine-readable output goes (stream:stdout, the default; stream:stderr;
// file:NAME; fd:N).
#pragma once

#include <cstdio>
#include <string>

namespace vt {

class MachineReadable {
 public:
  // `spec` empty: stdout.  Throws Error for a FORMAT not among the four.
  explicit MachineReadable(const std::string& spec);
  ~MachineReadable();
  MachineReadable(const MachineReadable&) = delete;
  MachineReadable& operator=(const MachineReadable&) = delete;

  void print(const std::string& text);
  // The stream itself, for writers of their own (the progress bar).
  FILE* stream() const { return out_; }

 private:
  FILE* out_ = stdout;
  bool owned_ = false;
};

}  // namespace vt
