#include "shell.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "process.hpp"

namespace vt::fish {

std::string table_name(const std::string& name) {
  std::string out = name;
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::string display_name(const std::string& name) {
  std::string out = name;
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

namespace {

// Calls the library makes on its own are not commands.
const CommandInfo* find_api_command(const std::string& name) {
  std::string call = table_name(name);
  if (call.rfind("internal_", 0) == 0) return nullptr;
  for (const auto& c : all_commands())
    if (call == c.name) return &c;
  return nullptr;
}

// The usage line as guestfish spells it: "mkdir-p path".
std::string usage_of(const std::string& name) {
  if (const Builtin* b = find_builtin(name)) return b->usage;
  if (const CommandInfo* c = find_api_command(name)) {
    std::string usage = c->usage;
    size_t end = usage.find(' ');
    return display_name(usage.substr(0, end)) + (end == std::string::npos ? "" : usage.substr(end));
  }
  return name;
}

// An error inside '<!' output, already printed with the command it came from.
struct AlreadyReported : std::exception {};

std::chrono::hours forever() { return std::chrono::hours(24 * 365); }

}  // namespace

void Shell::run_words(const std::vector<std::string>& words) {
  const std::string& name = words.at(0);
  std::vector<std::string> args(words.begin() + 1, words.end());
  if (const Builtin* b = find_builtin(name)) {
    b->run(*this, args);
  } else {
    const CommandInfo* c = find_api_command(name);
    if (!c) throw UnknownCommand(name);
    // The argument count and the optional arguments' names are checked
    // before launch, so a typo costs no boot.
    CommandArgs check(c->usage, args, c->required_args);
    std::string usage = c->usage;
    for (size_t open = usage.find('['); open != std::string::npos; open = usage.find('[', open + 1))
      check.optional(usage.substr(open + 1, usage.find(':', open) - open - 1));
    check.check_no_unknown_optargs();
    if (!h_.launched()) throw Error(name + ": the appliance is not running; use 'run' (or 'launch') first");
    std::string out = run_command(h_, c->name, args);
    if (!out.empty()) std::cout << out << "\n";
  }
  std::cout.flush();
}

// The command's standard output (fd 1, so 'download FILE -' too) feeds
// '/bin/sh -c PIPE'.  As in guestfish, the shell's exit status is not an error.
void Shell::run_piped(const Line& line) {
  std::cout.flush();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw Error(errno_message("pipe", errno));
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  SpawnOptions opts;
  opts.stdin_fd = read_end.get();
  ChildProcess shell({"/bin/sh", "-c", *line.pipe}, opts);
  read_end.reset();
  UniqueFd saved_stdout(::fcntl(1, F_DUPFD_CLOEXEC, 3));
  if (!saved_stdout) throw Error(errno_message("dup", errno));
  ::dup2(write_end.get(), 1);
  write_end.reset();
  std::exception_ptr failure;
  try {
    run_words(line.words);
  } catch (...) {
    failure = std::current_exception();
  }
  std::cout.flush();
  std::cout.clear();  // a shell that stopped reading early is not our error
  ::dup2(saved_stdout.get(), 1);  // the shell sees end of input
  shell.wait_for(forever());
  if (failure) std::rethrow_exception(failure);
}

// '!cmd': the host shell, with the user's terminal.
void run_host_shell(const std::string& command) {
  std::cout.flush();
  SpawnOptions opts;
  opts.stdin_fd = 0;
  ChildProcess shell({"/bin/sh", "-c", command}, opts);
  auto status = shell.wait_for(forever());
  if (status && !(WIFEXITED(*status) && WEXITSTATUS(*status) == 0))
    throw Error("!" + command + ": " + describe_wait_status(*status));
}

// '<!cmd': the host command's output is read as guestfish commands.
void Shell::run_shell_commands(const std::string& command) {
  std::cout.flush();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw Error(errno_message("pipe", errno));
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  SpawnOptions opts;
  opts.stdout_fd = write_end.get();
  ChildProcess shell({"/bin/sh", "-c", command}, opts);
  write_end.reset();
  std::string output;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(read_end.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buf, static_cast<size_t>(n));
  }
  auto status = shell.wait_for(forever());
  if (status && !(WIFEXITED(*status) && WEXITSTATUS(*status) == 0))
    throw Error("<!" + command + ": " + describe_wait_status(*status));
  // Errors name the '<!' line; the first unforgiven one ends it.
  Location outer = current_;
  std::istringstream lines(output);
  std::string text;
  while (std::getline(lines, text) && !quit_) {
    auto line = parse_reporting(text, outer);
    if (!line || !run_parsed(*line, outer)) throw AlreadyReported();
  }
}

void Shell::print_error(const Location& where, const std::string& name, const std::exception& e) {
  std::cout.flush();
  std::string prefix = "guestfish: " + (where.source.empty() ? "" : where.text() + ": ");
  if (dynamic_cast<const UsageError*>(&e)) {
    // The table's message ends with its own usage line; ours names the command as typed.
    std::string message = e.what();
    size_t cut = message.find("; usage: ");
    if (cut != std::string::npos) message.erase(cut);
    std::cerr << prefix << name << ": " << message << "\nusage: " << usage_of(name) << "\ntype 'help " << name
              << "' for more help on " << name << "\n";
  } else if (dynamic_cast<const UnknownCommand*>(&e)) {
    std::cerr << prefix << e.what() << " (type 'help' for a list of commands)\n";
  } else {
    std::cerr << prefix << e.what() << "\n";
  }
}

std::optional<Line> Shell::parse_reporting(const std::string& text, const Location& where) {
  try {
    return parse_line(text);
  } catch (const SyntaxError& e) {
    print_error(where, "", e);
    return std::nullopt;
  }
}

bool Shell::run_line(const std::string& text, const Location& where) {
  auto line = parse_reporting(text, where);
  return line && run_parsed(*line, where);
}

bool Shell::run_parsed(const Line& line, const Location& where) {
  current_ = where;
  try {
    if (!line.heredocs.empty())
      throw Error(line.words[0] + ": here-documents (-<<" + line.heredocs[0].second +
                  ") only work in scripts (-f or standard input)");
    switch (line.kind) {
      case Line::Kind::empty: break;
      case Line::Kind::shell: run_host_shell(line.shell); break;
      case Line::Kind::shell_commands: run_shell_commands(line.shell); break;
      case Line::Kind::command: line.pipe ? run_piped(line) : run_words(line.words); break;
    }
    return true;
  } catch (const AlreadyReported&) {
    return line.ignore_errors;
  } catch (const std::exception& e) {
    print_error(where, line.words.empty() ? "" : line.words[0], e);
    return line.ignore_errors;
  }
}

bool Shell::run_script(std::istream& in, const std::string& source) {
  std::string text;
  Location where{source, 0};
  while (!quit_ && std::getline(in, text)) {
    ++where.line;
    auto parsed = parse_reporting(text, where);
    if (!parsed) return false;
    Line& line = *parsed;
    if (line.heredocs.empty()) {
      if (!run_parsed(line, where)) return false;
      continue;
    }
    // Each '-<<END' becomes a temporary host file holding the lines up to END.
    Location command_line = where;
    TempDir data_dir("guestfish-heredoc.");
    bool complete = true;
    for (size_t k = 0; k < line.heredocs.size(); ++k) {
      const auto& [index, marker] = line.heredocs[k];
      std::string data;
      complete = false;
      while (std::getline(in, text)) {
        ++where.line;
        if (text == marker) {
          complete = true;
          break;
        }
        data += text + "\n";
      }
      if (!complete) {
        print_error(command_line, "", SyntaxError("here-document ended by end of input instead of '" + marker + "'"));
        return false;
      }
      std::string path = data_dir.path() + "/" + std::to_string(k);
      std::ofstream(path, std::ios::binary) << data;
      line.words[index] = path;
    }
    line.heredocs.clear();
    if (!run_parsed(line, command_line)) return false;
  }
  return true;
}

}  // namespace vt::fish
