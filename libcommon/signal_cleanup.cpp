#include "signal_cleanup.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "process.hpp"

namespace vt {

namespace {

constexpr int kSlots = 64;
struct Slot {
  std::atomic<bool> used{false};
  std::atomic<pid_t> pid{0};
  std::atomic<bool> path_is_tree{false};
  char path[512] = {0};
};
Slot g_slots[kSlots];

void cleanup_on_signal(int sig) {
  for (auto& slot : g_slots) {
    if (!slot.used.load()) continue;
    pid_t pid = slot.pid.load();
    if (pid > 0) ::kill(pid, SIGKILL);
    if (slot.path[0]) {
      if (slot.path_is_tree.load())
        remove_tree_signal_safe(slot.path);
      else
        ::unlink(slot.path);
    }
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_signal_handlers() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  struct sigaction sa {};
  sa.sa_handler = cleanup_on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &sa, nullptr);
}

void set_path(int slot, const std::string& path, bool tree) {
  if (slot < 0) return;
  Slot& s = g_slots[slot];
  // The handler must never see half a name: the first byte goes in last.
  s.path[0] = 0;
  s.path_is_tree = tree;
  if (path.empty() || path.size() >= sizeof s.path) return;
  std::memcpy(s.path + 1, path.c_str() + 1, path.size());
  std::atomic_signal_fence(std::memory_order_seq_cst);
  s.path[0] = path[0];
}

}  // namespace

SignalCleanup::SignalCleanup() {
  install_signal_handlers();
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (g_slots[i].used.compare_exchange_strong(expected, true)) {
      slot_ = i;
      return;
    }
  }
}

SignalCleanup::~SignalCleanup() {
  clear();
  if (slot_ >= 0) g_slots[slot_].used = false;
}

void SignalCleanup::kill_on_signal(pid_t pid) {
  if (slot_ >= 0) g_slots[slot_].pid = pid;
}

void SignalCleanup::remove_tree_on_signal(const std::string& dir) { set_path(slot_, dir, true); }

void SignalCleanup::remove_file_on_signal(const std::string& file) { set_path(slot_, file, false); }

void SignalCleanup::clear() {
  if (slot_ < 0) return;
  g_slots[slot_].pid = 0;
  g_slots[slot_].path[0] = 0;
}

}  // namespace vt
