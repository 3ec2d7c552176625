#include "span_template.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <random>
#include <string>
#include <vector>

#include "attribute_text.h"
#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/kafka.h"

namespace hoptrace::kafka::detail {
namespace {

using hoptrace::kafka::testing::attribute_texts;

messaging::MessagingOperation base_operation(messaging::OperationType type) {
  messaging::MessagingOperation op;
  op.system = messaging::kSystemKafka;
  op.type = type;
  op.operation_name = type == messaging::OperationType::kSend ? messaging::operation_name::kSend
                                                              : messaging::operation_name::kProcess;
  op.client_id = "client-1";
  op.server_address = "broker.example";
  op.server_port = 9092;
  if (type == messaging::OperationType::kProcess) op.consumer_group = "group-a";
  return op;
}

// For random messages, a template gives the name, kind and attributes (same order) that
// MessagingSpanStart gives for the fully described operation.
void expect_equivalent(messaging::OperationType type, bool with_offset) {
  std::mt19937 random(7u);
  messaging::MessagingOperation template_op = base_operation(type);
  template_op.partition_id = "0";
  template_op.body_size = 0;
  const auto made = MessageSpanTemplate::make("orders", template_op, with_offset);
  ASSERT_NE(made, nullptr);
  const std::string keys[] = {"", "user-42", std::string("\xff\xfe", 2), std::string("a\0b", 3)};
  const std::int32_t partitions[] = {RD_KAFKA_PARTITION_UA, 0, 3, 1023, 1024, 70000};
  for (int round = 0; round < 200; ++round) {
    const std::string& key = keys[random() % 4];
    const bool has_key = random() % 4 != 0;
    const std::int32_t partition = partitions[random() % 6];
    const auto body = static_cast<std::int64_t>(random() % 5000);
    const bool tombstone = random() % 5 == 0;
    const auto offset = static_cast<std::int64_t>(random() % 100000);

    messaging::MessagingOperation full = base_operation(type);
    full.destination.name = "orders";
    const messaging::DecimalString decimal(partition);
    if (partition != RD_KAFKA_PARTITION_UA) full.partition_id = decimal.view();
    full.body_size = body;
    messaging::KafkaRecordAttributes record;
    if (with_offset) record.offset = offset;
    record.key = has_key ? key.data() : nullptr;
    record.key_size = key.size();
    record.tombstone = tombstone;
    messaging::add_kafka_attributes(full, record);
    const auto expected = messaging::MessagingSpanStart::for_operation(full);

    messaging::DecimalString scratch;
    MessageFields fields;
    if (partition != RD_KAFKA_PARTITION_UA)
      fields.partition_id = partition_text(partition, scratch);
    fields.body_size = body;
    if (with_offset) fields.offset = offset;
    fields.key = record.key;
    fields.key_size = record.key_size;
    fields.tombstone = tombstone;
    MessageSpanTemplate::Attributes attributes;
    made->attributes_for(fields, attributes);

    EXPECT_TRUE(made->keys_distinct());
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      for (std::size_t j = i + 1; j < attributes.size(); ++j) {
        EXPECT_NE(attributes[i].key, attributes[j].key) << "round " << round;
      }
    }
    EXPECT_EQ(made->name(), expected.name());
    EXPECT_EQ(made->kind(), expected.options().kind);
    EXPECT_EQ(attribute_texts(attributes.view()), attribute_texts(expected.options().attributes))
        << "round " << round;
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(MessageSpanTemplate, SendSpanMatchesMessagingSpanStart) {
  expect_equivalent(messaging::OperationType::kSend, false);
}

TEST(MessageSpanTemplate, ProcessSpanWithOffsetMatchesMessagingSpanStart) {
  expect_equivalent(messaging::OperationType::kProcess, true);
}

TEST(SpanTemplateCache, OneTemplatePerTopicBoundedInNumber) {
  SpanTemplateCache cache;
  const messaging::MessagingOperation op = base_operation(messaging::OperationType::kSend);
  const MessageSpanTemplate* a = cache.get("a", op, false);
  const MessageSpanTemplate* b = cache.get("b", op, false);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(cache.get("a", op, false), a);
  EXPECT_EQ(cache.get(std::string("b"), op, false), b);
  EXPECT_EQ(a->name(), "send a");
  EXPECT_EQ(b->topic(), "b");
  for (std::size_t i = 2; i < SpanTemplateCache::kMaxTopics; ++i) {
    ASSERT_NE(cache.get("t" + std::to_string(i), op, false), nullptr);
  }
  EXPECT_EQ(cache.get("one-too-many", op, false), nullptr);
  EXPECT_EQ(cache.get("a", op, false), a);  // existing topics are still served
}

TEST(PartitionText, EqualsDecimalFormattingOnEitherSideOfTheTable) {
  for (const std::int32_t partition : {0, 1, 9, 10, 99, 100, 1023, 1024, 99999, -1, -2147483647}) {
    messaging::DecimalString scratch;
    const messaging::DecimalString expected(partition);
    EXPECT_EQ(partition_text(partition, scratch), expected.view()) << partition;
  }
}

}  // namespace
}  // namespace hoptrace::kafka::detail
