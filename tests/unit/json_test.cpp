// The JSON parser of QMP replies and qemu-img's output (json.hpp): what it
// reads, and malformed input, which must be a std::runtime_error and nothing
// else.  Regressions found by tests/fuzz/fuzz_json.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "json.hpp"

namespace {

std::string parsed_string(const std::string& text) {
  vt::json::Value v = vt::json::parse(text);
  EXPECT_TRUE(v.is_string()) << text;
  return v.as_string() ? *v.as_string() : "";
}

}  // namespace

TEST(JsonParse, QmpReply) {
  vt::json::Value v = vt::json::parse(R"({"return": {"status": "running", "n": [1, 2.5, -3e2, true, null]}})");
  ASSERT_TRUE(v.get("return"));
  ASSERT_TRUE(v.get("return")->get("status"));
  EXPECT_EQ(*v.get("return")->get("status")->as_string(), "running");
}

TEST(JsonParse, UnicodeEscapes) {
  EXPECT_EQ(parsed_string(R"("\u0041\u00e9\u20AC")"), "A\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(parsed_string(R"("a\tb\n")"), "a\tb\n");
}

// "\u" not followed by four hex digits threw std::invalid_argument from
// std::stoul (a std::logic_error, which QMP's reader does not catch), or
// was read as a number ("-001", " 0x1").
TEST(JsonParse, BadUnicodeEscapesAreRuntimeErrors) {
  for (const char* text : {R"("\uzzzz")", R"({"error": "\u"})", R"("\u-001")", R"("\u 0x1")",
                           R"("\u12")", R"("\u+123")"}) {
    EXPECT_THROW(vt::json::parse(text), std::runtime_error) << text;
  }
  std::string with_nuls("\"\\u\0\0\0\0\"", 8);
  EXPECT_THROW(vt::json::parse(with_nuls), std::runtime_error);
}

TEST(JsonParse, QuoteRoundTrips) {
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes += static_cast<char>(c);
  EXPECT_EQ(parsed_string(vt::json::quote(bytes)), bytes);
}
