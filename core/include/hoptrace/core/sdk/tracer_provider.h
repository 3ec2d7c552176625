#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "hoptrace/core/id_generator.h"
#include "hoptrace/core/sdk/resource.h"
#include "hoptrace/core/sdk/sampler.h"
#include "hoptrace/core/sdk/span_limits.h"
#include "hoptrace/core/sdk/span_processor.h"
#include "hoptrace/core/tracer_provider.h"

namespace hoptrace::sdk {

namespace detail {
struct ProviderState;
}  // namespace detail

/// How a TracerProvider is built.
struct TracerProviderOptions {
  /// Attached to every span (by pointer; it lives as long as the provider's tracers).
  Resource resource;
  /// Null means ParentBased{root=AlwaysOn}.
  std::shared_ptr<Sampler> sampler;
  /// When true (the default), the sampler is wrapped in a LinkAwareSampler: a span is also
  /// sampled when any link given at start points at a sampled context, so a batch consumer
  /// span is kept whenever one of its producers' traces was. Set false for strict OTel
  /// behaviour (only the sampler decides).
  bool link_aware_sampling = true;
  /// Null means default_id_generator().
  std::shared_ptr<IdGenerator> id_generator;
  SpanLimits limits;
  /// True: nothing is recorded; spans carry their parent's context unchanged (or an invalid one
  /// for roots), so propagation still works.
  bool disabled = false;

  /// Resource (Resource::from_environment), sampler (sampler_from_environment), limits
  /// (SpanLimits::from_environment) and `OTEL_SDK_DISABLED` (only a case-insensitive `true`
  /// disables). Problems are warned about on stderr, never thrown.
  static TracerProviderOptions from_environment();
};

/// Counters of one provider since it was created.
struct TracerProviderStats {
  /// Sum over the provider's processors.
  ProcessorStats processors;
  std::uint64_t spans_started = 0;   ///< every start_span call, recorded or not
  std::uint64_t spans_recorded = 0;  ///< RECORD_ONLY + RECORD_AND_SAMPLE
  std::uint64_t spans_sampled = 0;   ///< RECORD_AND_SAMPLE
  /// Process-wide scope_misuse_count().
  std::uint64_t scope_misuse = 0;
};

/// The built-in SDK: owns the resource, sampler, id generator, limits and an ordered list of
/// processors, and hands out Tracers that record spans into them.
///
/// Processors see each span in the order they were added. With several processors every one
/// but the last receives a copy of the finished SpanData (one allocation per extra processor);
/// with one, the original is moved to it (and can be recycled, see SpanDataPool).
///
/// Lifetime: tracers keep the provider's internals alive, but spans must end before the last
/// tracer and the provider are gone. After shutdown, new spans are not recorded (they still
/// carry context). Thread-safe, except that options are fixed at construction.
class TracerProvider final : public hoptrace::TracerProvider {
 public:
  /// How long the destructor waits for processors to flush.
  static constexpr std::chrono::seconds kDestructorTimeout{5};

  explicit TracerProvider(TracerProviderOptions options = {});
  /// Calls shutdown with kDestructorTimeout.
  ~TracerProvider() override;
  TracerProvider(const TracerProvider&) = delete;
  TracerProvider& operator=(const TracerProvider&) = delete;

  /// Appends a processor (null is ignored). Meant for set-up, but safe at any time: spans
  /// already started keep the list they started with.
  void add_processor(std::unique_ptr<SpanProcessor> processor);

  /// One tracer per (name, version), created on first use. After shutdown the tracer records
  /// nothing.
  std::shared_ptr<Tracer> get_tracer(std::string_view name, std::string_view version = {}) override;

  /// Calls every processor's force_flush; true when all finished before `deadline`.
  bool force_flush(Deadline deadline) noexcept;
  /// Flushes and stops every processor once; later calls return the first result.
  bool shutdown(Deadline deadline) noexcept;

  const Resource& resource() const noexcept;
  /// The effective sampler (including the LinkAware wrapper when enabled).
  const Sampler& sampler() const noexcept;
  const SpanLimits& limits() const noexcept;
  TracerProviderStats stats() const noexcept;

 private:
  std::shared_ptr<detail::ProviderState> state_;
};

}  // namespace hoptrace::sdk
