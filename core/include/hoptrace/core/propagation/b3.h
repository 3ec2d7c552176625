#pragma once

#include <cstddef>
#include <string_view>

#include "hoptrace/core/propagator.h"

namespace hoptrace {

/// Zipkin B3 propagation (openzipkin/b3-propagation, OTel `b3` / `b3multi`).
///
/// Extract reads the single `b3` header first and falls back to the multi headers
/// (`x-b3-traceid`, `x-b3-spanid`, `x-b3-sampled`, `x-b3-flags`) when it is absent or invalid.
/// When a header repeats, the first value wins. 64-bit trace ids are left-padded to 128 bits;
/// hex digits of either case are accepted. Debug (`d` or `x-b3-flags: 1`) is read as sampled
/// (the SpanContext has no debug bit, so it is re-sent as plain sampled). `b3: 0` (or `1`/`d`)
/// alone carries no ids and extracts nothing. `x-b3-sampled` accepts `1`/`0` and, leniently,
/// `true`/`false` (any case); any other value is counted as malformed and read as "defer".
/// `x-b3-parentspanid` is validated in the single form, ignored in the multi form, and never
/// injected.
///
/// Inject writes lowercase keys, only for a valid span context: single mode
/// `b3: {32hex}-{16hex}-{1|0}`; multi mode `x-b3-traceid` (32 hex), `x-b3-spanid`,
/// `x-b3-sampled` (`1`/`0`). Nothing is allocated on either path.
///
/// Rejections are counted under PropagationFormat::kB3 (single header) or kB3Multi.
/// Immutable; safe to share between threads.
class B3Propagator final : public TextMapPropagator {
 public:
  /// Which headers inject writes (extract always reads both).
  enum class InjectMode {
    kSingleHeader,  ///< `b3` (OTEL_PROPAGATORS name `b3`; the default)
    kMultiHeader,   ///< `x-b3-*` (OTEL_PROPAGATORS name `b3multi`)
  };

  /// The single-header header name.
  static constexpr std::string_view kSingleHeader = "b3";
  /// The multi-header names, lowercase as injected (carriers match them per their own rules).
  static constexpr std::string_view kTraceIdHeader = "x-b3-traceid";
  static constexpr std::string_view kSpanIdHeader = "x-b3-spanid";
  static constexpr std::string_view kParentSpanIdHeader = "x-b3-parentspanid";
  static constexpr std::string_view kSampledHeader = "x-b3-sampled";
  static constexpr std::string_view kFlagsHeader = "x-b3-flags";
  /// Longest single header we parse (`{32}-{16}-{1}-{16}` = 68); longer values are rejected
  /// unread as kOversized.
  static constexpr std::size_t kMaxSingleHeaderLength = 68;

  /// A propagator that injects in `mode` (extract always reads both forms).
  explicit B3Propagator(InjectMode mode = InjectMode::kSingleHeader) noexcept : mode_(mode) {}

  /// Writes the span context in the configured mode; an invalid span context writes nothing.
  void inject(const Context& context, CarrierWriter& carrier) const noexcept override;
  /// Replaces context.span_context with a remote one when a valid B3 context is found.
  void extract(const CarrierReader& carrier, Context& context) const noexcept override;
  /// All B3 header names (single and multi, including x-b3-parentspanid), in both modes.
  void fields(FieldSet& out) const override;
  /// `b3` or `b3multi`, after the inject mode.
  std::string_view name() const noexcept override;

  /// The mode given at construction.
  InjectMode inject_mode() const noexcept { return mode_; }

 private:
  InjectMode mode_;
};

}  // namespace hoptrace
