// The id hex codec against its scalar reference: every byte value at every position both ways,
// and every character that is not lowercase hex rejected at every position.
#include "hex_codec.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

namespace hoptrace::detail {
namespace {

bool is_lower_hex(int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

std::string reference_hex(const std::uint8_t* bytes, std::size_t n) {
  std::string out(2 * n, '?');
  hex_scalar::encode(bytes, n, out.data());
  return out;
}

// Every byte value at every position of a 16-byte id (the rest a fixed, uneven pattern).
template <typename Check>
void for_each_byte_at_each_position(std::size_t n, Check&& check) {
  for (std::size_t pos = 0; pos < n; ++pos) {
    for (int value = 0; value < 256; ++value) {
      std::array<std::uint8_t, 16> bytes{};
      for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<std::uint8_t>(0x3b * i + 0x71);
      bytes[pos] = static_cast<std::uint8_t>(value);
      check(bytes.data());
    }
  }
}

TEST(HexCodecTest, ScalarReferenceEncodesAndDecodesKnownValues) {
  const std::uint8_t bytes[] = {0x00, 0x09, 0x0a, 0xf0, 0xff, 0x4b};
  EXPECT_EQ(reference_hex(bytes, 6), "00090af0ff4b");
  std::uint8_t out[6] = {};
  ASSERT_TRUE(hex_scalar::decode("00090af0ff4b", out, 6));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 6),
            std::string(reinterpret_cast<const char*>(bytes), 6));
  EXPECT_FALSE(hex_scalar::decode("0A", out, 1));
}

TEST(HexCodecTest, EncodeMatchesReferenceForEveryByteAtEveryPosition) {
  for_each_byte_at_each_position(16, [](const std::uint8_t* bytes) {
    char out16[32];
    encode_lower_hex16(bytes, out16);
    ASSERT_EQ(std::string(out16, 32), reference_hex(bytes, 16));
    char out8[16];
    encode_lower_hex8(bytes, out8);
    ASSERT_EQ(std::string(out8, 16), reference_hex(bytes, 8));
    char any[32];
    encode_lower_hex(bytes, 13, any);  // a whole block plus a scalar tail
    ASSERT_EQ(std::string(any, 26), reference_hex(bytes, 13));
#if defined(HOPTRACE_HEX_SWAR)
    char swar[16];
    store_u64(swar, hex_swar::encode4(load_u32(bytes)));
    store_u64(swar + 8, hex_swar::encode4(load_u32(bytes + 4)));
    ASSERT_EQ(std::string(swar, 16), reference_hex(bytes, 8));
#endif
  });
}

TEST(HexCodecTest, DecodeRoundTripsEveryByteAtEveryPosition) {
  for_each_byte_at_each_position(16, [](const std::uint8_t* bytes) {
    const std::string hex = reference_hex(bytes, 16);
    std::array<std::uint8_t, 16> out{};
    ASSERT_TRUE(decode_lower_hex16(hex.data(), out.data()));
    ASSERT_TRUE(std::equal(out.begin(), out.end(), bytes));
    out = {};
    ASSERT_TRUE(decode_lower_hex8(hex.data(), out.data()));
    ASSERT_TRUE(std::equal(out.begin(), out.begin() + 8, bytes));
    out = {};
    ASSERT_TRUE(decode_lower_hex(hex.data(), out.data(), 11));
    ASSERT_TRUE(std::equal(out.begin(), out.begin() + 11, bytes));
#if defined(HOPTRACE_HEX_SWAR)
    std::uint32_t word = 0;
    ASSERT_TRUE(hex_swar::decode8(load_u64(hex.data() + 8), word));
    std::uint8_t four[4];
    store_u32(four, word);
    ASSERT_TRUE(std::equal(four, four + 4, bytes + 4));
#endif
  });
}

TEST(HexCodecTest, DecodeRejectsEveryNonLowercaseHexCharacterAtEveryPosition) {
  const std::string valid = "0123456789abcdeffedcba9876543210";
  std::size_t rejected = 0;
  for (std::size_t pos = 0; pos < valid.size(); ++pos) {
    for (int c = 0; c < 256; ++c) {
      std::string hex = valid;
      hex[pos] = static_cast<char>(c);
      std::array<std::uint8_t, 16> out{};
      const bool expect = is_lower_hex(c);
      ASSERT_EQ(decode_lower_hex16(hex.data(), out.data()), expect) << pos << " " << c;
      ASSERT_EQ(decode_lower_hex(hex.data(), out.data(), 16), expect) << pos << " " << c;
      ASSERT_EQ(hex_scalar::decode(hex.data(), out.data(), 16), expect) << pos << " " << c;
      if (pos < 16) {
        ASSERT_EQ(decode_lower_hex8(hex.data(), out.data()), expect) << pos << " " << c;
      }
#if defined(HOPTRACE_HEX_SWAR)
      std::uint32_t word = 0;
      ASSERT_EQ(hex_swar::decode8(load_u64(hex.data() + (pos / 8) * 8), word), expect)
          << pos << " " << c;
#endif
      if (!expect) ++rejected;
    }
  }
  EXPECT_EQ(rejected, 32u * (256 - 16));
}

TEST(ShortBytesTest, CopyAndCompareEveryLengthUpTo80) {
  std::string src(80, '\0');
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<char>('A' + i % 26);
  for (std::size_t n = 0; n <= src.size(); ++n) {
    std::string dst(src.size() + 2, '#');
    copy_short(dst.data() + 1, src.data(), n);
    EXPECT_EQ(dst.substr(1, n), src.substr(0, n));
    EXPECT_EQ(dst[0], '#');
    EXPECT_EQ(dst[n + 1], '#') << n;
    EXPECT_TRUE(equal_short(dst.data() + 1, src.data(), n));
    for (std::size_t at = 0; at < n; ++at) {
      std::string other = src.substr(0, n);
      other[at] = '!';
      ASSERT_FALSE(equal_short(other.data(), src.data(), n)) << n << " " << at;
      other[at] = static_cast<char>(src[at] + 32);  // the lowercase letter
      ASSERT_FALSE(equal_short(other.data(), src.data(), n));
      ASSERT_TRUE(equal_ignore_case_short(other.data(), src.data(), n)) << n << " " << at;
      other[at] = static_cast<char>(src[at] ^ 0x20 ^ 0x80);  // not a case change
      ASSERT_FALSE(equal_ignore_case_short(other.data(), src.data(), n)) << n << " " << at;
    }
  }
}

TEST(ShortBytesTest, IgnoreCaseFoldsOnlyAsciiLetters) {
  // Pairs that differ by 0x20 but are not letters must stay different.
  const std::string a = "@[`{\xc1\xe1 abcdefgh";
  const std::string b = "`{@[\xe1\xc1 ABCDEFGH";
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_FALSE(equal_ignore_case_short(a.data() + i, b.data() + i, 1)) << i;
  }
  EXPECT_FALSE(equal_ignore_case_short(a.data(), b.data(), a.size()));
  EXPECT_TRUE(equal_ignore_case_short(a.data() + 6, b.data() + 6, a.size() - 6));
  EXPECT_EQ(ascii_lower_word(load_u64("AZ@[az`{")), load_u64("az@[az`{"));
}

}  // namespace
}  // namespace hoptrace::detail
