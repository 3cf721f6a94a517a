// A minimal QMP client: the handshake and synchronous commands.
#pragma once

#include <chrono>
#include <string>

#include "json.hpp"
#include "process.hpp"

namespace vt {

class QmpClient {
 public:
  explicit QmpClient(UniqueFd fd) : fd_(std::move(fd)) {}
  // Reads the greeting and enables commands.
  void handshake();
  // Runs a command; `arguments` is a JSON object text or empty.  Throws
  // vt::Error with QEMU's description if the command fails.
  // With `fd_to_pass`, the descriptor travels with the command's bytes
  // (SCM_RIGHTS), as getfd wants.
  json::Value execute(const std::string& command, const std::string& arguments = "", int fd_to_pass = -1);
  // Hands QEMU a file descriptor under `name`, for "fd:NAME" migration URIs.
  void send_fd(const std::string& name, int fd) { execute("getfd", "{\"fdname\":" + json::quote(name) + "}", fd); }

 private:
  json::Value read_reply();
  void send_text(const std::string& msg, int fd_to_pass, const std::string& what);
  UniqueFd fd_;
  std::string buf_;
};

}  // namespace vt
