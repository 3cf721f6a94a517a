// virt-win-reg's parts that need no appliance: .reg parsing, merging into
// a hive on the host, export in libguestfs's format, the key mapping.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "../../tools/virt-win-reg/export.hpp"
#include "../../tools/virt-win-reg/keymap.hpp"
#include "../../tools/virt-win-reg/merge.hpp"
#include "../../tools/virt-win-reg/regfile.hpp"
#include "../../tools/virt-win-reg/text.hpp"
#include "../phony-guests/empty_hive.hpp"
#include "process.hpp"

namespace vt::winreg {

namespace {

void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh empty hive file in a temporary directory.
struct ScratchHive {
  TempDir dir{"vt-winreg-test-"};
  std::string path = dir.path() + "/hive";
  ScratchHive() { write_file(path, phony::empty_hive()); }
};

void merge_text(Hive& hive, const std::string& text) {
  apply_sections(parse_reg(text, "test.reg", StringEncoding::kUtf16le), [&](const std::string& key) {
    HiveLocation loc = map_registry_path(key);
    return HiveTarget{&hive, loc.path};
  });
}

std::string export_text(const Hive& hive, const std::string& key, bool printable = false) {
  HiveLocation loc = map_registry_path(key);
  auto node = hive.lookup(loc.path);
  EXPECT_TRUE(node) << key;
  std::ostringstream out;
  if (node) export_key(hive, *node, {loc.prefix, printable}, out);
  return out.str();
}

const char kSample[] =
    "Windows Registry Editor Version 5.00\r\n"
    "\r\n"
    "; a comment\r\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Phony\\Tool]\r\n"
    "\"Name\"=\"Ph\\\"ony\"\r\n"
    "@=\"default\"\r\n"
    "\"Count\"=dword:0000002a\r\n"
    "\"Big\"=hex(b):01,00,00,00,00,00,00,00\r\n"
    "\"Blob\"=hex:de,ad,\\\r\n"
    "  be,ef\r\n"
    "\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n"
    "\r\n"
    "[HKLM\\SOFTWARE\\Phony\\Tool\\Sub Key]\r\n"
    "\"Path\"=str(2):\"%SystemRoot%\\\\x\"\r\n";

const char kSampleExport[] =
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Phony]\n"
    "\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Phony\\Tool]\n"
    "@=hex(1):64,00,65,00,66,00,61,00,75,00,6c,00,74,00,00,00\n"
    "\"Big\"=hex(b):01,00,00,00,00,00,00,00\n"
    "\"Blob\"=hex(3):de,ad,be,ef\n"
    "\"Count\"=dword:0000002a\n"
    "\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\n"
    "\"Name\"=hex(1):50,00,68,00,22,00,6f,00,6e,00,79,00,00,00\n"
    "\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Phony\\Tool\\Sub Key]\n"
    "\"Path\"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,74,00,25,00,5c,00,78,00,00,00\n"
    "\n";

}  // namespace

TEST(WinregParse, ReadsEveryValueForm) {
  auto sections = parse_reg(kSample, "s.reg", StringEncoding::kUtf16le);
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].key, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Phony\\Tool");
  EXPECT_EQ(sections[0].line, 4);
  ASSERT_EQ(sections[0].values.size(), 6u);
  EXPECT_EQ(sections[0].values[0].name, "Name");
  EXPECT_EQ(sections[0].values[0].data, utf8_to_utf16le(std::string("Ph\"ony") + '\0'));
  EXPECT_EQ(sections[0].values[1].name, "");
  EXPECT_EQ(sections[0].values[2].type, 4u);
  EXPECT_EQ(sections[0].values[2].data, std::string("\x2a\0\0\0", 4));
  EXPECT_EQ(sections[0].values[3].type, 0xbu);
  EXPECT_EQ(sections[0].values[4].type, 3u);
  EXPECT_EQ(sections[0].values[4].data, "\xde\xad\xbe\xef");
  EXPECT_EQ(sections[1].values[0].type, 2u);
}

TEST(WinregParse, Utf16WithBomEqualsUtf8) {
  std::string utf16 = "\xff\xfe" + utf8_to_utf16le(kSample);
  auto a = parse_reg(kSample, "a.reg", StringEncoding::kUtf16le);
  auto b = parse_reg(utf16, "b.reg", StringEncoding::kUtf16le);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].key, b[i].key);
    ASSERT_EQ(a[i].values.size(), b[i].values.size());
    for (size_t j = 0; j < a[i].values.size(); ++j) EXPECT_EQ(a[i].values[j].data, b[i].values[j].data);
  }
}

