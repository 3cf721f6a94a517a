// What a fatal signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) must undo before
// the tool dies: QEMU processes to kill, temporary directories and
// half-written output files to remove.  Destructors do this on every normal
// exit path; the registry covers the one they cannot.
#pragma once

#include <sys/types.h>

#include <string>

namespace vt {

// One entry of the registry, held by what owns the resources.  The signal
// handler only reads plain arrays with async-signal-safe calls.
class SignalCleanup {
 public:
  SignalCleanup();  // installs the handlers on first use
  ~SignalCleanup();
  SignalCleanup(const SignalCleanup&) = delete;
  SignalCleanup& operator=(const SignalCleanup&) = delete;

  void kill_on_signal(pid_t pid);       // 0: none
  void remove_tree_on_signal(const std::string& dir);
  void remove_file_on_signal(const std::string& file);
  void clear();                         // nothing left to undo

 private:
  int slot_ = -1;  // -1: the registry was full (the resources then leak on a signal)
};

}  // namespace vt
