// seedgen OUT: writes the binary seeds of the fuzz harnesses into OUT/NAME/
// (tests/fuzz/make-seeds adds those made by other programs).  Everything is
// derived from the phony guests (tests/phony-guests): their release files
// and fstabs, their rpm package list, the empty hive; the protocol and API
// seeds are encoded with the project's own encoders.
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api_types.hpp"
#include "empty_hive.hpp"
#include "protocol.hpp"

namespace fs = std::filesystem;
namespace api = vt::api;
namespace proto = vt::proto;

namespace {

fs::path out_dir;

void write_seed(const std::string& harness, const std::string& name, const std::string& bytes) {
  fs::path dir = out_dir / harness;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
}

// --- protocol and API --------------------------------------------------

std::string frame(proto::Kind kind, proto::Status status, const std::string& payload, uint32_t procedure = 15) {
  proto::Header h;
  h.kind = kind;
  h.status = status;
  h.procedure = procedure;
  h.serial = 7;
  return proto::encode_frame(h, payload);
}

void protocol_seeds() {
  proto::Writer list;
  list.put_string_list({"/dev/sda", "/dev/sda1", "/dev/sda2"});
  std::string error = proto::encode_error({"ENOENT", "is_file: /etc/os-release: No such file or directory"});
  std::string chunk = proto::encode_chunk({false, "Package: bash\nStatus: install ok installed\n"});
  std::string progress = proto::encode_progress({4096, 1 << 20});
  write_seed("protocol", "reply-ok", frame(proto::Kind::reply, proto::Status::ok, list.data()));
  write_seed("protocol", "reply-error", frame(proto::Kind::reply, proto::Status::error, error));
  write_seed("protocol", "chunk", frame(proto::Kind::chunk, proto::Status::ok, chunk));
  write_seed("protocol", "chunk-end", frame(proto::Kind::chunk, proto::Status::ok, proto::encode_chunk({})));
  write_seed("protocol", "progress", frame(proto::Kind::progress, proto::Status::ok, progress));
  write_seed("protocol", "ready-then-reply",
             frame(proto::Kind::ready, proto::Status::ok, "") + frame(proto::Kind::reply, proto::Status::ok, list.data()));
  write_seed("protocol", "payload-error", error);
  write_seed("protocol", "payload-chunk", chunk);
  write_seed("protocol", "payload-progress", progress);
  write_seed("protocol", "payload-list", list.data());
}

template <typename T>
void api_seed(const std::string& name, uint8_t selector, const T& item) {
  proto::Writer one, two;
  api::encode(one, item);
  two.put_u32(2);
  api::encode(two, item);
  api::encode(two, item);
  write_seed("api_decode", name, std::string(1, static_cast<char>(selector)) + one.data());
  write_seed("api_decode", name + "-list", std::string(1, static_cast<char>(selector | 0x80)) + two.data());
}

void api_seeds() {
  api_seed("version", 0, api::version{1, 2, 3, "-vt"});
  api_seed("statvfs", 1, api::statvfs{4096, 4096, 1000, 500, 400, 100, 50, 50, 1, 0, 255});
  api_seed("partition", 2, api::partition{1, 1048576, 2097151, 1048576});
  api::xfsinfo xfs;
  xfs.xfs_mntpoint = "/";
  api_seed("xfsinfo", 3, xfs);
  api::btrfssubvolume sv;
  sv.btrfssubvolume_id = 256;
  sv.btrfssubvolume_path = "@home";
  api_seed("btrfssubvolume", 4, sv);
  api::lvm_pv pv;
  pv.pv_name = "/dev/sda2";
  api_seed("lvm_pv", 5, pv);
  api::lvm_vg vg;
  vg.vg_name = "debian-vg";
  api_seed("lvm_vg", 6, vg);
  api::lvm_lv lv;
  lv.lv_name = "root";
  lv.snap_percent = 12.5f;
  api_seed("lvm_lv", 7, lv);
  api_seed("statns", 8, api::statns{});
  api::treeentry te;
  te.te_path = "/etc/os-release";
  api_seed("treeentry", 9, te);
  api_seed("hivex_node", 10, api::hivex_node{4128});
  api_seed("hivex_value", 11, api::hivex_value{4200});
  api::application2 app;
  app.app2_name = "bash";
  app.app2_version = "5.2.15";
  api_seed("application2", 12, app);
}

// --- rpm headers, as make-rpmdb.cpp writes them ------------------------

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

struct Package {
  std::string name, epoch, version, release, arch;
};

// Name, version, release, [epoch,] arch, sourcerpm, and (with `more`)
// summary (I18NSTRING), description and url, inside an immutable region.
std::string header_blob(const Package& p, bool more) {
  struct Entry {
    uint32_t tag, type, offset, count;
  };
  std::vector<Entry> entries;
  std::string data;
  auto add_string = [&](uint32_t tag, uint32_t type, const std::string& value) {
    entries.push_back({tag, type, static_cast<uint32_t>(data.size()), 1});
    data += value;
    data += '\0';
  };
  add_string(1000, 6, p.name);
  add_string(1001, 6, p.version);
  add_string(1002, 6, p.release);
  if (p.epoch != "-") {
    while (data.size() % 4) data += '\0';
    entries.push_back({1003, 4, static_cast<uint32_t>(data.size()), 1});
    put_be32(data, static_cast<uint32_t>(std::stoul(p.epoch)));
  }
  add_string(1022, 6, p.arch);
  add_string(1044, 6, p.name + "-" + p.version + "-" + p.release + ".src.rpm");
  if (more) {
    add_string(1004, 9, "The " + p.name + " package");
    add_string(1005, 9, "A longer description of " + p.name + ".");
    add_string(1020, 6, "https://example.org/" + p.name);
  }
  uint32_t index_count = static_cast<uint32_t>(entries.size()) + 1;
  uint32_t trailer_offset = static_cast<uint32_t>(data.size());
  put_be32(data, 63);
  put_be32(data, 7);
  put_be32(data, static_cast<uint32_t>(-static_cast<int32_t>(index_count * 16)));
  put_be32(data, 16);
  entries.insert(entries.begin(), {63, 7, trailer_offset, 16});
  std::string blob;
  put_be32(blob, index_count);
  put_be32(blob, static_cast<uint32_t>(data.size()));
  for (const Entry& e : entries) {
    put_be32(blob, e.tag);
    put_be32(blob, e.type);
    put_be32(blob, e.offset);
    put_be32(blob, e.count);
  }
  return blob + data;
}

std::vector<Package> read_packages(const fs::path& path) {
  std::ifstream in(path);
  std::vector<Package> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    Package p;
    if (words >> p.name >> p.epoch >> p.version >> p.release >> p.arch) out.push_back(p);
  }
  return out;
}

