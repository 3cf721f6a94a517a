// virt-inspector's writers on hand-made inspection results: the exact XML
// libguestfs 1.48 prints, the same content as JSON, and --xpath.
#include <gtest/gtest.h>

#include "errors.hpp"
#include "inspector.hpp"

using namespace vt::inspector;
using vt::inspect::Application;
using vt::inspect::Root;

namespace {

OsReport debian_report() {
  Root root;
  root.device = "/dev/debian-vg/root";
  auto& f = root.facts;
  f.type = "linux";
  f.arch = "x86_64";
  f.distro = "debian";
  f.product_name = "12.5";
  f.major_version = 12;
  f.minor_version = 5;
  f.package_format = "deb";
  f.package_management = "apt";
  f.hostname = "debian-phony";
  f.osinfo = "debian12";
  f.fstab = {{"/boot", "/dev/sda1"}, {"swap", "/dev/debian-vg/swap_1"}};
  OsReport report{root, {}, std::vector<Application>{}, ""};
  report.filesystems = {{"/dev/debian-vg/root", "ext4", "", "4fe902aa"},
                        {"/dev/debian-vg/swap_1", "swap", "", "8d7b1f0e"},
                        {"/dev/sda1", "ext4", "", "3f2c9a52"}};
  Application bash;
  bash.name = "bash";
  bash.version = "5.2.15";
  bash.release = "2+b2";
  bash.arch = "amd64";
  bash.summary = "bash & co";
  Application ssh;
  ssh.name = "openssh-server";
  ssh.epoch = 1;
  ssh.version = "9.2p1";
  ssh.arch = "amd64";
  report.applications->push_back(bash);
  report.applications->push_back(ssh);
  return report;
}

OsReport windows_report() {
  Root root;
  root.device = "/dev/sda2";
  auto& f = root.facts;
  f.type = "windows";
  f.arch = "x86_64";
  f.distro = "windows";
  f.product_name = "Windows 10 Pro";
  f.product_variant = "Client";
  f.major_version = 10;
  f.hostname = "WIN-PHONY";
  f.osinfo = "win10";
  f.windows_systemroot = "/Windows";
  f.windows_current_control_set = "ControlSet001";
  f.drive_mappings = {{"E", "/dev/sdb1"}, {"C", "/dev/sda2"}};
  return OsReport{root, {{"/dev/sda2", "ntfs", "Windows", "0123ABCD"}}, std::nullopt, ""};
}

}  // namespace

TEST(InspectorOutput, XmlAsLibguestfsWritesIt) {
  EXPECT_EQ(xml_report({debian_report()}),
            R"(<?xml version="1.0"?>
<operatingsystems>
  <operatingsystem>
    <root>/dev/debian-vg/root</root>
    <name>linux</name>
    <arch>x86_64</arch>
    <distro>debian</distro>
    <product_name>12.5</product_name>
    <major_version>12</major_version>
    <minor_version>5</minor_version>
    <package_format>deb</package_format>
    <package_management>apt</package_management>
    <hostname>debian-phony</hostname>
    <osinfo>debian12</osinfo>
    <mountpoints>
      <mountpoint dev="/dev/debian-vg/root">/</mountpoint>
      <mountpoint dev="/dev/sda1">/boot</mountpoint>
    </mountpoints>
    <filesystems>
      <filesystem dev="/dev/debian-vg/root">
        <type>ext4</type>
        <uuid>4fe902aa</uuid>
      </filesystem>
      <filesystem dev="/dev/debian-vg/swap_1">
        <type>swap</type>
        <uuid>8d7b1f0e</uuid>
      </filesystem>
      <filesystem dev="/dev/sda1">
        <type>ext4</type>
        <uuid>3f2c9a52</uuid>
      </filesystem>
    </filesystems>
    <applications>
      <application>
        <name>bash</name>
        <version>5.2.15</version>
        <release>2+b2</release>
        <arch>amd64</arch>
        <summary>bash &amp; co</summary>
      </application>
      <application>
        <name>openssh-server</name>
        <epoch>1</epoch>
        <version>9.2p1</version>
        <arch>amd64</arch>
      </application>
    </applications>
  </operatingsystem>
</operatingsystems>
)");
}

