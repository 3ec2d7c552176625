#include "hoptrace/core/messaging/rabbitmq.h"

#include <gtest/gtest.h>

#include <string>

#include "hoptrace/core/messaging/attributes.h"

namespace hoptrace::messaging {
namespace {

TEST(RabbitmqConventionsTest, SendDestination) {
  EXPECT_EQ(rabbitmq_send_destination("orders", "eu.created").view(), "orders:eu.created");
  EXPECT_EQ(rabbitmq_send_destination("orders", "").view(), "orders");
  EXPECT_EQ(rabbitmq_send_destination("", "work-q").view(), "work-q");
  EXPECT_EQ(rabbitmq_send_destination("", "").view(), "amq.default");
}

TEST(RabbitmqConventionsTest, ConsumeDestination) {
  EXPECT_EQ(rabbitmq_consume_destination("orders", "eu", "billing").view(), "orders:eu:billing");
  EXPECT_EQ(rabbitmq_consume_destination("orders", "", "billing").view(), "orders:billing");
  EXPECT_EQ(rabbitmq_consume_destination("", "eu", "billing").view(), "eu:billing");
  EXPECT_EQ(rabbitmq_consume_destination("", "", "billing").view(), "billing");
}

TEST(RabbitmqConventionsTest, RoutingKeyEqualToQueueCollapses) {
  EXPECT_EQ(rabbitmq_consume_destination("orders", "work", "work").view(), "orders:work");
  EXPECT_EQ(rabbitmq_consume_destination("", "work", "work").view(), "work");
}

TEST(RabbitmqConventionsTest, LongestPartsStillFit) {
  const std::string part(255, 'p');
  const std::string routing_key = part.substr(1) + "r";
  const std::string queue = part.substr(1) + "q";
  const auto name = rabbitmq_consume_destination(part, routing_key, queue);
  EXPECT_FALSE(name.truncated());
  EXPECT_EQ(name.size(), 3 * 255 + 2);
  EXPECT_EQ(name.view().back(), 'q');
}

TEST(RabbitmqConventionsTest, AttributesFollowTheOperation) {
  MessagingOperation send;
  send.type = OperationType::kSend;
  EXPECT_TRUE(add_rabbitmq_attributes(send, "rk", 5u));
  ASSERT_EQ(send.extra_attributes.size(), 1u);  // no delivery tag on send
  EXPECT_EQ(send.extra_attributes[0].key, attr::kMessagingRabbitmqDestinationRoutingKey);

  MessagingOperation settle;
  settle.type = OperationType::kSettle;
  EXPECT_TRUE(add_rabbitmq_attributes(settle, "rk", 5u));
  ASSERT_EQ(settle.extra_attributes.size(), 1u);  // no routing key on settle
  EXPECT_EQ(settle.extra_attributes[0].key, attr::kMessagingRabbitmqMessageDeliveryTag);
  EXPECT_EQ(settle.extra_attributes[0].value.as_int(), 5);

  MessagingOperation process;
  process.type = OperationType::kProcess;
  EXPECT_TRUE(add_rabbitmq_attributes(process, "", std::nullopt));
  EXPECT_TRUE(process.extra_attributes.empty());  // empty routing key, unknown tag
}

TEST(RabbitmqConventionsTest, DeliveryTagsOutsideInt64AreLeftOut) {
  MessagingOperation process;
  process.type = OperationType::kProcess;
  EXPECT_TRUE(add_rabbitmq_attributes(process, "", ~std::uint64_t{0}));
  EXPECT_TRUE(process.extra_attributes.empty());
}

}  // namespace
}  // namespace hoptrace::messaging
