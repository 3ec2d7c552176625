#include "hoptrace/core/detail/pod_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

namespace hoptrace::detail {
namespace {

struct Record {
  std::uint32_t a;
  std::uint64_t b;
};

PodBuffer<Record> filled(std::uint32_t n) {
  PodBuffer<Record> buffer;
  for (std::uint32_t i = 0; i < n; ++i) {
    EXPECT_TRUE(buffer.reserve_more(1));
    buffer.push_reserved() = Record{i, i * 10ull};
  }
  return buffer;
}

TEST(PodBufferTest, GrowsKeepsOrderAndCopiesAndMoves) {
  PodBuffer<Record> buffer = filled(100);
  ASSERT_EQ(buffer.size(), 100u);
  for (std::uint32_t i = 0; i < 100; ++i) EXPECT_EQ(buffer[i].b, i * 10ull);

  PodBuffer<Record> copy(buffer);
  copy[0].b = 7;
  EXPECT_EQ(buffer[0].b, 0u);  // a deep copy
  ASSERT_EQ(copy.size(), 100u);
  EXPECT_EQ(copy[99].a, 99u);

  PodBuffer<Record> assigned = filled(3);
  assigned = buffer;
  EXPECT_EQ(assigned.size(), 100u);
  EXPECT_EQ(assigned[50].b, 500u);

  PodBuffer<Record> moved(std::move(copy));
  EXPECT_EQ(moved.size(), 100u);
  EXPECT_EQ(moved[0].b, 7u);
  EXPECT_EQ(copy.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty
}

TEST(PodBufferTest, ReserveOnceThenFillAndClearKeepsCapacity) {
  PodBuffer<Record> buffer;
  ASSERT_TRUE(buffer.reserve_more(6));
  const std::size_t capacity = buffer.capacity();
  EXPECT_GE(capacity, 6u);
  for (std::uint32_t i = 0; i < 6; ++i) buffer.push_reserved() = Record{i, i};
  EXPECT_EQ(buffer.capacity(), capacity);  // no growth while filling reserved room
  buffer.clear();
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_EQ(buffer.capacity(), capacity);
  EXPECT_TRUE(buffer.reserve_more(capacity));
  EXPECT_EQ(buffer.capacity(), capacity);
  // A request past the size limit fails instead of throwing or overflowing.
  EXPECT_FALSE(buffer.reserve_more(~std::size_t{0} / 2));
  EXPECT_EQ(buffer.capacity(), capacity);
}

}  // namespace
}  // namespace hoptrace::detail
