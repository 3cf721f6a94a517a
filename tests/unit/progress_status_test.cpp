// The long-running tools' progress bar and status lines (progress_bar.hpp,
// status_messages.hpp): the shapes libguestfs 1.48 draws and prints.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include <unistd.h>

#include "progress_bar.hpp"
#include "status_messages.hpp"

using vt::ProgressBar;
using vt::StatusMessages;

TEST(ProgressBar, TimeLeftFormats) {
  EXPECT_EQ(ProgressBar::format_time_left(std::nullopt), "--:--");
  EXPECT_EQ(ProgressBar::format_time_left(-1.0), "--:--");
  EXPECT_EQ(ProgressBar::format_time_left(0.0), "00:00");
  EXPECT_EQ(ProgressBar::format_time_left(75.4), "01:15");
  EXPECT_EQ(ProgressBar::format_time_left(99 * 60 + 59), "99:59");
  EXPECT_EQ(ProgressBar::format_time_left(100 * 60), "01h40");
  EXPECT_EQ(ProgressBar::format_time_left(100 * 3600 + 5), ">100h");
}

TEST(ProgressBar, RenderFillsTheWidthInProportion) {
  ProgressBar::Style ascii{false, 40};
  std::string half = ProgressBar::render(50, 100, 0, 12.0, ascii);
  EXPECT_EQ(half.rfind("/ 50% [", 0), 0u) << half;
  EXPECT_EQ(half.substr(half.size() - 5), "00:12");
  size_t open = half.find('['), close = half.find(']');
  ASSERT_NE(close, std::string::npos);
  std::string bar = half.substr(open + 1, close - open - 1);
  size_t filled = static_cast<size_t>(std::count(bar.begin(), bar.end(), '#'));
  EXPECT_EQ(filled, bar.size() / 2);  // whole cells only
  EXPECT_EQ(std::count(bar.begin(), bar.end(), '-') + filled, bar.size());
  // The spinner turns with each redraw; the end shows 100% and no time left.
  EXPECT_EQ(ProgressBar::render(50, 100, 1, 12.0, ascii)[0], '-');
  std::string done = ProgressBar::render(100, 100, 3, std::nullopt, ascii);
  EXPECT_EQ(done.rfind(" 100% [", 0), 0u) << done;
  EXPECT_EQ(done.substr(done.size() - 5), "00:00");
  EXPECT_EQ(done.find('-'), std::string::npos);
  // Nothing divides by zero; past the end is the end.
  EXPECT_EQ(ProgressBar::render(0, 0, 0, std::nullopt, ascii).rfind("/  0% [", 0), 0u);
  EXPECT_EQ(ProgressBar::render(200, 100, 0, std::nullopt, ascii).rfind(" 100% ", 0), 0u);
  std::string utf8 = ProgressBar::render(1, 4, 0, 3.0, {true, 80});
  EXPECT_EQ(utf8.rfind("\u25d0 25% \u27e6\u2592", 0), 0u) << utf8;
}

TEST(ProgressBar, QuietOrMachineReadable) {
  EXPECT_EQ(ProgressBar::choose(true, false), ProgressBar::Mode::off);
  EXPECT_EQ(ProgressBar::choose(true, true), ProgressBar::Mode::machine_readable);
  EXPECT_EQ(ProgressBar::choose(false, true), ProgressBar::Mode::machine_readable);
}

TEST(StatusMessages, WrapsBeforeColumn76) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "word" + std::to_string(i) + " ";
  text += "end";
  std::string wrapped = StatusMessages::wrap(text);
  std::istringstream lines(wrapped);
  std::string line, rejoined;
  int count = 0;
  while (std::getline(lines, line)) {
    EXPECT_LT(line.size(), 76u) << line;
    EXPECT_NE(line.back(), ' ');
    rejoined += (count++ ? " " : "") + line;
  }
  EXPECT_GT(count, 2);
  EXPECT_EQ(rejoined, text);
  EXPECT_EQ(StatusMessages::wrap("short\nlines stay"), "short\nlines stay");
  std::string long_word(100, 'x');
  EXPECT_EQ(StatusMessages::wrap(long_word), long_word);  // never split inside a word
}

TEST(StatusMessages, ElapsedStampAndQuiet) {
  // On a terminal the lines are coloured and wrapped.
  if (::isatty(STDOUT_FILENO)) GTEST_SKIP() << "stdout is a terminal";
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  {
    StatusMessages loud("virt-test", {false, false, false});
    loud.message("Copying /dev/sda1");
    loud.info("done");
    loud.warning("careful");
    StatusMessages quiet("virt-test", {true, false, false});
    quiet.message("hidden");
    quiet.info("hidden");
    quiet.warning("still shown");
  }
  std::cout.rdbuf(old);
  EXPECT_EQ(captured.str(),
            "[   0.0] Copying /dev/sda1\nvirt-test: done\nvirt-test: warning: careful\n"
            "virt-test: warning: still shown\n");
}
