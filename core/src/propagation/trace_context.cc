#include "hoptrace/core/propagation/trace_context.h"

#include <array>
#include <optional>
#include <string>

#include "hex_codec.h"
#include "hoptrace/core/propagation/stats.h"
#include "propagation/text_util.h"

namespace hoptrace {
namespace {

// Field offsets in `vv-<trace-id>-<parent-id>-ff`.
constexpr std::size_t kTraceIdOffset = 3;
constexpr std::size_t kSpanIdOffset = kTraceIdOffset + TraceId::kHexLength + 1;  // 36
constexpr std::size_t kFlagsOffset = kSpanIdOffset + SpanId::kHexLength + 1;     // 53
constexpr std::size_t kLength = TraceContextPropagator::kTraceParentLength;
static_assert(kFlagsOffset + 2 == kLength, "traceparent layout");
// No version defines a traceparent anywhere near this long; longer values are not read, so a
// hostile 10 MB header costs nothing (not even trimming).
constexpr std::size_t kMaxTraceParentLength = 1024;

void reject(RejectReason reason, std::string_view field, std::string_view value) noexcept {
  detail::report_rejection(PropagationFormat::kTraceContext, reason, field, value);
}

using propagation_detail::is_ows;
using propagation_detail::trim_ows;


struct ParsedTraceParent {
  TraceId trace_id;
  SpanId span_id;
  TraceFlags flags;
};

// Parses a trimmed traceparent per Level 2. Returns kCount_ on success, else the reason.
RejectReason parse_traceparent(std::string_view v, ParsedTraceParent& out) noexcept {
  if (v.size() < kLength) return RejectReason::kMalformed;
  std::uint8_t version = 0;
  if (!detail::hex_scalar::decode(v.data(), &version, 1)) return RejectReason::kMalformed;
  if (version == 0xff) return RejectReason::kUnsupportedVersion;
  // Version 00 has exactly four fields. A later version may append fields after a `-`; we read
  // the four we know and never interpret the rest.
  if (version == 0 ? v.size() != kLength : (v.size() > kLength && v[kLength] != '-')) {
    return RejectReason::kMalformed;
  }
  if (v[2] != '-' || v[kSpanIdOffset - 1] != '-' || v[kFlagsOffset - 1] != '-') {
    return RejectReason::kMalformed;
  }
  // Each step stops at its first wrong digit: a rejected header costs no more than it must.
  std::array<std::uint8_t, TraceId::kSize> tid;
  std::array<std::uint8_t, SpanId::kSize> sid;
  std::uint8_t flags = 0;
  if (!detail::decode_lower_hex16(v.data() + kTraceIdOffset, tid.data()) ||
      !detail::decode_lower_hex8(v.data() + kSpanIdOffset, sid.data()) ||
      !detail::hex_scalar::decode(v.data() + kFlagsOffset, &flags, 1)) {
    return RejectReason::kMalformed;
  }
  out.trace_id = TraceId(tid);
  out.span_id = SpanId(sid);
  if (!out.trace_id.is_valid() || !out.span_id.is_valid()) return RejectReason::kInvalidId;
  out.flags = TraceFlags(flags);
  return RejectReason::kCount_;
}

// The joined tracestate lines of an HTTP-style carrier. One line (the common case) is used in
// place; several are joined into a per-thread buffer that keeps its capacity across calls.
// `oversized` is set, and nothing joined, when the result would be too long to be read anyway.
std::optional<std::string_view> joined_tracestate(const CarrierReader& carrier,
                                                  bool& oversized) noexcept {
  std::optional<std::string_view> first;
  std::size_t lines = 0;
  std::size_t total = 0;
  carrier.for_each_value(TraceContextPropagator::kTraceState, [&](std::string_view line) {
    if (lines++ == 0) first = line;
    total += line.size();
    return total <= TraceState::kMaxHeaderLength;
  });
  if (lines <= 1 || !first) return first;
  total += lines - 1;
  if (total > TraceState::kMaxHeaderLength) {
    oversized = true;
    return std::nullopt;
  }
  thread_local std::string buffer;
  try {
    buffer.clear();
    buffer.reserve(total);
  } catch (...) {
    return std::nullopt;
  }
  std::size_t index = 0;
  carrier.for_each_value(TraceContextPropagator::kTraceState, [&](std::string_view line) {
    // Stays within the reserved capacity, so nothing here allocates or throws.
    if (buffer.size() + (index > 0 ? 1 : 0) + line.size() > total) return false;
    if (index++ > 0) buffer.push_back(',');
    buffer.append(line.data(), line.size());
    return true;
  });
  return std::string_view(buffer);
}

// The tracestate that goes with a valid traceparent; empty (and counted) when it is invalid.
// Returned by value so the parsed state is built in place.
TraceState extract_trace_state(const CarrierReader& carrier, bool http) noexcept {
  bool oversized = false;
  const std::optional<std::string_view> raw_state =
      http ? joined_tracestate(carrier, oversized)
           : carrier.get(TraceContextPropagator::kTraceState);
  if (oversized) {
    reject(RejectReason::kOversized, TraceContextPropagator::kTraceState, {});
    return TraceState();
  }
  if (!raw_state) return TraceState();
  TraceStateError error = TraceStateError::kNone;
  TraceState trace_state = TraceState::parse(*raw_state, &error);
  if (error == TraceStateError::kTooLong) {
    reject(RejectReason::kOversized, TraceContextPropagator::kTraceState, *raw_state);
  } else if (error != TraceStateError::kNone) {
    reject(RejectReason::kInvalidTraceState, TraceContextPropagator::kTraceState, *raw_state);
  }
  return trace_state;
}

}  // namespace

void TraceContextPropagator::inject(const Context& context, CarrierWriter& carrier) const noexcept {
  const SpanContext& span_context = context.span_context;
  if (!span_context.is_valid()) return;
  char buf[kLength];
  buf[0] = '0';
  buf[1] = '0';
  buf[2] = '-';
  detail::encode_lower_hex16(span_context.trace_id().bytes().data(), buf + kTraceIdOffset);
  buf[kSpanIdOffset - 1] = '-';
  detail::encode_lower_hex8(span_context.span_id().bytes().data(), buf + kSpanIdOffset);
  buf[kFlagsOffset - 1] = '-';
  const std::uint8_t flags = span_context.trace_flags().for_wire().bits();
  detail::hex_scalar::encode(&flags, 1, buf + kFlagsOffset);
  const std::string_view traceparent(buf, kLength);
  const TraceState& trace_state = span_context.trace_state();
  if (trace_state.empty()) {
    // A tracestate left over from a forwarded message would pair with the wrong traceparent;
    // one carrier call writes the one and clears the other.
    static constexpr std::string_view kStale[] = {kTraceState};
    if (!carrier.set_and_remove(kTraceParent, traceparent, kStale)) {
      reject(RejectReason::kInjectFailed, kTraceParent, traceparent);
    }
    return;
  }
  if (!carrier.set(kTraceParent, traceparent)) {
    reject(RejectReason::kInjectFailed, kTraceParent, traceparent);
  }
  if (!carrier.set(kTraceState, trace_state.header())) {
    reject(RejectReason::kInjectFailed, kTraceState, trace_state.header());
  }
}

void TraceContextPropagator::extract(const CarrierReader& carrier,
                                     Context& context) const noexcept {
  const bool http = carrier.repeated_keys() == RepeatedKeys::kHttpFieldLines;
  std::optional<std::string_view> raw;
  if (http) {
    std::size_t count = 0;
    carrier.for_each_value(kTraceParent, [&](std::string_view value) {
      if (count++ == 0) raw = value;
      return count < 2;
    });
    if (count > 1) {
      reject(RejectReason::kDuplicate, kTraceParent, *raw);
      return;
    }
  } else {
    raw = carrier.get(kTraceParent);
  }
  if (!raw) return;
  if (raw->size() > kMaxTraceParentLength) {
    reject(RejectReason::kOversized, kTraceParent, *raw);
    return;
  }
  ParsedTraceParent parsed;
  const RejectReason reason = parse_traceparent(trim_ows(*raw), parsed);
  if (reason != RejectReason::kCount_) {
    reject(reason, kTraceParent, *raw);
    return;
  }

  context.span_context = SpanContext(parsed.trace_id, parsed.span_id, parsed.flags,
                                     /*is_remote=*/true, extract_trace_state(carrier, http));
}

void TraceContextPropagator::fields(FieldSet& out) const {
  out.add_key(kTraceParent);
  out.add_key(kTraceState);
}

}  // namespace hoptrace
