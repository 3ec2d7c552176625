#include "hoptrace/core/messaging/stability.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "hoptrace/core/messaging/attributes.h"

#include "support/scoped_env.h"

namespace hoptrace::messaging {
namespace {

TEST(MessagingStabilityTest, ParsesTheOptInList) {
  EXPECT_EQ(parse_semconv_stability_opt_in(""), SemconvStabilityMode::kDefault);
  EXPECT_EQ(parse_semconv_stability_opt_in("http"), SemconvStabilityMode::kDefault);
  EXPECT_EQ(parse_semconv_stability_opt_in("messaging"), SemconvStabilityMode::kCurrent);
  EXPECT_EQ(parse_semconv_stability_opt_in("messaging/dup"), SemconvStabilityMode::kDuplicate);
  EXPECT_EQ(parse_semconv_stability_opt_in("http, messaging ,database/dup"),
            SemconvStabilityMode::kCurrent);
  EXPECT_EQ(parse_semconv_stability_opt_in(" MESSAGING "), SemconvStabilityMode::kCurrent);
  EXPECT_EQ(parse_semconv_stability_opt_in("messagingx,messaging/"),
            SemconvStabilityMode::kDefault);
}

TEST(MessagingStabilityTest, DupWinsWhateverTheOrder) {
  EXPECT_EQ(parse_semconv_stability_opt_in("messaging,messaging/dup"),
            SemconvStabilityMode::kDuplicate);
  EXPECT_EQ(parse_semconv_stability_opt_in("messaging/dup,messaging"),
            SemconvStabilityMode::kDuplicate);
}

TEST(MessagingStabilityTest, ReadsTheEnvironment) {
  hoptrace::testing::ScopedEnv env;
  env.set("OTEL_SEMCONV_STABILITY_OPT_IN", "http,messaging/dup");
  EXPECT_EQ(semconv_stability_from_environment(), SemconvStabilityMode::kDuplicate);
  env.set("OTEL_SEMCONV_STABILITY_OPT_IN", "");
  EXPECT_EQ(semconv_stability_from_environment(), SemconvStabilityMode::kDefault);
  env.unset("OTEL_SEMCONV_STABILITY_OPT_IN");
  EXPECT_EQ(semconv_stability_from_environment(), SemconvStabilityMode::kDefault);
}

TEST(MessagingStabilityTest, LegacyEmissionOnlyUnderDup) {
  EXPECT_FALSE(emits_legacy_attributes(SemconvStabilityMode::kDefault));
  EXPECT_FALSE(emits_legacy_attributes(SemconvStabilityMode::kCurrent));
  EXPECT_TRUE(emits_legacy_attributes(SemconvStabilityMode::kDuplicate));
}

TEST(MessagingStabilityTest, MapsDeprecatedKeysBothWays) {
  EXPECT_EQ(current_attribute_key("messaging.operation"), attr::kMessagingOperationType);
  EXPECT_EQ(current_attribute_key("messaging.client_id"), attr::kMessagingClientId);
  EXPECT_EQ(current_attribute_key("messaging.kafka.consumer.group"),
            attr::kMessagingConsumerGroupName);
  EXPECT_EQ(current_attribute_key("messaging.kafka.destination.partition"),
            attr::kMessagingDestinationPartitionId);
  EXPECT_EQ(current_attribute_key("messaging.kafka.message.offset"), attr::kMessagingKafkaOffset);
  EXPECT_EQ(current_attribute_key("messaging.destination_publish.name"), std::string_view());
  EXPECT_FALSE(current_attribute_key("messaging.system").has_value());

  EXPECT_EQ(legacy_attribute_key(attr::kMessagingKafkaOffset), "messaging.kafka.message.offset");
  EXPECT_EQ(legacy_attribute_key(attr::kMessagingOperationType), "messaging.operation");
  EXPECT_FALSE(legacy_attribute_key(attr::kMessagingSystem).has_value());
  EXPECT_FALSE(legacy_attribute_key("").has_value());
}

TEST(MessagingStabilityTest, PartitionChangedTypeAndOperationValuesWereRenamed) {
  for (const auto& entry : kDeprecatedAttributes) {
    if (entry.old_key == "messaging.kafka.destination.partition") {
      EXPECT_EQ(entry.conversion, ValueConversion::kIntToString);
    }
  }
  EXPECT_EQ(legacy_operation_value(OperationType::kSend), "publish");
  EXPECT_EQ(legacy_operation_value(OperationType::kProcess), "deliver");
  EXPECT_EQ(legacy_operation_value(OperationType::kReceive), "receive");
  EXPECT_EQ(legacy_operation_value(OperationType::kSettle), "settle");
}

TEST(MessagingStabilityTest, KeysAreVersioned) {
  // The current spelling is reachable both unqualified and through its version namespace.
  EXPECT_EQ(attr::kMessagingSystem, attr::v1_44::kMessagingSystem);
  EXPECT_EQ(attr::kMessagingSystem, "messaging.system");
  EXPECT_EQ(kSchemaUrl, "https://opentelemetry.io/schemas/1.44.0");
}

}  // namespace
}  // namespace hoptrace::messaging
