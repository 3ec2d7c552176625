// ScannedHeadersReader (what the traced consumer and extract() read headers with) must answer
// every lookup exactly as HeadersReader does, whatever the list holds.

#include "scanned_headers_reader.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/kafka/handles.h"
#include "hoptrace/kafka/headers_carrier.h"

namespace hoptrace::kafka::detail {
namespace {

// Names chosen to collide: same lengths, case variants, a NUL inside, long ones.
const std::vector<std::string>& name_pool() {
  static const std::vector<std::string> names = {
      "traceparent", "tracestate", "baggage", "Traceparent", "TRACESTATE", "b3", "B3",
      "x-b3-traceid", "uber-trace-id", "uberctx-user", std::string("traceparent\0x", 13),
      std::string("baggage\0", 8), "", "traceparenT", "tracepare", std::string(64, 'k'),
      std::string(70, 'k'), "user-header", "content-type"};
  return names;
}

std::vector<std::string> keys_to_ask() {
  std::vector<std::string> keys = name_pool();
  keys.push_back(std::string("trace\0parent", 12));
  keys.push_back(std::string(63, 'k'));
  keys.push_back("absent");
  return keys;
}

std::vector<std::string> values_of(const CarrierReader& reader, std::string_view key) {
  std::vector<std::string> out;
  reader.for_each_value(key, [&](std::string_view value) {
    out.emplace_back(value);
    return true;
  });
  return out;
}

std::vector<std::string> keys_of(const CarrierReader& reader) {
  std::vector<std::string> out;
  reader.for_each_key([&](std::string_view key) {
    out.emplace_back(key);
    return true;
  });
  return out;
}

void expect_same(const rd_kafka_headers_t* headers, KeyMatch match, const std::string& what) {
  const HeadersReader expected(headers, match);
  const ScannedHeadersReader actual(headers, match);
  for (const std::string& key : keys_to_ask()) {
    const std::optional<std::string_view> want = expected.get(key);
    const std::optional<std::string_view> got = actual.get(key);
    ASSERT_EQ(want.has_value(), got.has_value()) << what << " key " << key;
    if (want) {
      EXPECT_EQ(*want, *got) << what << " key " << key;
      EXPECT_EQ(want->data(), got->data()) << what << " key " << key;  // a view, not a copy
    }
    EXPECT_EQ(values_of(expected, key), values_of(actual, key)) << what << " key " << key;
  }
  EXPECT_EQ(keys_of(expected), keys_of(actual)) << what;
  EXPECT_EQ(actual.repeated_keys(), RepeatedKeys::kLastWins);
}

TEST(ScannedHeadersReader, AnswersAsHeadersReaderOverRandomLists) {
  std::mt19937 random(20261205);
  const std::vector<std::string>& names = name_pool();
  for (int round = 0; round < 3000; ++round) {
    // Up to 12 headers: past ScannedHeadersReader::kMaxScanned too.
    const std::size_t count = random() % 13;
    HeadersPtr headers(rd_kafka_headers_new(4));
    std::string what = "list";
    for (std::size_t i = 0; i < count; ++i) {
      const std::string& name = names[random() % names.size()];
      const bool null_value = random() % 5 == 0;
      const std::string value = "v" + std::to_string(i);
      ASSERT_EQ(rd_kafka_header_add(headers.get(), name.data(), static_cast<ssize_t>(name.size()),
                                    null_value ? nullptr : value.data(),
                                    static_cast<ssize_t>(null_value ? 0 : value.size())),
                RD_KAFKA_RESP_ERR_NO_ERROR);
      what += " [" + name + (null_value ? "=NULL]" : "=" + value + "]");
    }
    expect_same(headers.get(), KeyMatch::kExact, what);
    expect_same(headers.get(), KeyMatch::kExactThenCaseInsensitive, what);
  }
}

TEST(ScannedHeadersReader, NullAndEmptyListsReadAsEmpty) {
  expect_same(nullptr, KeyMatch::kExact, "null");
  expect_same(nullptr, KeyMatch::kExactThenCaseInsensitive, "null");
  HeadersPtr empty(rd_kafka_headers_new(1));
  expect_same(empty.get(), KeyMatch::kExact, "empty");
  EXPECT_FALSE(ScannedHeadersReader(empty.get(), KeyMatch::kExact).get("traceparent"));
}

TEST(ScannedHeadersReader, KnowsWhichNameLengthsAreThere) {
  HeadersPtr headers(rd_kafka_headers_new(2));
  ASSERT_EQ(rd_kafka_header_add(headers.get(), "traceparent", -1, "x", 1),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const ScannedHeadersReader reader(headers.get(), KeyMatch::kExact);
  EXPECT_TRUE(reader.may_hold(11));
  EXPECT_FALSE(reader.may_hold(10));  // tracestate: no librdkafka lookup at all
  EXPECT_FALSE(reader.may_hold(7));   // baggage
  EXPECT_FALSE(reader.may_hold(100));
  EXPECT_EQ(reader.get("traceparent"), std::optional<std::string_view>("x"));
}

TEST(ScannedHeadersReader, LongListsAreNotScanned) {
  HeadersPtr headers(rd_kafka_headers_new(16));
  for (std::size_t i = 0; i <= ScannedHeadersReader::kMaxScanned; ++i) {
    ASSERT_EQ(rd_kafka_header_add(headers.get(), "a", -1, "x", 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  const ScannedHeadersReader reader(headers.get(), KeyMatch::kExact);
  EXPECT_TRUE(reader.may_hold(10));
  EXPECT_TRUE(reader.may_hold(200));
  EXPECT_EQ(reader.get("a"), std::optional<std::string_view>("x"));
}

}  // namespace
}  // namespace hoptrace::kafka::detail
