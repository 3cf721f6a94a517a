// The pure parts of Windows inspection: registry values, MountedDevices
// blobs, boot.ini, version and libosinfo mappings.
#include <gtest/gtest.h>

#include "inspect_windows.hpp"

namespace vt::inspect::windows {

namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}

OsFacts windows(int major, int minor, const std::string& name, const std::string& variant) {
  OsFacts f;
  f.type = f.distro = "windows";
  f.major_version = major;
  f.minor_version = minor;
  f.product_name = name;
  f.product_variant = variant;
  return f;
}

}  // namespace

TEST(InspectWindowsDword, LittleAndBigEndian) {
  EXPECT_EQ(registry_dword(kRegDword, bytes({0x0a, 0, 0, 0})), 10u);
  EXPECT_EQ(registry_dword(kRegDwordBigEndian, bytes({0, 0, 0, 0x0a})), 10u);
  EXPECT_EQ(registry_dword(kRegDword, bytes({0xff, 0xff, 0xff, 0xff})), 0xffffffffu);
}

TEST(InspectWindowsDword, WrongTypeOrSizeIsNothing) {
  EXPECT_EQ(registry_dword(kRegSz, bytes({1, 0, 0, 0})), std::nullopt);
  EXPECT_EQ(registry_dword(kRegDword, bytes({1, 0, 0})), std::nullopt);
  EXPECT_EQ(registry_dword(kRegDword, bytes({1, 0, 0, 0, 0})), std::nullopt);
  EXPECT_EQ(registry_dword(kRegDword, ""), std::nullopt);
}

TEST(InspectWindowsMountedDevices, MbrBlobIsSignatureAndOffset) {
  auto m = parse_mounted_device("\\DosDevices\\C:", kRegBinary,
                                bytes({0x5c, 0xa1, 0xab, 0x1e, 0, 0, 0x10, 0, 0, 0, 0, 0}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->drive_letter, "C");
  EXPECT_FALSE(m->gpt);
  EXPECT_EQ(m->mbr_signature, 0x1eaba15cu);
  EXPECT_EQ(m->mbr_offset, 1048576u);
  EXPECT_EQ(mbr_signature_ptuuid(m->mbr_signature), "1eaba15c");
  EXPECT_EQ(mbr_signature_ptuuid(0x12), "00000012");
}

TEST(InspectWindowsMountedDevices, GptBlobIsMixedEndianGuid) {
  std::string blob = "DMIO:ID:" + bytes({0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb,
                                         0xcc, 0xdd, 0xee, 0xff});
  auto m = parse_mounted_device("\\DosDevices\\E:", kRegBinary, blob);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->drive_letter, "E");
  EXPECT_TRUE(m->gpt);
  EXPECT_EQ(m->gpt_guid, "00112233-4455-6677-8899-aabbccddeeff");
}

TEST(InspectWindowsMountedDevices, KeyPrefixIgnoresCaseAndLetterKeepsIt) {
  auto m = parse_mounted_device("\\DOSDEVICES\\d:", kRegBinary, std::string(12, '\0'));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->drive_letter, "d");
}

TEST(InspectWindowsMountedDevices, OtherValuesAreSkipped) {
  std::string mbr(12, '\0');
  EXPECT_FALSE(parse_mounted_device("\\??\\Volume{5ca1ab1e-0000-0000-0000-100000000000}", kRegBinary, mbr));
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\1:", kRegBinary, mbr));
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\C", kRegBinary, mbr));
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\", kRegBinary, mbr));
  EXPECT_FALSE(parse_mounted_device("", kRegBinary, mbr));
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\C:", kRegSz, mbr));
  // Neither 12 bytes nor a long enough DMIO:ID: blob (a removable drive's
  // blob is a device path).
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\C:", kRegBinary, std::string(11, '\0')));
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\C:", kRegBinary, std::string(13, '\0')));
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\C:", kRegBinary, "DMIO:ID:" + std::string(15, '\0')));
  EXPECT_FALSE(parse_mounted_device("\\DosDevices\\C:", kRegBinary, std::string(24, 'x')));
}

