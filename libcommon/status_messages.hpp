// What the long-running tools (virt-resize, virt-sparsify) tell the user on
// stdout, in the forms of libguestfs 1.48's tools:
//
//   [   1.2] Copying /dev/sda1                  message(): elapsed seconds
//   virt-resize: There is a surplus of 10.0M.   info()
//   virt-resize: warning: ...                   warning()
//
// coloured on a terminal (or with --colours), wrapped at 76 columns on a
// terminal (or with --wrap); -q silences messages and infos.
#pragma once

#include <chrono>
#include <string>

namespace vt {

class StatusMessages {
 public:
  struct Settings {
    bool quiet = false;
    bool colours = false;  // --colours: even when stdout is not a terminal
    bool wrap = false;     // --wrap: even when stdout is not a terminal
  };
  StatusMessages(std::string program, const Settings& settings);

  void message(const std::string& text) const;
  void info(const std::string& text) const;
  void warning(const std::string& text) const;
  bool quiet() const { return settings_.quiet; }
  const std::string& program() const { return program_; }

  // Words wrapped so no line reaches column 76 ("\n" breaks a line too).
  static std::string wrap(const std::string& text);

 private:
  void print(const char* colour, const std::string& text) const;
  std::string program_;
  Settings settings_;
  bool colour_, wrap_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace vt
