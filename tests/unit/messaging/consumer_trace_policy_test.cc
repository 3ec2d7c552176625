#include "hoptrace/core/messaging/consumer_trace_policy.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "hoptrace/core/messaging/hop_count.h"

#include "support/scoped_env.h"

namespace hoptrace::messaging {
namespace {

SpanContext make_context(std::uint64_t trace, std::uint64_t span, TraceState state = {}) {
  return SpanContext(TraceId::from_u64(0, trace), SpanId::from_u64(span),
                     TraceFlags(TraceFlags::kSampled), /*is_remote=*/true, std::move(state));
}

TraceState hops(std::uint32_t n) {
  return TraceState().with(kHopTraceStateKey, HopValue(n).view());
}

const SpanContext kNoAmbient;
const SpanContext kAmbient = make_context(0xA, 0xA1);
const SpanContext kCreation = make_context(0xC, 0xC1);

ConsumerParenting single(const ConsumerTracePolicy& policy, const SpanContext& ambient,
                         const SpanContext& creation) {
  return decide_consumer_parenting(policy, ambient, ArrayView<SpanContext>(&creation, 1), false);
}

// --- kAdaptive --------------------------------------------------------------------------------

TEST(ConsumerTracePolicyTest, AdaptiveSingleWithoutAmbientIsChildOfCreationAndLinksIt) {
  const auto p = single(ConsumerTracePolicy::adaptive(), kNoAmbient, kCreation);
  EXPECT_EQ(p.parent_source, ParentSource::kExplicit);
  ASSERT_NE(p.parent, nullptr);
  EXPECT_EQ(*p.parent, kCreation);
  EXPECT_TRUE(p.parented_on_creation_context);
  EXPECT_TRUE(p.link_creation_contexts);
  EXPECT_FALSE(p.link_ambient);
  EXPECT_FALSE(p.set_hop_count);
}

TEST(ConsumerTracePolicyTest, AdaptiveSingleWithAmbientIsChildOfAmbientAndLinksCreation) {
  const auto p = single(ConsumerTracePolicy::adaptive(), kAmbient, kCreation);
  EXPECT_EQ(p.parent_source, ParentSource::kExplicit);
  ASSERT_NE(p.parent, nullptr);
  EXPECT_EQ(*p.parent, kAmbient);
  EXPECT_FALSE(p.parented_on_creation_context);
  EXPECT_TRUE(p.link_creation_contexts);
  EXPECT_FALSE(p.link_ambient);
}

TEST(ConsumerTracePolicyTest, AdaptiveBatchIsNeverParentedOnAMessage) {
  const std::vector<SpanContext> batch = {kCreation, make_context(0xD, 0xD1)};
  auto p = decide_consumer_parenting(ConsumerTracePolicy::adaptive(), kNoAmbient, batch, true);
  EXPECT_EQ(p.parent_source, ParentSource::kRoot);
  EXPECT_EQ(p.parent, nullptr);
  EXPECT_TRUE(p.link_creation_contexts);

  p = decide_consumer_parenting(ConsumerTracePolicy::adaptive(), kAmbient, batch, true);
  EXPECT_EQ(p.parent_source, ParentSource::kExplicit);
  EXPECT_EQ(p.parent, &kAmbient);
}

TEST(ConsumerTracePolicyTest, ABatchApiReturningOneMessageIsStillABatch) {
  const auto p = decide_consumer_parenting(ConsumerTracePolicy::adaptive(), kNoAmbient,
                                           ArrayView<SpanContext>(&kCreation, 1), true);
  EXPECT_EQ(p.parent_source, ParentSource::kRoot);
  EXPECT_FALSE(p.parented_on_creation_context);
}

TEST(ConsumerTracePolicyTest, ANonBatchCallWithSeveralContextsIsTreatedAsABatch) {
  const std::vector<SpanContext> two = {kCreation, make_context(0xD, 0xD1)};
  const auto p = decide_consumer_parenting(ConsumerTracePolicy::parent(), kNoAmbient, two, false);
  EXPECT_EQ(p.parent_source, ParentSource::kRoot);
  EXPECT_FALSE(p.parented_on_creation_context);
}

TEST(ConsumerTracePolicyTest, AMessageWithoutCreationContextFallsBackToAmbientOrRoot) {
  for (const auto& policy : {ConsumerTracePolicy::adaptive(), ConsumerTracePolicy::parent(),
                             ConsumerTracePolicy::new_trace_after_hops(3)}) {
    auto p = single(policy, kNoAmbient, SpanContext());
    EXPECT_EQ(p.parent_source, ParentSource::kRoot);
    EXPECT_FALSE(p.link_ambient);
    p = single(policy, kAmbient, SpanContext());
    EXPECT_EQ(p.parent, &kAmbient);
    EXPECT_FALSE(p.link_ambient);
  }
}

// --- kParent ----------------------------------------------------------------------------------

TEST(ConsumerTracePolicyTest, ParentModeTakesCreationAsParentAndLinksAmbient) {
  const auto p = single(ConsumerTracePolicy::parent(), kAmbient, kCreation);
  EXPECT_EQ(p.parent_source, ParentSource::kExplicit);
  EXPECT_EQ(p.parent, &kCreation);
  EXPECT_TRUE(p.link_creation_contexts);
  EXPECT_TRUE(p.link_ambient);
}

TEST(ConsumerTracePolicyTest, ParentModeWithoutAmbientLinksNoAmbient) {
  const auto p = single(ConsumerTracePolicy::parent(), kNoAmbient, kCreation);
  EXPECT_EQ(p.parent, &kCreation);
  EXPECT_FALSE(p.link_ambient);
}

TEST(ConsumerTracePolicyTest, ParentModeBatchFallsBackToLinks) {
  const std::vector<SpanContext> batch = {kCreation, make_context(0xD, 0xD1)};
  const auto p = decide_consumer_parenting(ConsumerTracePolicy::parent(), kAmbient, batch, true);
  EXPECT_EQ(p.parent, &kAmbient);
  EXPECT_FALSE(p.link_ambient);
  EXPECT_TRUE(p.link_creation_contexts);
}

// --- kLink ------------------------------------------------------------------------------------

TEST(ConsumerTracePolicyTest, LinkModeNeverParentsOnTheCreationContext) {
  auto p = single(ConsumerTracePolicy::link(), kNoAmbient, kCreation);
  EXPECT_EQ(p.parent_source, ParentSource::kRoot);
  EXPECT_EQ(p.parent, nullptr);
  EXPECT_TRUE(p.link_creation_contexts);
  p = single(ConsumerTracePolicy::link(), kAmbient, kCreation);
  EXPECT_EQ(p.parent, &kAmbient);
  EXPECT_FALSE(p.parented_on_creation_context);
}

// --- kNewTraceAfterHops -----------------------------------------------------------------------

TEST(ConsumerTracePolicyTest, NewTraceAfterHopsContinuesBelowTheLimitAndCounts) {
  const auto policy = ConsumerTracePolicy::new_trace_after_hops(3);
  const SpanContext fresh = make_context(0xC, 0xC1);  // no counter yet = 0 hops
  auto p = single(policy, kNoAmbient, fresh);
  EXPECT_EQ(p.parent, &fresh);
  EXPECT_TRUE(p.set_hop_count);
  EXPECT_EQ(p.hop_count, 1u);

  const SpanContext two = make_context(0xC, 0xC2, hops(2));
  p = single(policy, kNoAmbient, two);
  EXPECT_EQ(p.parent, &two);
  EXPECT_EQ(p.hop_count, 3u);
}

TEST(ConsumerTracePolicyTest, NewTraceAfterHopsStartsARootLinkedToCreationAtTheLimit) {
  const auto policy = ConsumerTracePolicy::new_trace_after_hops(3);
  const SpanContext three = make_context(0xC, 0xC3, hops(3));
  const auto p = single(policy, kNoAmbient, three);
  EXPECT_EQ(p.parent_source, ParentSource::kRoot);
  EXPECT_EQ(p.parent, nullptr);
  EXPECT_FALSE(p.set_hop_count);
  EXPECT_TRUE(p.link_creation_contexts);
  EXPECT_FALSE(p.parented_on_creation_context);
}

TEST(ConsumerTracePolicyTest, NewTraceAfterHopsBehavesAdaptivelyUnderAnAmbientSpan) {
  const SpanContext far = make_context(0xC, 0xC9, hops(99));
  const auto p = single(ConsumerTracePolicy::new_trace_after_hops(3), kAmbient, far);
  EXPECT_EQ(p.parent, &kAmbient);
  EXPECT_FALSE(p.set_hop_count);
}

TEST(ConsumerTracePolicyTest, NewTraceAfterZeroHopsAlwaysStartsANewTrace) {
  const auto p = single(ConsumerTracePolicy::new_trace_after_hops(0), kNoAmbient, kCreation);
  EXPECT_EQ(p.parent_source, ParentSource::kRoot);
}

TEST(ConsumerTracePolicyTest, AChainOfHopsRestartsEveryNHops) {
  // Simulate: each consumer continues (or not); the next producer inherits the consumer's trace
  // state, so the next message's creation context carries the consumer's count.
  const auto policy = ConsumerTracePolicy::new_trace_after_hops(2);
  SpanContext creation = make_context(0x1, 0x10);
  std::vector<bool> continued;
  for (std::uint64_t hop = 0; hop < 6; ++hop) {
    const auto p = single(policy, kNoAmbient, creation);
    continued.push_back(p.parented_on_creation_context);
    const TraceState next = p.set_hop_count
                                ? trace_state_with_hop_count(creation.trace_state(), p.hop_count)
                                : TraceState();
    creation = make_context(p.parented_on_creation_context ? creation.trace_id().low() : 100 + hop,
                            0x20 + hop, next);
  }
  EXPECT_EQ(continued, (std::vector<bool>{true, true, false, true, true, false}));
}

TEST(ConsumerTracePolicyTest, LinkOverloadDecidesLikeTheContextOverload) {
  const Link link{kCreation, {}};
  const auto p = decide_consumer_parenting(ConsumerTracePolicy::adaptive(), kNoAmbient,
                                           ArrayView<Link>(&link, 1), false);
  EXPECT_EQ(p.parent, &link.context);
  const auto b = decide_consumer_parenting(ConsumerTracePolicy::adaptive(), kNoAmbient,
                                           ArrayView<Link>(&link, 1), true);
  EXPECT_EQ(b.parent_source, ParentSource::kRoot);
}

// --- Parsing and the environment ----------------------------------------------------------------

TEST(ConsumerTracePolicyTest, ParsesEveryForm) {
  EXPECT_EQ(ConsumerTracePolicy::parse("adaptive"), ConsumerTracePolicy::adaptive());
  EXPECT_EQ(ConsumerTracePolicy::parse(" Parent "), ConsumerTracePolicy::parent());
  EXPECT_EQ(ConsumerTracePolicy::parse("LINK"), ConsumerTracePolicy::link());
  EXPECT_EQ(ConsumerTracePolicy::parse("new_trace_after:5"),
            ConsumerTracePolicy::new_trace_after_hops(5));
  EXPECT_EQ(ConsumerTracePolicy::parse("new_trace_after:0"),
            ConsumerTracePolicy::new_trace_after_hops(0));
  EXPECT_EQ(ConsumerTracePolicy::parse("new_trace_after:9999999"),
            ConsumerTracePolicy::new_trace_after_hops(9999999));
}

TEST(ConsumerTracePolicyTest, RejectsMalformedForms) {
  for (const char* bad :
       {"", "adaptiv", "links", "new_trace_after", "new_trace_after:", "new_trace_after:-1",
        "new_trace_after:x", "new_trace_after:12345678", "new_trace_after:3x", "parent,link"}) {
    EXPECT_FALSE(ConsumerTracePolicy::parse(bad).has_value()) << bad;
  }
}

TEST(ConsumerTracePolicyTest, ModeNames) {
  EXPECT_EQ(to_string(ConsumerTraceMode::kAdaptive), "adaptive");
  EXPECT_EQ(to_string(ConsumerTraceMode::kParent), "parent");
  EXPECT_EQ(to_string(ConsumerTraceMode::kLink), "link");
  EXPECT_EQ(to_string(ConsumerTraceMode::kNewTraceAfterHops), "new_trace_after");
  EXPECT_TRUE(ConsumerTracePolicy::new_trace_after_hops(1).counts_hops());
  EXPECT_FALSE(ConsumerTracePolicy::adaptive().counts_hops());
}

TEST(ConsumerTracePolicyTest, FromEnvironmentReadsValidValues) {
  hoptrace::testing::ScopedEnv env;
  env.set("HOPTRACE_CONSUMER_TRACE_POLICY", "new_trace_after:4");
  EXPECT_EQ(ConsumerTracePolicy::from_environment(), ConsumerTracePolicy::new_trace_after_hops(4));
  env.set("HOPTRACE_CONSUMER_TRACE_POLICY", "link");
  EXPECT_EQ(ConsumerTracePolicy::from_environment(), ConsumerTracePolicy::link());
  env.set("HOPTRACE_CONSUMER_TRACE_POLICY", "  ");
  EXPECT_EQ(ConsumerTracePolicy::from_environment(), ConsumerTracePolicy::adaptive());
  env.unset("HOPTRACE_CONSUMER_TRACE_POLICY");
  EXPECT_EQ(ConsumerTracePolicy::from_environment(), ConsumerTracePolicy::adaptive());
}

TEST(ConsumerTracePolicyTest, FromEnvironmentWarnsOnceAboutBadValuesAndIgnoresThem) {
  hoptrace::testing::ScopedEnv env;
  env.set("HOPTRACE_CONSUMER_TRACE_POLICY", "sometimes");
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(ConsumerTracePolicy::from_environment(), ConsumerTracePolicy::adaptive());
  const std::string first = ::testing::internal::GetCapturedStderr();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(ConsumerTracePolicy::from_environment(), ConsumerTracePolicy::adaptive());
  const std::string second = ::testing::internal::GetCapturedStderr();
  env.unset("HOPTRACE_CONSUMER_TRACE_POLICY");
  EXPECT_NE(first.find("HOPTRACE_CONSUMER_TRACE_POLICY=\"sometimes\""), std::string::npos) << first;
  EXPECT_NE(first.find("new_trace_after:N"), std::string::npos);
  EXPECT_TRUE(second.empty()) << second;
}

}  // namespace
}  // namespace hoptrace::messaging
