#include "hoptrace/core/propagation/jaeger.h"

#include <optional>
#include <string>

#include "hoptrace/core/detail/hex.h"
#include "hoptrace/core/propagation/stats.h"
#include "propagation/text_util.h"

namespace hoptrace {
namespace {

using propagation_detail::first_value;
using propagation_detail::is_hex;
using propagation_detail::next_token;
using propagation_detail::percent_decode;
using propagation_detail::trim_ows;

constexpr auto kFormat = PropagationFormat::kJaeger;

void reject(RejectReason reason, std::string_view field, std::string_view value) noexcept {
  detail::report_rejection(kFormat, reason, field, value);
}

bool extract_span_context(std::string_view raw, SpanContext& out) noexcept {
  constexpr auto kField = JaegerPropagator::kTraceHeader;
  const std::string_view value = trim_ows(raw);
  if (value.size() > JaegerPropagator::kMaxHeaderLength) {
    reject(RejectReason::kOversized, kField, value);
    return false;
  }
  char buf[JaegerPropagator::kMaxHeaderLength];
  const auto decoded_size = percent_decode(value, buf, sizeof(buf));
  if (!decoded_size) {
    reject(RejectReason::kMalformed, kField, value);
    return false;
  }
  std::string_view rest(buf, *decoded_size);
  bool has_span = false;
  bool has_parent = false;
  bool has_flags = false;
  const std::string_view trace_hex = next_token(rest, ':', &has_span);
  const std::string_view span_hex = next_token(rest, ':', &has_parent);
  const std::string_view parent_hex = next_token(rest, ':', &has_flags);
  const std::string_view flags_hex = rest;
  if (!has_span || !has_parent || !has_flags) {
    reject(RejectReason::kMalformed, kField, value);
    return false;
  }

  const auto trace_id = TraceId::from_hex_padded(trace_hex);
  const auto span_id = SpanId::from_hex_padded(span_hex);
  const bool parent_ok = !parent_hex.empty() && parent_hex.size() <= 16 && is_hex(parent_hex);
  const bool flags_ok = !flags_hex.empty() && flags_hex.size() <= 2 && is_hex(flags_hex);
  if (!trace_id || !span_id || !parent_ok || !flags_ok) {
    reject(RejectReason::kMalformed, kField, value);
    return false;
  }
  if (!trace_id->is_valid() || !span_id->is_valid()) {
    reject(RejectReason::kInvalidId, kField, value);
    return false;
  }
  int flags = 0;
  for (char c : flags_hex) flags = (flags << 4) | detail::hex_value(c, true);
  // Jaeger's debug bit is only ever sent with sampled; treat it as a request to sample.
  const bool sampled = (flags & 0x03) != 0;
  out = SpanContext(*trace_id, *span_id, TraceFlags(sampled ? TraceFlags::kSampled : 0),
                    /*is_remote=*/true);
  return true;
}

// RFC 7230 tchar: what a W3C baggage key may contain.
constexpr bool is_tchar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

void extract_baggage(const CarrierReader& carrier, Baggage& baggage) noexcept {
  constexpr auto kPrefix = JaegerPropagator::kBaggagePrefix;
  // Only touch the baggage (and allocate) when the message has uberctx- fields at all.
  bool any = false;
  carrier.for_each_key([&](std::string_view key) {
    any = detail::starts_with_ignore_case(key, kPrefix);
    return !any;
  });
  if (!any) return;
  try {
    Baggage merged = baggage;
    std::string decoded;
    // Each accepted field copies the baggage once (Baggage is immutable), so the number of
    // fields and bytes read is capped like a W3C baggage header: hostile input stays linear.
    std::size_t accepted = 0;
    std::size_t accepted_bytes = 0;
    carrier.for_each_key([&](std::string_view field) {
      if (!detail::starts_with_ignore_case(field, kPrefix)) return true;
      const std::string_view key = field.substr(kPrefix.size());
      const auto raw = carrier.get(field);
      if (!raw) return true;
      const std::size_t bytes = key.size() + raw->size();
      if (!is_token(key) || bytes > Baggage::kMaxMemberBytes || accepted >= Baggage::kMaxMembers ||
          accepted_bytes + bytes > Baggage::kMaxTotalBytes ||
          (merged.size() >= Baggage::kMaxMembers && !merged.get(key))) {
        reject(RejectReason::kDroppedMember, field, *raw);
        return true;
      }
      decoded.resize(raw->size());
      const auto n = percent_decode(*raw, decoded.data(), decoded.size());
      if (!n) {
        reject(RejectReason::kDroppedMember, field, *raw);
        return true;
      }
      merged = merged.with(key, std::string_view(decoded.data(), *n));
      ++accepted;
      accepted_bytes += bytes;
      return true;
    });
    baggage = std::move(merged);
  } catch (...) {  // out of memory: keep the baggage we had
    reject(RejectReason::kDroppedMember, kPrefix, {});
  }
}

// Characters sent raw in a baggage value: printable ASCII except space, `%` (the escape) and
// `"`/`\` (which some header parsers treat specially).
constexpr char kUpperHex[] = "0123456789ABCDEF";

constexpr bool is_raw_value_char(char c) noexcept {
  return c > 0x20 && c < 0x7f && c != '%' && c != '"' && c != '\\';
}

void inject_baggage(const Baggage& baggage, CarrierWriter& carrier) noexcept {
  if (baggage.empty()) return;
  try {
    thread_local std::string key_buf;
    thread_local std::string value_buf;
    baggage.for_each([&](const BaggageEntry& entry) {
      key_buf.assign(JaegerPropagator::kBaggagePrefix);
      for (char c : entry.key) key_buf.push_back(detail::ascii_lower(c));
      value_buf.clear();
      for (char c : entry.value) {
        if (is_raw_value_char(c)) {
          value_buf.push_back(c);
        } else {
          const auto b = static_cast<unsigned char>(c);
          value_buf.push_back('%');
          value_buf.push_back(kUpperHex[b >> 4]);
          value_buf.push_back(kUpperHex[b & 0x0f]);
        }
      }
      if (!carrier.set(key_buf, value_buf)) {
        reject(RejectReason::kInjectFailed, key_buf, {});
      }
      return true;
    });
  } catch (...) {
    reject(RejectReason::kInjectFailed, JaegerPropagator::kBaggagePrefix, {});
  }
}

}  // namespace

void JaegerPropagator::inject(const Context& context, CarrierWriter& carrier) const noexcept {
  const SpanContext& sc = context.span_context;
  if (sc.is_valid()) {
    // {32 hex}:{16 hex}:0:{2 hex}
    char buf[TraceId::kHexLength + 1 + SpanId::kHexLength + 3 + 2];
    char* p = buf;
    sc.trace_id().to_hex(p);
    p += TraceId::kHexLength;
    *p++ = ':';
    sc.span_id().to_hex(p);
    p += SpanId::kHexLength;
    *p++ = ':';
    *p++ = '0';
    *p++ = ':';
    *p++ = '0';
    *p++ = sc.is_sampled() ? '1' : '0';
    if (!carrier.set(kTraceHeader, std::string_view(buf, sizeof(buf)))) {
      reject(RejectReason::kInjectFailed, kTraceHeader, {});
    }
  }
  inject_baggage(context.baggage, carrier);
}

void JaegerPropagator::extract(const CarrierReader& carrier, Context& context) const noexcept {
  if (const auto raw = first_value(carrier, kTraceHeader)) {
    SpanContext found;
    if (extract_span_context(*raw, found)) context.span_context = found;
  }
  extract_baggage(carrier, context.baggage);
}

void JaegerPropagator::fields(FieldSet& out) const {
  out.add_key(kTraceHeader);
  out.add_prefix(kBaggagePrefix);
}

}  // namespace hoptrace
