#include "progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace vt {

namespace {

// Columns taken by everything but the bar: spinner and space (2),
// percentage and space (5), the bar's two ends and a space (3), time (5).
constexpr unsigned kOverhead = 15;

bool utf8_locale() {
  for (const char* var : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = ::getenv(var);
    if (!v || !*v) continue;
    std::string s(v);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s.find("utf-8") != std::string::npos || s.find("utf8") != std::string::npos;
  }
  return false;
}

}  // namespace

ProgressBar::Mode ProgressBar::choose(bool quiet, bool machine_readable) {
  if (machine_readable) return Mode::machine_readable;
  if (quiet || !::isatty(STDOUT_FILENO)) return Mode::off;
  const char* term = ::getenv("TERM");
  if (!term || !*term || std::strcmp(term, "dumb") == 0) return Mode::off;
  return Mode::terminal;
}

ProgressBar::ProgressBar(Mode mode) : mode_(mode) {
  if (mode_ != Mode::terminal) return;
  tty_ = std::fopen("/dev/tty", "w");
  FILE* out = tty_ ? tty_ : stdout;
  winsize ws{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) style_.columns = ws.ws_col;
  style_.utf8 = utf8_locale();
  // Too narrow for a bar: say nothing rather than wrap lines.
  if (style_.columns < 32) mode_ = Mode::off;
  reset();
}

ProgressBar::~ProgressBar() {
  if (tty_) std::fclose(tty_);
}

void ProgressBar::reset() {
  drawn_ = 0;
  start_ = std::chrono::steady_clock::now();
  smoothed_total_ = 0;
}

std::optional<double> ProgressBar::estimate_time_left(double ratio) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (ratio <= 0 || ratio >= 1) return ratio >= 1 ? std::optional<double>(0.0) : std::nullopt;
  // Each update predicts the whole run's length; smoothing the predictions
  // keeps the figure from jumping with every burst of the copy.
  double predicted = elapsed / ratio;
  smoothed_total_ = smoothed_total_ == 0 ? predicted : 0.8 * smoothed_total_ + 0.2 * predicted;
  // Early predictions are noise.
  if (elapsed < 2.0) return std::nullopt;
  return std::max(0.0, smoothed_total_ - elapsed);
}

void ProgressBar::update(uint64_t position, uint64_t total) {
  if (mode_ == Mode::off || total == 0) return;
  if (mode_ == Mode::machine_readable) {
    std::printf("%llu/%llu\n", static_cast<unsigned long long>(position), static_cast<unsigned long long>(total));
    std::fflush(stdout);
    return;
  }
  double ratio = std::min(1.0, static_cast<double>(position) / static_cast<double>(total));
  std::optional<double> left = estimate_time_left(ratio);
  auto now = std::chrono::steady_clock::now();
  // A redraw costs a terminal write: ten a second is enough, but the last one always shows.
  if (drawn_ > 0 && ratio < 1 && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  FILE* out = tty_ ? tty_ : stdout;
  std::fflush(stdout);
  // Back up over the bar drawn before and draw it anew.
  if (drawn_ > 0) std::fputs("\x1b[A", out);
  std::fputs(render(position, total, drawn_, left, style_).c_str(), out);
  std::fputc('\n', out);
  std::fflush(out);
  ++drawn_;
}

std::string ProgressBar::format_time_left(std::optional<double> seconds) {
  if (!seconds || *seconds < 0) return "--:--";
  char buf[32];
  double s = *seconds;
  if (s >= 100 * 3600)
    std::snprintf(buf, sizeof buf, ">%dh", static_cast<int>(s / 3600));
  else if (s >= 100 * 60)
    std::snprintf(buf, sizeof buf, "%02dh%02d", static_cast<int>(s / 3600), static_cast<int>(std::fmod(s, 3600) / 60));
  else
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(s / 60), static_cast<int>(std::fmod(s, 60)));
  return buf;
}

std::string ProgressBar::render(uint64_t position, uint64_t total, unsigned tick, std::optional<double> seconds_left,
                                const Style& style) {
  static const char* utf8_spinner[] = {"\u25d0", "\u25d3", "\u25d1", "\u25d2"};
  static const char* ascii_spinner[] = {"/", "-", "\\", "|"};
  double ratio = total ? std::min(1.0, static_cast<double>(position) / static_cast<double>(total)) : 0;
  std::string line;
  if (ratio < 1) {
    char percent[16];
    std::snprintf(percent, sizeof percent, "%3d%% ", static_cast<int>(100 * ratio));
    line = std::string(style.utf8 ? utf8_spinner[tick % 4] : ascii_spinner[tick % 4]) + percent;
  } else {
    line = " 100% ";
  }
  unsigned width = style.columns > kOverhead ? style.columns - kOverhead : 0;
  unsigned filled = static_cast<unsigned>(ratio * width);
  line += style.utf8 ? "\u27e6" : "[";
  for (unsigned i = 0; i < width; ++i) line += i < filled ? (style.utf8 ? "\u2592" : "#") : (style.utf8 ? "\u2550" : "-");
  line += style.utf8 ? "\u27e7 " : "] ";
  line += format_time_left(ratio >= 1 ? std::optional<double>(0.0) : seconds_left);
  return line;
}

}  // namespace vt
