// An output file that appears only once complete: it is written under a
// temporary name in the folder of its final name, then renamed over it.
// A job that fails, throws or is killed by a signal leaves nothing behind.
#pragma once

#include <string>

#include "signal_cleanup.hpp"

namespace vt {

class PendingOutput {
 public:
  // Picks a free temporary name beside `final_path` (nothing is created).
  explicit PendingOutput(const std::string& final_path);
  ~PendingOutput();  // removes the temporary file unless committed
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;

  const std::string& temp_path() const { return temp_; }
  const std::string& final_path() const { return final_; }
  // Flushes the file to the host's disk and renames it over the final name
  // (and flushes the folder, so the rename survives a crash too).
  void commit();

 private:
  std::string final_, temp_;
  bool committed_ = false;
  SignalCleanup on_signal_;
};

}  // namespace vt
