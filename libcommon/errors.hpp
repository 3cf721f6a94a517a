// The one exception type for user-facing failures, caught in each tool's main.
#pragma once

#include <stdexcept>
#include <string>

namespace vt {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A call that the daemon answered with an error.
class CallError : public Error {
 public:
  CallError(const std::string& call, const std::string& errno_name, const std::string& message)
      : Error(describe(call, message)), call_(call), errno_name_(errno_name), message_(message) {}
  const std::string& call() const { return call_; }
  const std::string& errno_name() const { return errno_name_; }
  const std::string& message() const { return message_; }

 private:
  // "CALL: message", without repeating the call's name when the daemon's
  // message already starts with it ("mkdir_p /x: …" becomes "mkdir_p: /x: …").
  static std::string describe(const std::string& call, const std::string& message) {
    if (message.compare(0, call.size(), call) == 0 && message.size() > call.size()) {
      char next = message[call.size()];
      if (next == ':') return message;
      if (next == ' ') return call + ": " + message.substr(call.size() + 1);
    }
    return call + ": " + message;
  }
  std::string call_, errno_name_, message_;
};

// The appliance died or never came up; the message carries its console.
class ApplianceError : public Error {
 public:
  using Error::Error;
};

// "what: strerror(errno)"
std::string errno_message(const std::string& what, int err);

}  // namespace vt
