// virt-rescue's escape keys and the rescue stream's frames.
#include <gtest/gtest.h>

#include "escape.hpp"
#include "rescue_stream.hpp"

using namespace vt;
using namespace vt::rescue_tool;

namespace {

// The events as text: input bytes as they are, commands as <name>.
std::string render(const std::vector<TypedEvent>& events) {
  std::string out;
  for (const auto& e : events) {
    if (!e.command) {
      EXPECT_FALSE(e.input.empty());
      out += e.input;
      continue;
    }
    switch (*e.command) {
      case EscapeCommand::help: out += "<help>"; break;
      case EscapeCommand::inspection: out += "<inspection>"; break;
      case EscapeCommand::quit: out += "<quit>"; break;
      case EscapeCommand::sync: out += "<sync>"; break;
      case EscapeCommand::unmount: out += "<unmount>"; break;
      case EscapeCommand::suspend: out += "<suspend>"; break;
      case EscapeCommand::unknown: out += std::string("<unknown ") + e.key + ">"; break;
    }
  }
  return out;
}

}  // namespace

TEST(RescueEscape, KeysAfterTheEscapeAreCommands) {
  EscapeReader r('\x1d');
  EXPECT_EQ(render(r.feed("ls\r")), "ls\r");
  EXPECT_EQ(render(r.feed("a\x1dsb")), "a<sync>b");
  EXPECT_EQ(render(r.feed("\x1d?\x1dh\x1di\x1dq\x1dx\x1du\x1dz\x1dk")),
            "<help><help><inspection><quit><quit><unmount><suspend><unknown k>");
}

TEST(RescueEscape, TheEscapeTwiceIsSentOnce) {
  EscapeReader r('\x1d');
  EXPECT_EQ(render(r.feed("x\x1d\x1dy")), "x\x1dy");
}

TEST(RescueEscape, AnEscapeAtTheEndWaitsForTheNextKey) {
  EscapeReader r('\x1d');
  EXPECT_EQ(render(r.feed("abc\x1d")), "abc");
  EXPECT_EQ(render(r.feed("u")), "<unmount>");
  EXPECT_EQ(render(r.feed("\x1d")), "");
  EXPECT_EQ(render(r.feed("\x1dz")), "\x1dz");
}

TEST(RescueEscape, NoneSendsEverything) {
  EscapeReader r(std::nullopt);
  EXPECT_EQ(render(r.feed("a\x1dqb")), "a\x1dqb");
}

TEST(RescueEscape, ParsesTheOption) {
  EXPECT_EQ(parse_escape_key("^]"), '\x1d');
  EXPECT_EQ(parse_escape_key("^x"), '\x18');
  EXPECT_EQ(parse_escape_key("^X"), '\x18');
  EXPECT_EQ(parse_escape_key("^@"), '\0');
  EXPECT_EQ(parse_escape_key("none"), std::nullopt);
  EXPECT_THROW(parse_escape_key("x"), std::invalid_argument);
  EXPECT_THROW(parse_escape_key("^"), std::invalid_argument);
  EXPECT_THROW(parse_escape_key("^1"), std::invalid_argument);
  EXPECT_THROW(parse_escape_key(""), std::invalid_argument);
  EXPECT_EQ(escape_key_name('\x1d'), "^]");
  EXPECT_NE(escape_help('\x18').find("^X"), std::string::npos);
}

TEST(RescueStream, FramesSurviveAnySplit) {
  std::string stream = rescue::encode_frame(rescue::Frame::output, "hello") +
                       rescue::encode_frame(rescue::Frame::notice, "") + rescue::encode_window(40, 132) +
                       rescue::encode_frame(rescue::Frame::exited, "0");
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    rescue::FrameReader r;
    std::vector<rescue::Decoded> got;
    r.append(std::string_view(stream).substr(0, cut));
    while (auto f = r.next()) got.push_back(*f);
    r.append(std::string_view(stream).substr(cut));
    while (auto f = r.next()) got.push_back(*f);
    ASSERT_EQ(got.size(), 4u) << cut;
    EXPECT_EQ(got[0].kind, rescue::Frame::output);
    EXPECT_EQ(got[0].payload, "hello");
    EXPECT_EQ(got[1].kind, rescue::Frame::notice);
    EXPECT_EQ(got[1].payload, "");
    EXPECT_EQ(got[2].kind, rescue::Frame::window);
    EXPECT_EQ(got[2].payload, std::string("\0\x28\0\x84", 4));
    EXPECT_EQ(got[3].payload, "0");
    EXPECT_FALSE(r.broken());
  }
}

TEST(RescueStream, AnOversizedLengthBreaksTheStream) {
  rescue::FrameReader r;
  r.append(std::string("o\x7f\xff\xff\xff", 5));
  EXPECT_EQ(r.next(), std::nullopt);
  EXPECT_TRUE(r.broken());
  r.append(rescue::encode_frame(rescue::Frame::output, "x"));
  EXPECT_EQ(r.next(), std::nullopt);
}
