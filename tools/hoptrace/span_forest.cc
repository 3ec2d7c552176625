#include "span_forest.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace hoptrace::cli {
namespace {

bool id_less(const TraceId& a, const TraceId& b) noexcept {
  return std::memcmp(a.bytes().data(), b.bytes().data(), TraceId::kSize) < 0;
}

bool id_less(const SpanId& a, const SpanId& b) noexcept {
  return std::memcmp(a.bytes().data(), b.bytes().data(), SpanId::kSize) < 0;
}

// Spans without a start time sort after their timed siblings, as traces without one do.
std::uint64_t start_or_last(const SpanRecord& span) noexcept {
  return span.start_ns.value_or(std::numeric_limits<std::uint64_t>::max());
}

}  // namespace

SpanForest::SpanForest(std::vector<SpanRecord> spans) {
  spans_.reserve(spans.size());
  index_.reserve(spans.size());
  for (auto& span : spans) {
    if (index_.emplace(span.key(), spans_.size()).second) {
      spans_.push_back(std::move(span));
    } else {
      ++duplicates_;
    }
  }
  children_.resize(spans_.size());
  root_reasons_.resize(spans_.size(), RootReason::kRoot);
  linked_from_.resize(spans_.size());
  build_trees();
  build_links();
  order_traces();
}

std::optional<std::size_t> SpanForest::find(const SpanKey& key) const {
  const auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool SpanForest::sibling_before(std::size_t a, std::size_t b) const {
  const SpanRecord& x = spans_[a];
  const SpanRecord& y = spans_[b];
  if (start_or_last(x) != start_or_last(y)) return start_or_last(x) < start_or_last(y);
  if (x.name != y.name) return x.name < y.name;
  if (x.trace_id != y.trace_id) return id_less(x.trace_id, y.trace_id);
  return id_less(x.span_id, y.span_id);
}

void SpanForest::build_trees() {
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> parent_of(spans_.size(), kNone);
  std::vector<std::size_t> tops;
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    const SpanRecord& span = spans_[i];
    if (!span.has_parent()) {
      root_reasons_[i] = RootReason::kRoot;
      tops.push_back(i);
      continue;
    }
    const auto parent = find({span.trace_id, span.parent_span_id});
    if (!parent) {
      root_reasons_[i] = RootReason::kOrphan;
      tops.push_back(i);
      continue;
    }
    parent_of[i] = *parent;
    children_[*parent].push_back(i);
  }

  // Whatever the roots cannot reach hangs in a parent loop (a span that is its own parent, or
  // A under B under A). Cut each loop at its earliest span so every span is drawn exactly once.
  std::vector<bool> reached(spans_.size(), false);
  std::vector<std::size_t> stack;
  auto reach_from = [&](std::size_t top) {
    stack.push_back(top);
    while (!stack.empty()) {
      const std::size_t i = stack.back();
      stack.pop_back();
      if (reached[i]) continue;
      reached[i] = true;
      for (std::size_t child : children_[i]) stack.push_back(child);
    }
  };
  for (std::size_t top : tops) reach_from(top);
  std::vector<std::size_t> unreached;
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    if (!reached[i]) unreached.push_back(i);
  }
  std::sort(unreached.begin(), unreached.end(),
            [this](std::size_t a, std::size_t b) { return sibling_before(a, b); });
  for (std::size_t i : unreached) {
    if (reached[i]) continue;
    auto& siblings = children_[parent_of[i]];
    siblings.erase(std::remove(siblings.begin(), siblings.end(), i), siblings.end());
    root_reasons_[i] = RootReason::kCycle;
    tops.push_back(i);
    reach_from(i);
  }

  for (auto& list : children_) {
    std::sort(list.begin(), list.end(),
              [this](std::size_t a, std::size_t b) { return sibling_before(a, b); });
  }
  std::sort(tops.begin(), tops.end(),
            [this](std::size_t a, std::size_t b) { return sibling_before(a, b); });

  std::unordered_map<SpanKey, std::size_t, SpanKeyHash> trace_index;
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    const SpanRecord& span = spans_[i];
    const auto found = trace_index.emplace(SpanKey{span.trace_id, SpanId()}, traces_.size());
    if (found.second) {
      traces_.emplace_back();
      traces_.back().trace_id = span.trace_id;
    }
    Trace& trace = traces_[found.first->second];
    ++trace.span_count;
    if (span.start_ns && (!trace.start_ns || *span.start_ns < *trace.start_ns)) {
      trace.start_ns = span.start_ns;
    }
    if (span.end_ns && (!trace.end_ns || *span.end_ns > *trace.end_ns)) {
      trace.end_ns = span.end_ns;
    }
  }
  for (std::size_t top : tops) {
    traces_[trace_index.at(SpanKey{spans_[top].trace_id, SpanId()})].roots.push_back(top);
  }
}

void SpanForest::build_links() {
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    for (const SpanKey& link : spans_[i].links) {
      if (const auto target = find(link)) {
        auto& sources = linked_from_[*target];
        // A span linking twice to the same target is listed once.
        if (sources.empty() || sources.back() != i) sources.push_back(i);
      }
    }
  }
}

void SpanForest::order_traces() {
  std::sort(traces_.begin(), traces_.end(), [](const Trace& a, const Trace& b) {
    // Traces without any start time go last.
    const bool a_known = a.start_ns.has_value();
    const bool b_known = b.start_ns.has_value();
    if (a_known != b_known) return a_known;
    if (a_known && *a.start_ns != *b.start_ns) return *a.start_ns < *b.start_ns;
    return id_less(a.trace_id, b.trace_id);
  });
}

}  // namespace hoptrace::cli
