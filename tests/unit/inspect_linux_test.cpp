// Linux/BSD identification over fixture trees, and ELF/PE header parsing.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "inspect.hpp"
#include "inspect_linux.hpp"

using vt::inspect::binary_architecture;
using vt::inspect::GuestView;
using vt::inspect::OsFacts;

namespace {

// A guest tree in memory: files, directories, symbolic links; every
// binary's architecture is `arch`.
class FakeGuest : public GuestView {
 public:
  std::map<std::string, std::string> files;
  std::set<std::string> dirs{"/etc", "/bin"};
  std::map<std::string, std::string> links;
  std::string arch = "x86_64";

  FakeGuest& file(const std::string& path, const std::string& contents) {
    files[path] = contents;
    return *this;
  }

  bool is_file(const std::string& path, bool follow) const override {
    auto p = follow ? resolve(path) : std::optional<std::string>(path);
    return p && files.count(*p);
  }
  bool is_dir(const std::string& path) const override { return dirs.count(path) > 0; }
  std::optional<std::string> symlink_target(const std::string& path) const override {
    auto it = links.find(path);
    if (it == links.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> read_small_file(const std::string& path) const override {
    auto p = resolve(path);
    if (!p || !files.count(*p) || files.at(*p).size() > vt::inspect::kSmallFileLimit) return std::nullopt;
    return files.at(*p);
  }
  std::optional<std::string> architecture(const std::string& path) const override {
    if (!is_file(path, true)) return std::nullopt;
    return arch;
  }

 private:
  // Absolute targets only, at most 8 hops (a loop is "missing").
  std::optional<std::string> resolve(std::string path) const {
    for (int hops = 0; hops < 8; ++hops) {
      auto it = links.find(path);
      if (it == links.end()) return path;
      path = it->second;
    }
    return std::nullopt;
  }
};

FakeGuest linux_base() {
  FakeGuest g;
  g.file("/etc/fstab", "").file("/bin/ls", "ELF");
  return g;
}

OsFacts identify(const FakeGuest& g) {
  OsFacts f;
  EXPECT_TRUE(vt::inspect::identify_linux(g, f));
  return f;
}

void expect_os(const OsFacts& f, const std::string& distro, int major, int minor, const std::string& product,
               const std::string& format, const std::string& management, const std::string& osinfo) {
  EXPECT_EQ(f.type, "linux");
  EXPECT_EQ(f.distro, distro);
  EXPECT_EQ(f.major_version, major);
  EXPECT_EQ(f.minor_version, minor);
  EXPECT_EQ(f.product_name, product);
  EXPECT_EQ(f.package_format, format);
  EXPECT_EQ(f.package_management, management);
  EXPECT_EQ(f.osinfo, osinfo);
}

}  // namespace

TEST(InspectLinuxOsRelease, ParsesShellQuoting) {
  auto kv = vt::inspect::parse_os_release(
      "# comment\n\nNAME=\"Debian GNU/Linux\"\nID=debian\nX='single $x'\nY=\"a \\\"q\\\" \\$ \\n\"\nEMPTY=\nNOEQ\n");
  std::vector<std::pair<std::string, std::string>> want = {
      {"NAME", "Debian GNU/Linux"}, {"ID", "debian"}, {"X", "single $x"},
      {"Y", "a \"q\" $ \\n"},        {"EMPTY", ""},    {"NOEQ", ""}};
  EXPECT_EQ(kv, want);
}

TEST(InspectLinux, DebianMinorFromDebianVersion) {
  auto g = linux_base();
  g.file("/etc/os-release",
         "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n")
      .file("/etc/debian_version", "12.5\n")
      .file("/etc/hostname", "debian-phony\n");
  auto f = identify(g);
  // libguestfs names the product by debian_version's line.
  expect_os(f, "debian", 12, 5, "12.5", "deb", "apt", "debian12");
  EXPECT_EQ(f.hostname, "debian-phony");
  EXPECT_EQ(f.arch, "x86_64");
}

TEST(InspectLinux, UbuntuOsRelease) {
  auto g = linux_base();
  g.file("/etc/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nPRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\n")
      .file("/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_DESCRIPTION=\"other\"\n")
      .file("/etc/debian_version", "bookworm/sid\n");
  expect_os(identify(g), "ubuntu", 22, 4, "Ubuntu 22.04.3 LTS", "deb", "apt", "ubuntu22.04");
}

TEST(InspectLinux, UbuntuLsbReleaseOnly) {
  auto g = linux_base();
  g.file("/etc/lsb-release",
         "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=10.04\nDISTRIB_CODENAME=lucid\nDISTRIB_DESCRIPTION=\"Ubuntu 10.04.1 LTS\"\n")
      .file("/etc/debian_version", "squeeze/sid\n");
  expect_os(identify(g), "ubuntu", 10, 4, "Ubuntu 10.04.1 LTS", "deb", "apt", "ubuntu10.04");
}

TEST(InspectLinux, FedoraYumWithoutDnfBinary) {
  auto g = linux_base();
  g.file("/etc/os-release",
         "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=38\nPRETTY_NAME=\"Fedora Linux 38 (Workstation Edition)\"\n")
      .file("/etc/fedora-release", "Fedora release 38 (Thirty Eight)\n")
      .file("/etc/hostname", "fedora-phony.example.org\n");
  expect_os(identify(g), "fedora", 38, 0, "Fedora Linux 38 (Workstation Edition)", "rpm", "yum", "fedora38");
  g.file("/usr/bin/dnf-3", "x");
  g.links["/usr/bin/dnf"] = "/usr/bin/dnf-3";
  EXPECT_EQ(identify(g).package_management, "dnf");
}

TEST(InspectLinux, Rhel) {
  for (auto [version, major, minor, pm] : {std::tuple{"7.9", 7, 9, "yum"}, {"8.8", 8, 8, "dnf"}, {"9.2", 9, 2, "dnf"}}) {
    auto g = linux_base();
    g.file("/etc/os-release", std::string("ID=\"rhel\"\nVERSION_ID=\"") + version +
                                  "\"\nPRETTY_NAME=\"Red Hat Enterprise Linux " + version + "\"\n")
        .file("/etc/redhat-release", "Red Hat Enterprise Linux release 1.0\n");
    expect_os(identify(g), "rhel", major, minor, std::string("Red Hat Enterprise Linux ") + version, "rpm", pm,
              std::string("rhel") + version);
  }
}

TEST(InspectLinux, Rhel6RedhatReleaseOnly) {
  auto g = linux_base();
  g.file("/etc/redhat-release", "Red Hat Enterprise Linux Server release 6.10 (Santiago)\n")
      .file("/etc/sysconfig/network", "NETWORKING=yes\nHOSTNAME=\"rhel6.example.com\"\n");
  auto f = identify(g);
  expect_os(f, "rhel", 6, 10, "Red Hat Enterprise Linux Server release 6.10 (Santiago)", "rpm", "yum", "rhel6.10");
  EXPECT_EQ(f.hostname, "rhel6.example.com");
  auto old = linux_base();
  old.file("/etc/redhat-release", "Red Hat Enterprise Linux AS release 4 (Nahant Update 9)\n");
  expect_os(identify(old), "rhel", 4, 9, "Red Hat Enterprise Linux AS release 4 (Nahant Update 9)", "rpm", "up2date",
            "rhel4.9");
}

TEST(InspectLinux, CentosMajorOnlyOsReleaseFallsBackToReleaseFile) {
  auto g = linux_base();
  g.file("/etc/os-release", "NAME=\"CentOS Linux\"\nID=\"centos\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n")
      .file("/etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n")
      .file("/etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n");
  expect_os(identify(g), "centos", 7, 9, "CentOS Linux release 7.9.2009 (Core)", "rpm", "yum", "centos7.0");
  auto stream = linux_base();
  stream.file("/etc/os-release", "ID=\"centos\"\nVERSION_ID=\"9\"\nPRETTY_NAME=\"CentOS Stream 9\"\n")
      .file("/etc/centos-release", "CentOS Stream release 9\n");
  expect_os(identify(stream), "centos", 9, 0, "CentOS Stream release 9", "rpm", "dnf", "centos9");
}

TEST(InspectLinux, RockyAndAlma) {
  auto rocky = linux_base();
  rocky.file("/etc/os-release", "ID=\"rocky\"\nVERSION_ID=\"9.2\"\nPRETTY_NAME=\"Rocky Linux 9.2 (Blue Onyx)\"\n")
      .file("/etc/rocky-release", "Rocky Linux release 9.2 (Blue Onyx)\n");
  expect_os(identify(rocky), "rocky", 9, 2, "Rocky Linux 9.2 (Blue Onyx)", "rpm", "dnf", "rocky9");
  // libguestfs 1.48 does not know AlmaLinux: a generic Red Hat derivative.
  auto alma = linux_base();
  alma.file("/etc/os-release",
            "ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.2\"\nPRETTY_NAME=\"AlmaLinux 9.2 (Turquoise Kodkod)\"\n")
      .file("/etc/almalinux-release", "AlmaLinux release 9.2 (Turquoise Kodkod)\n")
      .file("/etc/redhat-release", "AlmaLinux release 9.2 (Turquoise Kodkod)\n");
  expect_os(identify(alma), "redhat-based", 9, 2, "AlmaLinux release 9.2 (Turquoise Kodkod)", "rpm", "dnf",
            "redhat-based9.2");
}

TEST(InspectLinux, Suse) {
  auto leap = linux_base();
  leap.file("/etc/os-release", "NAME=\"openSUSE Leap\"\nVERSION_ID=\"15.5\"\nID=\"opensuse-leap\"\nPRETTY_NAME=\"openSUSE Leap 15.5\"\n");
  expect_os(identify(leap), "opensuse", 15, 5, "openSUSE Leap 15.5", "rpm", "zypper", "opensuse15.5");
  auto tw = linux_base();
  tw.file("/etc/os-release",
          "NAME=\"openSUSE Tumbleweed\"\nID=\"opensuse-tumbleweed\"\nVERSION_ID=\"20231004\"\nPRETTY_NAME=\"openSUSE Tumbleweed\"\n");
  expect_os(identify(tw), "opensuse", 20231004, 0, "openSUSE Tumbleweed", "rpm", "zypper", "opensuse20231004.0");
  auto sles = linux_base();
  sles.file("/etc/os-release", "NAME=\"SLES\"\nVERSION_ID=\"15.4\"\nID=\"sles\"\nPRETTY_NAME=\"SUSE Linux Enterprise Server 15 SP4\"\n");
  expect_os(identify(sles), "sles", 15, 4, "SUSE Linux Enterprise Server 15 SP4", "rpm", "zypper", "sles15sp4");
  auto sles11 = linux_base();
  sles11.file("/etc/SuSE-release", "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 0\n");
  expect_os(identify(sles11), "sles", 11, 0, "SUSE Linux Enterprise Server 11 (x86_64)", "rpm", "zypper", "sles11");
}

TEST(InspectLinux, RollingDistros) {
  auto arch = linux_base();
  arch.file("/etc/os-release", "NAME=\"Arch Linux\"\nPRETTY_NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n")
      .file("/etc/arch-release", "");
  auto f = identify(arch);
  expect_os(f, "archlinux", 0, 0, "Arch Linux", "pacman", "pacman", "archlinux");
  EXPECT_EQ(f.build_id, "rolling");
  auto arch_old = linux_base();
  arch_old.file("/etc/arch-release", "");
  expect_os(identify(arch_old), "archlinux", 0, 0, "unknown", "pacman", "pacman", "archlinux");

  auto gentoo = linux_base();
  gentoo.file("/etc/os-release", "NAME=Gentoo\nID=gentoo\nPRETTY_NAME=\"Gentoo Linux\"\nVERSION_ID=\"2.14\"\n")
      .file("/etc/gentoo-release", "Gentoo Base System release 2.14\n");
  expect_os(identify(gentoo), "gentoo", 2, 14, "Gentoo Linux", "ebuild", "portage", "gentoo");

  auto void_linux = linux_base();
  void_linux.file("/etc/os-release", "NAME=\"Void\"\nID=\"void\"\nPRETTY_NAME=\"Void Linux\"\n");
  expect_os(identify(void_linux), "voidlinux", 0, 0, "Void Linux", "xbps", "xbps", "voidlinux");
}

TEST(InspectLinux, Alpine) {
  auto g = linux_base();
  g.file("/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.18.4\nPRETTY_NAME=\"Alpine Linux v3.18\"\n")
      .file("/etc/alpine-release", "3.18.4\n");
  expect_os(identify(g), "alpinelinux", 3, 18, "Alpine Linux v3.18", "apk", "apk", "alpinelinux3.18");
  auto old = linux_base();
  old.file("/etc/alpine-release", "3.2.3\n");
  expect_os(identify(old), "alpinelinux", 3, 2, "3.2.3", "apk", "apk", "alpinelinux3.2");
}

TEST(InspectLinux, UnknownIdKeepsNameAndVersion) {
  auto g = linux_base();
  g.file("/etc/os-release", "NAME=\"Novel\"\nID=novel\nVERSION_ID=\"4.1\"\nPRETTY_NAME=\"Novel OS 4.1\"\n");
  expect_os(identify(g), "unknown", 4, 1, "Novel OS 4.1", "unknown", "unknown", "unknown");
}

TEST(InspectLinux, NotALinuxRoot) {
  OsFacts f;
  FakeGuest boot;
  boot.dirs = {"/grub"};
  EXPECT_FALSE(vt::inspect::identify_linux(boot, f));
  FakeGuest no_fstab;
  EXPECT_FALSE(vt::inspect::identify_linux(no_fstab, f));
  // A merged /usr: /bin is the symlink usr/bin.
  FakeGuest merged;
  merged.dirs = {"/etc"};
  merged.links["/bin"] = "usr/bin";
  merged.file("/etc/hosts", "");
  EXPECT_TRUE(vt::inspect::identify_linux(merged, f));
  EXPECT_EQ(f.type, "linux");
  EXPECT_EQ(f.distro, "unknown");
  EXPECT_EQ(f.arch, "unknown");
  EXPECT_EQ(f.osinfo, "unknown");
}

TEST(InspectLinux, HostileFilesAreMissing) {
  auto g = linux_base();
  // A symlink loop where os-release should be, a huge debian_version, a
  // directory for hostname: none of it stops inspection.
  g.links["/etc/os-release"] = "/etc/os-release";
  g.file("/etc/debian_version", std::string(vt::inspect::kSmallFileLimit + 1, '1'));
  g.dirs.insert("/etc/hostname");
  g.file("/etc/HOSTNAME", "\n");
  g.file("/etc/gentoo-release", std::string(100000, 'x') + " release 2.7\n");
  auto f = identify(g);
  EXPECT_EQ(f.distro, "gentoo");
  EXPECT_EQ(f.major_version, 0);  // the version lies past what is matched
  EXPECT_EQ(f.hostname, "unknown");
}

TEST(InspectLinux, HugeVersionNumbersAreIgnored) {
  auto g = linux_base();
  g.file("/etc/os-release", "ID=fedora\nVERSION_ID=99999999999999999999\nPRETTY_NAME=\"F\"\n");
  g.file("/etc/redhat-release", "Fedora release 99999999999999999999\n");
  auto f = identify(g);
  EXPECT_EQ(f.distro, "fedora");
  EXPECT_EQ(f.major_version, 0);
}

TEST(InspectBsd, FreeBsdNetBsdOpenBsd) {
  FakeGuest fbsd;
  fbsd.file("/etc/fstab", "").file("/etc/freebsd-update.conf", "").file("/bin/sh", "ELF")
      .file("/etc/motd", "FreeBSD 12.4-RELEASE r372781 GENERIC\n\nWelcome!\n")
      .file("/etc/rc.conf", "ifconfig_em0=\"DHCP\"\nhostname=\"bsd.example.com\"\n");
  OsFacts f;
  ASSERT_TRUE(vt::inspect::identify_bsd(fbsd, f));
  EXPECT_EQ(f.type, "freebsd");
  EXPECT_EQ(f.distro, "freebsd");
  EXPECT_EQ(f.major_version, 12);
  EXPECT_EQ(f.minor_version, 4);
  EXPECT_EQ(f.hostname, "bsd.example.com");
  EXPECT_EQ(f.osinfo, "freebsd12.4");
  EXPECT_EQ(f.arch, "x86_64");

  // FreeBSD 13+: motd says nothing of the version; freebsd-version does.
  fbsd.file("/etc/motd", "Welcome to FreeBSD!\n")
      .file("/bin/freebsd-version", "#!/bin/sh\nUSERLAND_VERSION=\"13.2-RELEASE-p4\"\n");
  OsFacts f13;
  ASSERT_TRUE(vt::inspect::identify_bsd(fbsd, f13));
  EXPECT_EQ(f13.major_version, 13);
  EXPECT_EQ(f13.minor_version, 2);
  EXPECT_EQ(f13.product_name, "FreeBSD 13.2-RELEASE-p4");

  FakeGuest nbsd;
  nbsd.file("/etc/fstab", "").file("/netbsd", "").file("/etc/release", "NetBSD 9.3 (GENERIC)\n");
  OsFacts n;
  ASSERT_TRUE(vt::inspect::identify_bsd(nbsd, n));
  EXPECT_EQ(n.type, "netbsd");
  EXPECT_EQ(n.major_version, 9);
  EXPECT_EQ(n.minor_version, 3);
  EXPECT_EQ(n.osinfo, "netbsd9.3");

  FakeGuest obsd;
  obsd.file("/etc/fstab", "").file("/bsd", "").file("/etc/motd", "OpenBSD 7.3 (GENERIC) #1072: Sat Mar 25\n")
      .file("/etc/myname", "obsd.example.org\n");
  OsFacts o;
  ASSERT_TRUE(vt::inspect::identify_bsd(obsd, o));
  EXPECT_EQ(o.type, "openbsd");
  EXPECT_EQ(o.distro, "openbsd");
  EXPECT_EQ(o.product_name, "OpenBSD 7.3 (GENERIC) #1072: Sat Mar 25");
  EXPECT_EQ(o.major_version, 7);
  EXPECT_EQ(o.minor_version, 3);
  EXPECT_EQ(o.hostname, "obsd.example.org");

  OsFacts none;
  EXPECT_FALSE(vt::inspect::identify_bsd(linux_base(), none));
}

namespace {

// An ELF header up to e_machine.
std::string elf(int ei_class, int ei_data, int machine) {
  std::string h(64, '\0');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = static_cast<char>(ei_class);
  h[5] = static_cast<char>(ei_data);
  if (ei_data == 1) {
    h[18] = static_cast<char>(machine & 0xff);
    h[19] = static_cast<char>(machine >> 8);
  } else {
    h[18] = static_cast<char>(machine >> 8);
    h[19] = static_cast<char>(machine & 0xff);
  }
  return h;
}

std::string pe(uint32_t offset, int machine, size_t size = 512) {
  std::string h(size, '\0');
  h[0] = 'M';
  h[1] = 'Z';
  for (int i = 0; i < 4; ++i) h[0x3c + i] = static_cast<char>((offset >> (8 * i)) & 0xff);
  if (uint64_t{offset} + 4 <= size) h.replace(offset, 4, std::string("PE\0\0", 4));
  if (uint64_t{offset} + 6 <= size) {
    h[offset + 4] = static_cast<char>(machine & 0xff);
    h[offset + 5] = static_cast<char>(machine >> 8);
  }
  return h;
}

}  // namespace

TEST(BinaryArchitecture, Elf) {
  EXPECT_EQ(binary_architecture(elf(2, 1, 62)), "x86_64");
  EXPECT_EQ(binary_architecture(elf(1, 1, 3)), "i386");
  EXPECT_EQ(binary_architecture(elf(2, 1, 183)), "aarch64");
  EXPECT_EQ(binary_architecture(elf(1, 1, 40)), "arm");
  EXPECT_EQ(binary_architecture(elf(2, 2, 21)), "ppc64");
  EXPECT_EQ(binary_architecture(elf(2, 1, 21)), "ppc64le");
  EXPECT_EQ(binary_architecture(elf(1, 2, 20)), "ppc");
  EXPECT_EQ(binary_architecture(elf(2, 2, 22)), "s390x");
  EXPECT_EQ(binary_architecture(elf(1, 2, 22)), "s390");
  EXPECT_EQ(binary_architecture(elf(2, 1, 243)), "riscv64");
  EXPECT_EQ(binary_architecture(elf(1, 2, 8)), "mips");
  EXPECT_EQ(binary_architecture(elf(2, 2, 8)), "mips64");
  EXPECT_EQ(binary_architecture(elf(2, 2, 43)), "sparc64");
  EXPECT_EQ(binary_architecture(elf(2, 1, 50)), "ia64");
  EXPECT_EQ(binary_architecture(elf(2, 1, 0x1234)), std::nullopt);
}

TEST(BinaryArchitecture, Pe) {
  EXPECT_EQ(binary_architecture(pe(0x80, 0x14c)), "i386");
  EXPECT_EQ(binary_architecture(pe(0xf8, 0x8664)), "x86_64");
  EXPECT_EQ(binary_architecture(pe(0x100, 0xaa64)), "aarch64");
  EXPECT_EQ(binary_architecture(pe(0x80, 0x1234)), std::nullopt);
}

TEST(BinaryArchitecture, TruncatedAndGarbage) {
  EXPECT_EQ(binary_architecture(""), std::nullopt);
  EXPECT_EQ(binary_architecture("\x7f"), std::nullopt);
  EXPECT_EQ(binary_architecture("\x7f" "ELF"), std::nullopt);
  EXPECT_EQ(binary_architecture(elf(2, 1, 62).substr(0, 19)), std::nullopt);
  EXPECT_EQ(binary_architecture(elf(2, 1, 62).substr(0, 20)), "x86_64");
  EXPECT_EQ(binary_architecture(elf(3, 1, 62)), std::nullopt);  // bad class
  EXPECT_EQ(binary_architecture(elf(2, 0, 62)), std::nullopt);  // bad data
  EXPECT_EQ(binary_architecture("MZ"), std::nullopt);
  EXPECT_EQ(binary_architecture(pe(0xffffffff, 0x8664)), std::nullopt);
  EXPECT_EQ(binary_architecture(pe(0xfffffffc, 0x8664)), std::nullopt);
  EXPECT_EQ(binary_architecture(pe(508, 0x8664)), std::nullopt);  // PE\0\0 but no machine
  EXPECT_EQ(binary_architecture(pe(506, 0x8664)), "x86_64");       // exactly fits
  EXPECT_EQ(binary_architecture(pe(0x80, 0x8664).substr(0, 0x40)), std::nullopt);
  EXPECT_EQ(binary_architecture(std::string(4096, '\xff')), std::nullopt);
  EXPECT_EQ(binary_architecture("#!/bin/sh\necho hi\n"), std::nullopt);
}

TEST(InspectIcon, PngGeometryFromTheIhdrChunk) {
  // Signature, IHDR length 13, "IHDR", width 300, height 20.
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x01\x2c\0\0\0\x14\x08\x02\0\0\0", 29);
  using vt::inspect::png_geometry;
  auto geometry = png_geometry(png);
  ASSERT_TRUE(geometry);
  EXPECT_EQ(geometry->first, 300u);
  EXPECT_EQ(geometry->second, 20u);
  EXPECT_FALSE(png_geometry(png.substr(0, 23)));  // cut before the height
  std::string gif = png;
  gif[1] = 'G';
  EXPECT_FALSE(png_geometry(gif));
  std::string other_chunk = png;
  other_chunk.replace(12, 4, "IDAT");  // IHDR must come first
  EXPECT_FALSE(png_geometry(other_chunk));
  EXPECT_FALSE(png_geometry(""));
}
