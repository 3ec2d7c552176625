#ifdef HOPTRACE_TEST_KAFKA_CPP

#include "hoptrace/kafka/cpp_headers_carrier.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace hoptrace::kafka {
namespace {

std::vector<std::string> names(const RdKafka::Headers& headers) {
  std::vector<std::string> out;
  for (const auto& header : headers.get_all()) out.push_back(header.key());
  return out;
}

TEST(CppHeadersReader, LastWinsNullIsAbsent) {
  std::unique_ptr<RdKafka::Headers> headers(RdKafka::Headers::create());
  headers->add("traceparent", "first");
  headers->add("traceparent", "second");
  headers->add("gone", "value");
  headers->add("gone", nullptr, 0);
  const CppHeadersReader reader(*headers);
  EXPECT_EQ(reader.get("traceparent"), std::optional<std::string_view>("second"));
  EXPECT_EQ(reader.get("gone"), std::nullopt);
  std::vector<std::string> values;
  reader.for_each_value("gone", [&](std::string_view v) {
    values.emplace_back(v);
    return true;
  });
  EXPECT_EQ(values, std::vector<std::string>{"value"});
}

TEST(CppHeadersWriter, SetReplacesAndRemoveFieldsMatchesPrefixes) {
  std::unique_ptr<RdKafka::Headers> headers(RdKafka::Headers::create());
  headers->add("traceparent", "old");
  headers->add("app", "1");
  headers->add("traceparent", "old2");
  headers->add("X-B3-Sampled", "1");
  CppHeadersWriter writer(*headers);
  ASSERT_TRUE(writer.set("traceparent", "new"));
  EXPECT_EQ(names(*headers), (std::vector<std::string>{"app", "X-B3-Sampled", "traceparent"}));
  writer.remove_fields(FieldSet({"traceparent"}, {"x-b3-"}));
  EXPECT_EQ(names(*headers), std::vector<std::string>{"app"});
}

}  // namespace
}  // namespace hoptrace::kafka

#endif  // HOPTRACE_TEST_KAFKA_CPP