TEST(WinregParse, Regedit4AndDeletions) {
  auto s = parse_reg("REGEDIT4\n\n[-HKLM\\SOFTWARE\\Old]\n\n[HKLM\\SOFTWARE\\K]\n\"gone\"=-\n@=-\n", "r.reg",
                     StringEncoding::kAscii);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TRUE(s[0].delete_key);
  EXPECT_EQ(s[0].key, "HKLM\\SOFTWARE\\Old");
  EXPECT_EQ(s[1].deletions, (std::vector<std::string>{"gone", ""}));
}

TEST(WinregParse, AsciiEncodingStoresBytes) {
  auto s = parse_reg("[HKLM\\SOFTWARE\\K]\n\"a\"=\"hi\"\n", "r.reg", StringEncoding::kAscii);
  EXPECT_EQ(s[0].values[0].data, std::string("hi\0", 3));
}

TEST(WinregParse, ErrorsNameTheLine) {
  auto error_of = [](const std::string& text) {
    try {
      parse_reg(text, "bad.reg", StringEncoding::kUtf16le);
    } catch (const RegParseError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("Windows Registry Editor Version 5.00\n\n[HKLM\\SOFTWARE\\K]\n\"a\"=dword:xyz\n")
                .rfind("bad.reg:4: parse error:", 0),
            0u);
  EXPECT_EQ(error_of("[HKLM\\SOFTWARE\\K]\n\"a\"=hex:0g\n").rfind("bad.reg:2: parse error:", 0), 0u);
  EXPECT_EQ(error_of("[HKLM\\SOFTWARE\\K\n").rfind("bad.reg:1: parse error:", 0), 0u);
  EXPECT_EQ(error_of("\"a\"=\"b\"\n").rfind("bad.reg:1: parse error:", 0), 0u);
  EXPECT_EQ(error_of("[HKLM\\SOFTWARE\\K]\n\"a=\"b\"\n").rfind("bad.reg:2: parse error:", 0), 0u);
}

TEST(WinregExport, MatchesLibguestfsFormat) {
  ScratchHive scratch;
  {
    Hive hive(scratch.path, "SOFTWARE", true);
    merge_text(hive, kSample);
    hive.commit();
  }
  Hive hive(scratch.path, "SOFTWARE", false);
  EXPECT_EQ(export_text(hive, "HKLM\\software\\phony"), kSampleExport);
}

TEST(WinregExport, PrintableStrings) {
  ScratchHive scratch;
  Hive hive(scratch.path, "SOFTWARE", true);
  merge_text(hive, "[HKLM\\SOFTWARE\\K]\n\"s\"=\"a \\\"q\\\" \\\\ b\"\n\"n\"=dword:00000001\n");
  EXPECT_EQ(export_text(hive, "HKLM\\SOFTWARE\\K", true),
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\K]\n\"n\"=dword:00000001\n\"s\"=str(1):\"a \\\"q\\\" \\ b\"\n\n");
}

TEST(WinregExport, RootKeyAndEscapedNames) {
  ScratchHive scratch;
  Hive hive(scratch.path, "SOFTWARE", true);
  merge_text(hive, "[HKLM\\SOFTWARE]\n\"a\\\\b \\\"c\\\"\"=hex(0):\n");
  EXPECT_EQ(export_text(hive, "HKLM\\SOFTWARE"), "[HKEY_LOCAL_MACHINE\\SOFTWARE\\]\n\"a\\\\b \\\"c\\\"\"=hex(0):\n\n");
}

TEST(WinregMerge, ReplacesAndDeletes) {
  ScratchHive scratch;
  Hive hive(scratch.path, "SOFTWARE", true);
  merge_text(hive, kSample);
  merge_text(hive,
             "[HKLM\\SOFTWARE\\PHONY\\TOOL]\n\"name\"=\"new\"\n\"COUNT\"=-\n@=-\n\n[-HKLM\\SOFTWARE\\Phony\\Tool\\sub key]\n"
             "[-HKLM\\SOFTWARE\\Not\\There]\n");
  EXPECT_EQ(export_text(hive, "HKLM\\SOFTWARE\\Phony\\Tool"),
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Phony\\Tool]\n"
            "\"Big\"=hex(b):01,00,00,00,00,00,00,00\n"
            "\"Blob\"=hex(3):de,ad,be,ef\n"
            "\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\n"
            "\"name\"=hex(1):6e,00,65,00,77,00,00,00\n"
            "\n");
}

TEST(WinregMerge, RootCannotBeDeleted) {
  ScratchHive scratch;
  Hive hive(scratch.path, "SOFTWARE", true);
  EXPECT_THROW(merge_text(hive, "[-HKLM\\SOFTWARE]\n"), Error);
}

