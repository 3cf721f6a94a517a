// Runs the tests written in the API table against one shared appliance with
// two scratch disks: /dev/sda (blank for destructive tests) and /dev/sdb
// (one ext4 partition).  Prints one line per test and "N passed, N failed".
// An argument other than -v/-x is a regular expression: only the calls whose
// whole name it matches are tested (e.g. "part_.*|blockdev_.*").
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <iostream>
#include <regex>
#include <utility>

#include "api_tests.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "handle.hpp"
#include "phony-guests/empty_hive.hpp"

using namespace vt;

namespace {


// Test steps name host files by placeholder: @EMPTY_HIVE@ is an empty
// registry hive (for the hivex calls).
// @EMPTY_HIVE@ is a host path; @NOW@ the host's time in seconds, so a test
// that moves the appliance's clock can put it back.
std::string substitute_placeholders(std::string step, const std::string& empty_hive) {
  const std::string now = std::to_string(::time(nullptr));
  for (const auto& [placeholder, value] : {std::pair<std::string, std::string>{"@EMPTY_HIVE@", empty_hive}, {"@NOW@", now}})
    for (auto pos = step.find(placeholder); pos != std::string::npos; pos = step.find(placeholder, pos + value.size()))
      step.replace(pos, placeholder.size(), value);
  return step;
}

void write_host_file(const std::string& path, const std::string& data) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd || ::write(fd.get(), data.data(), data.size()) != static_cast<ssize_t>(data.size()))
    throw Error(errno_message(path, errno));
}

void make_disk(const std::string& path, off_t size) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd || ::ftruncate(fd.get(), size) < 0) throw Error(errno_message(path, errno));
}

std::string run_line(Handle& h, const std::string& line) {
  auto words = split_command_words(line);
  if (words.empty()) return "";
  std::string name = words[0];
  words.erase(words.begin());
  return run_command(h, name, words);
}

void prepare(Handle& h, ApiTestInit init) {
  if (init == ApiTestInit::None) return;
  h.umount_all();
  if (init == ApiTestInit::Empty) {
    for (const auto& vg : h.vgs()) h.vgremove(vg);
    for (const auto& pv : h.pvs()) h.pvremove(pv);
    h.command({"wipefs", "-a", "-q", "/dev/sda"});
    h.command({"blockdev", "--rereadpt", "/dev/sda"});
  } else {
    h.mount("/dev/sdb1", "/");
  }
}

// Returns an empty string if the step passed, else what went wrong.
std::string run_step(Handle& h, const std::string& step) {
  std::string cmd = step, expected, mode;
  for (const char* sep : {" =>!", " => ", " =~ "}) {
    auto pos = step.find(sep);
    if (pos == std::string::npos) continue;
    cmd = step.substr(0, pos);
    mode = std::string(sep).substr(1);
    if (mode.back() == ' ') mode.pop_back();
    expected = step.substr(pos + std::strlen(sep));
    break;
  }
  if (cmd == step && step.size() >= 3 && step.compare(step.size() - 3, 3, " =>") == 0) {
    cmd = step.substr(0, step.size() - 3);
    mode = "=>";
  }
  try {
    std::string out = run_line(h, cmd);
    if (mode == "=>" && out != expected) return "expected \"" + expected + "\", got \"" + out + "\"";
    if (mode == "=~" && !std::regex_search(out, std::regex(expected, std::regex::ECMAScript | std::regex::multiline)))
      return "expected a match for /" + expected + "/, got \"" + out + "\"";
    if (mode == "=>!") return "expected an error, but it succeeded with \"" + out + "\"";
  } catch (const Error& e) {
    if (mode != "=>!") return std::string("failed: ") + e.what();
  }
  return "";
}

// Requests no generated method can send: the daemon must refuse each one
// with a clear error and stay usable.
struct RawCase {
  const char* name;
  uint32_t procedure;
  uint64_t mask;
  std::string payload;
  const char* expected_message;
};

std::vector<RawCase> raw_cases() {
  proto::Writer path;
  path.put_string("/");
  return {
      {"an unknown procedure is rejected", 99999, 0, "", "unknown procedure 99999"},
      {"unknown optional-argument bits are rejected", api::proc::is_file, uint64_t{1} << 5, path.data(),
       "unknown optional arguments"},
      {"truncated arguments are rejected", api::proc::is_dir, 0, std::string("\x05\0\0", 3), "truncated"},
      {"trailing bytes after the arguments are rejected", api::proc::ping, 0, "xx", "trailing bytes"},
  };
}

}  // namespace

int main(int argc, char** argv) {
  bool verbose = false, trace = false;
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-v") verbose = true;
    else if (a == "-x") trace = true;
    else filter = a;
  }
  // One line per test as it finishes, also when the output is a file.
  std::cout << std::unitbuf;
  int passed = 0, failed = 0;
  try {
    TempDir tmp("vt-api-tests-");
    make_disk(tmp.path() + "/sda.img", 100 << 20);
    make_disk(tmp.path() + "/sdb.img", 100 << 20);
    const std::string empty_hive = tmp.path() + "/empty.hiv";
    write_host_file(empty_hive, phony::empty_hive());
    Handle h;
    h.set_program_name("api-test-runner");
    h.set_verbose(verbose);
    h.set_trace(trace);
    h.add_drive(tmp.path() + "/sda.img", {false, "raw"});
    h.add_drive(tmp.path() + "/sdb.img", {false, "raw"});
    h.launch();
    h.part_init("/dev/sdb", "mbr");
    h.part_add("/dev/sdb", "p", 2048, -2048);
    h.mkfs("ext4", "/dev/sdb1");
    int n = 0;
    for (const auto& t : all_api_tests()) {
      ++n;
      if (!filter.empty() && !std::regex_match(std::string(t.call), std::regex(filter))) continue;
      std::string error;
      try {
        prepare(h, t.init);
      } catch (const Error& e) {
        error = std::string("test setup failed: ") + e.what();
      }
      for (const auto& step : t.steps) {
        if (!error.empty()) break;
        error = run_step(h, substitute_placeholders(step, empty_hive));
        if (!error.empty()) error = "step '" + step + "': " + error;
      }
      if (error.empty()) {
        ++passed;
        std::cout << "ok " << n << " - " << t.call << "\n";
      } else {
        ++failed;
        std::cout << "not ok " << n << " - " << t.call << ": " << error << "\n";
      }
    }
    for (const auto& c : raw_cases()) {
      ++n;
      if (!filter.empty()) continue;
      std::string error;
      try {
        h.call_raw(c.procedure, c.mask, c.payload, nullptr, nullptr);
        error = "the daemon accepted it";
      } catch (const CallError& e) {
        if (e.message().find(c.expected_message) == std::string::npos)
          error = std::string("expected \"") + c.expected_message + "\" in \"" + e.message() + "\"";
      }
      // The connection must still work after the refusal.
      if (error.empty()) {
        try {
          h.ping();
        } catch (const Error& e) {
          error = std::string("ping after the refusal failed: ") + e.what();
        }
      }
      (error.empty() ? passed : failed)++;
      std::cout << (error.empty() ? "ok " : "not ok ") << n << " - protocol: " << c.name
                << (error.empty() ? "" : ": " + error) << "\n";
    }
    h.shutdown();
  } catch (const std::exception& e) {
    std::cout << "not ok - api tests could not run: " << e.what() << "\n";
    ++failed;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}
