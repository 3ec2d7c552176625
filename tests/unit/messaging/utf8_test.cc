#include "hoptrace/core/messaging/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace hoptrace::messaging {
namespace {

using namespace std::string_literals;

TEST(MessagingUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("order-42"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));       // U+00E9
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));      // U+20AC
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below surrogates
  EXPECT_TRUE(is_valid_utf8("a\0b"s));             // NUL is well-formed
}

TEST(MessagingUtf8Test, RejectsIllFormedText) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong 3-byte
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong 4-byte
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));      // truncated
  EXPECT_FALSE(is_valid_utf8("\xE2\x28\xA1"));  // bad continuation
  EXPECT_FALSE(is_valid_utf8("ok\xC3"));        // truncated at the end
}

TEST(MessagingUtf8Test, PrefixLengthStopsAtSequenceBoundaries) {
  const std::string euro3 = "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC";  // 9 bytes
  EXPECT_EQ(utf8_prefix_length(euro3, 100), 9u);
  EXPECT_EQ(utf8_prefix_length(euro3, 9), 9u);
  EXPECT_EQ(utf8_prefix_length(euro3, 8), 6u);
  EXPECT_EQ(utf8_prefix_length(euro3, 7), 6u);
  EXPECT_EQ(utf8_prefix_length(euro3, 6), 6u);
  EXPECT_EQ(utf8_prefix_length(euro3, 2), 0u);
  EXPECT_EQ(utf8_prefix_length("abcdef", 3), 3u);
}

TEST(MessagingUtf8Test, PrefixLengthNeverExceedsTheLimitOnIllFormedInput) {
  const std::string junk(10, '\x80');
  EXPECT_LE(utf8_prefix_length(junk, 5), 5u);
}

}  // namespace
}  // namespace hoptrace::messaging
