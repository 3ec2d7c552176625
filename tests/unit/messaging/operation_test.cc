#include "hoptrace/core/messaging/operation.h"

#include <gtest/gtest.h>

namespace hoptrace::messaging {
namespace {

TEST(MessagingOperationTest, SemconvValues) {
  EXPECT_EQ(to_string(OperationType::kCreate), "create");
  EXPECT_EQ(to_string(OperationType::kSend), "send");
  EXPECT_EQ(to_string(OperationType::kReceive), "receive");
  EXPECT_EQ(to_string(OperationType::kProcess), "process");
  EXPECT_EQ(to_string(OperationType::kSettle), "settle");
}

TEST(MessagingOperationTest, ParseRoundTripsAndRejectsOthers) {
  for (auto type : {OperationType::kCreate, OperationType::kSend, OperationType::kReceive,
                    OperationType::kProcess, OperationType::kSettle}) {
    EXPECT_EQ(parse_operation_type(to_string(type)), type);
  }
  EXPECT_FALSE(parse_operation_type("publish").has_value());
  EXPECT_FALSE(parse_operation_type("Send").has_value());
  EXPECT_FALSE(parse_operation_type("").has_value());
}

TEST(MessagingOperationTest, SpanKinds) {
  EXPECT_EQ(span_kind(OperationType::kCreate), SpanKind::kProducer);
  EXPECT_EQ(span_kind(OperationType::kSend), SpanKind::kProducer);
  EXPECT_EQ(span_kind(OperationType::kSend, SendContextUse::kInjectedAsCreationContext),
            SpanKind::kProducer);
  EXPECT_EQ(span_kind(OperationType::kSend, SendContextUse::kLinksToCreateSpans),
            SpanKind::kClient);
  EXPECT_EQ(span_kind(OperationType::kReceive), SpanKind::kClient);
  EXPECT_EQ(span_kind(OperationType::kProcess), SpanKind::kConsumer);
  EXPECT_EQ(span_kind(OperationType::kSettle), SpanKind::kClient);
  static_assert(span_kind(OperationType::kProcess) == SpanKind::kConsumer,
                "usable in constant expressions");
}

}  // namespace
}  // namespace hoptrace::messaging