TEST(InspectorOutput, XmlWindowsHasDriveMappingsSortedAndNoApplicationsElement) {
  EXPECT_EQ(xml_report({windows_report()}),
            R"(<?xml version="1.0"?>
<operatingsystems>
  <operatingsystem>
    <root>/dev/sda2</root>
    <name>windows</name>
    <arch>x86_64</arch>
    <distro>windows</distro>
    <product_name>Windows 10 Pro</product_name>
    <product_variant>Client</product_variant>
    <major_version>10</major_version>
    <minor_version>0</minor_version>
    <windows_systemroot>/Windows</windows_systemroot>
    <windows_current_control_set>ControlSet001</windows_current_control_set>
    <hostname>WIN-PHONY</hostname>
    <osinfo>win10</osinfo>
    <mountpoints>
      <mountpoint dev="/dev/sda2">/</mountpoint>
    </mountpoints>
    <filesystems>
      <filesystem dev="/dev/sda2">
        <type>ntfs</type>
        <label>Windows</label>
        <uuid>0123ABCD</uuid>
      </filesystem>
    </filesystems>
    <drive_mappings>
      <drive_mapping name="C">/dev/sda2</drive_mapping>
      <drive_mapping name="E">/dev/sdb1</drive_mapping>
    </drive_mappings>
  </operatingsystem>
</operatingsystems>
)");
}

TEST(InspectorOutput, XmlUnknownFactsAndEmptyApplications) {
  Root root;
  root.device = "/dev/sda1";
  OsReport report{root, {{"/dev/sda1", "", "", ""}}, std::vector<Application>{}, ""};
  EXPECT_EQ(xml_report({report}),
            R"(<?xml version="1.0"?>
<operatingsystems>
  <operatingsystem>
    <root>/dev/sda1</root>
    <major_version>0</major_version>
    <minor_version>0</minor_version>
    <mountpoints>
      <mountpoint dev="/dev/sda1">/</mountpoint>
    </mountpoints>
    <filesystems>
      <filesystem dev="/dev/sda1"/>
    </filesystems>
    <applications/>
  </operatingsystem>
</operatingsystems>
)");
}

TEST(InspectorOutput, MountpointsShortestFirstThenByName) {
  Root root;
  root.device = "/dev/sda3";
  root.facts.fstab = {{"/var/log", "/dev/sda6"}, {"/usr", "/dev/sda5"}, {"/boot", "/dev/sda1"}, {"/", "/dev/sda3"}};
  auto m = sorted_mountpoints(root);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].first, "/");
  EXPECT_EQ(m[1].first, "/usr");
  EXPECT_EQ(m[2].first, "/boot");
  EXPECT_EQ(m[3].first, "/var/log");
}

