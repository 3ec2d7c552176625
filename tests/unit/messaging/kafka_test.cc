#include "hoptrace/core/messaging/kafka.h"

#include <gtest/gtest.h>

#include <string>

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/inline_text.h"

namespace hoptrace::messaging {
namespace {

bool has(const MessagingOperation& op, std::string_view key) {
  for (const auto& a : op.extra_attributes) {
    if (a.key == key) return true;
  }
  return false;
}

TEST(KafkaConventionsTest, KeyStringFormOnlyWhenUnambiguous) {
  const std::string text = "user-42";
  EXPECT_EQ(kafka_key_string(text.data(), text.size()), "user-42");
  EXPECT_EQ(kafka_key_string("caf\xC3\xA9", 5), "caf\xC3\xA9");
  EXPECT_EQ(kafka_key_string("", 0), "");  // an empty (non-null) key is the empty string
  EXPECT_FALSE(kafka_key_string(nullptr, 0).has_value());
  const unsigned char binary[] = {0x00, 0x00, 0x01, 0x2A};  // e.g. a big-endian int
  EXPECT_FALSE(kafka_key_string(binary, sizeof(binary)).has_value());
  const char with_nul[] = {'a', '\0', 'b'};
  EXPECT_FALSE(kafka_key_string(with_nul, sizeof(with_nul)).has_value());
  EXPECT_FALSE(kafka_key_string("\xC3", 1).has_value());
}

TEST(KafkaConventionsTest, TombstoneOnlyWhenTrue) {
  MessagingOperation op;
  op.type = OperationType::kProcess;
  EXPECT_TRUE(add_kafka_attributes(op, KafkaRecordAttributes{}));
  EXPECT_FALSE(has(op, attr::kMessagingKafkaMessageTombstone));
  KafkaRecordAttributes r;
  r.tombstone = true;
  EXPECT_TRUE(add_kafka_attributes(op, r));
  EXPECT_TRUE(has(op, attr::kMessagingKafkaMessageTombstone));
}

TEST(KafkaConventionsTest, AttributesFollowTheOperationTable) {
  KafkaRecordAttributes r;
  r.offset = 7;
  r.key = "k";
  r.key_size = 1;
  r.tombstone = true;
  r.cluster_id = "c";

  MessagingOperation create;
  create.type = OperationType::kCreate;
  add_kafka_attributes(create, r);
  EXPECT_FALSE(has(create, attr::kMessagingKafkaOffset));
  EXPECT_FALSE(has(create, attr::kMessagingKafkaClusterId));
  EXPECT_TRUE(has(create, attr::kMessagingKafkaMessageKey));
  EXPECT_TRUE(has(create, attr::kMessagingKafkaMessageTombstone));

  MessagingOperation settle;
  settle.type = OperationType::kSettle;
  add_kafka_attributes(settle, r);
  EXPECT_TRUE(has(settle, attr::kMessagingKafkaOffset));
  EXPECT_TRUE(has(settle, attr::kMessagingKafkaClusterId));
  EXPECT_FALSE(has(settle, attr::kMessagingKafkaMessageKey));
  EXPECT_FALSE(has(settle, attr::kMessagingKafkaMessageTombstone));
}

TEST(KafkaConventionsTest, SingleMessageAttributesAreSkippedOnBatches) {
  KafkaRecordAttributes r;
  r.offset = 7;
  r.key = "k";
  r.key_size = 1;
  MessagingOperation batch;
  batch.type = OperationType::kReceive;
  batch.batch_message_count = 10;
  add_kafka_attributes(batch, r);
  EXPECT_FALSE(has(batch, attr::kMessagingKafkaOffset));
  EXPECT_FALSE(has(batch, attr::kMessagingKafkaMessageKey));
}

TEST(KafkaConventionsTest, PartitionsBecomeDecimalStrings) {
  EXPECT_EQ(DecimalString(0).view(), "0");
  EXPECT_EQ(DecimalString(2147483647).view(), "2147483647");
  EXPECT_EQ(DecimalString(-1).view(), "-1");  // RD_KAFKA_PARTITION_UA, should it ever appear
  EXPECT_EQ(DecimalString(INT64_MIN).view(), "-9223372036854775808");
}

TEST(KafkaConventionsTest, ReportsWhenExtrasOverflow) {
  MessagingOperation op;
  op.type = OperationType::kProcess;
  for (std::size_t i = 0; i + 1 < kMaxExtraAttributes; ++i) op.add_attribute("x", 1);
  KafkaRecordAttributes r;
  r.offset = 1;
  r.cluster_id = "c";
  EXPECT_FALSE(add_kafka_attributes(op, r));
}

}  // namespace
}  // namespace hoptrace::messaging