std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

// rpm header seeds, and db_load input (bytevalue format) for the Berkeley
// DB seeds: keys are header numbers in the byte order of the database.
void rpm_seeds(const fs::path& phony) {
  auto packages = read_packages(phony / "fedora-packages.txt");
  for (size_t i = 0; i < packages.size() && i < 6; ++i)
    write_seed("rpm_header", packages[i].name, header_blob(packages[i], i % 2 == 1));
  for (bool big : {false, true}) {
    std::string input = "VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\n";
    std::string number0(4, '\0');
    input += " " + hex(number0) + "\n " + hex(std::string("\x00\x00\x00\x05", 4)) + "\n";
    for (size_t i = 0; i < packages.size() && i < 4; ++i) {
      std::string key;
      for (int b = 0; b < 4; ++b) {
        int shift = big ? 8 * (3 - b) : 8 * b;
        key += static_cast<char>(((i + 1) >> shift) & 0xff);
      }
      input += " " + hex(key) + "\n " + hex(header_blob(packages[i], i % 2 == 1)) + "\n";
    }
    input += "DATA=END\n";
    write_seed("bdb-input", big ? "packages-be.txt" : "packages-le.txt", input);
  }
}

// --- guests of the phony-guest scripts ---------------------------------

// The text of a guestfish string argument: "..." with \n, \t, \" and \\.
std::string fish_string(const std::string& arg) {
  std::string s = arg;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char e = s[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += s[i];
    }
  }
  return out;
}

// An ELF header of x86_64 (no NUL bytes: the record format cannot carry them).
std::string elf_x86_64() {
  std::string h(64, '\x01');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = 2;
  h[5] = 1;
  h[18] = 62;
  return h;
}

