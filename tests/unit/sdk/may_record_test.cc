// Tracer::may_record: exact for the samplers the SDK precomputes, never false for a span that
// records.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hoptrace/core/context.h"
#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/parent_based_sampler.h"
#include "hoptrace/core/sdk/trace_id_ratio_sampler.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/core/tracer.h"
#include "unit/sdk/sampling_cases.h"

namespace hoptrace::sdk {
namespace {

using namespace sampling_cases;  // NOLINT(google-build-using-namespace): test vocabulary

// Samples only spans carrying attribute "keep": a user sampler that looks at attributes.
class KeepAttributeSampler final : public Sampler {
 public:
  SamplingResult should_sample(const SpanContext&, const TraceId&, std::string_view, SpanKind,
                               ArrayView<Attribute> attributes, ArrayView<Link>) noexcept override {
    for (const Attribute& a : attributes) {
      if (a.key == "keep") return {SamplingDecision::kRecordAndSample, std::nullopt};
    }
    return {SamplingDecision::kDrop, std::nullopt};
  }
  std::string description() const override { return "KeepAttribute"; }
};

struct Case {
  std::string what;
  std::shared_ptr<Sampler> sampler;
  bool exact;  // a sampler the SDK precomputes: may_record must equal the outcome
};

std::vector<Case> every_sampler() {
  std::vector<Case> cases = {
      {"on", on(), true},
      {"off", off(), true},
      {"record_only", record_only(), true},
      {"parentbased on", std::make_shared<ParentBasedSampler>(on()), true},
      {"parentbased off", std::make_shared<ParentBasedSampler>(off()), true},
      {"ratio 0.5", std::make_shared<TraceIdRatioBasedSampler>(0.5), false},
      {"keep attribute", std::make_shared<KeepAttributeSampler>(), false},
      {"parentbased keep attribute",
       std::make_shared<ParentBasedSampler>(std::make_shared<KeepAttributeSampler>()), false},
  };
  const std::shared_ptr<Sampler> choices[] = {on(), off(), record_only()};
  for (const auto& root : choices) {
    for (int slot = 1; slot <= 4; ++slot) {
      for (const auto& pick : choices) {
        ParentBasedSampler::Delegates d;
        if (slot == 1) d.remote_parent_sampled = pick;
        if (slot == 2) d.remote_parent_not_sampled = pick;
        if (slot == 3) d.local_parent_sampled = pick;
        if (slot == 4) d.local_parent_not_sampled = pick;
        cases.push_back({"parentbased " + root->description() + " slot " + std::to_string(slot) +
                             " " + pick->description(),
                         std::make_shared<ParentBasedSampler>(root, d), true});
      }
    }
  }
  return cases;
}

// The shared parents plus an invalid context that carries the sampled flag (treated as none).
std::vector<SpanContext> every_parent() {
  std::vector<SpanContext> parents = no_parent_and_every_valid_parent();
  parents.emplace_back(TraceId(), SpanId(), TraceFlags(TraceFlags::kSampled), true);
  return parents;
}

// Every parent source, parent, ambient context and link set; with `attributes` given to
// start_span (never to may_record, which does not look at them).
void expect_consistent(Tracer& tracer, const Case& c, bool link_aware,
                       ArrayView<Attribute> attributes) {
  for (const ParentSource source :
       {ParentSource::kAmbient, ParentSource::kExplicit, ParentSource::kRoot}) {
    for (const SpanContext& parent : every_parent()) {
      for (const SpanContext& ambient : every_parent()) {
        const Span ambient_span(ambient, nullptr);
        const Scope scope = make_current(ambient_span);
        for (const std::vector<Link>& links : every_link_set()) {
          SpanStartOptions options;
          options.parent_source = source;
          options.parent = parent;
          options.links = ArrayView<Link>(links.data(), links.size());
          const bool may = tracer.may_record(options);
          options.attributes = attributes;
          Span span = tracer.start_span("op", options);
          const std::string where = c.what + (link_aware ? " linkaware" : "") +
                                    " source=" + std::to_string(static_cast<int>(source)) +
                                    " parent sampled=" + std::to_string(parent.is_sampled()) +
                                    " valid=" + std::to_string(parent.is_valid()) +
                                    " ambient sampled=" + std::to_string(ambient.is_sampled()) +
                                    " links=" + std::to_string(links.size());
          if (c.exact) {
            EXPECT_EQ(may, span.is_recording()) << where;
          } else {
            EXPECT_TRUE(may) << where;
          }
          if (!may) {
            EXPECT_FALSE(span.is_recording()) << where;
          }
        }
      }
    }
  }
}

TEST(MayRecordTest, EqualsTheSamplingOutcomeForPrecomputedSamplers) {
  const Attribute keep[] = {{"keep", true}};
  for (const Case& c : every_sampler()) {
    for (bool link_aware : {true, false}) {
      TracerProviderOptions options;
      options.sampler = c.sampler;
      options.link_aware_sampling = link_aware;
      TracerProvider provider(std::move(options));
      const std::shared_ptr<Tracer> tracer = provider.get_tracer("test");
      expect_consistent(*tracer, c, link_aware, {});
      expect_consistent(*tracer, c, link_aware, ArrayView<Attribute>(keep, 1));
    }
  }
}

TEST(MayRecordTest, AnswersFalseForAnUnsampledParentAndTrueForASampledOne) {
  TracerProvider provider;  // ParentBased(AlwaysOn), link-aware
  const std::shared_ptr<Tracer> tracer = provider.get_tracer("test");
  SpanStartOptions options;
  options.parent_source = ParentSource::kExplicit;
  options.parent = SpanContext(TraceId::from_u64(7, 8), SpanId::from_u64(9), TraceFlags(0), true);
  EXPECT_FALSE(tracer->may_record(options));
  const Link sampled_link{kSampledLink, {}};
  options.links = ArrayView<Link>(&sampled_link, 1);
  EXPECT_TRUE(tracer->may_record(options));  // the sampled link upgrades the decision
  options.links = {};
  options.parent = kSampledLink;
  EXPECT_TRUE(tracer->may_record(options));
  options.parent_source = ParentSource::kRoot;
  EXPECT_TRUE(tracer->may_record(options));
}

TEST(MayRecordTest, AnswersFalseWhenDisabledOrShutDown) {
  TracerProviderOptions disabled_options;
  disabled_options.disabled = true;
  TracerProvider disabled(std::move(disabled_options));
  SpanStartOptions root;
  root.parent_source = ParentSource::kRoot;
  EXPECT_FALSE(disabled.get_tracer("test")->may_record(root));

  TracerProvider provider;
  const std::shared_ptr<Tracer> tracer = provider.get_tracer("test");
  EXPECT_TRUE(tracer->may_record(root));
  provider.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(1));
  EXPECT_FALSE(tracer->may_record(root));
  EXPECT_FALSE(tracer->start_span("after", root).is_recording());
}

// A Tracer that does not override may_record keeps the conservative default.
class MinimalTracer final : public Tracer {
 public:
  Span start_span(std::string_view, const SpanStartOptions&) noexcept override { return Span(); }
};

TEST(MayRecordTest, DefaultImplementationAnswersTrue) {
  MinimalTracer tracer;
  EXPECT_TRUE(tracer.may_record({}));
}

}  // namespace
}  // namespace hoptrace::sdk
