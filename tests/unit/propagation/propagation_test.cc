#include "hoptrace/core/propagation/propagation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "hoptrace/core/error.h"
#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/stats.h"
#include "support/scoped_env.h"

namespace hoptrace {
namespace {

using Names = std::vector<std::string>;

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpan[] = "00f067aa0ba902b7";

using testing::ScopedEnv;

Context sample_context() {
  Context ctx;
  ctx.span_context = SpanContext(*TraceId::from_hex(kTrace), *SpanId::from_hex(kSpan),
                                 TraceFlags(TraceFlags::kSampled), false);
  ctx.baggage = Baggage().with("tenant", "acme");
  return ctx;
}

Propagation with(Names names, bool clean = true, Names keep = {}) {
  PropagationOptions o;
  o.propagators = std::move(names);
  o.clean_inject = clean;
  o.keep_fields = std::move(keep);
  return Propagation(std::move(o));
}

std::size_t count_key(const MemoryCarrier& c, std::string_view key) {
  std::size_t n = 0;
  c.for_each_value(key, [&](std::string_view) {
    ++n;
    return true;
  });
  return n;
}

TEST(PropagationTest, DefaultIsTraceContextAndBaggage) {
  EXPECT_EQ(Propagation().names(), (Names{"tracecontext", "baggage"}));
  EXPECT_TRUE(Propagation().fields().matches("traceparent"));
  EXPECT_TRUE(Propagation().fields().matches("baggage"));
  EXPECT_FALSE(Propagation().fields().matches("b3"));
}

TEST(PropagationTest, OptionsAreNormalisedDeduplicatedAndOrdered) {
  EXPECT_EQ(with({" B3Multi ", "Jaeger", "b3multi", "TRACECONTEXT"}).names(),
            (Names{"b3multi", "jaeger", "tracecontext"}));
}

TEST(PropagationTest, UnknownNameThrowsConfigErrorListingValidNames) {
  try {
    with({"tracecontext", "ottrace"});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'ottrace'"), std::string::npos) << what;
    EXPECT_NE(what.find("tracecontext, baggage, b3, b3multi, jaeger, xray, xray-lambda, none"),
              std::string::npos)
        << what;
  }
}

TEST(PropagationTest, ContradictoryOptionsThrow) {
  EXPECT_THROW(with({"none", "b3"}), ConfigError);
  EXPECT_THROW(with({"xray", "xray-lambda"}), ConfigError);
}

TEST(PropagationTest, NoneMeansNoPropagationAtAll) {
  const Propagation p = with({"NONE"});
  EXPECT_TRUE(p.names().empty());
  EXPECT_TRUE(p.fields().empty());
  MemoryCarrier c;
  c.add("traceparent", std::string("00-") + kTrace + "-" + kSpan + "-01");
  c.add("b3", "stale");
  p.inject(sample_context(), c);
  EXPECT_EQ(c.size(), 2u) << "none leaves the user's fields alone";
  EXPECT_FALSE(p.extract(c).span_context.is_valid());
}

TEST(PropagationTest, EnvironmentParsing) {
  std::vector<std::string> warnings;
  const auto parse = [&](std::string_view v) {
    warnings.clear();
    return Propagation::options_from_environment_value(v, &warnings).propagators;
  };
  EXPECT_EQ(parse(""), Names{});
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(parse(" b3 , TraceContext,,b3, baggage "), (Names{"b3", "tracecontext", "baggage"}));
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(parse("ottrace,jaeger,bogus"), Names{"jaeger"});
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("'ottrace'"), std::string::npos);
  EXPECT_NE(warnings[1].find("'bogus'"), std::string::npos);
  EXPECT_EQ(parse("b3,none"), Names{"none"});
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_EQ(parse("xray,tracecontext,xray-lambda"), (Names{"tracecontext", "xray-lambda"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("xray-lambda"), std::string::npos);
}

TEST(PropagationTest, FromEnvironment) {
  {
    const ScopedEnv env("OTEL_PROPAGATORS", std::nullopt);
    EXPECT_EQ(Propagation::from_environment().names(), (Names{"tracecontext", "baggage"}));
  }
  {
    const ScopedEnv env("OTEL_PROPAGATORS", "");
    EXPECT_EQ(Propagation::from_environment().names(), (Names{"tracecontext", "baggage"}));
  }
  {
    const ScopedEnv env("OTEL_PROPAGATORS", "xray, B3MULTI ,xray");
    EXPECT_EQ(Propagation::from_environment().names(), (Names{"xray", "b3multi"}));
  }
  {
    const ScopedEnv env("OTEL_PROPAGATORS", "none");
    EXPECT_TRUE(Propagation::from_environment().names().empty());
  }
  {
    const ScopedEnv env("OTEL_PROPAGATORS", "unknown-thing");  // warned, then the default
    EXPECT_EQ(Propagation::from_environment().names(), (Names{"tracecontext", "baggage"}));
  }
}

TEST(PropagationTest, CleanInjectRemovesStaleFieldsOfEveryFormat) {
  MemoryCarrier c;
  c.add("TraceParent", "00-11111111111111111111111111111111-2222222222222222-01");
  c.add("traceparent", "00-33333333333333333333333333333333-4444444444444444-01");
  c.add("tracestate", "old=1");
  c.add("b3", "stale");
  c.add("X-B3-TraceId", "stale");
  c.add("x-b3-parentspanid", "stale");
  c.add("uber-trace-id", "stale");
  c.add("uberctx-user", "stale");
  c.add("x-amzn-trace-id", "stale");
  c.add("baggage", "stale=1");
  c.add("content-type", "application/json");
  with({"tracecontext"}).inject(sample_context(), c);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.at(0).first, "content-type");
  EXPECT_EQ(count_key(c, "traceparent"), 1u);
  EXPECT_EQ(c.get("traceparent"), std::string("00-") + kTrace + "-" + kSpan + "-01");
}

TEST(PropagationTest, CleanInjectKeepsAllowListedFields) {
  MemoryCarrier c;
  c.add("baggage", "theirs=1");
  c.add("B3", "their-b3");
  c.add("uberctx-keep", "yes");
  c.add("uberctx-drop", "no");
  const Propagation p = with({"tracecontext"}, true, {"baggage", "b3", "UberCtx-Keep"});
  EXPECT_FALSE(p.clean_fields().matches("baggage"));
  EXPECT_TRUE(p.clean_fields().matches("x-b3-spanid"));
  p.inject(sample_context(), c);
  EXPECT_EQ(c.get("baggage"), "theirs=1");
  EXPECT_EQ(c.get("b3"), "their-b3");
  EXPECT_EQ(c.get("uberctx-keep"), "yes");
  EXPECT_FALSE(c.get("uberctx-drop"));
  EXPECT_TRUE(c.get("traceparent"));
}

TEST(PropagationTest, CleanInjectCanBeTurnedOff) {
  MemoryCarrier c;
  c.add("b3", "stale");
  const Propagation p = with({"tracecontext"}, false);
  EXPECT_TRUE(p.clean_fields().empty());
  p.inject(sample_context(), c);
  EXPECT_EQ(c.get("b3"), "stale");
  EXPECT_TRUE(c.get("traceparent"));
}

TEST(PropagationTest, ReinjectingIntoTheSameCarrierNeverDuplicates) {
  const Propagation p = with({"tracecontext", "baggage", "b3multi", "jaeger", "xray"});
  MemoryCarrier c;
  p.inject(sample_context(), c);
  const std::size_t once = c.size();
  p.inject(sample_context(), c);
  EXPECT_EQ(c.size(), once);
}

TEST(PropagationTest, RoundTripThroughEveryFormat) {
  for (const char* name : {"tracecontext", "b3", "b3multi", "jaeger", "xray", "xray-lambda"}) {
    const Propagation p = with({name});
    MemoryCarrier c;
    const Context in = sample_context();
    p.inject(in, c);
    const Context out = p.extract(c);
    EXPECT_TRUE(out.span_context.is_valid()) << name;
    EXPECT_EQ(out.span_context.trace_id(), in.span_context.trace_id()) << name;
    EXPECT_EQ(out.span_context.span_id(), in.span_context.span_id()) << name;
    EXPECT_TRUE(out.span_context.is_sampled()) << name;
    EXPECT_TRUE(out.span_context.is_remote()) << name;
  }
  for (const char* name : {"baggage", "jaeger"}) {
    const Propagation p = with({name});
    MemoryCarrier c;
    p.inject(sample_context(), c);
    EXPECT_EQ(p.extract(c).baggage.get("tenant"), "acme") << name;
  }
}

TEST(PropagationTest, FormatTranslationAcrossAHop) {
  // A service that receives B3 and sends W3C: extract with one, inject with the other.
  MemoryCarrier in;
  in.add("b3", std::string(kTrace) + "-" + kSpan + "-1");
  const Context ctx = with({"b3"}).extract(in);
  MemoryCarrier out;
  out.add("b3", "must go");
  with({"tracecontext"}).inject(ctx, out);
  EXPECT_FALSE(out.get("b3"));
  EXPECT_EQ(out.get("traceparent"), std::string("00-") + kTrace + "-" + kSpan + "-01");
}

TEST(PropagationTest, ExtractIntoExistingContextKeepsWhatIsNotFound) {
  Context ctx = sample_context();
  MemoryCarrier empty;
  Propagation().extract(empty, ctx);
  EXPECT_EQ(ctx.span_context, sample_context().span_context);
}

TEST(PropagationTest, RejectionsAreCountedByFormatAndReason) {
  const auto before = propagation_stats();
  const Propagation p = with({"b3", "jaeger", "xray"});
  MemoryCarrier c;
  c.add("b3", "zz");
  c.add("uber-trace-id", "0:0:0:1");
  c.add("x-amzn-trace-id",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;"
        "Sampled=?");
  c.add("x-b3-traceid", std::string(100, 'a'));
  c.add("x-b3-spanid", kSpan);
  EXPECT_FALSE(p.extract(c).span_context.is_valid());
  const auto after = propagation_stats();
  const auto delta = [&](PropagationFormat f, RejectReason r) {
    return after.count(f, r) - before.count(f, r);
  };
  EXPECT_EQ(delta(PropagationFormat::kB3, RejectReason::kMalformed), 1u);
  EXPECT_EQ(delta(PropagationFormat::kB3Multi, RejectReason::kOversized), 1u);
  EXPECT_EQ(delta(PropagationFormat::kJaeger, RejectReason::kInvalidId), 1u);
  EXPECT_EQ(delta(PropagationFormat::kXRay, RejectReason::kMalformed), 1u);
  EXPECT_EQ(after.total() - before.total(), 4u);
}

TEST(PropagationTest, BinaryGarbageNeverProducesAContext) {
  const Propagation p = with({"tracecontext", "baggage", "b3", "jaeger", "xray"});
  std::string garbage;
  for (int i = 0; i < 256; ++i) garbage.push_back(static_cast<char>(i));
  MemoryCarrier c;
  for (const char* k : {"traceparent", "tracestate", "baggage", "b3", "x-b3-traceid", "x-b3-spanid",
                        "uber-trace-id", "uberctx-k", "x-amzn-trace-id"}) {
    c.add(k, garbage);
  }
  const Context ctx = p.extract(c);
  EXPECT_FALSE(ctx.span_context.is_valid());
}

TEST(PropagationTest, GlobalDefaultsToEnvironmentAndCanBeReplaced) {
  const Propagation& first = Propagation::global();
  EXPECT_EQ(first.names(), Propagation::from_environment().names());
  Propagation::set_global(with({"jaeger"}));
  const Propagation& second = Propagation::global();
  EXPECT_EQ(second.names(), Names{"jaeger"});
  Propagation::set_global(with({"b3"}));
  EXPECT_EQ(Propagation::global().names(), Names{"b3"});
  EXPECT_EQ(second.names(), Names{"jaeger"}) << "earlier references stay valid";
  Propagation::set_global(Propagation());
}

TEST(PropagationTest, SupportedNames) {
  const auto& names = Propagation::supported_names();
  EXPECT_EQ(names.size(), 8u);
  for (std::string_view n : names) {
    if (n == "none") continue;
    EXPECT_EQ(with({std::string(n)}).names(), Names{std::string(n)});
  }
}

}  // namespace
}  // namespace hoptrace
