// internal_rescue: after its reply the daemon's channel carries a shell's
// terminal (virt-rescue).  The shell runs on a pseudo-terminal in the
// appliance, so job control, line editing and full-screen programs work; the
// frames of libcommon/rescue_stream.hpp carry its bytes and the escape
// commands.  When the shell ends the disks are synced and the daemon powers
// off, as it does when the library goes away.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "daemon.hpp"
#include "daemon_calls.hpp"
#include "rescue_stream.hpp"

namespace vt::daemon {

namespace {

struct RescueRequest {
  std::string term;
  bool terminal;  // false: the library's input is no terminal (a pipe, a file)
};
std::optional<RescueRequest> g_rescue;

void write_frame(int fd, rescue::Frame kind, std::string_view payload) {
  write_all(fd, rescue::encode_frame(kind, payload), "the channel");
}

// The shell's side: a new session on the terminal, the appliance's root as
// its working directory, the guest's filesystems under /sysroot.
// Without a terminal at the library's end, standard input is a pipe: the
// input's end is then the shell's end of file, with no echo of the input.
[[noreturn]] void exec_shell(const std::string& pts, const std::string& term, int stdin_pipe) {
  ::setsid();
  int tty = ::open(pts.c_str(), O_RDWR);
  if (tty < 0) _exit(127);
  ::ioctl(tty, TIOCSCTTY, 0);
  for (int fd = 0; fd < 3; ++fd) ::dup2(tty, fd);
  if (stdin_pipe >= 0) ::dup2(stdin_pipe, 0);
  if (tty > 2) ::close(tty);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD}) ::signal(sig, SIG_DFL);
  if (::chdir("/") < 0) _exit(127);
  ::setenv("TERM", term.c_str(), 1);
  ::setenv("PS1", "><rescue> ", 1);
  ::setenv("HOME", "/tmp", 1);
  ::setenv("SHELL", "/bin/bash", 1);
  ::unsetenv("LC_ALL");
  ::setenv("LANG", "C.UTF-8", 1);
  const char* bash[] = {"/bin/bash", "--noprofile", "--norc", "-i", nullptr};
  ::execv(bash[0], const_cast<char* const*>(bash));
  const char* sh[] = {"/bin/sh", "-i", nullptr};
  ::setenv("SHELL", "/bin/sh", 1);
  ::execv(sh[0], const_cast<char* const*>(sh));
  _exit(127);
}

