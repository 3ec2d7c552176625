#include "hoptrace/core/messaging/inline_vector.h"

#include <gtest/gtest.h>

#include <memory>
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

}  // namespace
}  // namespace hoptrace::messaging
