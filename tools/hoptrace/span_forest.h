#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "span_record.h"

namespace hoptrace::cli {

/// Spans arranged as one tree (or several, for orphans) per trace, with links resolved across
/// traces. Every order it exposes is deterministic: traces by start time then trace id,
/// siblings by start time, then name, then span id.
class SpanForest {
 public:
  /// Why a span is drawn at the top of its trace.
  enum class RootReason {
    kRoot,    ///< it has no parent
    kOrphan,  ///< its parent is not in the input
    kCycle,   ///< its parent chain loops back to it (broken input); cut here
  };

  /// One trace: its top-level spans and its time range.
  struct Trace {
    TraceId trace_id;
    std::vector<std::size_t> roots;  ///< indices into spans(), in sibling order
    std::size_t span_count = 0;
    std::optional<std::uint64_t> start_ns;  ///< earliest start of its spans
    std::optional<std::uint64_t> end_ns;    ///< latest end of its spans
  };

  /// Takes the spans; a span whose (trace id, span id) was already seen is dropped and counted
  /// in duplicates().
  explicit SpanForest(std::vector<SpanRecord> spans);

  const std::vector<SpanRecord>& spans() const noexcept { return spans_; }
  const std::vector<Trace>& traces() const noexcept { return traces_; }
  /// Children of span `index`, in sibling order.
  const std::vector<std::size_t>& children(std::size_t index) const { return children_.at(index); }
  /// For a span listed in a Trace's roots: why it is there.
  RootReason root_reason(std::size_t index) const { return root_reasons_.at(index); }
  /// Spans whose links point at span `index`, in input order.
  const std::vector<std::size_t>& linked_from(std::size_t index) const {
    return linked_from_.at(index);
  }
  /// The index of the span with `key`, if it was in the input.
  std::optional<std::size_t> find(const SpanKey& key) const;
  std::size_t duplicates() const noexcept { return duplicates_; }

 private:
  bool sibling_before(std::size_t a, std::size_t b) const;
  void build_trees();
  void build_links();
  void order_traces();

  std::vector<SpanRecord> spans_;
  std::unordered_map<SpanKey, std::size_t, SpanKeyHash> index_;
  std::vector<std::vector<std::size_t>> children_;
  std::vector<RootReason> root_reasons_;
  std::vector<std::vector<std::size_t>> linked_from_;
  std::vector<Trace> traces_;
  std::size_t duplicates_ = 0;
};

}  // namespace hoptrace::cli
