// The progress bar of the long-running tools (virt-resize, virt-sparsify),
// laid out as libguestfs 1.48 draws it:
//
//   ◐ 45% ⟦▒▒▒▒▒▒▒▒▒▒═════════════⟧ 00:12
//
// (spinner, percentage, bar, estimated time left), redrawn in place on the
// terminal.  With --machine-readable each update is a "POSITION/TOTAL" line
// on stdout instead; with -q, or when stdout is not a terminal, nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace vt {

class ProgressBar {
 public:
  enum class Mode { off, terminal, machine_readable };
  // The mode a tool's options ask for, given where stdout goes.
  static Mode choose(bool quiet, bool machine_readable);

  explicit ProgressBar(Mode mode);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Before each operation: the next update starts a new bar.
  void reset();
  void update(uint64_t position, uint64_t total);

  // The text of one bar, `columns` wide (for tests and the terminal).
  struct Style {
    bool utf8 = true;
    unsigned columns = 80;
  };
  static std::string render(uint64_t position, uint64_t total, unsigned tick, std::optional<double> seconds_left,
                            const Style& style);
  // "mm:ss", "HHhMM" from 100 minutes, ">NNh" from 100 hours; "--:--" unknown.
  static std::string format_time_left(std::optional<double> seconds);

 private:
  std::optional<double> estimate_time_left(double ratio);
  Mode mode_;
  FILE* tty_ = nullptr;  // the terminal, so the bar never mixes with redirected output
  Style style_;
  unsigned drawn_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  double smoothed_total_ = 0;
};

}  // namespace vt
