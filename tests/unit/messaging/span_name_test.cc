#include "hoptrace/core/messaging/span_name.h"

#include <gtest/gtest.h>

#include <string>

namespace hoptrace::messaging {
namespace {

TEST(MessagingSpanNameTest, TemplateComesFirst) {
  Destination d;
  d.name = "/customers/42";
  d.template_name = "/customers/{id}";
  EXPECT_EQ(SpanName::make("publish", d).view(), "publish /customers/{id}");
}

TEST(MessagingSpanNameTest, TemplateWinsEvenForTemporaryDestinations) {
  Destination d;
  d.name = "amq.gen-JzTY20BRgKO";
  d.template_name = "replies";
  d.temporary = true;
  EXPECT_EQ(SpanName::make("send", d).view(), "send replies");
}

TEST(MessagingSpanNameTest, NameWhenNeitherTemporaryNorAnonymous) {
  Destination d;
  d.name = "shop.orders";
  EXPECT_EQ(SpanName::make("publish", d).view(), "publish shop.orders");
  EXPECT_FALSE(SpanName::make("publish", d).truncated());
}

TEST(MessagingSpanNameTest, TemporaryOrAnonymousNameIsNotUsed) {
  Destination temporary;
  temporary.name = "amq.gen-123";
  temporary.temporary = true;
  EXPECT_EQ(SpanName::make("send", temporary, "broker", 5672).view(), "send");

  Destination anonymous;
  anonymous.name = "amq.gen-456";
  anonymous.anonymous = true;
  EXPECT_EQ(SpanName::make("receive", anonymous, "broker", 5672).view(), "receive");
}

TEST(MessagingSpanNameTest, ServerAddressOnlyForOperationsWithoutDestination) {
  EXPECT_EQ(SpanName::make("poll", Destination{}, "kafka-1.internal", 9092).view(),
            "poll kafka-1.internal:9092");
  Destination d;
  d.name = "orders";
  EXPECT_EQ(SpanName::make("poll", d, "kafka-1.internal", 9092).view(), "poll orders");
}

TEST(MessagingSpanNameTest, ServerAddressWithoutPortAndIpv6Literal) {
  EXPECT_EQ(SpanName::make("poll", Destination{}, "broker", 0).view(), "poll broker");
  EXPECT_EQ(SpanName::make("poll", Destination{}, "::1", 9092).view(), "poll [::1]:9092");
  EXPECT_EQ(SpanName::make("poll", Destination{}, "[::1]", 9092).view(), "poll [::1]:9092");
}

TEST(MessagingSpanNameTest, JustTheOperationNameWhenNothingApplies) {
  EXPECT_EQ(SpanName::make("commit", Destination{}).view(), "commit");
}

TEST(MessagingSpanNameTest, LongNamesAreCutAtTheCapacity) {
  Destination d;
  const std::string long_name(1000, 'x');
  d.name = long_name;
  const SpanName name = SpanName::make("process", d);
  EXPECT_EQ(name.size(), SpanName::kCapacity);
  EXPECT_TRUE(name.truncated());
  EXPECT_EQ(name.view().substr(0, 9), "process x");
}

TEST(MessagingSpanNameTest, TruncationNeverSplitsAUtf8Sequence) {
  // "process " is 8 bytes; fill with 3-byte characters so the capacity falls mid-sequence.
  std::string topic;
  while (topic.size() < 400) topic += "\xE2\x82\xAC";  // U+20AC
  Destination d;
  d.name = topic;
  const SpanName name = SpanName::make("process", d);
  EXPECT_TRUE(name.truncated());
  EXPECT_LE(name.size(), SpanName::kCapacity);
  EXPECT_EQ((name.size() - 8) % 3, 0u);
  EXPECT_GT(name.size(), SpanName::kCapacity - 3);
}

TEST(MessagingSpanNameTest, APortThatDoesNotFitIsLeftOutWhole) {
  const std::string host(SpanName::kCapacity - 7, 'h');  // "poll " + host + ":" leaves 1 byte
  const SpanName name = SpanName::make("poll", Destination{}, host, 9092);
  EXPECT_TRUE(name.truncated());
  EXPECT_EQ(name.view().back(), ':');
  EXPECT_EQ(name.view().find("9"), std::string_view::npos);
}

}  // namespace
}  // namespace hoptrace::messaging
