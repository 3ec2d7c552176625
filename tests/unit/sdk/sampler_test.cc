#include "hoptrace/core/sdk/sampler.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/link_aware_sampler.h"
#include "hoptrace/core/sdk/parent_based_sampler.h"
#include "hoptrace/core/sdk/rate_limiting_sampler.h"
#include "hoptrace/core/sdk/trace_id_ratio_sampler.h"

#include "support/scoped_env.h"

namespace hoptrace::sdk {
namespace {

constexpr std::uint64_t kTwo56 = std::uint64_t{1} << 56;

SamplingDecision decide(Sampler& s, const SpanContext& parent = {},
                        TraceId trace_id = TraceId::from_u64(1, 1), ArrayView<Link> links = {}) {
  return s.should_sample(parent, trace_id, "op", SpanKind::kInternal, {}, links).decision;
}

SpanContext parent_ctx(bool sampled, bool remote) {
  return SpanContext(TraceId::from_u64(9, 9), SpanId::from_u64(9),
                     TraceFlags(sampled ? TraceFlags::kSampled : 0), remote);
}

// Records what it was asked and answers a fixed decision.
class FixedSampler final : public Sampler {
 public:
  explicit FixedSampler(SamplingDecision d, std::string name = "Fixed")
      : decision_(d), name_(std::move(name)) {}
  SamplingResult should_sample(const SpanContext&, const TraceId&, std::string_view, SpanKind,
                               ArrayView<Attribute>, ArrayView<Link>) noexcept override {
    ++calls;
    return {decision_, std::nullopt};
  }
  std::string description() const override { return name_; }
  int calls = 0;

