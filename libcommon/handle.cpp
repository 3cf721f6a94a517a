#include "handle.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "errors.hpp"
#include "inspect.hpp"
#include "launch.hpp"
#include "qmp.hpp"
#include "signal_cleanup.hpp"
#include "trace_format.hpp"

namespace vt {

namespace {

UniqueFd listen_unix(const std::string& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw Error(errno_message("socket", errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) throw Error("socket path too long: " + path + " (set TMPDIR shorter)");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || ::listen(fd.get(), 1) < 0)
    throw Error(errno_message("bind " + path, errno));
  return fd;
}

constexpr const char* kIgnoreSharedRam = "{\"capabilities\":[{\"capability\":\"x-ignore-shared\",\"state\":true}]}";

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

std::chrono::milliseconds launch_timeout() {
  const char* env = ::getenv("VIRT_TOOLS_LAUNCH_TIMEOUT");
  int secs = env && *env ? std::atoi(env) : 120;
  return std::chrono::seconds(secs > 0 ? secs : 120);
}

std::chrono::seconds call_silence_limit() {
  const char* env = ::getenv("VIRT_TOOLS_CALL_TIMEOUT");
  int secs = env && *env ? std::atoi(env) : 0;
  return std::chrono::seconds(secs > 0 ? secs : 0);
}

}  // namespace

Handle::Handle() : call_silence_limit_(call_silence_limit()) {}

inspect::Inspection& Handle::inspection() {
  if (!inspection_) inspection_ = std::make_unique<inspect::Inspection>();
  return *inspection_;
}

Handle::~Handle() {
  try {
    shutdown();
  } catch (const std::exception& e) {
    std::cerr << program_ << ": warning: " << e.what() << "\n";
  }
}

void Handle::log_phase(const std::string& what) {
  if (verbose_) std::cerr << program_ << ": [" << static_cast<long>(ms_since(launch_start_)) << "ms] " << what << "\n";
}

void Handle::launch() {
  if (launched()) throw Error("launch: the appliance is already launched");
  launch_start_ = std::chrono::steady_clock::now();
  Appliance app = get_appliance([this](const std::string& m) { log_phase("appliance: " + m); });
  log_phase("appliance ready");
  std::optional<Accelerator> accel = known_accelerator();
  if (!accel) {
    // /dev/kvm exists but may be broken (nested virtualisation): a working
    // KVM boots in well under a second, so a short deadline tells them apart.
    log_phase("trying KVM");
    try {
      start_appliance(app, Accel::kvm, std::chrono::seconds(6));
      remember_accelerator(Accelerator::kvm);
    } catch (const Error& e) {
      log_phase(std::string("KVM does not work here, using TCG: ") + e.what());
      stop_qemu();
      remember_accelerator(Accelerator::tcg);
      // As any first launch with TCG: boot and save the state (or restore
      // the one a launch racing this one saved).
      start_or_restore(app, Accel::tcg);
    }
  } else {
    start_or_restore(app, *accel == Accelerator::kvm ? Accel::kvm : Accel::tcg);
  }
  launch_ms_ = ms_since(launch_start_);
  hot_add_drives();
  log_phase("launched");
}

QemuConfig Handle::qemu_config(const Appliance& app, Accel accel) const {
  QemuConfig cfg;
  cfg.appliance = app;
  cfg.accel = accel == Accel::kvm ? Accelerator::kvm : Accelerator::tcg;
  cfg.machine = machine_type();
  cfg.verbose = verbose_;
  if (settings_.memory_mb > 0) cfg.memory_mb = settings_.memory_mb;
  if (settings_.smp > 0) cfg.smp = settings_.smp;
  cfg.append = settings_.append;
  return cfg;
}

Handle::DaemonChannel Handle::take_daemon_channel() {
  if (!daemon_fd_) throw Error("the appliance is not running");
  DaemonChannel c{std::move(daemon_fd_), daemon_in_.take_bytes()};
  return c;
}

void Handle::start_or_restore(const Appliance& app, Accel accel) {
  bool default_appliance = settings_.memory_mb <= 0 && settings_.smp <= 0 && settings_.append.empty();
  std::string state = default_appliance ? saved_state_path(qemu_config(app, accel)) : "";
  if (!state.empty()) {
    UniqueFd state_fd(::open(state.c_str(), O_RDONLY | O_CLOEXEC));
    // Held while this launch boots to save the state: others wait for it.
    UniqueFd save_lock;
    if (!state_fd && errno == ENOENT) {
      save_lock = lock_for_saving(state);
      // The launch that held the lock may have saved it meanwhile.
      state_fd.reset(::open(state.c_str(), O_RDONLY | O_CLOEXEC));
    }
    if (!state_fd && errno == ENOENT) {
      // First launch with this appliance: boot, save, then restore what was
      // saved, so a state that cannot be restored is found out now.
      RamBacking ram{new_saved_state_ram_file(state), true};
      // Made here so that it is private to its owner, as the state is, and
      // allocated whole: QEMU maps it shared, and a page the cache's disk
      // has no room for would kill QEMU (SIGBUS) in the middle of a call.
      // A cache that cannot hold it (read-only, full) means booting, with
      // nothing saved.
      std::string why_not;
      {
        UniqueFd made(::open(ram.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        int err = made ? ::posix_fallocate(made.get(), 0, off_t{qemu_config(app, accel).memory_mb} << 20) : errno;
        if (err) {
          why_not = errno_message(ram.file, err);
          if (made) ::unlink(ram.file.c_str());
        }
      }
      if (!why_not.empty()) {
        log_phase("booting without saving the appliance state: " + why_not);
        start_appliance(app, accel, launch_timeout());
        return;
      }
      try {
        start_appliance(app, accel, launch_timeout(), -1, ram);
      } catch (...) {
        ::unlink(ram.file.c_str());
        throw;
      }
      if (!save_state(state, ram.file)) {
        ::unlink(ram.file.c_str());  // QEMU keeps its mapping of it
        return;                      // keep the booted appliance
      }
      stop_qemu();
      state_fd.reset(::open(state.c_str(), O_RDONLY | O_CLOEXEC));
    }
    save_lock.reset();  // a restore needs no lock: the files are replaced by rename, never rewritten
    if (state_fd) {
      RamBacking ram{read_ram_file_header(state_fd.get(), state), false};
      // Their times say when they were last used.
      ::futimens(state_fd.get(), nullptr);
      if (!ram.file.empty()) ::utimensat(AT_FDCWD, ram.file.c_str(), nullptr, 0);
      try {
        if (ram.file.empty() || ::access(ram.file.c_str(), R_OK) < 0)
          throw Error("the saved state's RAM file is missing");
        // A restore takes well under a second; a stuck one must not cost
        // the full boot timeout before we fall back to booting.
        start_appliance(app, accel, std::min(launch_timeout(), std::chrono::milliseconds(30000)), state_fd.get(), ram);
        return;
      } catch (const Error& e) {
        log_phase(std::string("the saved appliance state did not restore, booting instead: ") + e.what());
        stop_qemu();
        ::unlink(state.c_str());
        if (!ram.file.empty()) ::unlink(ram.file.c_str());
      }
    }
  }
  start_appliance(app, accel, launch_timeout());
}

// Eight tools started at once on a new cache would each boot (eight TCG
// boots on two cores) and each save a state, all but the last one's RAM file
// left behind.  Instead the first takes this lock and boots; the others wait
// for it, then find its state and restore.  A cache that cannot hold the lock
// file gets no lock (nor a saved state: see start_or_restore); a holder that
// takes longer than a launch and a save could is not waited for any longer.
UniqueFd Handle::lock_for_saving(const std::string& state) {
  std::string path = saved_state_lock_path(state);
  UniqueFd lock(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!lock) return lock;
  auto deadline = std::chrono::steady_clock::now() + launch_timeout() + std::chrono::seconds(130);
  bool said = false;
  while (::flock(lock.get(), LOCK_EX | LOCK_NB) < 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) return UniqueFd();
    if (!said) log_phase("waiting for another launch to save the appliance state");
    said = true;
    if (std::chrono::steady_clock::now() > deadline) {
      log_phase("gave up waiting for the other launch's saved state");
      return UniqueFd();
    }
    ::usleep(20000);
  }
  ::futimens(lock.get(), nullptr);  // its time says when it was last used
  return lock;
}

namespace {

// The "status" member of a QMP query's answer (query-status, query-migrate).
std::string qmp_status(QmpClient& qmp, const char* query) {
  json::Value answer = qmp.execute(query);
  const json::Value* status = answer.get("status");
  return status && status->as_string() ? *status->as_string() : "";
}

}  // namespace

// Saves the running appliance (daemon idle, no disks yet) to `path`, its RAM
// being the shared file `ram_file` already.  The appliance is stopped
// afterwards; returns false (and leaves it running) if saving failed.
bool Handle::save_state(const std::string& path, const std::string& ram_file) {
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  try {
    UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!out) throw Error(errno_message(tmp, errno));
    std::string header = ram_file_header(ram_file);
    if (::write(out.get(), header.data(), header.size()) != static_cast<ssize_t>(header.size()))
      throw Error(errno_message(tmp, errno));
    {
      // A daemon that hangs here must not hang the tool: it then boots.
      CallDeadline limit(*this, std::chrono::steady_clock::now() + std::chrono::seconds(120));
      internal_prepare_save();
    }
    log_phase("saving the appliance state");
    qmp_->execute("stop");
    // The RAM is in its file already: the stream holds the devices only.
    qmp_->execute("migrate-set-capabilities", kIgnoreSharedRam);
    qmp_->send_fd("vt-state", out.get());
    qmp_->execute("migrate", "{\"uri\":\"fd:vt-state\"}");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
      std::string s = qmp_status(*qmp_, "query-migrate");
      if (s == "completed") break;
      if (s == "failed" || s == "cancelled") throw Error("QEMU could not save the state (" + s + ")");
      if (std::chrono::steady_clock::now() > deadline) throw Error("saving the state timed out");
      drain_console(10);
    }
    if (::fsync(out.get()) < 0) throw Error(errno_message(tmp, errno));
    {
      // What the guest wrote to its RAM is in the page cache: on the disk
      // before the state that names it.
      UniqueFd ram(::open(ram_file.c_str(), O_RDONLY | O_CLOEXEC));
      if (!ram || ::fsync(ram.get()) < 0) throw Error(errno_message(ram_file, errno));
    }
    if (::rename(tmp.c_str(), path.c_str()) < 0) throw Error(errno_message(path, errno));
    // Restorers hold their files open, so removing an old state is safe.
    for (const auto& stale : stale_saved_states(path, ram_file)) ::unlink(stale.c_str());
    log_phase("appliance state saved");
    return true;
  } catch (const Error& e) {
    ::unlink(tmp.c_str());
    log_phase(std::string("could not save the appliance state: ") + e.what());
    try {
      qmp_->execute("cont");
    } catch (const Error&) {
    }
    return false;
  }
}

