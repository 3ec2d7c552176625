#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/b3.h"
#include "hoptrace/core/propagation/baggage_propagator.h"
#include "hoptrace/core/propagation/composite.h"
#include "hoptrace/core/propagation/jaeger.h"
#include "hoptrace/core/propagation/trace_context.h"
#include "hoptrace/core/propagation/xray.h"

namespace hoptrace {
namespace {

constexpr char kTraceA[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kTraceB[] = "11111111111111111111111111111111";
constexpr char kSpan[] = "00f067aa0ba902b7";

// Records the order in which it is called, to check composite ordering.
class RecordingPropagator final : public TextMapPropagator {
 public:
  RecordingPropagator(std::string name, std::vector<std::string>* log)
      : name_(std::move(name)), log_(log) {}
  void inject(const Context&, CarrierWriter& carrier) const noexcept override {
    log_->push_back("inject:" + name_);
    carrier.set(name_, "x");
  }
  void extract(const CarrierReader&, Context&) const noexcept override {
    log_->push_back("extract:" + name_);
  }
  void fields(FieldSet& out) const override { out.add_key(name_); }
  std::string_view name() const noexcept override { return name_; }

 private:
  std::string name_;
  std::vector<std::string>* log_;
};

TEST(CompositePropagatorTest, RunsPropagatorsInOrderAndSkipsNulls) {
  std::vector<std::string> log;
  CompositePropagator composite({std::make_shared<RecordingPropagator>("a", &log), nullptr,
                                 std::make_shared<RecordingPropagator>("b", &log)});
  EXPECT_EQ(composite.propagators().size(), 2u);
  MemoryCarrier c;
  composite.inject(Context{}, c);
  Context ctx;
  composite.extract(c, ctx);
  EXPECT_EQ(log, (std::vector<std::string>{"inject:a", "inject:b", "extract:a", "extract:b"}));
  EXPECT_EQ(c.size(), 2u);
}

TEST(CompositePropagatorTest, LaterValidContextWins) {
  MemoryCarrier c;
  c.add("traceparent", std::string("00-") + kTraceA + "-" + kSpan + "-01");
  c.add("b3", std::string(kTraceB) + "-" + kSpan + "-0");
  CompositePropagator tc_then_b3(
      {std::make_shared<TraceContextPropagator>(), std::make_shared<B3Propagator>()});
  Context ctx;
  tc_then_b3.extract(c, ctx);
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTraceB);

  CompositePropagator b3_then_tc(
      {std::make_shared<B3Propagator>(), std::make_shared<TraceContextPropagator>()});
  Context ctx2;
  b3_then_tc.extract(c, ctx2);
  EXPECT_EQ(ctx2.span_context.trace_id().to_hex(), kTraceA);
}

TEST(CompositePropagatorTest, LaterInvalidContextDoesNotErase) {
  MemoryCarrier c;
  c.add("traceparent", std::string("00-") + kTraceA + "-" + kSpan + "-01");
  c.add("b3", "garbage");
  CompositePropagator composite(
      {std::make_shared<TraceContextPropagator>(), std::make_shared<B3Propagator>()});
  Context ctx;
  composite.extract(c, ctx);
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTraceA);
}

TEST(CompositePropagatorTest, InjectsEveryFormatAndFieldsAreTheUnion) {
  CompositePropagator composite(
      {std::make_shared<TraceContextPropagator>(), std::make_shared<BaggagePropagator>(),
       std::make_shared<B3Propagator>(), std::make_shared<JaegerPropagator>(),
       std::make_shared<XRayPropagator>()});
  Context ctx;
  ctx.span_context = SpanContext(*TraceId::from_hex(kTraceA), *SpanId::from_hex(kSpan),
                                 TraceFlags(TraceFlags::kSampled), false);
  ctx.baggage = Baggage().with("k", "v");
  MemoryCarrier c;
  composite.inject(ctx, c);
  for (const char* k :
       {"traceparent", "baggage", "b3", "uber-trace-id", "uberctx-k", "x-amzn-trace-id"}) {
    EXPECT_TRUE(c.get(k).has_value()) << k;
  }
  FieldSet f;
  composite.fields(f);
  for (const char* k : {"traceparent", "tracestate", "baggage", "b3", "x-b3-traceid",
                        "uber-trace-id", "uberctx-x", "x-amzn-trace-id"}) {
    EXPECT_TRUE(f.matches(k)) << k;
  }
  EXPECT_EQ(composite.name(), "composite");
}

TEST(CompositePropagatorTest, EmptyCompositeDoesNothing) {
  CompositePropagator none;
  Context ctx;
  ctx.span_context = SpanContext(*TraceId::from_hex(kTraceA), *SpanId::from_hex(kSpan),
                                 TraceFlags(TraceFlags::kSampled), false);
  MemoryCarrier c;
  c.add("traceparent", std::string("00-") + kTraceB + "-" + kSpan + "-01");
  none.inject(ctx, c);
  EXPECT_EQ(c.size(), 1u);
  Context out;
  none.extract(c, out);
  EXPECT_FALSE(out.span_context.is_valid());
  FieldSet f;
  none.fields(f);
  EXPECT_TRUE(f.empty());
}

}  // namespace
}  // namespace hoptrace
