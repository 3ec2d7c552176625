#include "prefetched_headers.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/kafka/handles.h"

namespace hoptrace::kafka {
namespace {

std::vector<std::string> values_of(const CarrierReader& reader, std::string_view key) {
  std::vector<std::string> values;
  reader.for_each_value(key, [&](std::string_view value) {
    values.emplace_back(value);
    return true;
  });
  return values;
}

std::vector<std::string> keys_of(const CarrierReader& reader) {
  std::vector<std::string> keys;
  reader.for_each_key([&](std::string_view key) {
    keys.emplace_back(key);
    return true;
  });
  return keys;
}

// The prefetched reader must answer every question exactly as HeadersReader does.
void expect_same_answers(const rd_kafka_headers_t* headers, const Propagation& propagation,
                         KeyMatch match, const std::string& what) {
  const detail::TraceHeaderKeys keys(propagation.fields());
  const detail::PrefetchedHeadersReader prefetched(headers, keys, match);
  const HeadersReader plain(headers, match);
  for (const std::string_view key :
       {"traceparent", "tracestate", "baggage", "b3", "other", "Traceparent", ""}) {
    EXPECT_EQ(prefetched.get(key), plain.get(key)) << what << " key " << key;
    EXPECT_EQ(values_of(prefetched, key), values_of(plain, key)) << what << " key " << key;
  }
  EXPECT_EQ(keys_of(prefetched), keys_of(plain)) << what;
  const Context a = propagation.extract(prefetched);
  const Context b = propagation.extract(plain);
  EXPECT_EQ(a.span_context.is_valid(), b.span_context.is_valid()) << what;
  EXPECT_EQ(a.span_context.trace_id(), b.span_context.trace_id()) << what;
  EXPECT_EQ(a.span_context.span_id(), b.span_context.span_id()) << what;
  EXPECT_EQ(a.span_context.trace_state().header(), b.span_context.trace_state().header()) << what;
  EXPECT_EQ(a.baggage.empty(), b.baggage.empty()) << what;
}

constexpr const char* kTraceparents[] = {
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // invalid (uppercase)
    "garbage",
};

TEST(PrefetchedHeadersReader, AnswersAsHeadersReaderOverRandomHeaderLists) {
  const char* names[] = {"traceparent", "tracestate", "baggage", "Traceparent", "TRACESTATE",
                         "other",       "b3",         "trace",   "traceparentx"};
  std::mt19937 random(20261205u);
  std::vector<Propagation> propagations;
  propagations.emplace_back();  // tracecontext,baggage
  PropagationOptions b3;
  b3.propagators = {"b3", "tracecontext"};
  propagations.emplace_back(b3);
  for (int round = 0; round < 400; ++round) {
    HeadersPtr headers(rd_kafka_headers_new(4));
    const auto count = random() % 7;
    for (std::uint_fast32_t i = 0; i < count; ++i) {
      const char* name = names[random() % (sizeof(names) / sizeof(names[0]))];
      const auto kind = random() % 6;
      std::string value;
      if (kind == 0) {
        ASSERT_EQ(rd_kafka_header_add(headers.get(), name, -1, nullptr, 0), 0);  // NULL value
        continue;
      }
      if (kind == 1) value = std::string("\0\xff\x01", 3);  // binary
      if (kind == 2) value = kTraceparents[random() % 4];
      if (kind == 3) value = "vendor=v" + std::to_string(random() % 10) + ",k=1";
      if (kind == 4) value = "user=alice";
      // kind 5: empty value
      ASSERT_EQ(rd_kafka_header_add(headers.get(), name, -1, value.data(),
                                    static_cast<ssize_t>(value.size())),
                0);
    }
    for (const Propagation& propagation : propagations) {
      for (const KeyMatch match : {KeyMatch::kExact, KeyMatch::kExactThenCaseInsensitive}) {
        expect_same_answers(headers.get(), propagation, match, "round " + std::to_string(round));
      }
    }
    if (HasFailure()) return;
  }
}

TEST(PrefetchedHeadersReader, DuplicatesLastWinsNullsAndBinaryValues) {
  HeadersPtr headers(rd_kafka_headers_new(4));
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "tracestate", -1, "a=1", -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "traceparent", -1, kTraceparents[1], -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "tracestate", -1, "b=2", -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "traceparent", -1, kTraceparents[0], -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "baggage", -1, "k=v", -1), 0);
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "baggage", -1, nullptr, 0), 0);
  const Propagation propagation;
  const detail::TraceHeaderKeys keys(propagation.fields());
  const detail::PrefetchedHeadersReader reader(headers.get(), keys);
  EXPECT_EQ(reader.get("traceparent"), std::optional<std::string_view>(kTraceparents[0]));
  EXPECT_EQ(reader.get("tracestate"), std::optional<std::string_view>("b=2"));
  EXPECT_EQ(values_of(reader, "tracestate"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(reader.get("baggage"), std::nullopt);  // the last occurrence is NULL
  EXPECT_EQ(values_of(reader, "baggage"), (std::vector<std::string>{"k=v"}));
  expect_same_answers(headers.get(), propagation, KeyMatch::kExact, "duplicates");

  HeadersPtr binary(rd_kafka_headers_new(1));
  const std::string bytes("t\0p\xfe", 4);
  ASSERT_EQ(rd_kafka_header_add(binary.get(), "traceparent", -1, bytes.data(), 4), 0);
  const detail::PrefetchedHeadersReader binary_reader(binary.get(), keys);
  EXPECT_EQ(binary_reader.get("traceparent"), std::optional<std::string_view>(bytes));
  EXPECT_FALSE(propagation.extract(binary_reader).span_context.is_valid());
}

TEST(PrefetchedHeadersReader, NullListAndKeysNotPrefetched) {
  const Propagation propagation;
  const detail::TraceHeaderKeys keys(propagation.fields());
  ASSERT_EQ(keys.size(), 3u);  // traceparent, tracestate, baggage
  const detail::PrefetchedHeadersReader empty(nullptr, keys, KeyMatch::kExactThenCaseInsensitive);
  EXPECT_EQ(empty.get("traceparent"), std::nullopt);
  EXPECT_TRUE(values_of(empty, "tracestate").empty());
  EXPECT_TRUE(keys_of(empty).empty());

  HeadersPtr headers(rd_kafka_headers_new(2));
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "x-b3-traceid", -1, "abc", -1), 0);
  const detail::PrefetchedHeadersReader reader(headers.get(), keys);
  EXPECT_EQ(reader.get("x-b3-traceid"), std::optional<std::string_view>("abc"));
}

}  // namespace
}  // namespace hoptrace::kafka
