#include "hoptrace/core/sdk/span_limits.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "support/scoped_env.h"

namespace hoptrace::sdk {
namespace {

const char* const kVars[] = {
    "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_SPAN_EVENT_COUNT_LIMIT",
    "OTEL_SPAN_LINK_COUNT_LIMIT",      "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_ATTRIBUTE_COUNT_LIMIT",      "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
};

class SpanLimitsEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : kVars) env_.unset(v);
  }
  hoptrace::testing::ScopedEnv env_;  // every variable comes back as it was after the test
};

TEST_F(SpanLimitsEnvTest, Defaults) {
  const SpanLimits l = SpanLimits::from_environment();
  EXPECT_EQ(l.attribute_count, 128u);
  EXPECT_EQ(l.event_count, 128u);
  EXPECT_EQ(l.link_count, 128u);
  EXPECT_EQ(l.attributes_per_event, 128u);
  EXPECT_EQ(l.attributes_per_link, 128u);
  EXPECT_EQ(l.attribute_value_length, std::numeric_limits<std::size_t>::max());
}

TEST_F(SpanLimitsEnvTest, EachVariableSetsItsField) {
  env_.set("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "1");
  env_.set("OTEL_SPAN_EVENT_COUNT_LIMIT", "2");
  env_.set("OTEL_SPAN_LINK_COUNT_LIMIT", "3");
  env_.set("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "4");
  env_.set("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "5");
  env_.set("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", " 6 ");
  const SpanLimits l = SpanLimits::from_environment();
  EXPECT_EQ(l.attribute_count, 1u);
  EXPECT_EQ(l.event_count, 2u);
  EXPECT_EQ(l.link_count, 3u);
  EXPECT_EQ(l.attributes_per_event, 4u);
  EXPECT_EQ(l.attributes_per_link, 5u);
  EXPECT_EQ(l.attribute_value_length, 6u);
}

TEST_F(SpanLimitsEnvTest, GeneralCountAppliesWhereSpecificIsUnset) {
  env_.set("OTEL_ATTRIBUTE_COUNT_LIMIT", "10");
  env_.set("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "4");
  env_.set("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "7");
  env_.set("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "99");
  const SpanLimits l = SpanLimits::from_environment();
  EXPECT_EQ(l.attribute_count, 10u);
  EXPECT_EQ(l.attributes_per_event, 4u);
  EXPECT_EQ(l.attributes_per_link, 10u);
  EXPECT_EQ(l.event_count, 128u);  // counts of events and links are not attribute limits
  EXPECT_EQ(l.attribute_value_length, 7u);
}

TEST_F(SpanLimitsEnvTest, EmptyIsUnsetAndGarbageIsWarnedAndIgnored) {
  env_.set("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "");
  env_.set("OTEL_SPAN_EVENT_COUNT_LIMIT", "-1");
  env_.set("OTEL_SPAN_LINK_COUNT_LIMIT", "lots");
  ::testing::internal::CaptureStderr();
  const SpanLimits l = SpanLimits::from_environment();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(l.attribute_count, 128u);
  EXPECT_EQ(l.event_count, 128u);
  EXPECT_EQ(l.link_count, 128u);
  EXPECT_NE(err.find("OTEL_SPAN_EVENT_COUNT_LIMIT='-1'"), std::string::npos);
  EXPECT_NE(err.find("OTEL_SPAN_LINK_COUNT_LIMIT='lots'"), std::string::npos);
  EXPECT_EQ(err.find("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"), std::string::npos);
}

}  // namespace
}  // namespace hoptrace::sdk
