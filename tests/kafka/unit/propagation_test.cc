#include "hoptrace/kafka/propagation.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "header_pairs.h"

namespace hoptrace::kafka {
namespace {

using testing::Pairs;
using testing::pairs_of;

Context sample_context() {
  Context context;
  context.span_context =
      SpanContext(TraceId::from_u64(0xaaaa, 0xbbbb), SpanId::from_u64(0xcccc),
                  TraceFlags(TraceFlags::kSampled), false, TraceState::parse("v=1"));
  context.baggage = Baggage::parse("user=alice");
  return context;
}

void expect_same_context(const Context& back, const Context& sent) {
  EXPECT_TRUE(back.span_context.is_valid());
  EXPECT_EQ(back.span_context.trace_id(), sent.span_context.trace_id());
  EXPECT_EQ(back.span_context.span_id(), sent.span_context.span_id());
  EXPECT_EQ(back.span_context.trace_flags().bits(), sent.span_context.trace_flags().bits());
  EXPECT_EQ(back.span_context.trace_state().header(), sent.span_context.trace_state().header());
  EXPECT_EQ(back.baggage.to_header(), sent.baggage.to_header());
}

TEST(KafkaPropagationHelpers, NewTraceHeadersRoundTripsThroughExtract) {
  const Propagation propagation;
  const Context sent = sample_context();
  HeadersPtr headers = new_trace_headers(sent, propagation);
  ASSERT_NE(headers, nullptr);
  EXPECT_EQ(pairs_of(headers.get()).size(), 3u);  // traceparent, tracestate, baggage
  expect_same_context(extract(headers.get(), propagation), sent);
}

TEST(KafkaPropagationHelpers, NewTraceHeadersIsNullWhenNothingIsWritten) {
  EXPECT_EQ(new_trace_headers(Context(), Propagation()), nullptr);
  PropagationOptions none;
  none.propagators = {"none"};
  EXPECT_EQ(new_trace_headers(sample_context(), Propagation(none)), nullptr);
}

TEST(KafkaPropagationHelpers, InjectIntoAUserListReplacesStaleHeadersAndKeepsTheOthers) {
  const Propagation propagation;
  HeadersPtr headers(rd_kafka_headers_new(4));
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "app", -1, "1", -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "traceparent", -1, "00-stale", -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "tracestate", -1, "stale=1", -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "x-b3-traceid", -1, "stale", -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "app", -1, nullptr, 0), 0);
  Context sent = sample_context();
  sent.span_context = SpanContext(sent.span_context.trace_id(), sent.span_context.span_id(),
                                  TraceFlags(TraceFlags::kSampled), false);  // no tracestate
  inject(sent, headers.get(), propagation);
  const Pairs result = pairs_of(headers.get());
  ASSERT_EQ(result.size(), 4u);
  EXPECT_EQ(result[0], (std::pair<std::string, std::string>{"app", "1"}));
  EXPECT_EQ(result[1], (std::pair<std::string, std::string>{"app", "<null>"}));
  EXPECT_EQ(result[2].first, "traceparent");
  EXPECT_EQ(result[3].first, "baggage");
  expect_same_context(extract(headers.get(), propagation), sent);
  inject(sent, nullptr, propagation);  // does nothing, does not crash
}

TEST(KafkaPropagationHelpers, ExtractOfNothingIsEmpty) {
  const Propagation propagation;
  EXPECT_FALSE(extract(static_cast<const rd_kafka_headers_t*>(nullptr), propagation)
                   .span_context.is_valid());
  EXPECT_FALSE(
      extract(static_cast<rd_kafka_message_t*>(nullptr), propagation).span_context.is_valid());
  HeadersPtr headers(rd_kafka_headers_new(1));
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "Traceparent", -1,
                                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", -1),
            0);
  EXPECT_FALSE(extract(headers.get(), propagation).span_context.is_valid());
  EXPECT_TRUE(extract(headers.get(), propagation, KeyMatch::kExactThenCaseInsensitive)
                  .span_context.is_valid());
}

TEST(KafkaPropagationHelpers, DefaultsUseTheGlobalPropagation) {
  const Context sent = sample_context();
  HeadersPtr headers = new_trace_headers(sent);
  ASSERT_NE(headers, nullptr);
  EXPECT_EQ(extract(headers.get()).span_context.span_id(), sent.span_context.span_id());
}

}  // namespace
}  // namespace hoptrace::kafka
