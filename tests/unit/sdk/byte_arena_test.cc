#include "hoptrace/core/detail/byte_arena.h"

#include <gtest/gtest.h>

#include <string>

namespace hoptrace::detail {
namespace {

// copy_bytes picks a different sequence of overlapping moves per length range; every length
// must copy exactly its bytes, and not one byte more.
TEST(ByteArenaTest, CopyBytesCopiesExactlyEveryLength) {
  std::string source(160, '\0');
  for (std::size_t i = 0; i < source.size(); ++i) source[i] = static_cast<char>('!' + i % 90);
  for (std::size_t offset = 0; offset < 3; ++offset) {
    for (std::size_t n = 0; n <= 130; ++n) {
      std::string target(n + 32, '#');
      ByteArena::copy_bytes(&target[16], source.data() + offset, n);
      EXPECT_EQ(target.substr(0, 16), std::string(16, '#')) << n;
      EXPECT_EQ(target.substr(16, n), source.substr(offset, n)) << n;
      EXPECT_EQ(target.substr(16 + n), std::string(16, '#')) << n;
    }
  }
}

TEST(ByteArenaTest, ReservedAppendsKeepTheirBytes) {
  ByteArena arena;
  ASSERT_TRUE(arena.reserve(200));
  const std::string a = "messaging.destination.partition.id";  // 34 bytes: past 32
  const std::string b(63, 'b');
  const std::string c(65, 'c');
  const std::uint32_t at_a = arena.append_reserved(a);
  const std::uint32_t at_b = arena.append_reserved(b);
  const std::uint32_t at_c = arena.append_reserved(c);
  EXPECT_EQ(arena.view(at_a, 34), a);
  EXPECT_EQ(arena.view(at_b, 63), b);
  EXPECT_EQ(arena.view(at_c, 65), c);
  EXPECT_EQ(arena.size(), 34u + 63u + 65u);
}

}  // namespace
}  // namespace hoptrace::detail
