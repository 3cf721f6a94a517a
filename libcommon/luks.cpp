// Keys for encrypted guest disks and opening them before inspection.
#include "luks.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "errors.hpp"
#include "handle.hpp"

namespace vt::luks {

namespace {

// A passphrase longer than this is not a passphrase (cryptsetup's own
// interactive limit is 512 characters).
constexpr size_t kMaxKeyLength = 8192;

// The terminal's echo turned off for as long as this lives.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

bool is_luks(Handle& h, const std::string& device) {
  try {
    return h.vfs_type(device) == "crypto_LUKS";
  } catch (const Error&) {
    return false;
  }
}

bool device_exists(Handle& h, const std::string& device) {
  try {
    h.blockdev_getsize64(device);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// Whole disks without partitions, partitions, logical volumes: where LUKS
// can be.
std::vector<std::string> candidate_devices(Handle& h) {
  std::vector<std::string> out;
  auto parts = h.list_partitions();
  for (const auto& disk : h.list_devices()) {
    bool partitioned = std::any_of(parts.begin(), parts.end(), [&](const std::string& p) {
      return p.size() > disk.size() && p.compare(0, disk.size(), disk) == 0;
    });
    if (!partitioned) out.push_back(disk);
  }
  out.insert(out.end(), parts.begin(), parts.end());
  try {
    auto lvs = h.lvs();
    out.insert(out.end(), lvs.begin(), lvs.end());
  } catch (const Error&) {
    // No LVM: nothing more to look at.
  }
  return out;
}

}  // namespace

std::string mapname_for(const std::string& luks_uuid) { return "luks-" + luks_uuid; }

void add_key_options(boost::program_options::options_description& options) {
  options.add_options()
      ("echo-keys", "Show keys and passphrases as they are typed")
      ("key", boost::program_options::value<std::vector<std::string>>()->composing(),
       "A LUKS key: ID:key:KEY_STRING or ID:file:FILENAME (ID: device or UUID)")
      ("keys-from-stdin", "Read LUKS keys from stdin, one line per device");
}

KeyOptions key_options_from(const boost::program_options::variables_map& vm) {
  KeyOptions keys;
  keys.keys_from_stdin = vm.count("keys-from-stdin") > 0;
  keys.echo_keys = vm.count("echo-keys") > 0;
  if (vm.count("key"))
    for (const auto& k : vm["key"].as<std::vector<std::string>>()) keys.selectors.push_back(parse_key_selector(k));
  return keys;
}

KeySelector parse_key_selector(const std::string& arg) {
  // ID:key:KEY or ID:file:FILE; the ID is up to the first ':' followed by
  // "key:" or "file:", so a key may itself hold colons.
  for (const char* method : {":key:", ":file:"}) {
    auto pos = arg.find(method);
    if (pos == std::string::npos || pos == 0) continue;
    KeySelector sel;
    sel.id = arg.substr(0, pos);
    std::string rest = arg.substr(pos + std::string(method).size());
    if (std::string(method) == ":key:") {
      if (rest.empty()) throw Error("--key " + sel.id + ":key: has an empty key");
      sel.key = rest;
      return sel;
    }
    std::ifstream in(rest);
    if (!in) throw Error("--key: cannot read the key file " + rest);
    std::getline(in, sel.key);
    if (sel.key.size() > kMaxKeyLength) throw Error("--key: the key in " + rest + " is too long");
    if (sel.key.empty()) throw Error("--key: the key file " + rest + " is empty");
    return sel;
  }
  throw Error("--key '" + arg + "': expected ID:key:KEY_STRING or ID:file:FILENAME");
}

KeyReader::KeyReader(KeyOptions opts, std::string program) : opts_(std::move(opts)), program_(std::move(program)) {}

std::optional<std::string> KeyReader::read_line(std::FILE* in) {
  std::string line;
  for (int ch; (ch = std::fgetc(in)) != EOF;) {
    if (ch == '\n') return line;
    if (line.size() >= kMaxKeyLength) throw Error("a key or passphrase longer than 8192 characters");
    line.push_back(static_cast<char>(ch));
  }
  if (line.empty()) return std::nullopt;
  return line;  // the last line without its newline
}

std::optional<std::string> KeyReader::prompt_on_tty(const std::string& device) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return std::nullopt;
  std::unique_ptr<std::FILE, FileCloser> tty(::fdopen(fd, "r+"));
  if (!tty) {
    ::close(fd);
    return std::nullopt;
  }
  std::fprintf(tty.get(), "Enter key or passphrase (\"%s\"): ", device.c_str());
  std::fflush(tty.get());
  std::optional<std::string> key;
  {
    std::optional<EchoOff> quiet;
    if (!opts_.echo_keys) quiet.emplace(fd);
    key = read_line(tty.get());
  }
  // The newline the user typed was not echoed.
  if (!opts_.echo_keys) std::fputc('\n', tty.get());
  return key;
}

std::optional<std::string> KeyReader::key_for(const std::string& device, const std::string& uuid) {
  for (const auto& sel : opts_.selectors)
    if (sel.id == device || (!uuid.empty() && sel.id == uuid)) return sel.key;
  std::optional<std::string> key = opts_.keys_from_stdin ? read_line(stdin) : prompt_on_tty(device);
  if (key && key->empty()) return std::nullopt;
  return key;
}

DecryptResult decrypt_disks(Handle& h, KeyReader& reader) {
  DecryptResult result;
  std::vector<std::string> tried;
  // Each pass may reveal LVs (LUKS on LVM inside LUKS); stop when a pass
  // opens nothing new.
  for (bool opened_some = true; opened_some;) {
    opened_some = false;
    for (const auto& device : candidate_devices(h)) {
      if (std::find(tried.begin(), tried.end(), device) != tried.end()) continue;
      if (!is_luks(h, device)) continue;
      tried.push_back(device);
      std::string uuid;
      try {
        uuid = h.vfs_uuid(device);
      } catch (const Error&) {
      }
      if (uuid.empty()) {
        std::fprintf(stderr, "%s: warning: LUKS encrypted %s has no UUID; left closed\n", reader.program().c_str(),
                     device.c_str());
        result.locked.push_back(device);
        continue;
      }
      std::string mapped = "/dev/mapper/" + mapname_for(uuid);
      if (device_exists(h, mapped)) continue;  // opened before, by us or by the user
      auto key = reader.key_for(device, uuid);
      if (!key) {
        std::fprintf(stderr, "%s: warning: no key to open LUKS encrypted %s; left closed\n",
                     reader.program().c_str(), device.c_str());
        result.locked.push_back(device);
        continue;
      }
      try {
        api::CryptsetupOpenOptargs o;
        o.readonly = true;
        o.crypttype = "luks";
        h.cryptsetup_open(device, *key, mapname_for(uuid), o);
      } catch (const CallError& e) {
        std::fprintf(stderr, "%s: warning: could not open LUKS encrypted %s: %s\n", reader.program().c_str(),
                     device.c_str(), e.message().c_str());
        result.locked.push_back(device);
        continue;
      }
      result.opened.push_back(mapped);
      opened_some = true;
    }
    if (opened_some) {
      h.vgscan();
      h.vg_activate_all(true);
    }
  }
  return result;
}

}  // namespace vt::luks
