#include "qmp.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "errors.hpp"

namespace vt {

namespace {
// QMP answers within milliseconds; this only guards against a wedged QEMU.
constexpr int kQmpTimeoutMs = 30000;
}  // namespace

json::Value QmpClient::read_reply() {
  for (;;) {
    auto nl = buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
      json::Value v;
      try {
        v = json::parse(line);
      } catch (const std::exception& e) {
        throw Error(std::string("QMP: malformed reply from QEMU: ") + e.what());
      }
      if (v.get("event")) continue;  // asynchronous notifications are not replies
      return v;
    }
    pollfd p{fd_.get(), POLLIN, 0};
    int r = ::poll(&p, 1, kQmpTimeoutMs);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) throw Error("QMP: QEMU did not answer");
    char tmp[4096];
    ssize_t n = ::read(fd_.get(), tmp, sizeof tmp);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error("QMP: QEMU closed the monitor connection");
    buf_.append(tmp, static_cast<size_t>(n));
  }
}

void QmpClient::handshake() {
  json::Value greeting = read_reply();
  if (!greeting.get("QMP")) throw Error("QMP: unexpected greeting from QEMU");
  execute("qmp_capabilities");
}

json::Value QmpClient::execute(const std::string& command, const std::string& arguments, int fd_to_pass) {
  std::string msg = "{\"execute\":" + json::quote(command);
  if (!arguments.empty()) msg += ",\"arguments\":" + arguments;
  msg += "}\n";
  send_text(msg, fd_to_pass, command);
  json::Value reply = read_reply();
  if (const json::Value* err = reply.get("error")) {
    const json::Value* desc = err->get("desc");
    throw Error(desc && desc->as_string() ? *desc->as_string() : command + " failed");
  }
  const json::Value* ret = reply.get("return");
  return ret ? *ret : json::Value{};
}

void QmpClient::send_text(const std::string& msg, int fd_to_pass, const std::string& what) {
  iovec iov{const_cast<char*>(msg.data()), msg.size()};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd_to_pass >= 0) {
    mh.msg_control = control;
    mh.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd_to_pass, sizeof(int));
  }
  ssize_t n;
  do n = ::sendmsg(fd_.get(), &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(msg.size())) throw Error("QMP: cannot send " + what + " to QEMU");
}

}  // namespace vt
