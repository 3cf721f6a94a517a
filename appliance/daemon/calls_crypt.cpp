// Encrypted block devices (LUKS, BitLocker) through cryptsetup.  Keys are
// secrets: they reach cryptsetup on its standard input, never in an argv
// that /proc/PID/cmdline or a verbose trace would show.
#include "daemon_calls.hpp"

namespace vt::daemon {

namespace {

// Device-mapper names: what dmsetup accepts, without the path separators
// and the name it reserves for itself.
void check_mapname(const std::string& mapname) {
  if (mapname.empty() || mapname.size() > 127)
    throw DaemonError(EINVAL, "cryptsetup_open: mapname must be 1 to 127 characters");
  if (mapname == "control" || mapname == "." || mapname == "..")
    throw DaemonError(EINVAL, "cryptsetup_open: mapname '" + mapname + "' is reserved by device-mapper");
  for (char ch : mapname)
    if (ch == '/' || static_cast<unsigned char>(ch) <= ' ')
      throw DaemonError(EINVAL, "cryptsetup_open: mapname '" + mapname + "' contains '/', a space or a control character");
}

// Runs cryptsetup with `input` on its standard input; a failure carries
// cryptsetup's own message.
void run_cryptsetup(const std::vector<std::string>& argv, const std::string& input, const std::string& what) {
  if (g_verbose) {
    std::string line = "virt-tools-daemon: run:";
    for (const auto& a : argv) line += " " + a;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  CommandResult r;
  try {
    r = run_command(argv, input, 1 << 20);
  } catch (const std::exception& e) {
    throw DaemonError(EIO, what + ": " + e.what());
  }
  if (!r.ok()) {
    std::string err = r.err.empty() ? r.out : r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    if (err.empty()) err = describe_wait_status(r.status);
    throw DaemonError(EIO, what + ": " + err);
  }
}

}  // namespace

void do_cryptsetup_open(const std::string& device, const std::string& key, const std::string& mapname,
                        const api::CryptsetupOpenOptargs& o) {
  check_mapname(mapname);
  if (key.empty()) throw DaemonError(EINVAL, "cryptsetup_open: the key is empty");
  std::vector<std::string> argv = {"cryptsetup", "open", "--batch-mode", "--key-file", "-"};
  if (o.crypttype) {
    if (*o.crypttype != "luks" && *o.crypttype != "bitlk")
      throw DaemonError(EINVAL, "cryptsetup_open: crypttype must be luks or bitlk, not '" + *o.crypttype + "'");
    argv.insert(argv.end(), {"--type", *o.crypttype});
  }
  if (o.readonly && *o.readonly) argv.push_back("--readonly");
  argv.insert(argv.end(), {device, mapname});
  load_module("dm_crypt");
  run_cryptsetup(argv, key, "cryptsetup_open: " + device);
}

void do_cryptsetup_close(const std::string& device) {
  const std::string prefix = "/dev/mapper/";
  if (device.rfind(prefix, 0) != 0 || device.size() == prefix.size())
    throw DaemonError(EINVAL, "cryptsetup_close: " + device + ": not a mapping made by cryptsetup_open (/dev/mapper/NAME)");
  run_cryptsetup({"cryptsetup", "close", device.substr(prefix.size())}, "", "cryptsetup_close: " + device);
}

}  // namespace vt::daemon