void Handle::wait_until_running(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    std::string s = qmp_status(*qmp_, "query-status");
    if (s == "running") return;
    // The state was saved from a stopped appliance, so QEMU leaves the
    // restored one paused too once the whole state has arrived.
    if (s == "paused") {
      qmp_->execute("cont");
      continue;
    }
    if (s != "inmigrate" && s != "prelaunch" && s != "restore-vm")
      fail_appliance("restoring the saved state left QEMU in state '" + s + "'");
    if (std::chrono::steady_clock::now() > deadline) fail_appliance("timed out restoring the saved state");
    drain_console(5);
  }
}

// The daemon of a restored appliance sent its 'ready' long ago: its first
// call (which also sets its clock and reseeds its random pool) is the sign
// of life.
void Handle::resume_daemon(std::chrono::steady_clock::time_point deadline) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  std::string entropy(32, '\0');
  if (::getrandom(entropy.data(), entropy.size(), 0) != static_cast<ssize_t>(entropy.size()))
    throw Error(errno_message("getrandom", errno));
  CallDeadline limit(*this, deadline);
  try {
    internal_resume(now.tv_sec, now.tv_nsec, entropy);
  } catch (const CallError& e) {
    fail_appliance(std::string("the restored daemon refused to resume: ") + e.what());
  }
}

