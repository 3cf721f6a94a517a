#include "status_messages.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace vt {

namespace {
constexpr const char* kGreen = "\x1b[0;32m";
constexpr const char* kMagenta = "\x1b[1;35m";
constexpr const char* kBlue = "\x1b[1;34m";
constexpr const char* kRestore = "\x1b[0m";
constexpr size_t kWrapColumn = 76;
}  // namespace

StatusMessages::StatusMessages(std::string program, const Settings& settings)
    : program_(std::move(program)), settings_(settings), start_(std::chrono::steady_clock::now()) {
  bool tty = ::isatty(STDOUT_FILENO);
  colour_ = settings.colours || tty;
  wrap_ = settings.wrap || tty;
}

std::string StatusMessages::wrap(const std::string& text) {
  std::string out;
  size_t column = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find_first_of(" \n", i);
    if (j == std::string::npos) j = text.size();
    size_t word = j - i;
    if (column > 0 && column + word >= kWrapColumn) {
      // The space that ended the line before becomes the line break.
      if (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
      column = 0;
    }
    out.append(text, i, word);
    column += word;
    if (j == text.size()) break;
    out += text[j];
    column = text[j] == '\n' ? 0 : column + 1;
    i = j + 1;
  }
  return out;
}

void StatusMessages::print(const char* colour, const std::string& text) const {
  std::string body = wrap_ ? wrap(text) : text;
  std::cout << (colour_ ? colour : "") << body << (colour_ ? kRestore : "") << "\n" << std::flush;
}

void StatusMessages::message(const std::string& text) const {
  if (settings_.quiet) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%6.1f] ", elapsed);
  std::cout << stamp << (colour_ ? kGreen : "") << text << (colour_ ? kRestore : "") << "\n" << std::flush;
}

void StatusMessages::info(const std::string& text) const {
  if (settings_.quiet) return;
  print(kMagenta, program_ + ": " + text);
}

void StatusMessages::warning(const std::string& text) const { print(kBlue, program_ + ": warning: " + text); }

}  // namespace vt
