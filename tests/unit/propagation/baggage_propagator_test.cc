#include "hoptrace/core/propagation/baggage_propagator.h"

#include <gtest/gtest.h>

#include <string>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/stats.h"

namespace hoptrace {
namespace {

std::uint64_t dropped() {
  return propagation_stats().count(PropagationFormat::kBaggage, RejectReason::kDroppedMember);
}

TEST(BaggagePropagatorTest, NameAndFields) {
  BaggagePropagator p;
  EXPECT_EQ(p.name(), "baggage");
  FieldSet fields;
  p.fields(fields);
  EXPECT_TRUE(fields.matches("baggage"));
  EXPECT_FALSE(fields.matches("traceparent"));
}

TEST(BaggagePropagatorTest, ExtractsBaggage) {
  MemoryCarrier carrier;
  carrier.add("Baggage", "user=alice,tier=gold%20plus");
  Context context;
  BaggagePropagator().extract(carrier, context);
  EXPECT_EQ(context.baggage.get("user"), "alice");
  EXPECT_EQ(context.baggage.get("tier"), "gold plus");
}

TEST(BaggagePropagatorTest, HttpCarriersJoinAllLines) {
  MemoryCarrier carrier(RepeatedKeys::kHttpFieldLines);
  carrier.add("baggage", "a=1,b=2");
  carrier.add("baggage", "c=3");
  Context context;
  BaggagePropagator().extract(carrier, context);
  EXPECT_EQ(context.baggage.to_header(), "a=1,b=2,c=3");
}

TEST(BaggagePropagatorTest, BrokerCarriersUseTheLastLine) {
  MemoryCarrier carrier;
  carrier.add("baggage", "a=1");
  carrier.add("baggage", "c=3");
  Context context;
  BaggagePropagator().extract(carrier, context);
  EXPECT_EQ(context.baggage.to_header(), "c=3");
}

TEST(BaggagePropagatorTest, LimitsApplyToTheJoinedList) {
  MemoryCarrier carrier(RepeatedKeys::kHttpFieldLines);
  for (int line = 0; line < 4; ++line) {
    std::string value;
    for (int i = 0; i < 50; ++i) {
      if (i > 0) value += ',';
      value += "l" + std::to_string(line) + "k" + std::to_string(i) + "=1";
    }
    carrier.add("baggage", value);
  }
  const auto before = dropped();
  Context context;
  BaggagePropagator().extract(carrier, context);
  EXPECT_EQ(context.baggage.size(), Baggage::kMaxMembers);
  EXPECT_EQ(dropped(), before + 1);
}

TEST(BaggagePropagatorTest, MalformedMembersAreDroppedAndCounted) {
  MemoryCarrier carrier;
  carrier.add("baggage", "good=1,bad member,also=2");
  const auto before = dropped();
  Context context;
  BaggagePropagator().extract(carrier, context);
  EXPECT_EQ(context.baggage.to_header(), "good=1,also=2");
  EXPECT_EQ(dropped(), before + 1);
}

TEST(BaggagePropagatorTest, EmptyResultKeepsExistingBaggage) {
  MemoryCarrier carrier;
  carrier.add("baggage", "not valid at all");
  Context context;
  context.baggage = Baggage::parse("mine=1");
  BaggagePropagator().extract(carrier, context);
  EXPECT_EQ(context.baggage.to_header(), "mine=1");
}

TEST(BaggagePropagatorTest, HugeJoinedHeaderIsBounded) {
  MemoryCarrier carrier(RepeatedKeys::kHttpFieldLines);
  carrier.add("baggage", "first=1");
  carrier.add("baggage", std::string(10 * 1024 * 1024, 'x'));
  const auto before = dropped();
  Context context;
  BaggagePropagator().extract(carrier, context);
  EXPECT_EQ(context.baggage.to_header(), "first=1");
  EXPECT_EQ(dropped(), before + 1);
}

TEST(BaggagePropagatorTest, InjectWritesEncodedHeader) {
  Context context;
  context.baggage = Baggage().with("user", "a b").with("n", "1", "p=x");
  MemoryCarrier carrier;
  BaggagePropagator().inject(context, carrier);
  EXPECT_EQ(carrier.get("baggage"), "user=a%20b,n=1;p=x");
}

TEST(BaggagePropagatorTest, InjectOfEmptyBaggageWritesNothing) {
  MemoryCarrier carrier;
  BaggagePropagator().inject(Context{}, carrier);
  EXPECT_EQ(carrier.size(), 0u);
}

class RefusingCarrier final : public CarrierWriter {
 public:
  bool set(std::string_view, std::string_view) noexcept override { return false; }
  void remove(std::string_view) noexcept override {}
  void remove_fields(const FieldSet&) noexcept override {}
};

TEST(BaggagePropagatorTest, RefusedFieldIsCounted) {
  const auto before =
      propagation_stats().count(PropagationFormat::kBaggage, RejectReason::kInjectFailed);
  Context context;
  context.baggage = Baggage::parse("a=1");
  RefusingCarrier carrier;
  BaggagePropagator().inject(context, carrier);
  EXPECT_EQ(propagation_stats().count(PropagationFormat::kBaggage, RejectReason::kInjectFailed),
            before + 1);
}

TEST(BaggagePropagatorTest, RoundTrip) {
  Context in;
  in.baggage = Baggage::parse("k1=v%2C1;meta,k2=%E2%9C%93");
  MemoryCarrier carrier(RepeatedKeys::kHttpFieldLines);
  BaggagePropagator().inject(in, carrier);
  Context out;
  BaggagePropagator().extract(carrier, out);
  EXPECT_EQ(out.baggage.to_header(), in.baggage.to_header());
  EXPECT_EQ(out.baggage.get("k1"), "v,1");
}

}  // namespace
}  // namespace hoptrace
