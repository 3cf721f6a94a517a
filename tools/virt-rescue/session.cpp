#include "session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "errors.hpp"
#include "escape.hpp"
#include "rescue_stream.hpp"

namespace vt::rescue_tool {

namespace {

// The terminal in raw mode (every key to the shell, ^C and ^Z included)
// while this lives, and as it was afterwards.
class RawTerminal {
 public:
  RawTerminal() {
    if (!::isatty(0) || ::tcgetattr(0, &saved_) < 0) return;
    active_ = true;
    enter();
  }
  ~RawTerminal() { leave(); }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  bool active() const { return active_; }
  void enter() {
    if (!active_) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);
    ::tcsetattr(0, TCSANOW, &raw);
  }
  void leave() {
    if (active_) ::tcsetattr(0, TCSANOW, &saved_);
  }

 private:
  termios saved_ {};
  bool active_ = false;
};

// Signals become bytes on a pipe the session polls, for as long as this
// lives; the previous handlers come back after.
int g_signal_pipe = -1;

void on_signal(int sig) {
  int saved = errno;
  char b = static_cast<char>(sig);
  if (g_signal_pipe >= 0) [[maybe_unused]] auto n = ::write(g_signal_pipe, &b, 1);
  errno = saved;
}

class SignalPipe {
 public:
  SignalPipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) throw Error(errno_message("pipe", errno));
    read_.reset(fds[0]);
    write_.reset(fds[1]);
    g_signal_pipe = write_.get();
    for (size_t i = 0; i < kSignals.size(); ++i) {
      struct sigaction sa {};
      sa.sa_handler = on_signal;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = SA_RESTART;
      ::sigaction(kSignals[i], &sa, &old_[i]);
    }
  }
  ~SignalPipe() {
    for (size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &old_[i], nullptr);
    g_signal_pipe = -1;
  }
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;
  int fd() const { return read_.get(); }

 private:
  static constexpr std::array<int, 5> kSignals = {SIGWINCH, SIGTERM, SIGHUP, SIGQUIT, SIGINT};
  UniqueFd read_, write_;
  std::array<struct sigaction, kSignals.size()> old_ {};
};

