#include "hoptrace/core/propagation/b3.h"

#include <optional>

#include "hoptrace/core/detail/hex.h"
#include "hoptrace/core/propagation/stats.h"
#include "propagation/text_util.h"

namespace hoptrace {
namespace {

using propagation_detail::first_value;
using propagation_detail::is_hex;
using propagation_detail::next_token;
using propagation_detail::trim_ows;

// B3 allows only 64- or 128-bit trace ids; from_hex_padded alone would accept any length.
std::optional<TraceId> parse_trace_id(std::string_view hex) noexcept {
  if (hex.size() != 16 && hex.size() != 32) return std::nullopt;
  return TraceId::from_hex_padded(hex);
}

std::optional<SpanId> parse_span_id(std::string_view hex) noexcept {
  if (hex.size() != 16) return std::nullopt;
  return SpanId::from_hex_padded(hex);
}

void reject(PropagationFormat format, RejectReason reason, std::string_view field,
            std::string_view value) noexcept {
  detail::report_rejection(format, reason, field, value);
}

// The result of reading one form: absent (nothing to say), rejected (counted), or a context.
enum class Outcome { kAbsent, kRejected, kFound };

Outcome extract_single(const CarrierReader& carrier, SpanContext& out) noexcept {
  const auto raw = first_value(carrier, B3Propagator::kSingleHeader);
  if (!raw) return Outcome::kAbsent;
  const std::string_view value = trim_ows(*raw);
  constexpr auto kFormat = PropagationFormat::kB3;
  constexpr auto kField = B3Propagator::kSingleHeader;
  if (value.size() > B3Propagator::kMaxSingleHeaderLength) {
    reject(kFormat, RejectReason::kOversized, kField, value);
    return Outcome::kRejected;
  }
  // A lone sampling state (`0` = deny, `1`, `d`) is valid B3 but carries no ids.
  if (value == "0" || value == "1" || value == "d") return Outcome::kAbsent;

  std::string_view rest = value;
  bool more = false;
  const std::string_view trace_hex = next_token(rest, '-', &more);
  const auto trace_id = parse_trace_id(trace_hex);
  if (!trace_id || !more) {
    reject(kFormat, RejectReason::kMalformed, kField, value);
    return Outcome::kRejected;
  }
  const std::string_view span_hex = next_token(rest, '-', &more);
  const auto span_id = parse_span_id(span_hex);
  if (!span_id) {
    reject(kFormat, RejectReason::kMalformed, kField, value);
    return Outcome::kRejected;
  }
  bool sampled = false;
  if (more) {
    const std::string_view state = next_token(rest, '-', &more);
    if (state == "1" || state == "d") {
      sampled = true;
    } else if (state != "0") {
      reject(kFormat, RejectReason::kMalformed, kField, value);
      return Outcome::kRejected;
    }
    if (more && (rest.size() != 16 || !is_hex(rest))) {  // parent span id: validated, unused
      reject(kFormat, RejectReason::kMalformed, kField, value);
      return Outcome::kRejected;
    }
  }
  if (!trace_id->is_valid() || !span_id->is_valid()) {
    reject(kFormat, RejectReason::kInvalidId, kField, value);
    return Outcome::kRejected;
  }
  out = SpanContext(*trace_id, *span_id, TraceFlags(sampled ? TraceFlags::kSampled : 0),
                    /*is_remote=*/true);
  return Outcome::kFound;
}

bool equals_ci(std::string_view a, std::string_view b) noexcept {
  return detail::equals_ignore_case(a, b);
}

Outcome extract_multi(const CarrierReader& carrier, SpanContext& out) noexcept {
  constexpr auto kFormat = PropagationFormat::kB3Multi;
  const auto trace_raw = first_value(carrier, B3Propagator::kTraceIdHeader);
  const auto span_raw = first_value(carrier, B3Propagator::kSpanIdHeader);
  if (!trace_raw && !span_raw) return Outcome::kAbsent;
  if (!trace_raw || !span_raw) {
    reject(kFormat, RejectReason::kMalformed,
           trace_raw ? B3Propagator::kSpanIdHeader : B3Propagator::kTraceIdHeader, {});
    return Outcome::kRejected;
  }
  const std::string_view trace_hex = trim_ows(*trace_raw);
  const std::string_view span_hex = trim_ows(*span_raw);
  const auto trace_id = parse_trace_id(trace_hex);
  if (!trace_id) {
    reject(kFormat, trace_hex.size() > 32 ? RejectReason::kOversized : RejectReason::kMalformed,
           B3Propagator::kTraceIdHeader, trace_hex);
    return Outcome::kRejected;
  }
  const auto span_id = parse_span_id(span_hex);
  if (!span_id) {
    reject(kFormat, span_hex.size() > 16 ? RejectReason::kOversized : RejectReason::kMalformed,
           B3Propagator::kSpanIdHeader, span_hex);
    return Outcome::kRejected;
  }
  if (!trace_id->is_valid() || !span_id->is_valid()) {
    reject(kFormat, RejectReason::kInvalidId,
           trace_id->is_valid() ? B3Propagator::kSpanIdHeader : B3Propagator::kTraceIdHeader,
           trace_id->is_valid() ? span_hex : trace_hex);
    return Outcome::kRejected;
  }
  bool sampled = false;
  if (const auto flags = first_value(carrier, B3Propagator::kFlagsHeader);
      flags && trim_ows(*flags) == "1") {
    sampled = true;  // debug implies accept
  } else if (const auto raw = first_value(carrier, B3Propagator::kSampledHeader)) {
    const std::string_view s = trim_ows(*raw);
    if (s == "1" || equals_ci(s, "true")) {
      sampled = true;
    } else if (s != "0" && !equals_ci(s, "false")) {
      // Unreadable sampling state: keep the ids and defer the decision, but make it visible.
      reject(kFormat, RejectReason::kMalformed, B3Propagator::kSampledHeader, s);
    }
  }
  out = SpanContext(*trace_id, *span_id, TraceFlags(sampled ? TraceFlags::kSampled : 0),
                    /*is_remote=*/true);
  return Outcome::kFound;
}

void count_inject_failure(PropagationFormat format, std::string_view field) noexcept {
  detail::report_rejection(format, RejectReason::kInjectFailed, field, {});
}

}  // namespace

void B3Propagator::inject(const Context& context, CarrierWriter& carrier) const noexcept {
  const SpanContext& sc = context.span_context;
  if (!sc.is_valid()) return;
  const char sampled = sc.is_sampled() ? '1' : '0';
  if (mode_ == InjectMode::kSingleHeader) {
    char buf[TraceId::kHexLength + 1 + SpanId::kHexLength + 2];
    sc.trace_id().to_hex(buf);
    buf[TraceId::kHexLength] = '-';
    sc.span_id().to_hex(buf + TraceId::kHexLength + 1);
    buf[TraceId::kHexLength + 1 + SpanId::kHexLength] = '-';
    buf[sizeof(buf) - 1] = sampled;
    if (!carrier.set(kSingleHeader, std::string_view(buf, sizeof(buf)))) {
      count_inject_failure(PropagationFormat::kB3, kSingleHeader);
    }
    return;
  }
  char trace_hex[TraceId::kHexLength];
  char span_hex[SpanId::kHexLength];
  sc.trace_id().to_hex(trace_hex);
  sc.span_id().to_hex(span_hex);
  // Every field is attempted even after a failure, and each refusal is counted.
  if (!carrier.set(kTraceIdHeader, std::string_view(trace_hex, sizeof(trace_hex)))) {
    count_inject_failure(PropagationFormat::kB3Multi, kTraceIdHeader);
  }
  if (!carrier.set(kSpanIdHeader, std::string_view(span_hex, sizeof(span_hex)))) {
    count_inject_failure(PropagationFormat::kB3Multi, kSpanIdHeader);
  }
  if (!carrier.set(kSampledHeader, std::string_view(&sampled, 1))) {
    count_inject_failure(PropagationFormat::kB3Multi, kSampledHeader);
  }
}

void B3Propagator::extract(const CarrierReader& carrier, Context& context) const noexcept {
  SpanContext found;
  if (extract_single(carrier, found) == Outcome::kFound ||
      extract_multi(carrier, found) == Outcome::kFound) {
    context.span_context = found;
  }
}

void B3Propagator::fields(FieldSet& out) const {
  out.add_key(kSingleHeader);
  out.add_key(kTraceIdHeader);
  out.add_key(kSpanIdHeader);
  out.add_key(kParentSpanIdHeader);
  out.add_key(kSampledHeader);
  out.add_key(kFlagsHeader);
}

std::string_view B3Propagator::name() const noexcept {
  return mode_ == InjectMode::kSingleHeader ? "b3" : "b3multi";
}

}  // namespace hoptrace
