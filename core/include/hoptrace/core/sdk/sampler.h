#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/attribute.h"
#include "hoptrace/core/ids.h"
#include "hoptrace/core/span.h"
#include "hoptrace/core/span_context.h"
#include "hoptrace/core/trace_state.h"

namespace hoptrace::sdk {

/// What happens to a span about to start.
enum class SamplingDecision : std::uint8_t {
  kDrop,             ///< not recorded, sampled flag clear: costs nothing
  kRecordOnly,       ///< recorded and given to processors, sampled flag clear (OTel: exporting
                     ///< processors should skip such spans; on_start/on_end still see them)
  kRecordAndSample,  ///< recorded, sampled flag set
};

/// A sampler's answer. `trace_state`, when set, replaces the trace state the span would
/// otherwise carry (inherited from the parent or given in SpanStartOptions).
struct SamplingResult {
  SamplingDecision decision = SamplingDecision::kDrop;
  std::optional<TraceState> trace_state;

  bool is_recording() const noexcept { return decision != SamplingDecision::kDrop; }
  bool is_sampled() const noexcept { return decision == SamplingDecision::kRecordAndSample; }
};

/// Decides whether a span is recorded and sampled. Called once per span start, from any number
/// of threads at once: implementations must be thread-safe, must not block, and should not
/// allocate.
class Sampler {
 public:
  virtual ~Sampler() = default;
  /// `parent` is the resolved parent (invalid for a new trace); `trace_id` the id the span will
  /// carry; `attributes` and `links` are those given at span start, borrowed for the call.
  virtual SamplingResult should_sample(const SpanContext& parent, const TraceId& trace_id,
                                       std::string_view name, SpanKind kind,
                                       ArrayView<Attribute> attributes,
                                       ArrayView<Link> links) noexcept = 0;
  /// A human-readable name with parameters, e.g. `TraceIdRatioBased{0.25}`.
  virtual std::string description() const = 0;
  /// The decision should_sample() returns for every input, when it never depends on the input
  /// and never sets a trace state; nullopt otherwise (the default). The SDK reads it once, when
  /// a TracerProvider is built, and then answers such spans (and ParentBased/LinkAware
  /// compositions of such samplers) from a table without calling should_sample(). Override it
  /// only when that is exactly true.
  virtual std::optional<SamplingDecision> constant_decision() const noexcept {
    return std::nullopt;
  }
};

/// The sampler configured by `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`.
///
/// Names (case-insensitive): `always_on`, `always_off`, `traceidratio`,
/// `parentbased_always_on` (the default when unset or empty), `parentbased_always_off`,
/// `parentbased_traceidratio`. An unknown name prints one warning on stderr and gives the
/// default. The argument is a ratio in [0, 1] (default 1.0) read only by the ratio samplers; a
/// value that does not parse or is out of range prints one warning and is ignored.
/// Reads the environment on each call (set-up only; not thread-safe against setenv).
std::shared_ptr<Sampler> sampler_from_environment();

}  // namespace hoptrace::sdk
