#include "hoptrace/core/sdk/resource.h"

#include <gtest/gtest.h>

#include <string>

#include "support/scoped_env.h"

namespace hoptrace::sdk {
namespace {

using hoptrace::testing::ScopedEnv;

std::string str(const Resource& r, std::string_view key) {
  const OwnedAttributeValue* v = r.get(key);
  if (v == nullptr) return "<missing>";
  const auto* s = std::get_if<std::string>(v);
  return s != nullptr ? *s : "<not a string>";
}

TEST(ResourceTest, DefaultsNameTheSdkAndFallBackToTheExecutableName) {
  ScopedEnv attrs("OTEL_RESOURCE_ATTRIBUTES", std::nullopt);
  ScopedEnv service("OTEL_SERVICE_NAME", std::nullopt);
  const Resource r = Resource::from_environment();
  EXPECT_EQ(str(r, "telemetry.sdk.name"), "hoptrace");
  EXPECT_EQ(str(r, "telemetry.sdk.language"), "cpp");
  EXPECT_FALSE(str(r, "telemetry.sdk.version").empty());
  EXPECT_NE(str(r, "telemetry.sdk.version"), "<missing>");
  EXPECT_EQ(r.service_name(), "unknown_service:hoptrace_unit_tests");
}

TEST(ResourceTest, ParsesTrimsAndPercentDecodesResourceAttributes) {
  ScopedEnv attrs("OTEL_RESOURCE_ATTRIBUTES",
                  " deployment.environment = prod , team=a%2Cb%3Dc ,note=100%25%20sure,n=42,");
  ScopedEnv service("OTEL_SERVICE_NAME", std::nullopt);
  const Resource r = Resource::from_environment();
  EXPECT_EQ(str(r, "deployment.environment"), "prod");
  EXPECT_EQ(str(r, "team"), "a,b=c");
  EXPECT_EQ(str(r, "note"), "100% sure");
  EXPECT_EQ(str(r, "n"), "42");  // values are strings, even numeric-looking ones
  EXPECT_EQ(str(r, "telemetry.sdk.name"), "hoptrace");
}

TEST(ResourceTest, ServiceNameFromResourceAttributesBeatsTheFallback) {
  ScopedEnv attrs("OTEL_RESOURCE_ATTRIBUTES", "service.name=orders");
  ScopedEnv service("OTEL_SERVICE_NAME", std::nullopt);
  EXPECT_EQ(Resource::from_environment().service_name(), "orders");
}

TEST(ResourceTest, OtelServiceNameWinsOverResourceAttributes) {
  ScopedEnv attrs("OTEL_RESOURCE_ATTRIBUTES", "service.name=orders,region=eu");
  ScopedEnv service("OTEL_SERVICE_NAME", "billing");
  const Resource r = Resource::from_environment();
  EXPECT_EQ(r.service_name(), "billing");
  EXPECT_EQ(str(r, "region"), "eu");
}

TEST(ResourceTest, EmptyVariablesCountAsUnset) {
  ScopedEnv attrs("OTEL_RESOURCE_ATTRIBUTES", "");
  ScopedEnv service("OTEL_SERVICE_NAME", "");
  EXPECT_EQ(Resource::from_environment().service_name(), "unknown_service:hoptrace_unit_tests");
}

TEST(ResourceTest, DecodeErrorDiscardsTheWholeVariableWithOneWarning) {
  for (const char* bad : {"a=1,b=%zz,c=3", "a=1,b=%4", "a=1,novalue,c=3", "a=1,=x"}) {
    SCOPED_TRACE(bad);
    ScopedEnv attrs("OTEL_RESOURCE_ATTRIBUTES", bad);
    ScopedEnv service("OTEL_SERVICE_NAME", std::nullopt);
    ::testing::internal::CaptureStderr();
    const Resource r = Resource::from_environment();
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(r.get("a"), nullptr);
    EXPECT_EQ(r.get("c"), nullptr);
    EXPECT_EQ(r.service_name(), "unknown_service:hoptrace_unit_tests");
    EXPECT_NE(err.find("OTEL_RESOURCE_ATTRIBUTES"), std::string::npos) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << "exactly one warning line: " << err;
  }
}

TEST(ResourceTest, MergeLetsTheOtherResourceWinAndKeepsOrder) {
  const Resource a({{"service.name", std::string("a")}, {"x", std::int64_t{1}}});
  const Resource b({{"x", true}, {"y", 2.5}});
  const Resource m = a.merge(b);
  ASSERT_EQ(m.attributes().size(), 3u);
  EXPECT_EQ(m.attributes()[0].key, "service.name");
  EXPECT_EQ(m.attributes()[1].key, "x");
  EXPECT_EQ(std::get<bool>(m.attributes()[1].value), true);
  EXPECT_EQ(m.attributes()[2].key, "y");
  EXPECT_EQ(m.service_name(), "a");
  EXPECT_EQ(a.attributes().size(), 2u);  // merge does not modify either side
}

TEST(ResourceTest, ConstructorKeepsTheLastValueOfADuplicateKey) {
  const Resource r({{"k", std::string("first")}, {"k", std::string("second")}});
  ASSERT_EQ(r.attributes().size(), 1u);
  EXPECT_EQ(str(r, "k"), "second");
}

TEST(ResourceTest, ServiceNameIsEmptyWhenMissingOrNotAString) {
  EXPECT_EQ(Resource().service_name(), "");
  EXPECT_EQ(Resource({{"service.name", std::int64_t{3}}}).service_name(), "");
}

}  // namespace
}  // namespace hoptrace::sdk
