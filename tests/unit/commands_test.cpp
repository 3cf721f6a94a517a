// The text forms of arguments that guestfish and the table tests share.
#include <gtest/gtest.h>

#include "commands.hpp"

namespace vt {

using Strings = std::vector<std::string>;

TEST(ParseStringList, BlanksSeparateElements) {
  EXPECT_EQ(parse_string_list("/dev/sda1 /dev/sdb1"), (Strings{"/dev/sda1", "/dev/sdb1"}));
  EXPECT_EQ(parse_string_list("  a \t b\n"), (Strings{"a", "b"}));
  EXPECT_EQ(parse_string_list(""), Strings{});
}

TEST(ParseStringList, SingleQuotesKeepBlanks) {
  EXPECT_EQ(parse_string_list("/bin/echo 'foo      bar'"), (Strings{"/bin/echo", "foo      bar"}));
  EXPECT_EQ(parse_string_list("a '' b"), (Strings{"a", "", "b"}));
  EXPECT_THROW(parse_string_list("a 'b"), UsageError);
}

TEST(ParseStringList, BackslashQuoteIsAQuoteOtherBackslashesStay) {
  EXPECT_EQ(parse_string_list("/bin/echo \\'foo\\'"), (Strings{"/bin/echo", "'foo'"}));
  EXPECT_EQ(parse_string_list("printf a\\nb"), (Strings{"printf", "a\\nb"}));
}

}  // namespace vt

TEST(JoinLines, ControlBytesInElementsAreShownEscaped) {
  // A hostile guest's file names: a newline, a terminal escape, DEL.
  EXPECT_EQ(vt::join_lines({"new\nline", "esc\x1b[1mbold", "del\x7f", "plain <&>"}),
            "new\\x0aline\nesc\\x1b[1mbold\ndel\\x7f\nplain <&>");
}
