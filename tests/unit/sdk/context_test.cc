#include "hoptrace/core/context.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "hoptrace/core/tracer.h"

namespace hoptrace {
namespace {

Context context_with_span(std::uint64_t span) {
  return Context{SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(span),
                             TraceFlags(TraceFlags::kSampled), false),
                 {},
                 nullptr};
}

std::uint64_t current_span() { return Context::current().span_context.span_id().to_u64(); }

TEST(ScopeTest, EmptyWithoutScope) {
  EXPECT_FALSE(Context::current().span_context.is_valid());
  EXPECT_TRUE(Context::current().baggage.empty());
}

TEST(ScopeTest, NestsAndRestores) {
  {
    Scope outer(context_with_span(1));
    EXPECT_EQ(current_span(), 1u);
    {
      Scope inner(context_with_span(2));
      EXPECT_EQ(current_span(), 2u);
    }
    EXPECT_EQ(current_span(), 1u);
  }
  EXPECT_FALSE(Context::current().span_context.is_valid());
}

TEST(ScopeTest, CloseIsIdempotent) {
  Scope outer(context_with_span(1));
  Scope inner(context_with_span(2));
  const auto misuse = scope_misuse_count();
  inner.close();
  inner.close();
  EXPECT_EQ(current_span(), 1u);
  EXPECT_EQ(scope_misuse_count(), misuse);
}

TEST(ScopeTest, OutOfOrderCloseRemovesThatEntryAndCounts) {
  const auto misuse = scope_misuse_count();
  Scope a(context_with_span(1));
  Scope b(context_with_span(2));
  Scope c(context_with_span(3));
  b.close();  // not the innermost
  EXPECT_EQ(scope_misuse_count(), misuse + 1);
  EXPECT_EQ(current_span(), 3u);
  c.close();
  EXPECT_EQ(current_span(), 1u);  // b is gone, a is current
  a.close();
  EXPECT_FALSE(Context::current().span_context.is_valid());
  EXPECT_EQ(scope_misuse_count(), misuse + 1);
}

TEST(ScopeTest, OuterClosedFirstLeavesInnerCurrent) {
  const auto misuse = scope_misuse_count();
  auto outer = std::make_unique<Scope>(context_with_span(1));
  Scope inner(context_with_span(2));
  outer.reset();
  EXPECT_EQ(current_span(), 2u);
  inner.close();
  EXPECT_FALSE(Context::current().span_context.is_valid());
  EXPECT_EQ(scope_misuse_count(), misuse + 1);
}

TEST(ScopeTest, MovedFromScopeDoesNothing) {
  const auto misuse = scope_misuse_count();
  Scope a(context_with_span(1));
  {
    Scope moved(std::move(a));
    EXPECT_EQ(current_span(), 1u);
    a.close();  // moved-from: no effect
    EXPECT_EQ(current_span(), 1u);
  }
  EXPECT_FALSE(Context::current().span_context.is_valid());
  EXPECT_EQ(scope_misuse_count(), misuse);
}

TEST(ScopeTest, MoveAssignmentClosesTheTarget) {
  Scope outer(context_with_span(1));
  Scope target(context_with_span(2));
  Scope source(context_with_span(3));
  target = std::move(source);  // closes entry 2 (out of order), adopts entry 3
  EXPECT_EQ(current_span(), 3u);
  target.close();
  EXPECT_EQ(current_span(), 1u);
}

TEST(ScopeTest, DestroyedOnAnotherThreadOnlyCounts) {
  const auto misuse = scope_misuse_count();
  // Runs on its own thread: the entry the foreign close leaves behind dies with that thread.
  std::thread([&] {
    auto scope = std::make_unique<Scope>(context_with_span(7));
    std::thread([&] {
      EXPECT_FALSE(Context::current().span_context.is_valid());  // per-thread stacks
      scope.reset();
    }).join();
    EXPECT_EQ(scope_misuse_count(), misuse + 1);
    EXPECT_EQ(current_span(), 7u);  // the owning thread's stack is untouched
  }).join();
}

TEST(ScopeTest, StaleScopeAfterThreadStackReuseIsHarmless) {
  // A scope from a finished thread must not remove an entry of a thread that reuses the same
  // thread-local storage.
  std::unique_ptr<Scope> stale;
  std::thread([&] {
    auto s = std::make_unique<Scope>(context_with_span(1));
    stale = std::move(s);
  }).join();
  std::thread([&] {
    Scope mine(context_with_span(2));
    stale.reset();  // another thread's scope: only counted
    EXPECT_EQ(current_span(), 2u);
  }).join();
}

TEST(ScopeTest, OverflowIsCountedNotUndefined) {
  const auto misuse = scope_misuse_count();
  std::vector<Scope> scopes;
  scopes.reserve(100);
  for (std::uint64_t i = 1; i <= 100; ++i) scopes.emplace_back(context_with_span(i));
  EXPECT_EQ(scope_misuse_count(), misuse + 36);  // capacity 64
  EXPECT_EQ(current_span(), 64u);                // the last one that fit
  while (!scopes.empty()) scopes.pop_back();     // innermost first
  EXPECT_FALSE(Context::current().span_context.is_valid());
  EXPECT_EQ(scope_misuse_count(), misuse + 36);
}

TEST(ScopeTest, MakeCurrentKeepsBaggage) {
  Scope with_baggage(Context{SpanContext(), Baggage::parse("tenant=acme"), nullptr});
  Span span(SpanContext(TraceId::from_u64(3, 4), SpanId::from_u64(5), TraceFlags(), false),
            nullptr);
  {
    Scope s = make_current(span);
    EXPECT_EQ(Context::current().span_context, span.context());
    EXPECT_EQ(Context::current().baggage.get("tenant"), std::optional<std::string_view>("acme"));
  }
  EXPECT_EQ(Context::current().baggage.get("tenant"), std::optional<std::string_view>("acme"));
  EXPECT_FALSE(Context::current().span_context.is_valid());
  with_baggage.close();
  EXPECT_TRUE(Context::current().baggage.empty());
}

// make_current fills a stack slot in place and skips copying an empty baggage or X-Ray field:
// a slot must not keep any of them from the scope that used it before, in order or not.
TEST(ScopeTest, MakeCurrentInAReusedSlotCarriesNothingFromBefore) {
  const TraceState long_state = TraceState::parse("vendor=" + std::string(200, 'v'));
  const Span span(SpanContext(TraceId::from_u64(3, 4), SpanId::from_u64(5), TraceFlags(), false),
                  nullptr);
  const auto expect_plain_span_context = [&] {
    EXPECT_EQ(Context::current().span_context, span.context());
    EXPECT_TRUE(Context::current().span_context.trace_state().empty());
    EXPECT_TRUE(Context::current().baggage.empty());
    EXPECT_EQ(Context::current().xray_passthrough, nullptr);
  };
  const auto full_context = [&](std::uint64_t id) {
    return Context{
        SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(id), TraceFlags(), true, long_state),
        Baggage::parse("tenant=acme"), std::make_shared<const std::string>("Self=1")};
  };
  { Scope used(full_context(7)); }
  {
    Scope s = make_current(span);
    expect_plain_span_context();
  }
  {  // closed out of order: the slots shift
    Scope a(full_context(8));
    Scope b(full_context(9));
    a.close();
  }
  {
    Scope s = make_current(span);
    expect_plain_span_context();
    Scope inner = make_current(span);  // the second slot too
    expect_plain_span_context();
  }
  {  // and what the current context has is inherited
    Scope outer(full_context(10));
    Scope s = make_current(span);
    EXPECT_EQ(Context::current().span_context, span.context());
    EXPECT_EQ(Context::current().baggage.get("tenant"), std::optional<std::string_view>("acme"));
    ASSERT_NE(Context::current().xray_passthrough, nullptr);
    EXPECT_EQ(*Context::current().xray_passthrough, "Self=1");
  }
  EXPECT_FALSE(Context::current().span_context.is_valid());
}

}  // namespace
}  // namespace hoptrace