void Handle::start_appliance(const Appliance& app, Accel accel, std::chrono::milliseconds ready_timeout, int state_fd,
                             const RamBacking& ram) {
  auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  tmpdir_ = std::make_unique<TempDir>("virt-tools-");
  signal_cleanup_ = std::make_unique<SignalCleanup>();
  signal_cleanup_->remove_tree_on_signal(tmpdir_->path());

  QemuConfig cfg = qemu_config(app, accel);
  cfg.ram_file = ram.file;
  cfg.ram_shared = ram.shared;
  if (ram.shared) signal_cleanup_->remove_file_on_signal(ram.file);
  cfg.daemon_socket = tmpdir_->path() + "/daemon.sock";
  cfg.qmp_socket = tmpdir_->path() + "/qmp.sock";
  UniqueFd daemon_listen = listen_unix(cfg.daemon_socket);
  UniqueFd qmp_listen = listen_unix(cfg.qmp_socket);

  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) < 0) throw Error(errno_message("pipe", errno));
  console_fd_.reset(pipefd[0]);
  UniqueFd console_w(pipefd[1]);
  auto argv = qemu_command(cfg);
  if (state_fd >= 0) argv.insert(argv.end(), {"-incoming", "defer"});
  if (verbose_) {
    std::string line;
    for (const auto& a : argv) line += " " + a;
    log_phase("running" + line);
  }
  SpawnOptions so;
  so.stdout_fd = console_w.get();
  so.stderr_fd = console_w.get();
  so.die_with_parent = true;
  qemu_ = std::make_unique<ChildProcess>(argv, so);
  console_w.reset();
  signal_cleanup_->kill_on_signal(qemu_->pid());
  log_phase(std::string("QEMU started (") + accelerator_name(cfg.accel) + ", " + cfg.machine + ")");

  // QEMU connects to both sockets while it starts up.
  auto accept_from_qemu = [&](UniqueFd& listener, const char* what) {
    for (;;) {
      pollfd fds[3] = {{listener.get(), POLLIN, 0}, {console_fd_.get(), POLLIN, 0}, {qemu_->pidfd(), POLLIN, 0}};
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
      if (left <= 0) fail_appliance(std::string("timed out waiting for QEMU to connect the ") + what);
      if (::poll(fds, 3, left) < 0 && errno != EINTR) throw Error(errno_message("poll", errno));
      if (fds[1].revents) drain_console(0);
      if (fds[2].revents) fail_appliance("QEMU exited while starting");
      if (fds[0].revents) {
        int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) return UniqueFd(fd);
      }
    }
  };
  try {
    UniqueFd qmp_fd = accept_from_qemu(qmp_listen, "monitor");
    qmp_ = std::make_unique<QmpClient>(std::move(qmp_fd));
    qmp_->handshake();
    daemon_fd_ = accept_from_qemu(daemon_listen, "daemon channel");
  } catch (const ApplianceError&) {
    throw;
  } catch (const Error& e) {
    // QEMU refusing its arguments (a bad kernel, …) shows up as a closed monitor.
    qemu_status_ = qemu_->wait_for(std::chrono::milliseconds(500));
    fail_appliance(qemu_status_ ? "QEMU exited while starting" : e.what());
  }
  if (state_fd >= 0) {
    log_phase("QEMU connected, restoring the saved state");
    try {
      // The stream was saved without the RAM, which is mapped from its file.
      qmp_->execute("migrate-set-capabilities", kIgnoreSharedRam);
      qmp_->send_fd("vt-state", state_fd);
      qmp_->execute("migrate-incoming", "{\"uri\":\"fd:vt-state\"}");
    } catch (const ApplianceError&) {
      throw;
    } catch (const Error& e) {
      fail_appliance(e.what());
    }
    wait_until_running(deadline);
    resume_daemon(std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(20)));
    log_phase("daemon resumed");
    return;
  }
  log_phase("QEMU connected, waiting for the daemon");

  proto::Message ready = read_daemon_message(deadline);
  if (ready.header.kind != proto::Kind::ready) fail_appliance("the daemon did not start with a 'ready' message");
  log_phase("daemon ready");
}
void Handle::drain_console(int timeout_ms) {
  if (!console_fd_) return;
  for (;;) {
    pollfd p{console_fd_.get(), POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return;
    char buf[4096];
    ssize_t n = ::read(console_fd_.get(), buf, sizeof buf);
    if (n <= 0) {
      console_fd_.reset();
      return;
    }
    handle_console_bytes(std::string_view(buf, static_cast<size_t>(n)));
    timeout_ms = 0;
  }
}

void Handle::handle_console_bytes(std::string_view bytes) {
  if (verbose_) std::cerr.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) << std::flush;
  for (char c : bytes) {
    if (c == '\r') continue;
    if (c == '\n') {
      console_lines_.push_back(console_partial_);
      console_partial_.clear();
      if (console_lines_.size() > 200) console_lines_.pop_front();
    } else {
      console_partial_ += c;
    }
  }
}

