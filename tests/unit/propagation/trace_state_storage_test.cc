// TraceState's storage: inline up to kInlineCapacity, one shared heap block beyond, and value
// semantics for copies and moves of both.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "hoptrace/core/span_context.h"
#include "hoptrace/core/trace_state.h"
#include "trace_state_data.h"

namespace hoptrace {
namespace {

// A valid header of exactly `length` characters: members `k0=xxx`, `k1=xxx`, ... of at most 90.
std::string header_of_length(std::size_t length) {
  std::string out;
  for (int i = 0; out.size() < length; ++i) {
    if (!out.empty()) out += ',';
    const std::string key = "k" + std::to_string(i) + "=";
    const std::size_t room = length - out.size();
    std::size_t take = room < 90 ? room : 90;
    if (room > 90 && room - 90 < 8) take = room - 8;  // leave room for a whole next member
    out += key + std::string(take - key.size(), 'x');
  }
  return out;
}

std::string first_value(const std::string& header) {
  return header.substr(
      3, header.find(',') == std::string::npos ? std::string::npos : header.find(',') - 3);
}

bool is_inline(const TraceState& ts) { return detail::TraceStateWriter::is_inline(ts); }

TEST(TraceStateStorageTest, SpanContextFitsTwoCacheLines) {
  EXPECT_EQ(sizeof(TraceState), TraceState::kInlineCapacity + 2);
  EXPECT_EQ(sizeof(SpanContext), 128u);
}

TEST(TraceStateStorageTest, InlineUpToCapacityHeapBeyond) {
  for (std::size_t length : {TraceState::kInlineCapacity - 1, TraceState::kInlineCapacity,
                             TraceState::kInlineCapacity + 1, TraceState::kMaxPropagatedLength}) {
    const std::string header = header_of_length(length);
    const TraceState ts = TraceState::parse(header);
    ASSERT_EQ(header.size(), length);
    EXPECT_EQ(ts.header(), header) << length;
    EXPECT_EQ(ts.get("k0"), first_value(header));
    EXPECT_EQ(is_inline(ts), length <= TraceState::kInlineCapacity) << length;
    // The same through the general parser (whitespace forces it) and through with().
    const TraceState general = TraceState::parse(" " + header + " ");
    EXPECT_EQ(general, ts);
    EXPECT_EQ(is_inline(general), is_inline(ts));
    const TraceState built = ts.with("k0", first_value(header));
    EXPECT_EQ(built, ts);
    EXPECT_EQ(is_inline(built), is_inline(ts));
  }
  // Past 512 the cap applies: whole members go from the right.
  const std::string too_long = header_of_length(TraceState::kMaxPropagatedLength + 1);
  const TraceState capped = TraceState::parse(too_long);
  EXPECT_LE(capped.header().size(), TraceState::kMaxPropagatedLength);
  EXPECT_EQ(too_long.compare(0, capped.header().size(), capped.header()), 0);
  EXPECT_FALSE(is_inline(capped));
}

TEST(TraceStateStorageTest, CopiesAndMovesOfInlineAndHeapStates) {
  for (std::size_t length : {std::size_t{5}, TraceState::kInlineCapacity + 50}) {
    const std::string header = header_of_length(length);
    TraceState original = TraceState::parse(header);
    TraceState copy(original);
    EXPECT_EQ(copy.header(), header);
    TraceState moved(std::move(copy));
    EXPECT_EQ(moved.header(), header);
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): documented to be empty
    EXPECT_EQ(copy.size(), 0u);

    TraceState assigned = TraceState::parse("other=1");
    assigned = original;
    EXPECT_EQ(assigned.header(), header);
    TraceState heap_target = TraceState::parse(header_of_length(300));
    heap_target = std::move(moved);  // releases its own block
    EXPECT_EQ(heap_target.header(), header);
    EXPECT_TRUE(moved.empty());  // NOLINT(bugprone-use-after-move)

    const TraceState& alias = assigned;
    assigned = alias;  // self-assignment keeps the value
    EXPECT_EQ(assigned.header(), header);
    original = TraceState();
    EXPECT_TRUE(original.empty());
    EXPECT_EQ(assigned.header(), header);  // the others still own their copies
    EXPECT_EQ(heap_target.header(), header);
  }
}

TEST(TraceStateStorageTest, SpanContextTakesTraceStateByCopyOrByMove) {
  const TraceId tid = TraceId::from_u64(1, 2);
  const SpanId sid = SpanId::from_u64(3);
  for (std::size_t length : {std::size_t{9}, std::size_t{200}}) {
    const std::string header = header_of_length(length);
    const TraceState ts = TraceState::parse(header);
    const SpanContext by_copy(tid, sid, TraceFlags(1), true, ts);
    EXPECT_EQ(by_copy.trace_state(), ts);
    EXPECT_EQ(ts.header(), header);
    TraceState movable = ts;
    const SpanContext by_move(tid, sid, TraceFlags(1), true, std::move(movable));
    EXPECT_EQ(by_move.trace_state(), ts);
    EXPECT_TRUE(movable.empty());  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(by_copy, by_move);
    const SpanContext without(tid, sid, TraceFlags(1), true);
    EXPECT_TRUE(without.trace_state().empty());
  }
}

}  // namespace
}  // namespace hoptrace