// Each root of a .fish script as a guest for fuzz_inspect_linux (records
// "PATH\0CONTENT\0"), and its fstab as a seed for fuzz_fstab.
void guest_seeds(const fs::path& phony) {
  for (const auto& entry : fs::directory_iterator(phony)) {
    if (entry.path().extension() != ".fish") continue;
    std::ifstream in(entry.path());
    std::string line, records, stem = entry.path().stem().string();
    int roots = 0;
    auto flush = [&] {
      if (records.empty()) return;
      records += "/bin/ls" + std::string(1, '\0') + elf_x86_64() + std::string(1, '\0');
      write_seed("inspect_linux", stem + "-" + std::to_string(roots++), records);
      records.clear();
    };
    auto record = [&](const std::string& path, const std::string& content) {
      records += path + std::string(1, '\0') + content + std::string(1, '\0');
    };
    while (std::getline(in, line)) {
      std::istringstream words(line);
      std::string cmd, a, b;
      words >> cmd >> a;
      std::getline(words, b);
      if (!b.empty() && b[0] == ' ') b.erase(0, 1);
      if (cmd == "mount" && b == "/") flush();
      else if (cmd == "mkdir" || cmd == "mkdir-p") record(a + "/", "");
      else if (cmd == "ln-s") record(b, "\x01" + a);
      else if (cmd == "write") {
        std::string content = fish_string(b);
        record(a, content);
        if (a == "/etc/fstab") write_seed("fstab", stem + "-" + std::to_string(roots), content);
      }
    }
    flush();
  }
  // The BSDs, as tests/unit/inspect_linux_test.cpp describes them.
  auto guest = [](std::initializer_list<std::pair<std::string, std::string>> files) {
    std::string out;
    for (const auto& [path, content] : files) out += path + std::string(1, '\0') + content + std::string(1, '\0');
    return out + "/bin/ls" + std::string(1, '\0') + elf_x86_64() + std::string(1, '\0');
  };
  write_seed("inspect_linux", "freebsd",
             guest({{"/etc/", ""}, {"/bin/", ""}, {"/etc/fstab", "/dev/ada0p2 / ufs rw 1 1\n"},
                    {"/etc/freebsd-update.conf", "# conf\n"},
                    {"/bin/freebsd-version", "USERLAND_VERSION=\"13.2-RELEASE-p4\"\n"},
                    {"/etc/rc.conf", "hostname=\"freebsd-phony\"\n"}}));
  write_seed("inspect_linux", "netbsd",
             guest({{"/etc/", ""}, {"/bin/", ""}, {"/etc/fstab", "/dev/wd0a / ffs rw 1 1\n"}, {"/netbsd", "k"},
                    {"/etc/release", "NetBSD 9.3 (GENERIC)\n"}, {"/etc/rc.conf", "hostname=netbsd-phony\n"}}));
  write_seed("inspect_linux", "openbsd",
             guest({{"/etc/", ""}, {"/bin/", ""}, {"/etc/fstab", "0123456789abcdef.a / ffs rw 1 1\n"}, {"/bsd", "k"},
                    {"/etc/motd", "OpenBSD 7.3 (GENERIC) #1072: Sat Mar 25 2023\n"}, {"/etc/myname", "obsd\n"}}));
  write_seed("inspect_linux", "rhel-suse",
             guest({{"/etc/", ""}, {"/bin/", ""}, {"/etc/hosts", "127.0.0.1 localhost\n"},
                    {"/etc/redhat-release", "Red Hat Enterprise Linux Server release 6.10 (Santiago)\n"},
                    {"/etc/SuSE-release", "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n"},
                    {"/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04\"\n"},
                    {"/etc/sysconfig/network", "HOSTNAME=rhel6\n"}}));
}

// fuzz_windows: a type byte (below 0x80: REG_BINARY), name, NUL, data.
void windows_seeds() {
  const std::string nul(1, '\0');
  std::string mbr("\x78\x56\x34\x12\x00\x00\x10\x00\x00\x00\x00\x00", 12);  // signature, offset 1 MiB
  write_seed("windows", "mounted-mbr", "\x03\\DosDevices\\C:" + nul + mbr);
  std::string gpt = "DMIO:ID:";
  for (int i = 0; i < 16; ++i) gpt += static_cast<char>(0x11 * (i + 1));
  write_seed("windows", "mounted-gpt", "\x03\\DosDevices\\E:" + nul + gpt);
  write_seed("windows", "boot-ini",
             "\x03" "6.1" + nul +
                 "[boot loader]\r\ntimeout=30\r\ndefault=multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS\r\n"
                 "[operating systems]\r\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS=\"Microsoft Windows XP "
                 "Professional\" /fastdetect\r\nscsi(0)disk(0)rdisk(0)partition(2)\\WINNT=\"Windows 2000\"\r\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: seedgen OUT PHONY-GUESTS-DIR\n";
    return 2;
  }
  try {
    out_dir = argv[1];
    fs::path phony = argv[2];
    protocol_seeds();
    api_seeds();
    rpm_seeds(phony);
    guest_seeds(phony);
    windows_seeds();
    write_seed("hive", "empty", vt::phony::empty_hive());
    write_seed("hive-input", "empty.hiv", vt::phony::empty_hive());
  } catch (const std::exception& e) {
    std::cerr << "seedgen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