void mount_devpts() {
  ::mkdir("/dev/pts", 0755);
  struct stat st {};
  if (::stat("/dev/pts/ptmx", &st) == 0) return;
  if (::mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=666") < 0)
    throw_errno("mount devpts");
}

int exit_status_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

class Session {
 public:
  Session(int channel, const RescueRequest& req) : channel_(channel) {
    mount_devpts();
    master_.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK));
    if (!master_ || ::grantpt(master_.get()) < 0 || ::unlockpt(master_.get()) < 0) throw_errno("posix_openpt");
    const char* pts = ::ptsname(master_.get());
    if (!pts) throw_errno("ptsname");
    std::string pts_path = pts;
    // Held open here too, so the terminal never hangs up between the fork
    // and the shell's open, nor while the shell's last output is read: the
    // shell's end is seen by waitpid.
    slave_.reset(::open(pts_path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!slave_) throw_errno("open " + pts_path);
    UniqueFd pipe_read;
    if (!req.terminal) {
      // Output for a file or a pipe: lines end in \n alone.
      termios t {};
      if (::tcgetattr(slave_.get(), &t) == 0) {
        t.c_oflag &= ~static_cast<tcflag_t>(ONLCR);
        ::tcsetattr(slave_.get(), TCSANOW, &t);
      }
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe");
      pipe_read.reset(fds[0]);
      stdin_pipe_.reset(fds[1]);
      ::fcntl(stdin_pipe_.get(), F_SETFL, O_NONBLOCK);
    }
    shell_ = ::fork();
    if (shell_ < 0) throw_errno("fork");
    if (shell_ == 0) exec_shell(pts_path, req.term, pipe_read.get());
  }

  // Relays until the shell has ended (or the library has gone), then syncs.
  void run() {
    rescue::FrameReader frames;
    while (!shell_status_) {
      bool writing = !to_shell_.empty();
      pollfd p[3] = {{channel_, POLLIN, 0},
                     {master_.get(), static_cast<short>(POLLIN | (writing && !stdin_pipe_ ? POLLOUT : 0)), 0},
                     {writing && stdin_pipe_ ? stdin_pipe_.get() : -1, POLLOUT, 0}};
      int n = ::poll(p, 3, 200);
      if (n < 0 && errno != EINTR) break;
      reap();
      if (n <= 0) continue;
      if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) read_shell();
      if ((p[1].revents & POLLOUT) || (p[2].revents & (POLLOUT | POLLERR))) write_shell();
      if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[16384];
        ssize_t got = ::read(channel_, buf, sizeof buf);
        if (got <= 0) {
          hang_up();  // the library went away
          library_gone_ = true;
          break;
        }
        frames.append(std::string_view(buf, static_cast<size_t>(got)));
        while (auto f = frames.next()) handle(*f);
        if (frames.broken()) {
          std::fprintf(stderr, "virt-tools-daemon: rescue: the stream is out of step\n");
          hang_up();
        }
      }
    }
    read_shell();  // what the shell wrote last
    // The shell's children may outlive it: they go with the session.
    ::kill(-shell_, SIGKILL);
    ::sync();
    if (library_gone_) return;
    write_frame(channel_, rescue::Frame::exited, std::to_string(shell_status_ ? exit_status_code(*shell_status_) : 1));
    // Keep the appliance up until the library has read that and let go.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{channel_, POLLIN, 0};
      if (::poll(&p, 1, 1000) > 0) {
        char buf[4096];
        if (::read(channel_, buf, sizeof buf) <= 0) return;
      }
    }
  }

 private:
  void reap() {
    // PID 1 adopts every orphan: reap them all, note the shell.
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0)
      if (pid == shell_) shell_status_ = status;
  }

  void read_shell() {
    for (;;) {
      char buf[16384];
      ssize_t got = ::read(master_.get(), buf, sizeof buf);
      if (got <= 0) return;  // EAGAIN: all read
      write_frame(channel_, rescue::Frame::output, std::string_view(buf, static_cast<size_t>(got)));
    }
  }

  void write_shell() {
    int fd = stdin_pipe_ ? stdin_pipe_.get() : master_.get();
    while (!to_shell_.empty()) {
      ssize_t put = ::write(fd, to_shell_.data(), to_shell_.size());
      if (put < 0 && errno == EPIPE) {
        to_shell_.clear();  // the shell has stopped reading
        break;
      }
      if (put <= 0) return;  // full (EAGAIN): poll says when it drains
      to_shell_.erase(0, static_cast<size_t>(put));
    }
    if (input_ended_) stdin_pipe_.reset();
  }

  void handle(const rescue::Decoded& f) {
    switch (f.kind) {
      case rescue::Frame::input:
        to_shell_ += f.payload;
        write_shell();
        break;
      case rescue::Frame::end_of_input: {
        if (stdin_pipe_) {
          input_ended_ = true;
          write_shell();  // closes the pipe once the rest is written
          break;
        }
        termios t {};
        char eof = ::tcgetattr(master_.get(), &t) == 0 ? static_cast<char>(t.c_cc[VEOF]) : '\x04';
        to_shell_ += eof;
        write_shell();
        break;
      }
      case rescue::Frame::window:
        if (f.payload.size() == 4) {
          auto u16 = [&](size_t i) {
            return static_cast<unsigned short>((static_cast<unsigned char>(f.payload[i]) << 8) |
                                               static_cast<unsigned char>(f.payload[i + 1]));
          };
          winsize ws {};
          ws.ws_row = u16(0);
          ws.ws_col = u16(2);
          ::ioctl(master_.get(), TIOCSWINSZ, &ws);  // the kernel tells the shell (SIGWINCH)
        }
        break;
      case rescue::Frame::sync:
        ::sync();
        write_frame(channel_, rescue::Frame::notice, "");
        break;
      case rescue::Frame::unmount: {
        std::string result;
        try {
          ::sync();
          do_umount_all();
        } catch (const std::exception& e) {
          result = e.what();
        }
        write_frame(channel_, rescue::Frame::notice, result);
        break;
      }
      case rescue::Frame::hang_up:
        hang_up();
        break;
      default:
        break;  // a kind from a newer library: nothing to do
    }
  }

  void hang_up() {
    ::kill(-shell_, SIGHUP);
    ::kill(-shell_, SIGKILL);
    int status = 0;
    if (::waitpid(shell_, &status, 0) == shell_) shell_status_ = status;
  }

  int channel_;
  UniqueFd master_, slave_;
  UniqueFd stdin_pipe_;  // the shell's standard input when the library has no terminal
  bool input_ended_ = false;
  pid_t shell_ = -1;
  std::optional<int> shell_status_;
  std::string to_shell_;
  bool library_gone_ = false;
};

}  // namespace

void do_internal_rescue(const std::string& term, bool terminal) {
  if (term.empty() || term.size() > 64 || term.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_") !=
                                               std::string::npos)
    throw DaemonError(EINVAL, "internal_rescue: not a terminal type: " + term);
  struct stat st {};
  if (::stat("/bin/bash", &st) < 0 && ::stat("/bin/sh", &st) < 0) throw DaemonError(ENOENT, "internal_rescue: no shell in the appliance");
  g_rescue = RescueRequest{term, terminal};
}

bool run_rescue_if_asked(int channel) {
  if (!g_rescue) return false;
  try {
    Session session(channel, *g_rescue);
    session.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "virt-tools-daemon: rescue: %s\n", e.what());
    ::sync();
    try {
      write_frame(channel, rescue::Frame::output, std::string("virt-rescue: the shell could not start: ") + e.what() + "\r\n");
      write_frame(channel, rescue::Frame::exited, "1");
    } catch (const std::exception&) {
    }
  }
  return true;
}

}  // namespace vt::daemon
