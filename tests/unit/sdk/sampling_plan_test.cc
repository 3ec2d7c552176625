#include "sdk/sampling_plan.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/link_aware_sampler.h"
#include "hoptrace/core/sdk/parent_based_sampler.h"
#include "hoptrace/core/sdk/trace_id_ratio_sampler.h"
#include "unit/sdk/sampling_cases.h"

namespace hoptrace::sdk::detail {
namespace {

using namespace sampling_cases;  // NOLINT(google-build-using-namespace): test vocabulary

// Answers a fixed decision without declaring it constant, like any user sampler.
class OpaqueSampler final : public Sampler {
 public:
  explicit OpaqueSampler(SamplingDecision d) : decision_(d) {}
  SamplingResult should_sample(const SpanContext&, const TraceId&, std::string_view, SpanKind,
                               ArrayView<Attribute>, ArrayView<Link>) noexcept override {
    return {decision_, std::nullopt};
  }
  std::string description() const override { return "Opaque"; }

 private:
  SamplingDecision decision_;
};

// The plan must give exactly what the sampler gives, for every parent and link combination.
void expect_plan_matches(Sampler& sampler, const std::string& what) {
  const SamplingPlan plan = SamplingPlan::build(sampler);
  ASSERT_TRUE(plan.is_constant()) << what;
  for (const SpanContext& parent : no_parent_and_every_valid_parent()) {
    for (const std::vector<Link>& links : every_link_set()) {
      const SamplingResult expected =
          sampler.should_sample(parent, TraceId::from_u64(3, 4), "op", SpanKind::kConsumer, {},
                                ArrayView<Link>(links.data(), links.size()));
      EXPECT_FALSE(expected.trace_state.has_value()) << what;
      EXPECT_EQ(plan.decide(parent, ArrayView<Link>(links.data(), links.size())), expected.decision)
          << what << " parent valid=" << parent.is_valid() << " remote=" << parent.is_remote()
          << " sampled=" << parent.is_sampled() << " links=" << links.size();
    }
  }
}

TEST(SamplingPlanTest, ConstantSamplersAndTheirCompositionsMatchTheSamplers) {
  std::vector<std::pair<std::string, std::shared_ptr<Sampler>>> samplers = {
      {"on", on()},
      {"off", off()},
      {"record_only", record_only()},
      {"ratio 1", std::make_shared<TraceIdRatioBasedSampler>(1.0)},
      {"ratio 0", std::make_shared<TraceIdRatioBasedSampler>(0.0)},
      {"parentbased on", std::make_shared<ParentBasedSampler>(on())},
      {"parentbased off", std::make_shared<ParentBasedSampler>(off())},
  };
  // Every delegate slot differing from its default, one at a time, and all at once.
  const std::shared_ptr<Sampler> choices[] = {on(), off(), record_only()};
  for (const auto& root : choices) {
    for (int slot = 0; slot < 5; ++slot) {
      for (const auto& pick : choices) {
        ParentBasedSampler::Delegates d;
        if (slot == 1) d.remote_parent_sampled = pick;
        if (slot == 2) d.remote_parent_not_sampled = pick;
        if (slot == 3) d.local_parent_sampled = pick;
        if (slot == 4) d.local_parent_not_sampled = pick;
        samplers.emplace_back("parentbased slot " + std::to_string(slot),
                              std::make_shared<ParentBasedSampler>(root, d));
      }
    }
  }
  samplers.emplace_back("parentbased inverted", std::make_shared<ParentBasedSampler>(
                                                    off(), ParentBasedSampler::Delegates{
                                                               off(), on(), record_only(), on()}));
  const std::size_t plain = samplers.size();
  for (std::size_t i = 0; i < plain; ++i) {
    samplers.emplace_back("linkaware " + samplers[i].first,
                          std::make_shared<LinkAwareSampler>(samplers[i].second));
  }
  for (auto& [what, sampler] : samplers) expect_plan_matches(*sampler, what);
}

TEST(SamplingPlanTest, SamplersThatDependOnTheirInputAreNotConstant) {
  const std::shared_ptr<Sampler> not_constant[] = {
      std::make_shared<TraceIdRatioBasedSampler>(0.5),
      std::make_shared<OpaqueSampler>(SamplingDecision::kRecordAndSample),
      std::make_shared<ParentBasedSampler>(std::make_shared<TraceIdRatioBasedSampler>(0.5)),
      std::make_shared<ParentBasedSampler>(
          on(),
          ParentBasedSampler::Delegates{
              nullptr, std::make_shared<OpaqueSampler>(SamplingDecision::kDrop), nullptr, nullptr}),
      std::make_shared<LinkAwareSampler>(std::make_shared<TraceIdRatioBasedSampler>(0.25)),
      // A LinkAware inside a ParentBased is not looked into.
      std::make_shared<ParentBasedSampler>(std::make_shared<LinkAwareSampler>(on())),
  };
  for (const auto& sampler : not_constant) {
    EXPECT_FALSE(SamplingPlan::build(*sampler).is_constant()) << sampler->description();
  }
}

TEST(SamplingPlanTest, ConstantDecisionsOfTheBuiltInSamplers) {
  EXPECT_EQ(AlwaysOnSampler().constant_decision(), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(AlwaysOffSampler().constant_decision(), SamplingDecision::kDrop);
  EXPECT_EQ(TraceIdRatioBasedSampler(1.0).constant_decision(), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.0).constant_decision(), SamplingDecision::kDrop);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.5).constant_decision(), std::nullopt);
  EXPECT_EQ(OpaqueSampler(SamplingDecision::kDrop).constant_decision(), std::nullopt);
  EXPECT_EQ(ParentBasedSampler(on()).constant_decision(), std::nullopt);  // depends on the parent
}

}  // namespace
}  // namespace hoptrace::sdk::detail