std::string Handle::console_tail(size_t lines) const {
  std::string out;
  size_t start = console_lines_.size() > lines ? console_lines_.size() - lines : 0;
  for (size_t i = start; i < console_lines_.size(); ++i) out += "  | " + console_lines_[i] + "\n";
  if (!console_partial_.empty()) out += "  | " + console_partial_ + "\n";
  return out;
}

void Handle::fail_appliance(const std::string& why) {
  // Collect everything QEMU said before it went away.
  std::string status;
  if (qemu_) {
    auto st = qemu_->wait_for(std::chrono::milliseconds(200));
    if (st) qemu_status_ = st;
  }
  if (qemu_status_) status = " (QEMU " + describe_wait_status(*qemu_status_) + ")";
  drain_console(50);
  std::string tail = console_tail();
  stop_qemu();
  throw ApplianceError("the appliance failed: " + why + status +
              (tail.empty() ? std::string(" (no console output)") : "; last console output:\n" + tail.substr(0, tail.size() - 1)));
}

proto::Message Handle::read_daemon_message(std::optional<std::chrono::steady_clock::time_point> deadline) {
  for (;;) {
    try {
      if (auto m = daemon_in_.next()) return *m;
    } catch (const proto::ProtocolError& e) {
      fail_appliance(std::string("protocol error: ") + e.what());
    }
    pollfd fds[3] = {{daemon_fd_.get(), POLLIN, 0}, {console_fd_ ? console_fd_.get() : -1, POLLIN, 0},
                     {qemu_ ? qemu_->pidfd() : -1, POLLIN, 0}};
    int timeout = -1;
    if (deadline) {
      timeout = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now()).count());
      if (timeout <= 0) fail_appliance("timed out waiting for the daemon");
    }
    int r = ::poll(fds, 3, timeout);
    if (r < 0 && errno != EINTR) throw Error(errno_message("poll", errno));
    if (r == 0) continue;
    if (fds[1].revents) drain_console(0);
    if (fds[0].revents) {
      char buf[65536];
      ssize_t n = ::recv(daemon_fd_.get(), buf, sizeof buf, 0);
      if (n > 0) {
        daemon_in_.append(std::string_view(buf, static_cast<size_t>(n)));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      fail_appliance("the connection to the daemon was closed");
    }
    if (fds[2].revents) fail_appliance("QEMU exited unexpectedly");
  }
}

