#include "hoptrace/kafka/headers_carrier.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "header_pairs.h"
#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/kafka/handles.h"

namespace hoptrace::kafka {
namespace {

using testing::Pairs;
using testing::pairs_of;

HeadersPtr make_headers() { return HeadersPtr(rd_kafka_headers_new(4)); }

void add(rd_kafka_headers_t* headers, const std::string& name, const std::string& value) {
  ASSERT_EQ(rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()),
                                value.data(), static_cast<ssize_t>(value.size())),
            RD_KAFKA_RESP_ERR_NO_ERROR);
}

void add_null(rd_kafka_headers_t* headers, const std::string& name) {
  ASSERT_EQ(
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), nullptr, 0),
      RD_KAFKA_RESP_ERR_NO_ERROR);
}

TEST(HeadersReader, GetReturnsTheLastOccurrence) {
  auto headers = make_headers();
  add(headers.get(), "traceparent", "first");
  add(headers.get(), "other", "x");
  add(headers.get(), "traceparent", "second");
  const HeadersReader reader(headers.get());
  EXPECT_EQ(reader.get("traceparent"), std::optional<std::string_view>("second"));
  EXPECT_EQ(reader.get("missing"), std::nullopt);
  EXPECT_EQ(reader.repeated_keys(), RepeatedKeys::kLastWins);
}

TEST(HeadersReader, NullLastValueMeansAbsentAndNullValuesAreSkipped) {
  auto headers = make_headers();
  add(headers.get(), "traceparent", "value");
  add_null(headers.get(), "traceparent");
  const HeadersReader reader(headers.get());
  EXPECT_EQ(reader.get("traceparent"), std::nullopt);
  std::vector<std::string> values;
  reader.for_each_value("traceparent", [&](std::string_view v) {
    values.emplace_back(v);
    return true;
  });
  EXPECT_EQ(values, std::vector<std::string>{"value"});
}

TEST(HeadersReader, EmptyValueIsAValue) {
  auto headers = make_headers();
  add(headers.get(), "baggage", "");
  const HeadersReader reader(headers.get());
  ASSERT_TRUE(reader.get("baggage").has_value());
  EXPECT_TRUE(reader.get("baggage")->empty());
}

TEST(HeadersReader, BinaryValuesAreHandedOutWhole) {
  auto headers = make_headers();
  const std::string binary("a\0b\xff", 4);
  add(headers.get(), "bin", binary);
  const HeadersReader reader(headers.get());
  EXPECT_EQ(reader.get("bin"), std::optional<std::string_view>(binary));
}

TEST(HeadersReader, ExactMatchByDefaultCaseInsensitiveFallbackOnRequest) {
  auto headers = make_headers();
  add(headers.get(), "TraceParent", "upper");
  EXPECT_EQ(HeadersReader(headers.get()).get("traceparent"), std::nullopt);
  const HeadersReader folding(headers.get(), KeyMatch::kExactThenCaseInsensitive);
  EXPECT_EQ(folding.get("traceparent"), std::optional<std::string_view>("upper"));
  add(headers.get(), "traceparent", "exact");
  EXPECT_EQ(folding.get("traceparent"), std::optional<std::string_view>("exact"));
}

TEST(HeadersReader, ForEachKeyAndValueKeepOrderAndStop) {
  auto headers = make_headers();
  add(headers.get(), "a", "1");
  add(headers.get(), "b", "2");
  add(headers.get(), "a", "3");
  const HeadersReader reader(headers.get());
  std::vector<std::string> keys;
  reader.for_each_key([&](std::string_view k) {
    keys.emplace_back(k);
    return true;
  });
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "a"}));
  std::vector<std::string> values;
  reader.for_each_value("a", [&](std::string_view v) {
    values.emplace_back(v);
    return false;
  });
  EXPECT_EQ(values, std::vector<std::string>{"1"});
}