TEST(InspectWindowsVersion, MajorDotMinor) {
  EXPECT_EQ(parse_windows_version("6.1"), std::make_pair(6, 1));
  EXPECT_EQ(parse_windows_version("5.2.3790"), std::make_pair(5, 2));
  EXPECT_EQ(parse_windows_version("6"), std::nullopt);
  EXPECT_EQ(parse_windows_version("x6.1"), std::nullopt);
  EXPECT_EQ(parse_windows_version(""), std::nullopt);
  EXPECT_EQ(parse_windows_version("99999999999999.1"), std::nullopt);
}

TEST(InspectWindowsBootIni, SystemrootsOfTheOperatingSystemsSection) {
  std::string ini =
      "[boot loader]\r\n"
      "timeout=30\r\n"
      "default=multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS\r\n"
      "[operating systems]\r\n"
      "multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS=\"Microsoft Windows XP Professional\" /fastdetect\r\n"
      "scsi(0)disk(1)rdisk(0)partition(2)\\Other\\Dir=\"Other\"\r\n"
      "C:\\CMDCONS\\BOOTSECT.DAT=\"Recovery Console\" /cmdcons\r\n";
  EXPECT_EQ(boot_ini_systemroots(ini), (std::vector<std::string>{"/WINDOWS", "/Other/Dir"}));
  EXPECT_TRUE(boot_ini_systemroots("multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS=x\n").empty());
  EXPECT_TRUE(boot_ini_systemroots("").empty());
}

TEST(InspectWindowsOsinfo, ClientAndServerByVersion) {
  EXPECT_EQ(windows_osinfo(windows(5, 1, "Microsoft Windows XP", "unknown")), "winxp");
  EXPECT_EQ(windows_osinfo(windows(5, 2, "Microsoft Windows XP Professional x64", "unknown")), "winxp");
  EXPECT_EQ(windows_osinfo(windows(5, 2, "Microsoft Windows Server 2003 R2", "unknown")), "win2k3r2");
  EXPECT_EQ(windows_osinfo(windows(5, 2, "Microsoft Windows Server 2003", "unknown")), "win2k3");
  EXPECT_EQ(windows_osinfo(windows(6, 0, "Windows Vista (TM) Business", "Client")), "winvista");
  EXPECT_EQ(windows_osinfo(windows(6, 0, "Windows Server (R) 2008 Standard", "Server")), "win2k8");
  EXPECT_EQ(windows_osinfo(windows(6, 1, "Windows 7 Professional", "Client")), "win7");
  EXPECT_EQ(windows_osinfo(windows(6, 1, "Windows Server 2008 R2 Standard", "Server")), "win2k8r2");
  EXPECT_EQ(windows_osinfo(windows(6, 2, "Windows 8 Pro", "Client")), "win8");
  EXPECT_EQ(windows_osinfo(windows(6, 2, "Windows Server 2012 Standard", "Server")), "win2k12");
  EXPECT_EQ(windows_osinfo(windows(6, 3, "Windows 8.1 Pro", "Client")), "win8.1");
  EXPECT_EQ(windows_osinfo(windows(6, 3, "Windows Server 2012 R2 Standard", "Server Core")), "win2k12r2");
  EXPECT_EQ(windows_osinfo(windows(10, 0, "Windows 10 Pro", "Client")), "win10");
  EXPECT_EQ(windows_osinfo(windows(10, 0, "Windows Server 2016 Standard", "Server")), "win2k16");
  EXPECT_EQ(windows_osinfo(windows(10, 0, "Windows Server 2019 Datacenter", "Server")), "win2k19");
  EXPECT_EQ(windows_osinfo(windows(10, 0, "Windows Server 2022 Standard", "Server Core")), "win2k22");
}

TEST(InspectWindowsOsinfo, Windows11IsWin10InLibguestfs148) {
  // 1.48 has no build number rule: Windows 11's registry says "Windows 10".
  OsFacts f = windows(10, 0, "Windows 10 Pro", "Client");
  f.build_id = "22621";
  EXPECT_EQ(windows_osinfo(f), "win10");
}

TEST(InspectWindowsOsinfo, UnknownVersions) {
  EXPECT_EQ(windows_osinfo(windows(0, 0, "unknown", "unknown")), "unknown");
  EXPECT_EQ(windows_osinfo(windows(6, 4, "Windows", "Client")), "unknown");
  EXPECT_EQ(windows_osinfo(windows(10, 1, "Windows", "Client")), "unknown");
  EXPECT_EQ(windows_osinfo(windows(5, 0, "Windows 2000", "unknown")), "unknown");
}

}  // namespace vt::inspect::windows
