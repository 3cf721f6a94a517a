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
  json::Value execute(const std::string& command, const std::string& arguments = "");
  // Hands QEMU a file descriptor (SCM_RIGHTS) under `name`, for "fd:NAME"
  // migration URIs.
  void send_fd(const std::string& name, int fd);

 private:
  json::Value read_reply();
  void send_text(const std::string& msg, int fd_to_pass, const std::string& what);
  UniqueFd fd_;
  std::string buf_;
};

}  // namespace vt