void write_out(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the terminal went away: nothing to show it on
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Text for the terminal: in raw mode a newline does not return the carriage.
std::string for_terminal(const std::string& text, bool raw) {
  if (!raw) return text;
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

class Session {
 public:
  Session(Handle& h, const SessionOptions& opts) : h_(h), opts_(opts), escapes_(opts.escape_key) {
    auto channel = h.take_daemon_channel();
    channel_ = std::move(channel.fd);
    frames_.append(channel.pending);
  }

  SessionResult run() {
    send_window();
    bool stdin_open = true;
    while (!result_) {
      handle_frames();
      if (result_) break;
      pollfd p[4] = {{signals_.fd(), POLLIN, 0},
                     {channel_.get(), POLLIN, 0},
                     {stdin_open && !hung_up_ ? 0 : -1, POLLIN, 0},
                     {h_.console_fd(), POLLIN, 0}};
      int n = ::poll(p, 4, hung_up_ ? 1000 : -1);
      if (n < 0 && errno != EINTR) throw Error(errno_message("poll", errno));
      if (hung_up_ && std::chrono::steady_clock::now() > hang_up_deadline_)
        throw Error("the rescue shell did not end after it was told to");
      if (n <= 0) continue;
      if (p[3].revents) h_.pump_console();
      if (p[0].revents & POLLIN) handle_signals();
      if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[16384];
        ssize_t got = ::read(channel_.get(), buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw Error("the appliance went away during the rescue session");
        frames_.append(std::string_view(buf, static_cast<size_t>(got)));
        if (frames_.broken()) throw Error("the rescue stream from the appliance is out of step");
      }
      if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) stdin_open = read_terminal();
    }
    return *result_;
  }

 private:
  void send(const std::string& frame) {
    std::string_view data = frame;
    while (!data.empty()) {
      ssize_t n = ::write(channel_.get(), data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(errno_message("the rescue channel", errno));
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  void send_window() {
    winsize ws {};
    if (terminal_.active() && ::ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
      send(rescue::encode_window(ws.ws_row, ws.ws_col));
  }

  void say(const std::string& text) { write_out(1, for_terminal(text, terminal_.active())); }

  void hang_up() {
    if (hung_up_) return;
    hung_up_ = true;
    hang_up_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    send(rescue::encode_frame(rescue::Frame::hang_up, ""));
  }

  void handle_frames() {
    while (auto f = frames_.next()) {
      switch (f->kind) {
        case rescue::Frame::output:
          write_out(1, f->payload);
          break;
        case rescue::Frame::notice:
          say(notice_text(f->payload));
          break;
        case rescue::Frame::exited:
          result_ = SessionResult{std::atoi(f->payload.c_str()), signal_};
          return;
        default:
          break;
      }
    }
  }

  std::string notice_text(const std::string& error) {
    std::string what = pending_notices_.empty() ? "sync" : pending_notices_.front();
    if (!pending_notices_.empty()) pending_notices_.erase(pending_notices_.begin());
    if (!error.empty()) return "\n[virt-rescue: " + what + ": " + error + "]\n";
    return what == "unmount" ? "\n[virt-rescue: the guest's filesystems are unmounted]\n"
                             : "\n[virt-rescue: the filesystems are synced]\n";
  }

  void handle_signals() {
    char sigs[64];
    ssize_t n = ::read(signals_.fd(), sigs, sizeof sigs);
    for (ssize_t i = 0; i < n; ++i) {
      if (sigs[i] == SIGWINCH) {
        send_window();
      } else if (!signal_) {
        signal_ = sigs[i];
        hang_up();
      }
    }
  }

  // False once standard input has ended.
  bool read_terminal() {
    char buf[4096];
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) {
      send(rescue::encode_frame(rescue::Frame::end_of_input, ""));
      return false;
    }
    std::string_view bytes(buf, static_cast<size_t>(n));
    // Escapes are for a person at a terminal: piped input goes through as it is.
    if (!terminal_.active()) {
      send(rescue::encode_frame(rescue::Frame::input, bytes));
      return true;
    }
    for (const auto& e : escapes_.feed(bytes)) {
      if (!e.command) {
        send(rescue::encode_frame(rescue::Frame::input, e.input));
        continue;
      }
      run_escape(*e.command, e.key);
      if (hung_up_) break;
    }
    return true;
  }

  void run_escape(EscapeCommand cmd, char key) {
    switch (cmd) {
      case EscapeCommand::help:
        say("\n" + escape_help(*opts_.escape_key));
        break;
      case EscapeCommand::inspection:
        say(opts_.inspection.empty() ? "\n[virt-rescue: no inspection: ^] i needs -i on the command line]\n"
                                     : "\n" + opts_.inspection);
        break;
      case EscapeCommand::quit:
        say("\n[virt-rescue: quitting]\n");
        hang_up();
        break;
      case EscapeCommand::sync:
        pending_notices_.push_back("sync");
        send(rescue::encode_frame(rescue::Frame::sync, ""));
        break;
      case EscapeCommand::unmount:
        pending_notices_.push_back("unmount");
        send(rescue::encode_frame(rescue::Frame::unmount, ""));
        break;
      case EscapeCommand::suspend:
        terminal_.leave();
        ::raise(SIGTSTP);  // stops here until continued (fg)
        terminal_.enter();
        send_window();
        break;
      case EscapeCommand::unknown:
        say(std::string("\n[virt-rescue: ") + escape_key_name(*opts_.escape_key) + " " + escape_key_name(key) +
            " is not an escape command; " + escape_key_name(*opts_.escape_key) + " ? lists them]\n");
        break;
    }
  }

  Handle& h_;
  SessionOptions opts_;
  EscapeReader escapes_;
  UniqueFd channel_;
  rescue::FrameReader frames_;
  RawTerminal terminal_;
  SignalPipe signals_;
  std::vector<std::string> pending_notices_;
  bool hung_up_ = false;
  std::chrono::steady_clock::time_point hang_up_deadline_;
  int signal_ = 0;
  std::optional<SessionResult> result_;
};

}  // namespace

SessionResult run_session(Handle& h, const SessionOptions& opts) {
  Session s(h, opts);
  return s.run();
}

}  // namespace vt::rescue_tool
