// Encrypted guest disks: the tools' key options and opening every LUKS
// device before inspection, as libguestfs's tools do.
//
// A tool that inspects:
//   vt::luks::KeyOptions keys;               // filled from --key, --keys-from-stdin, --echo-keys
//   ...  h.launch();
//   vt::luks::KeyReader reader(keys, program_name);
//   vt::luks::decrypt_disks(h, reader);      // then inspect as usual
// Each LUKS device is opened read-only as /dev/mapper/luks-<LUKS UUID>,
// the name libguestfs gives it, and the LVM inside appears.  A device whose
// key is missing or wrong gets a one-line warning on stderr and stays closed;
// inspection goes on with the rest.
#pragma once

#include <boost/program_options.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace vt {
class Handle;
}

namespace vt::luks {

// --key ID:key:KEY_STRING or --key ID:file:FILENAME: a key for the LUKS
// device ID (a device name, /dev/sda2, or the LUKS UUID).
struct KeySelector {
  std::string id;
  std::string key;  // the passphrase itself (a file's is read when parsed)
};
// Parses one --key argument; throws vt::Error naming it when malformed or
// when the file cannot be read.  A file's passphrase is its first line.
KeySelector parse_key_selector(const std::string& arg);

struct KeyOptions {
  bool keys_from_stdin = false;  // --keys-from-stdin: one line per device from stdin
  bool echo_keys = false;        // --echo-keys: do not turn off echo while typing on the terminal
  std::vector<KeySelector> selectors;  // --key
};

// Where keys come from: the --key selectors first, then one line of stdin
// per device (--keys-from-stdin), else a prompt on /dev/tty:
//   Enter key or passphrase ("/dev/sda2"):
// with echo off unless --echo-keys.
class KeyReader {
 public:
  explicit KeyReader(KeyOptions opts, std::string program = "virt-tools");
  virtual ~KeyReader() = default;
  // The key for `device` (whose LUKS UUID is `uuid`), or nullopt when none
  // can be had (stdin at its end, no terminal, an empty answer).
  virtual std::optional<std::string> key_for(const std::string& device, const std::string& uuid);
  const std::string& program() const { return program_; }

 protected:
  // One line read from `in` without its newline; nullopt at end of file.
  static std::optional<std::string> read_line(std::FILE* in);

 private:
  std::optional<std::string> prompt_on_tty(const std::string& device);
  KeyOptions opts_;
  std::string program_;
};

struct DecryptResult {
  std::vector<std::string> opened;  // /dev/mapper/luks-UUID of each device opened
  std::vector<std::string> locked;  // the LUKS devices left closed (no key, wrong key)
};

// Opens every LUKS device of the launched handle (whole disks, partitions,
// logical volumes) read-only as luks-<UUID> with keys from `reader`, then
// runs vgscan and vg_activate_all so volume groups inside LUKS appear (and
// looks again at their LVs, for LUKS on LVM on LUKS).  A device already
// open is skipped.  Devices it cannot open are warned about on stderr
// ("PROGRAM: warning: could not open LUKS encrypted DEVICE: REASON") and
// listed in the result; nothing is thrown for them.
DecryptResult decrypt_disks(Handle& h, KeyReader& reader);

// The key options of every tool that inspects (--key, --keys-from-stdin,
// --echo-keys), added to its options, and read back after parsing.
void add_key_options(boost::program_options::options_description& options);
KeyOptions key_options_from(const boost::program_options::variables_map& vm);

// The mapping name libguestfs's tools use for a LUKS device: "luks-" + UUID.
std::string mapname_for(const std::string& luks_uuid);

}  // namespace vt::luks