TEST(HeadersReader, LongNamesAndNamesWithNulAreMatchedExactly) {
  auto headers = make_headers();
  const std::string long_name(100, 'n');
  add(headers.get(), long_name, "long");
  add(headers.get(), "trace", "short");
  const HeadersReader reader(headers.get());
  EXPECT_EQ(reader.get(long_name), std::optional<std::string_view>("long"));
  EXPECT_EQ(reader.get(std::string_view("trace\0parent", 12)), std::nullopt);
  EXPECT_EQ(reader.get(std::string(100, 'm')), std::nullopt);
}

TEST(HeadersReader, NullListReadsAsEmpty) {
  const HeadersReader reader(nullptr);
  EXPECT_EQ(reader.get("traceparent"), std::nullopt);
  int calls = 0;
  reader.for_each_key([&](std::string_view) { return ++calls > 0; });
  EXPECT_EQ(calls, 0);
}

TEST(HeadersWriter, SetRemovesEveryExistingValueFirst) {
  auto headers = make_headers();
  add(headers.get(), "traceparent", "old1");
  add(headers.get(), "keep", "k");
  add(headers.get(), "traceparent", "old2");
  HeadersWriter writer(headers.get());
  ASSERT_TRUE(writer.set("traceparent", "new"));
  EXPECT_EQ(pairs_of(headers.get()), (Pairs{{"keep", "k"}, {"traceparent", "new"}}));
}

TEST(HeadersWriter, SetWritesBytesWithoutTerminator) {
  auto headers = make_headers();
  HeadersWriter writer(headers.get());
  const char buffer[] = {'a', 'b', 'c', 'X'};
  ASSERT_TRUE(writer.set("k", std::string_view(buffer, 3)));
  const void* value = nullptr;
  std::size_t size = 0;
  ASSERT_EQ(rd_kafka_header_get_last(headers.get(), "k", &value, &size), 0);
  EXPECT_EQ(size, 3u);
}

TEST(HeadersWriter, RefusesEmptyAndOversizedNames) {
  auto headers = make_headers();
  HeadersWriter writer(headers.get());
  EXPECT_FALSE(writer.set("", "v"));
  EXPECT_FALSE(writer.set(std::string(HeadersWriter::kMaxKeySize + 1, 'k'), "v"));
  EXPECT_TRUE(pairs_of(headers.get()).empty());
}

TEST(HeadersWriter, RemoveFieldsRemovesMatchingNamesAndPrefixesOnly) {
  auto headers = make_headers();
  add(headers.get(), "X-B3-TraceId", "1");
  add(headers.get(), "user", "u1");
  add(headers.get(), "traceparent", "t");
  add(headers.get(), "uberctx-a", "b");
  add(headers.get(), "user", "u2");
  add(headers.get(), std::string(300, 'z'), "long");
  HeadersWriter writer(headers.get());
  writer.remove_fields(
      FieldSet({"traceparent", std::string_view(std::string(300, 'z'))}, {"x-b3-", "uberctx-"}));
  EXPECT_EQ(pairs_of(headers.get()), (Pairs{{"user", "u1"}, {"user", "u2"}}));
}

TEST(HeadersWriter, PropagationInjectReplacesStaleTraceHeaders) {
  auto headers = make_headers();
  add(headers.get(), "traceparent", "00-stale");
  add(headers.get(), "b3", "stale");
  add(headers.get(), "app", "1");
  HeadersWriter writer(headers.get());
  const Propagation propagation;  // tracecontext,baggage
  Context context;
  context.span_context = SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(3),
                                     TraceFlags(TraceFlags::kSampled), false);
  propagation.inject(context, writer);
  const Pairs result = pairs_of(headers.get());
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0], (std::pair<std::string, std::string>{"app", "1"}));
  EXPECT_EQ(result[1].first, "traceparent");
  EXPECT_EQ(result[1].second, "00-00000000000000010000000000000002-0000000000000003-01");
  const Context back = propagation.extract(HeadersReader(headers.get()));
  EXPECT_EQ(back.span_context.trace_id(), context.span_context.trace_id());
}

}  // namespace
}  // namespace hoptrace::kafka