 private:
  SamplingDecision decision_;
  std::string name_;
};

TEST(SamplerTest, AlwaysOnAndOff) {
  AlwaysOnSampler on;
  AlwaysOffSampler off;
  EXPECT_EQ(decide(on), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(on, parent_ctx(false, true)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(off), SamplingDecision::kDrop);
  EXPECT_EQ(decide(off, parent_ctx(true, false)), SamplingDecision::kDrop);
  EXPECT_EQ(on.description(), "AlwaysOnSampler");
  EXPECT_EQ(off.description(), "AlwaysOffSampler");
}

TEST(TraceIdRatioSamplerTest, ComparesLow56BitsWithThreshold) {
  TraceIdRatioBasedSampler quarter(0.25);
  EXPECT_EQ(quarter.threshold(), kTwo56 / 4 * 3);
  const std::uint64_t t = quarter.threshold();
  EXPECT_EQ(decide(quarter, {}, TraceId::from_u64(0, t)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(quarter, {}, TraceId::from_u64(0, t - 1)), SamplingDecision::kDrop);
  EXPECT_EQ(decide(quarter, {}, TraceId::from_u64(0, kTwo56 - 1)),
            SamplingDecision::kRecordAndSample);
  // The high byte of the low half and the whole high half are not part of the randomness.
  EXPECT_EQ(decide(quarter, {}, TraceId::from_u64(~std::uint64_t{0}, 0xFF00000000000000ULL)),
            SamplingDecision::kDrop);
  EXPECT_EQ(quarter.description(), "TraceIdRatioBased{0.25}");
}

TEST(TraceIdRatioSamplerTest, EdgesAndClamping) {
  TraceIdRatioBasedSampler one(1.0);
  TraceIdRatioBasedSampler zero(0.0);
  TraceIdRatioBasedSampler above(7.0);
  TraceIdRatioBasedSampler below(-1.0);
  TraceIdRatioBasedSampler nan(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(one.threshold(), 0u);
  EXPECT_EQ(decide(one, {}, TraceId::from_u64(5, 0)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(zero.threshold(), kTwo56);
  EXPECT_EQ(decide(zero, {}, TraceId::from_u64(0, kTwo56 - 1)), SamplingDecision::kDrop);
  EXPECT_EQ(above.ratio(), 1.0);
  EXPECT_EQ(below.ratio(), 0.0);
  EXPECT_EQ(nan.ratio(), 0.0);
  EXPECT_EQ(decide(below, {}, TraceId::from_u64(0, kTwo56 - 1)), SamplingDecision::kDrop);
}

TEST(TraceIdRatioSamplerTest, SampledAtLowerRatioImpliesSampledAtHigher) {
  TraceIdRatioBasedSampler low(0.1);
  TraceIdRatioBasedSampler high(0.5);
  int low_count = 0;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const TraceId id = TraceId::from_u64(i, i * 0x9E3779B97F4A7C15ULL);
    if (decide(low, {}, id) == SamplingDecision::kRecordAndSample) {
      ++low_count;
      EXPECT_EQ(decide(high, {}, id), SamplingDecision::kRecordAndSample);
    }
  }
  EXPECT_GT(low_count, 50);
  EXPECT_LT(low_count, 150);
}

TEST(ParentBasedSamplerTest, DefaultsFollowTheParent) {
  auto root = std::make_shared<FixedSampler>(SamplingDecision::kRecordOnly, "Root");
  ParentBasedSampler s(root);
  EXPECT_EQ(decide(s), SamplingDecision::kRecordOnly);
  EXPECT_EQ(root->calls, 1);
  EXPECT_EQ(decide(s, parent_ctx(true, true)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(s, parent_ctx(false, true)), SamplingDecision::kDrop);
  EXPECT_EQ(decide(s, parent_ctx(true, false)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(s, parent_ctx(false, false)), SamplingDecision::kDrop);
  EXPECT_EQ(root->calls, 1);
}

TEST(ParentBasedSamplerTest, EachOfTheFourDelegatesIsUsedForItsCase) {
  auto rs = std::make_shared<FixedSampler>(SamplingDecision::kDrop, "RS");
  auto rn = std::make_shared<FixedSampler>(SamplingDecision::kRecordAndSample, "RN");
  auto ls = std::make_shared<FixedSampler>(SamplingDecision::kRecordOnly, "LS");
  auto ln = std::make_shared<FixedSampler>(SamplingDecision::kRecordAndSample, "LN");
  ParentBasedSampler s(std::make_shared<AlwaysOffSampler>(), {rs, rn, ls, ln});
  EXPECT_EQ(decide(s, parent_ctx(true, true)), SamplingDecision::kDrop);
  EXPECT_EQ(decide(s, parent_ctx(false, true)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(s, parent_ctx(true, false)), SamplingDecision::kRecordOnly);
  EXPECT_EQ(decide(s, parent_ctx(false, false)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(s), SamplingDecision::kDrop);
  EXPECT_EQ(rs->calls + rn->calls + ls->calls + ln->calls, 4);
  EXPECT_EQ(s.description(),
            "ParentBased{root=AlwaysOffSampler,remoteParentSampled=RS,"
            "remoteParentNotSampled=RN,localParentSampled=LS,localParentNotSampled=LN}");
}

std::int64_t g_fake_now = 0;
std::int64_t fake_clock() noexcept { return g_fake_now; }

TEST(RateLimitingSamplerTest, AllowsAtMostNPerSecond) {
  g_fake_now = 1'000'000'000'000;
  RateLimitingSampler s(10, &fake_clock);
  int sampled = 0;
  for (int i = 0; i < 100; ++i) sampled += decide(s) == SamplingDecision::kRecordAndSample;
  EXPECT_EQ(sampled, 10);     // the initial burst is one second's worth
  g_fake_now += 100'000'000;  // 0.1 s earns exactly one more
  EXPECT_EQ(decide(s), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(s), SamplingDecision::kDrop);
  g_fake_now += 10'000'000'000;  // a long pause earns at most one second's worth
  sampled = 0;
  for (int i = 0; i < 100; ++i) sampled += decide(s) == SamplingDecision::kRecordAndSample;
  EXPECT_EQ(sampled, 10);
  EXPECT_EQ(s.description(), "RateLimiting{10}");
}

TEST(RateLimitingSamplerTest, ConcurrentCallersNeverExceedTheLimit) {
  g_fake_now = 2'000'000'000'000;  // frozen: only the initial burst is available
  RateLimitingSampler s(50, &fake_clock);
  std::atomic<int> sampled{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (decide(s) == SamplingDecision::kRecordAndSample) sampled.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(sampled.load(), 50);
}

TEST(RateLimitingSamplerTest, ZeroOrNegativeRateSamplesNothing) {
  RateLimitingSampler zero(0);
  RateLimitingSampler negative(-5);
  EXPECT_EQ(decide(zero), SamplingDecision::kDrop);
  EXPECT_EQ(decide(negative), SamplingDecision::kDrop);
}

TEST(RateLimitingSamplerTest, FractionalRate) {
  g_fake_now = 5'000'000'000'000;
  RateLimitingSampler s(0.5, &fake_clock);  // one every two seconds
  EXPECT_EQ(decide(s), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(s), SamplingDecision::kDrop);
  g_fake_now += 1'000'000'000;
  EXPECT_EQ(decide(s), SamplingDecision::kDrop);
  g_fake_now += 1'000'000'000;
  EXPECT_EQ(decide(s), SamplingDecision::kRecordAndSample);
}

TEST(LinkAwareSamplerTest, SampledLinkKeepsTheSpan) {
  auto off = std::make_shared<FixedSampler>(SamplingDecision::kDrop);
  LinkAwareSampler s(off);
  const Link unsampled{parent_ctx(false, true), {}};
  const Link sampled{parent_ctx(true, true), {}};
  const Link invalid_but_flagged{
      SpanContext(TraceId(), SpanId(), TraceFlags(TraceFlags::kSampled), true), {}};
  EXPECT_EQ(decide(s), SamplingDecision::kDrop);
  const Link only_unsampled[] = {unsampled, invalid_but_flagged};
  EXPECT_EQ(decide(s, {}, TraceId::from_u64(1, 1), only_unsampled), SamplingDecision::kDrop);
  const Link mixed[] = {unsampled, sampled};
  EXPECT_EQ(decide(s, {}, TraceId::from_u64(1, 1), mixed), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(s.description(), "LinkAware{Fixed}");
}

TEST(LinkAwareSamplerTest, RecordOnlyUpgradedBySampledLink) {
  LinkAwareSampler s(std::make_shared<FixedSampler>(SamplingDecision::kRecordOnly));
  const Link sampled[] = {{parent_ctx(true, false), {}}};
  EXPECT_EQ(decide(s), SamplingDecision::kRecordOnly);
  EXPECT_EQ(decide(s, {}, TraceId::from_u64(1, 1), sampled), SamplingDecision::kRecordAndSample);
}

TEST(LinkAwareSamplerTest, NullDelegateIsAConfigurationError) {
  EXPECT_ANY_THROW(LinkAwareSampler(nullptr));
}

class SamplerEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.unset("OTEL_TRACES_SAMPLER");
    env_.unset("OTEL_TRACES_SAMPLER_ARG");
  }
  hoptrace::testing::ScopedEnv env_;  // both variables come back as they were after the test
};

TEST_F(SamplerEnvTest, DefaultIsParentBasedAlwaysOn) {
  EXPECT_EQ(sampler_from_environment()->description().rfind("ParentBased{root=AlwaysOnSampler", 0),
            0u);
  env_.set("OTEL_TRACES_SAMPLER", "");  // empty = unset
  EXPECT_EQ(sampler_from_environment()->description().rfind("ParentBased{root=AlwaysOnSampler", 0),
            0u);
}

TEST_F(SamplerEnvTest, NamesAreCaseInsensitive) {
  env_.set("OTEL_TRACES_SAMPLER", "Always_On");
  EXPECT_EQ(sampler_from_environment()->description(), "AlwaysOnSampler");
  env_.set("OTEL_TRACES_SAMPLER", "ALWAYS_OFF");
  EXPECT_EQ(sampler_from_environment()->description(), "AlwaysOffSampler");
  env_.set("OTEL_TRACES_SAMPLER", "parentbased_always_off");
  EXPECT_EQ(sampler_from_environment()->description().rfind("ParentBased{root=AlwaysOffSampler", 0),
            0u);
}

TEST_F(SamplerEnvTest, RatioSamplersReadTheArgument) {
  env_.set("OTEL_TRACES_SAMPLER", "traceidratio");
  env_.set("OTEL_TRACES_SAMPLER_ARG", "0.25");
  EXPECT_EQ(sampler_from_environment()->description(), "TraceIdRatioBased{0.25}");
  env_.set("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
  EXPECT_EQ(sampler_from_environment()->description().rfind(
                "ParentBased{root=TraceIdRatioBased{0.25}", 0),
            0u);
  env_.unset("OTEL_TRACES_SAMPLER_ARG");
  env_.set("OTEL_TRACES_SAMPLER", "traceidratio");
  EXPECT_EQ(sampler_from_environment()->description(), "TraceIdRatioBased{1}");
}

TEST_F(SamplerEnvTest, BadArgumentIsWarnedAndIgnored) {
  env_.set("OTEL_TRACES_SAMPLER", "traceidratio");
  for (const char* bad : {"abc", "1.5", "-0.1", "0.5x", "nan"}) {
    env_.set("OTEL_TRACES_SAMPLER_ARG", bad);
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(sampler_from_environment()->description(), "TraceIdRatioBased{1}") << bad;
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("OTEL_TRACES_SAMPLER_ARG"), std::string::npos) << bad;
  }
}

TEST_F(SamplerEnvTest, UnknownNameWarnsOnceAndUsesDefault) {
  env_.set("OTEL_TRACES_SAMPLER", "jaeger_remote");
  ::testing::internal::CaptureStderr();
  const auto s = sampler_from_environment();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(s->description().rfind("ParentBased{root=AlwaysOnSampler", 0), 0u);
  EXPECT_NE(err.find("jaeger_remote"), std::string::npos);
  EXPECT_EQ(err.find("hoptrace:"), err.rfind("hoptrace:"));  // exactly one line
}

}  // namespace
}  // namespace hoptrace::sdk