TEST(WinregMerge, ExportMergeExportRoundTrip) {
  ScratchHive first, second;
  std::string exported;
  {
    Hive hive(first.path, "SOFTWARE", true);
    merge_text(hive, kSample);
    exported = export_text(hive, "HKLM\\SOFTWARE");
  }
  Hive copy(second.path, "SOFTWARE", true);
  merge_text(copy, exported);
  EXPECT_EQ(export_text(copy, "HKLM\\SOFTWARE"), exported);
}

TEST(WinregHive, CorruptAndTruncatedHivesAreErrors) {
  ScratchHive scratch;
  std::string good = read_file(scratch.path);
  write_file(scratch.path, good.substr(0, 100));
  EXPECT_THROW(Hive(scratch.path, "SOFTWARE", false), Error);
  std::string bad = good;
  bad[0] = 'x';
  write_file(scratch.path, bad);
  try {
    Hive hive(scratch.path, "SOFTWARE", false);
    FAIL() << "a hive without its magic opened";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("SOFTWARE: not a valid registry hive"), std::string::npos) << e.what();
  }
}

// A value's type is any 32-bit number, not only the ones libhivex's
// hive_type enum names (REG_SZ...): Hive read and wrote it as that enum,
// undefined behaviour that UBSan reported on a fuzzed hive
// (tests/fuzz/fuzz_hive).  Such types keep their number both ways.
TEST(WinregHive, ValueTypesOutsideTheEnumKeepTheirNumber) {
  ScratchHive scratch;
  {
    Hive hive(scratch.path, "SOFTWARE", true);
    hive.set_values(hive.root(), {{"Odd", 0x002a0001, "abc"}, {"Top", 0xffffffff, ""}, {"Sz", 1, "x\0"}});
    hive.commit();
  }
  Hive hive(scratch.path, "SOFTWARE", false);
  auto values = hive.values(hive.root());
  ASSERT_EQ(values.size(), 3u);
  std::map<std::string, uint32_t> types;
  for (const auto& v : values) types[v.name] = v.type;
  EXPECT_EQ(types["Odd"], 0x002a0001u);
  EXPECT_EQ(types["Top"], 0xffffffffu);
  EXPECT_EQ(types["Sz"], 1u);
  // virt-win-reg prints such a value's data as raw bytes.
  auto odd = hive.find_value(hive.root(), "Odd");
  ASSERT_TRUE(odd.has_value());
  std::ostringstream printed;
  print_value_data(hive, *odd, printed);
  EXPECT_EQ(printed.str(), "abc");
  // The same through .reg parsing: hex(N) carries any 32-bit type.
  auto sections = parse_reg("[K]\r\n\"V\"=hex(2a0001):01,02\r\n", "t.reg", StringEncoding::kUtf16le);
  ASSERT_EQ(sections.size(), 1u);
  ASSERT_EQ(sections[0].values.size(), 1u);
  EXPECT_EQ(sections[0].values[0].type, 0x002a0001u);
}

TEST(WinregKeymap, MapsLikeLibguestfs) {
  auto l = map_registry_path("HKLM\\Software\\Microsoft");
  EXPECT_EQ(l.hive, "software");
  EXPECT_EQ(l.path, "\\Microsoft");
  EXPECT_EQ(l.prefix, "HKEY_LOCAL_MACHINE\\SOFTWARE");
  l = map_registry_path("\\HKEY_LOCAL_MACHINE\\SYSTEM");
  EXPECT_EQ(l.path, "\\");
  l = map_registry_path("HKU\\.DEFAULT\\Control Panel");
  EXPECT_EQ(l.hive, "default");
  EXPECT_EQ(l.prefix, "HKEY_USERS\\.DEFAULT");
  l = map_registry_path("hku\\s-1-5-21-1-2-3-1001\\Environment");
  EXPECT_EQ(l.kind, HiveLocation::Kind::kUserSid);
  EXPECT_EQ(l.detail, "S-1-5-21-1-2-3-1001");
  EXPECT_EQ(l.prefix, "HKEY_USERS\\S-1-5-21-1-2-3-1001");
  l = map_registry_path("HKU\\LocalSystem");
  EXPECT_EQ(l.detail, "S-1-5-18");
  l = map_registry_path("HKU\\Phony\\Environment");
  EXPECT_EQ(l.kind, HiveLocation::Kind::kUserName);
  EXPECT_EQ(map_registry_path("HKLM\\BCD").kind, HiveLocation::Kind::kBcd);
  EXPECT_THROW(map_registry_path("HKEY_CURRENT_USER\\Software"), Error);
  EXPECT_THROW(map_registry_path("HKLM\\SOFTWAREX"), Error);
  EXPECT_THROW(map_registry_path("HKU\\..\\x"), Error);
}

}  // namespace vt::winreg