TEST(InspectorOutput, HostileStringsStayWellFormed) {
  EXPECT_EQ(printable_text("a\x01" "b\tc"), "a?b\tc");
  EXPECT_EQ(printable_text("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 is kept
  EXPECT_EQ(printable_text("caf\xe9"), "caf?");
  auto report = debian_report();
  report.root.facts.hostname = "<evil>\x02\xff";
  std::string xml = xml_report({report});
  EXPECT_NE(xml.find("<hostname>&lt;evil&gt;?" "?</hostname>"), std::string::npos);
  EXPECT_EQ(xpath_query(xml, "string(//hostname)"), "<evil>?" "?\n");
}

TEST(InspectorOutput, JsonHasTheSameContent) {
  EXPECT_EQ(json_report({windows_report()}),
            R"({
  "operatingsystems": [
    {
      "root": "/dev/sda2",
      "name": "windows",
      "arch": "x86_64",
      "distro": "windows",
      "product_name": "Windows 10 Pro",
      "product_variant": "Client",
      "major_version": 10,
      "minor_version": 0,
      "windows_systemroot": "/Windows",
      "windows_current_control_set": "ControlSet001",
      "hostname": "WIN-PHONY",
      "osinfo": "win10",
      "mountpoints": [
        {
          "dev": "/dev/sda2",
          "mountpoint": "/"
        }
      ],
      "filesystems": [
        {
          "dev": "/dev/sda2",
          "type": "ntfs",
          "label": "Windows",
          "uuid": "0123ABCD"
        }
      ],
      "drive_mappings": [
        {
          "name": "C",
          "dev": "/dev/sda2"
        },
        {
          "name": "E",
          "dev": "/dev/sdb1"
        }
      ]
    }
  ]
}
)");
  std::string json = json_report({debian_report()});
  EXPECT_NE(json.find(R"("epoch": 1,)"), std::string::npos);
  EXPECT_NE(json.find(R"("summary": "bash & co")"), std::string::npos);
  EXPECT_EQ(json_report({}), "{\n  \"operatingsystems\": []\n}\n");
}

TEST(InspectorOutput, XpathPrintsAsLibguestfs) {
  std::string xml = xml_report({debian_report(), windows_report()});
  EXPECT_EQ(xpath_query(xml, "//operatingsystem/name"), "<name>linux</name>\n<name>windows</name>\n");
  EXPECT_EQ(xpath_query(xml, "string(//operatingsystem[2]/root)"), "/dev/sda2\n");
  EXPECT_EQ(xpath_query(xml, "count(//application)"), "2\n");
  EXPECT_EQ(xpath_query(xml, "count(//application) div 3"), "0.666666666666667\n");
  EXPECT_EQ(xpath_query(xml, "//drive_mapping/@name"), " name=\"C\"\n name=\"E\"\n");
  EXPECT_EQ(xpath_query(xml, "//nothing"), "");
  EXPECT_EQ(xpath_query("<a><n v=\"a&amp;&lt;b&#10;\">&amp;x</n></a>", "//n/text()"), "&amp;x\n");
  EXPECT_EQ(xpath_query("<a><n v=\"a&amp;&lt;b&#10;\">&amp;x</n></a>", "//n/@v"), " v=\"a&amp;&lt;b&#10;\"\n");
  EXPECT_EQ(xpath_query(xml, "(//mountpoints)[1]"),
            "<mountpoints>\n  <mountpoint dev=\"/dev/debian-vg/root\">/</mountpoint>\n"
            "  <mountpoint dev=\"/dev/sda1\">/boot</mountpoint>\n</mountpoints>\n");
  EXPECT_THROW(xpath_query("junk", "//a"), vt::Error);
  EXPECT_THROW(xpath_query(xml, "//["), vt::Error);
}

// libxml2's base64: lines of 72 characters joined by CRLF, as libguestfs's
// report has them; JSON's is one line.
TEST(InspectorOutput, IconIsBase64InBothReports) {
  OsReport report = windows_report();
  report.icon = std::string(60, '\xff') + "ab";  // 62 bytes: 84 base64 characters
  std::string xml = xml_report({report});
  std::string b64 = std::string(80, '/') + "YWI=";
  EXPECT_NE(xml.find("  </drive_mappings>\n    <icon>" + b64.substr(0, 72) + "\r\n" + b64.substr(72) +
                     "</icon>\n  </operatingsystem>"),
            std::string::npos)
      << xml;
  std::string json = json_report({report});
  EXPECT_NE(json.find("\"icon\": \"" + b64 + "\"\n    }"), std::string::npos) << json;
  report.icon.clear();
  EXPECT_EQ(xml_report({report}).find("<icon>"), std::string::npos);
}