void Handle::send_daemon_message(const proto::Header& h, std::string_view payload) {
  std::string frame = proto::encode_frame(h, payload);
  size_t done = 0;
  while (done < frame.size()) {
    ssize_t n = ::send(daemon_fd_.get(), frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_appliance(errno_message("sending to the daemon", errno));
    }
    done += static_cast<size_t>(n);
  }
}

std::string Handle::call_raw(uint32_t procedure, uint64_t optargs_mask, std::string payload, const std::string* filein,
                             const std::string* fileout) {
  const char* name = api::procedure_name(procedure);
  std::string call = name ? name : "call " + std::to_string(procedure);
  if (!launched() || !daemon_fd_) throw Error(call + ": the appliance is not running (call launch first)");
  // Host files are opened before anything is sent, so a bad name costs nothing.
  UniqueFd in_fd, out_fd;
  if (filein) {
    in_fd.reset(*filein == "-" ? ::dup(0) : ::open(filein->c_str(), O_RDONLY | O_CLOEXEC));
    if (!in_fd) throw Error(call + ": " + errno_message(*filein, errno));
  }
  if (fileout) {
    out_fd.reset(*fileout == "-" ? ::dup(1) : ::open(fileout->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!out_fd) throw Error(call + ": " + errno_message(*fileout, errno));
  }
  proto::Header h;
  h.procedure = procedure;
  h.serial = ++serial_;
  h.kind = proto::Kind::call;
  h.optargs_mask = optargs_mask;
  try {
    send_daemon_message(h, payload);
  } catch (const proto::ProtocolError& e) {
    throw Error(call + ": " + e.what());
  }

  auto send_chunk = [&](const proto::Chunk& c) {
    proto::Header ch = h;
    ch.kind = proto::Kind::chunk;
    send_daemon_message(ch, proto::encode_chunk(c));
  };
  std::string local_error;
  if (in_fd) {
    std::string buf(proto::kChunkSize, '\0');
    for (;;) {
      ssize_t n = ::read(in_fd.get(), buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        local_error = errno_message(*filein, errno);
        send_chunk({true, ""});
        break;
      }
      if (n == 0) {
        send_chunk({false, ""});
        break;
      }
      send_chunk({false, buf.substr(0, static_cast<size_t>(n))});
    }
  }
  bool stream_open = static_cast<bool>(out_fd);
  for (;;) {
    // A launch-time deadline, else VIRT_TOOLS_CALL_TIMEOUT seconds of
    // silence from the daemon (a hung daemon must not hang the tool).
    auto deadline = call_deadline_;
    if (!deadline && call_silence_limit_.count() > 0) deadline = std::chrono::steady_clock::now() + call_silence_limit_;
    proto::Message m = read_daemon_message(deadline);
    if (m.header.serial != h.serial) fail_appliance("reply to a different call (serial mismatch)");
    try {
      switch (m.header.kind) {
        case proto::Kind::progress:
          if (progress_) {
            auto p = proto::decode_progress(m.payload);
            progress_(p.position, p.total);
          }
          continue;
        case proto::Kind::chunk: {
          if (!stream_open) fail_appliance("unexpected file data from the daemon");
          proto::Chunk c = proto::decode_chunk(m.payload);
          if (c.cancel || c.data.empty()) {
            stream_open = false;
            continue;
          }
          if (local_error.empty()) {
            std::string_view d = c.data;
            while (!d.empty()) {
              ssize_t n = ::write(out_fd.get(), d.data(), d.size());
              if (n < 0 && errno == EINTR) continue;
              if (n < 0) {
                // Tell the daemon to stop; keep reading until it does.
                local_error = errno_message(*fileout, errno);
                send_chunk({true, ""});
                break;
              }
              d.remove_prefix(static_cast<size_t>(n));
            }
          }
          continue;
        }
        case proto::Kind::reply:
          if (stream_open) fail_appliance("reply before the end of the file data");
          if (m.header.status == proto::Status::error) {
            auto e = proto::decode_error(m.payload);
            if (!local_error.empty()) throw Error(call + ": " + local_error);
            throw CallError(call, e.errno_name, e.message);
          }
          if (!local_error.empty()) throw Error(call + ": " + local_error);
          return std::move(m.payload);
        default:
          fail_appliance("unexpected message from the daemon");
      }
    } catch (const proto::ProtocolError& e) {
      fail_appliance(std::string("protocol error: ") + e.what());
    }
  }
}

void Handle::trace_call(const char* name, const std::vector<std::string>& args) {
  std::string line = program_ + ": trace: " + name;
  for (const auto& a : args) line += " " + a;
  std::cerr << line << "\n";
}

void Handle::trace_return(const char* name, const std::string& result) {
  std::cerr << program_ << ": trace: " << name << " = " << (result.empty() ? "ok" : result) << "\n";
}

void Handle::stop_qemu() {
  qmp_.reset();
  daemon_fd_.reset();
  if (qemu_) qemu_->kill_and_reap();
  qemu_.reset();
  drain_console(0);
  console_fd_.reset();
  daemon_in_ = proto::FrameBuffer();
  signal_cleanup_.reset();
  tmpdir_.reset();
}

void Handle::shutdown() {
  if (!qemu_) return;
  bool writable = false;
  for (const auto& d : drives_)
    if (!d.options.readonly) writable = true;
  std::string error;
  if (writable && daemon_fd_) {
    try {
      umount_all();
      sync();
    } catch (const Error& e) {
      error = e.what();
    }
  }
  // QMP quit makes QEMU flush its block layer before exiting.
  if (qemu_ && qmp_) {
    try {
      qmp_->execute("quit");
    } catch (const Error&) {
    }
    qemu_->wait_for(std::chrono::seconds(10));
  }
  stop_qemu();
  if (!error.empty()) throw Error("shutdown: " + error);
}

}  // namespace vt
