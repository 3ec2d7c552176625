#include "fresh_headers_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "header_pairs.h"
#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/kafka/handles.h"
#include "hoptrace/kafka/headers_carrier.h"

namespace hoptrace::kafka {
namespace {

using testing::Pairs;
using testing::pairs_of;

Context context_with(bool trace_state, bool baggage) {
  Context context;
  TraceState state;
  if (trace_state) state = TraceState::parse("vendor=a,other=b");
  context.span_context = SpanContext(TraceId::from_u64(0x0102030405060708, 0x090a0b0c0d0e0f10),
                                     SpanId::from_u64(0x1112131415161718),
                                     TraceFlags(TraceFlags::kSampled), false, state);
  if (baggage) context.baggage = Baggage::parse("user=alice,tenant=t1");
  return context;
}

// Whatever the formats, a fresh list ends up exactly as the general writer leaves an empty one.
TEST(FreshHeadersWriter, WritesWhatHeadersWriterWritesIntoAnEmptyList) {
  const std::vector<std::vector<std::string>> configurations = {
      {"tracecontext", "baggage"},
      {"tracecontext"},
      {"b3multi", "tracecontext", "baggage"},
      {"b3", "jaeger", "baggage"},
      {"xray", "tracecontext"}};
  for (const auto& names : configurations) {
    PropagationOptions options;
    options.propagators = names;
    const Propagation propagation(options);
    for (const bool trace_state : {false, true}) {
      for (const bool baggage : {false, true}) {
        const Context context = context_with(trace_state, baggage);
        HeadersPtr general(rd_kafka_headers_new(4));
        HeadersWriter general_writer(general.get());
        propagation.inject(context, general_writer);
        HeadersPtr fresh(rd_kafka_headers_new(2));
        detail::FreshHeadersWriter fresh_writer(fresh.get());
        propagation.inject(context, fresh_writer);
        EXPECT_EQ(pairs_of(fresh.get()), pairs_of(general.get()))
            << names.front() << " trace_state=" << trace_state << " baggage=" << baggage;
        EXPECT_FALSE(pairs_of(fresh.get()).empty());
      }
    }
  }
}

TEST(FreshHeadersWriter, SettingAKeyTwiceKeepsOnlyTheLastValue) {
  HeadersPtr headers(rd_kafka_headers_new(2));
  detail::FreshHeadersWriter writer(headers.get());
  ASSERT_TRUE(writer.set("traceparent", "one"));
  ASSERT_TRUE(writer.set("tracestate", "s"));
  ASSERT_TRUE(writer.set("traceparent", "two"));
  EXPECT_EQ(pairs_of(headers.get()), (Pairs{{"tracestate", "s"}, {"traceparent", "two"}}));
}

TEST(FreshHeadersWriter, RemoveRemovesOnlyWhatWasWritten) {
  HeadersPtr headers(rd_kafka_headers_new(2));
  detail::FreshHeadersWriter writer(headers.get());
  ASSERT_TRUE(writer.set("traceparent", "t"));
  ASSERT_TRUE(writer.set("tracestate", "s"));
  writer.remove("tracestate");
  writer.remove("baggage");
  EXPECT_EQ(pairs_of(headers.get()), (Pairs{{"traceparent", "t"}}));
  // After a removal the writer still knows what the list holds.
  ASSERT_TRUE(writer.set("traceparent", "u"));
  EXPECT_EQ(pairs_of(headers.get()), (Pairs{{"traceparent", "u"}}));
  writer.remove_fields(FieldSet({"traceparent"}));
  EXPECT_TRUE(pairs_of(headers.get()).empty());
}

// The writer's contract is a list holding only its own headers; it therefore never scans for
// (or removes) anything it did not write: that is the removal work it saves.
TEST(FreshHeadersWriter, NeverLooksAtHeadersItDidNotWrite) {
  HeadersPtr headers(rd_kafka_headers_new(2));
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "traceparent", -1, "stale", -1), 0);
  detail::FreshHeadersWriter writer(headers.get());
  writer.remove_fields(FieldSet({"traceparent"}));
  writer.remove("traceparent");
  ASSERT_TRUE(writer.set("tracestate", "s"));
  EXPECT_EQ(pairs_of(headers.get()), (Pairs{{"traceparent", "stale"}, {"tracestate", "s"}}));
  // The general writer, used for lists that already hold headers, does remove them.
  HeadersWriter general(headers.get());
  ASSERT_TRUE(general.set("traceparent", "new"));
  EXPECT_EQ(pairs_of(headers.get()), (Pairs{{"tracestate", "s"}, {"traceparent", "new"}}));
}

// Past the names whose sizes it remembers, the writer still finds (and replaces) every key.
TEST(FreshHeadersWriter, ReplacesKeysBeyondTheRememberedOnes) {
  HeadersPtr headers(rd_kafka_headers_new(2));
  detail::FreshHeadersWriter writer(headers.get());
  Pairs expected;
  for (int i = 0; i < 12; ++i) {
    const std::string key =
        "k" + std::string(static_cast<std::size_t>(i % 3), 'x') + std::to_string(i);
    ASSERT_TRUE(writer.set(key, "1"));
    expected.emplace_back(key, "1");
  }
  ASSERT_TRUE(writer.set("k0", "2"));
  ASSERT_TRUE(writer.set("kxx11", "2"));
  expected.erase(expected.begin());
  expected.erase(expected.begin() + 10);
  expected.emplace_back("k0", "2");
  expected.emplace_back("kxx11", "2");
  EXPECT_EQ(pairs_of(headers.get()), expected);
  writer.remove("kx1");
  ASSERT_TRUE(writer.set("kxx2", "3"));  // after a removal, sizes are re-read from the list
  expected.erase(expected.begin());
  expected.erase(expected.begin());
  expected.emplace_back("kxx2", "3");
  EXPECT_EQ(pairs_of(headers.get()), expected);
}

TEST(FreshHeadersWriter, RefusesWhatHeadersWriterRefuses) {
  HeadersPtr headers(rd_kafka_headers_new(2));
  detail::FreshHeadersWriter writer(headers.get());
  EXPECT_FALSE(writer.set("", "v"));
  EXPECT_FALSE(writer.set(std::string(HeadersWriter::kMaxKeySize + 1, 'k'), "v"));
  EXPECT_TRUE(pairs_of(headers.get()).empty());
  detail::FreshHeadersWriter null_writer(nullptr);
  EXPECT_FALSE(null_writer.set("traceparent", "t"));
  null_writer.remove("traceparent");
}

TEST(CNameEquals, ComparesWholeNamesAndRejectsEmbeddedNul) {
  EXPECT_TRUE(detail::c_name_equals("traceparent", "traceparent"));
  EXPECT_FALSE(detail::c_name_equals("traceparent", "tracestate"));
  EXPECT_FALSE(detail::c_name_equals("traceparent", "trace"));
  EXPECT_FALSE(detail::c_name_equals("trace", "traceparent"));
  EXPECT_TRUE(detail::c_name_equals("", ""));
  EXPECT_FALSE(detail::c_name_equals("trace", std::string_view("trace\0", 6)));
}

}  // namespace
}  // namespace hoptrace::kafka
