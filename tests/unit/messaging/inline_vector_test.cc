#include "hoptrace/core/messaging/inline_vector.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "hoptrace/core/messaging/inline_text.h"

namespace hoptrace::messaging {
namespace {

TEST(InlineVectorTest, PushesUpToCapacityThenRefuses) {
  InlineVector<int, 3> v;
  EXPECT_TRUE(v.empty());
  EXPECT_TRUE(v.push_back(1));
  EXPECT_TRUE(v.push_back(2));
  EXPECT_TRUE(v.push_back(3));
  EXPECT_FALSE(v.push_back(4));
  EXPECT_TRUE(v.full());
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v[2], 3);
  EXPECT_EQ(v.view().size(), 3u);
}

TEST(InlineVectorTest, DestroysAndCopiesNonTrivialElements) {
  auto shared = std::make_shared<int>(7);
  {
    InlineVector<std::shared_ptr<int>, 4> v;
    v.push_back(shared);
    v.push_back(shared);
    EXPECT_EQ(shared.use_count(), 3);
    InlineVector<std::shared_ptr<int>, 4> copy(v);
    EXPECT_EQ(shared.use_count(), 5);
    copy = v;
    EXPECT_EQ(shared.use_count(), 5);
    v.clear();
    EXPECT_EQ(shared.use_count(), 3);
  }
  EXPECT_EQ(shared.use_count(), 1);
}

TEST(InlineTextTest, AppendsAndTruncates) {
  InlineText<8> t;
  t.append("abc").append_integer(42);
  EXPECT_EQ(t.view(), "abc42");
  EXPECT_FALSE(t.truncated());
  t.append("defgh");
  EXPECT_EQ(t.view(), "abc42def");
  EXPECT_TRUE(t.truncated());
  InlineText<4> n;
  n.append_integer(12345);
  EXPECT_TRUE(n.empty());
  EXPECT_TRUE(n.truncated());
}

// Makes the compiler assume `p`'s memory is read and written here. Without it, gcc drops the
// pattern stored before a constructor runs (-flifetime-dse: storage is indeterminate when an
// object's lifetime starts) and may assume what an object's unwritten bytes hold.
void opaque_memory(const void* p) noexcept { __asm__ __volatile__("" : : "r"(p) : "memory"); }

// Storage pre-filled with a byte pattern, to see which bytes an InlineText writes.
template <std::size_t N>
struct PatternedStorage {
  explicit PatternedStorage(unsigned char pattern) noexcept {
    std::memset(bytes, pattern, sizeof(bytes));
    opaque_memory(bytes);
  }
  // Bytes of the text's buffer from `from` to its end that still hold `pattern`.
  std::size_t untouched_from(std::size_t from, unsigned char pattern) const noexcept {
    opaque_memory(bytes);
    std::size_t count = 0;
    for (std::size_t i = from; i < N; ++i) {
      if (bytes[i] == pattern) ++count;
    }
    return count;
  }
  alignas(InlineText<N>) unsigned char bytes[sizeof(InlineText<N>)];
};

TEST(InlineTextTest, ConstructionWritesNoBufferByte) {
  constexpr std::size_t kN = 64;
  PatternedStorage<kN> storage(0xA5);
  auto* text = new (storage.bytes) InlineText<kN>();
  EXPECT_TRUE(text->empty());
  // A zero-filled buffer would have overwritten all kN bytes.
  EXPECT_EQ(storage.untouched_from(0, 0xA5), kN);
  text->append("abc");
  EXPECT_EQ(text->view(), "abc");
  EXPECT_EQ(storage.untouched_from(3, 0xA5), kN - 3);
  text->~InlineText<kN>();
}

TEST(InlineTextTest, CopiesOnlyTheUsedBytes) {
  constexpr std::size_t kN = 64;
  PatternedStorage<kN> source_storage(0x11);
  auto* source = new (source_storage.bytes) InlineText<kN>("hello");
  PatternedStorage<kN> copy_storage(0x22);
  auto* copy = new (copy_storage.bytes) InlineText<kN>(*source);
  EXPECT_EQ(copy->view(), "hello");
  EXPECT_FALSE(copy->truncated());
  EXPECT_EQ(copy_storage.untouched_from(5, 0x22), kN - 5);

  PatternedStorage<kN> assigned_storage(0x33);
  auto* assigned = new (assigned_storage.bytes) InlineText<kN>("a longer text");
  *assigned = *source;
  EXPECT_EQ(assigned->view(), "hello");
  // Bytes past the old text were never written; bytes past the new one keep the old text.
  EXPECT_EQ(assigned_storage.untouched_from(13, 0x33), kN - 13);
  opaque_memory(assigned_storage.bytes);
  EXPECT_EQ(std::memcmp(assigned_storage.bytes + 5, "ger text", 8), 0);

  *assigned = *assigned;  // self-assignment keeps the text
  EXPECT_EQ(assigned->view(), "hello");
  source->~InlineText<kN>();
  copy->~InlineText<kN>();
  assigned->~InlineText<kN>();
}

TEST(InlineTextTest, CopyKeepsTruncation) {
  InlineText<4> t("abcdef");
  const InlineText<4> copy(t);
  EXPECT_EQ(copy.view(), "abcd");
  EXPECT_TRUE(copy.truncated());
  InlineText<4> assigned;
  assigned = copy;
  EXPECT_EQ(assigned.view(), "abcd");
  EXPECT_TRUE(assigned.truncated());
}

}  // namespace
}  // namespace hoptrace::messaging
