#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hoptrace/core/ids.h"

namespace hoptrace::cli {

/// Identifies one span across every trace in the input.
struct SpanKey {
  TraceId trace_id;
  SpanId span_id;

  friend bool operator==(const SpanKey& a, const SpanKey& b) noexcept {
    return a.trace_id == b.trace_id && a.span_id == b.span_id;
  }
};

/// Hash for SpanKey: ids are random, so mixing their halves is enough.
struct SpanKeyHash {
  std::size_t operator()(const SpanKey& key) const noexcept {
    return std::hash<std::uint64_t>{}(key.trace_id.low() ^ key.trace_id.high() ^
                                      (key.span_id.to_u64() * 0x9E3779B97F4A7C15ULL));
  }
};

/// One span as read from an OTLP JSON export: only what the waterfall shows.
struct SpanRecord {
  /// OTLP SpanKind values (spec.md §8.2).
  enum class Kind : int {
    kUnspecified = 0,
    kInternal = 1,
    kServer = 2,
    kClient = 3,
    kProducer = 4,
    kConsumer = 5
  };
  /// OTLP Status codes.
  enum class Status : int { kUnset = 0, kOk = 1, kError = 2 };

  TraceId trace_id;
  SpanId span_id;
  /// Invalid (all zero) for a root span.
  SpanId parent_span_id;
  std::string name;
  /// The resource's `service.name`; empty when the resource has none.
  std::string service;
  Kind kind = Kind::kUnspecified;
  /// Unix nanoseconds; nullopt when the export left them out.
  std::optional<std::uint64_t> start_ns;
  std::optional<std::uint64_t> end_ns;
  Status status = Status::kUnset;
  std::string status_message;
  std::vector<SpanKey> links;
  /// Where it was read, `file:line`, for messages about it.
  std::string origin;

  SpanKey key() const noexcept { return {trace_id, span_id}; }
  bool has_parent() const noexcept { return parent_span_id.is_valid(); }
  /// end - start, or nullopt when either is missing or end is before start.
  std::optional<std::uint64_t> duration_ns() const noexcept {
    if (!start_ns || !end_ns || *end_ns < *start_ns) return std::nullopt;
    return *end_ns - *start_ns;
  }
};

}  // namespace hoptrace::cli
