#include "machine_readable.hpp"

#include <cerrno>

#include "errors.hpp"

namespace vt {

MachineReadable::MachineReadable(const std::string& spec) {
  auto invalid = [&] { return Error("invalid output for --machine-readable: " + spec); };
  if (spec.empty() || spec == "stream:stdout") return;
  if (spec == "stream:stderr") {
    out_ = stderr;
  } else if (spec.rfind("file:", 0) == 0 && spec.size() > 5) {
    std::string name = spec.substr(5);
    out_ = std::fopen(name.c_str(), "we");
    if (!out_) throw Error(errno_message(name, errno));
    owned_ = true;
  } else if (spec.rfind("fd:", 0) == 0 && spec.size() > 3) {
    int fd = -1;
    try {
      size_t used = 0;
      fd = std::stoi(spec.substr(3), &used);
      if (used != spec.size() - 3 || fd < 0) throw invalid();
    } catch (const std::logic_error&) {
      throw invalid();
    }
    out_ = ::fdopen(fd, "w");
    if (!out_) throw Error(errno_message("--machine-readable: fd " + std::to_string(fd), errno));
    owned_ = true;
  } else {
    throw invalid();
  }
}

MachineReadable::~MachineReadable() {
  if (owned_) std::fclose(out_);
}

void MachineReadable::print(const std::string& text) {
  std::fputs(text.c_str(), out_);
  std::fflush(out_);
}

}  // namespace vt
