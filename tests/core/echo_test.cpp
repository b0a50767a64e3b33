// echo(): what sepconv shows of user text in a message, checked against hand-written expectations.

#include "core/echo.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sepconv {
namespace {

TEST(Echo, PrintableTextIsUnchanged) {
  EXPECT_EQ(echo("sobel_x"), "sobel_x");
  EXPECT_EQ(echo(""), "");
  EXPECT_EQ(echo("..\\a b"), "..\\a b");
  EXPECT_EQ(echo("gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80");  // "grüß € 😀"
}

TEST(Echo, ControlCharactersAreEscaped) {
  EXPECT_EQ(echo("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(echo("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(echo(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(echo("\x7f"), "\\x7f");
  EXPECT_EQ(echo("\xC2\x9B"
                 "2J"),
            "\\xc2\\x9b2J");  // C1 CSI, a terminal escape
}

TEST(Echo, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(echo("a\xff"), "a\\xff");
  EXPECT_EQ(echo("\xC3"), "\\xc3");                    // cut short
  EXPECT_EQ(echo("\xC0\xAF"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(echo("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // a surrogate
}

TEST(Echo, LongTextIsCutWithItsLength) {
  const std::string long_text(120000, '1');
  EXPECT_EQ(echo(long_text), std::string(80, '1') + "... (120000 bytes)");
  EXPECT_EQ(echo(std::string(80, 'a')), std::string(80, 'a'));
  EXPECT_EQ(echo(std::string(81, 'a')), std::string(80, 'a') + "... (81 bytes)");
  EXPECT_EQ(echo("abcdef", 3), "abc... (6 bytes)");
  // The limit counts characters as shown, not bytes: an escape is one character.
  EXPECT_EQ(echo("\n\n\n\n", 2), "\\n\\n... (4 bytes)");
}

}  // namespace
}  // namespace sepconv
