#include "hoptrace/core/propagation/xray.h"

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
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
using propagation_detail::trim_ows;

constexpr auto kFormat = PropagationFormat::kXRay;
constexpr std::string_view kRootPrefix = "Root=1-";
constexpr std::string_view kParentPrefix = ";Parent=";
constexpr std::string_view kSampledPrefix = ";Sampled=";
constexpr std::size_t kEpochDigits = 8;
constexpr std::size_t kRandomDigits = 24;
// Unknown pairs remembered per header; beyond that they are dropped (and counted).
constexpr std::size_t kMaxPassthroughPairs = 32;

// `1-{1..8 hex}-{24 hex}`: the epoch part may have lost its leading zeros.
std::optional<TraceId> parse_root(std::string_view root) noexcept {
  if (root.size() < 2 || root[0] != '1' || root[1] != '-') return std::nullopt;
  std::string_view rest = root.substr(2);
  bool more = false;
  const std::string_view epoch = next_token(rest, '-', &more);
  if (!more || epoch.empty() || epoch.size() > kEpochDigits || rest.size() != kRandomDigits ||
      !is_hex(epoch) || !is_hex(rest)) {
    return std::nullopt;
  }
  char buf[kEpochDigits + kRandomDigits];
  const std::size_t pad = kEpochDigits - epoch.size();
  std::memset(buf, '0', pad);
  std::memcpy(buf + pad, epoch.data(), epoch.size());
  std::memcpy(buf + kEpochDigits, rest.data(), rest.size());
  return TraceId::from_hex_padded(std::string_view(buf, sizeof(buf)));
}

// Header values go back on the wire verbatim: refuse anything a header may not carry.
bool is_header_safe(std::string_view s) noexcept {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && c != '\t') || b >= 0x7f) return false;
  }
  return true;
}

}  // namespace

bool XRayPropagator::extract_value(std::string_view raw, std::string_view field,
                                   Context& context) noexcept {
  const std::string_view value = trim_ows(raw);
  const auto reject = [&](RejectReason reason) {
    detail::report_rejection(kFormat, reason, field, value);
    return false;
  };
  if (value.size() > kMaxHeaderLength) return reject(RejectReason::kOversized);
  if (!is_header_safe(value)) return reject(RejectReason::kMalformed);

  std::optional<TraceId> trace_id;
  std::optional<SpanId> span_id;
  bool sampled = false;
  bool seen_sampled = false;
  std::array<std::string_view, kMaxPassthroughPairs> unknown;
  std::size_t unknown_count = 0;
  std::size_t unknown_dropped = 0;

  std::string_view rest = value;
  while (!rest.empty()) {
    const std::string_view part = trim_ows(next_token(rest, ';'));
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;  // empty or not a pair: nothing to keep
    const std::string_view key = trim_ows(part.substr(0, eq));
    const std::string_view val = trim_ows(part.substr(eq + 1));
    if (detail::equals_ignore_case(key, "Root")) {
      if (trace_id) return reject(RejectReason::kDuplicate);
      trace_id = parse_root(val);
      if (!trace_id) return reject(RejectReason::kMalformed);
    } else if (detail::equals_ignore_case(key, "Parent")) {
      if (span_id) return reject(RejectReason::kDuplicate);
      if (val.size() != SpanId::kHexLength) return reject(RejectReason::kMalformed);
      span_id = SpanId::from_hex_padded(val);
      if (!span_id) return reject(RejectReason::kMalformed);
    } else if (detail::equals_ignore_case(key, "Sampled")) {
      if (seen_sampled) return reject(RejectReason::kDuplicate);
      seen_sampled = true;
      if (val == "1") {
        sampled = true;
      } else if (val != "0") {
        return reject(RejectReason::kMalformed);
      }
    } else if (unknown_count < unknown.size()) {
      unknown[unknown_count++] = part;
    } else {
      ++unknown_dropped;
    }
  }
  if (!trace_id || !span_id) return reject(RejectReason::kMalformed);
  if (!trace_id->is_valid() || !span_id->is_valid()) return reject(RejectReason::kInvalidId);

  std::shared_ptr<const std::string> passthrough;
  if (unknown_count > 0) {
    try {
      std::string joined;
      for (std::size_t i = 0; i < unknown_count; ++i) {
        const std::size_t extra = unknown[i].size() + (joined.empty() ? 0 : 1);
        if (joined.size() + extra > kMaxPassthroughLength) {
          ++unknown_dropped;
          continue;
        }
        if (!joined.empty()) joined.push_back(';');
        joined.append(unknown[i]);
      }
      passthrough = std::make_shared<const std::string>(std::move(joined));
    } catch (...) {  // out of memory: the ids still propagate, the extra pairs do not
      unknown_dropped += unknown_count;
    }
  }
  for (std::size_t i = 0; i < unknown_dropped; ++i) {
    detail::report_rejection(kFormat, RejectReason::kDroppedMember, field, value);
  }
  context.span_context =
      SpanContext(*trace_id, *span_id, TraceFlags(sampled ? TraceFlags::kSampled : 0),
                  /*is_remote=*/true);
  context.xray_passthrough = std::move(passthrough);
  return true;
}

void XRayPropagator::inject(const Context& context, CarrierWriter& carrier) const noexcept {
  const SpanContext& sc = context.span_context;
  if (!sc.is_valid()) return;
  char buf[kRootPrefix.size() + kEpochDigits + 1 + kRandomDigits + kParentPrefix.size() +
           SpanId::kHexLength + kSampledPrefix.size() + 1 + 1 + kMaxPassthroughLength];
  char* p = buf;
  const auto put = [&p](std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  char trace_hex[TraceId::kHexLength];
  sc.trace_id().to_hex(trace_hex);
  put(kRootPrefix);
  put(std::string_view(trace_hex, kEpochDigits));
  put("-");
  put(std::string_view(trace_hex + kEpochDigits, kRandomDigits));
  put(kParentPrefix);
  sc.span_id().to_hex(p);
  p += SpanId::kHexLength;
  put(kSampledPrefix);
  put(sc.is_sampled() ? "1" : "0");
  // A passthrough set by hand that does not fit (or could break the header) is left out.
  if (const auto& extra = context.xray_passthrough; extra && !extra->empty() &&
                                                    extra->size() <= kMaxPassthroughLength &&
                                                    is_header_safe(*extra)) {
    put(";");
    put(*extra);
  }
  if (!carrier.set(kHeader, std::string_view(buf, static_cast<std::size_t>(p - buf)))) {
    detail::report_rejection(kFormat, RejectReason::kInjectFailed, kHeader, {});
  }
}

void XRayPropagator::extract(const CarrierReader& carrier, Context& context) const noexcept {
  if (const auto raw = first_value(carrier, kHeader)) extract_value(*raw, kHeader, context);
}

void XRayPropagator::fields(FieldSet& out) const { out.add_key(kHeader); }

void XRayLambdaPropagator::extract(const CarrierReader& carrier, Context& context) const noexcept {
  xray_.extract(carrier, context);
  if (context.span_context.is_valid()) return;
  // Cold path: only messages that carried no usable context get here.
  const char* env = std::getenv(kEnvironmentVariable);
  if (env != nullptr && *env != '\0') {
    XRayPropagator::extract_value(env, kEnvironmentVariable, context);
  }
}

}  // namespace hoptrace
