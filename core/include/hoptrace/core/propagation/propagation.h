#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/core/carrier.h"
#include "hoptrace/core/context.h"
#include "hoptrace/core/propagation/composite.h"

namespace hoptrace {

/// How a Propagation is put together.
struct PropagationOptions {
  /// OTEL_PROPAGATORS names, in composite order: `tracecontext`, `baggage`, `b3` (single
  /// header), `b3multi`, `jaeger`, `xray`, `xray-lambda`, or `none` alone (no propagation).
  /// Case-insensitive and trimmed; duplicates are ignored. Empty = `tracecontext,baggage`.
  std::vector<std::string> propagators;
  /// Before injecting, remove the fields of every format hoptrace supports (traceparent,
  /// tracestate, baggage, b3, x-b3-*, uber-trace-id, uberctx-*, x-amzn-trace-id), configured
  /// or not, so a re-sent or forwarded message never carries two contexts or a stale one.
  bool clean_inject = true;
  /// Field names clean inject leaves alone (e.g. a `baggage` header another library owns).
  /// A configured format still overwrites its own fields when it injects.
  std::vector<std::string> keep_fields;
};

/// The propagation facade that adapters use: the configured formats as one composite, plus
/// clean inject. Build one at start-up (or use global()), then share it: every method is const
/// and thread-safe, and inject/extract are noexcept and allocation-free beyond what the formats
/// themselves need (the field sets are computed once, at construction).
///
/// `none` is represented as an empty composite: inject and extract do nothing, and clean
/// inject does not touch the carrier either (propagation is off, the user's fields are theirs).
class Propagation {
 public:
  /// The names OTEL_PROPAGATORS may hold that hoptrace implements, for messages and tests.
  static const std::vector<std::string_view>& supported_names() noexcept;

  /// Throws ConfigError for an unknown name (listing the valid ones), for `none` combined with
  /// another name, and for `xray` together with `xray-lambda`.
  explicit Propagation(PropagationOptions options = {});

  /// Reads OTEL_PROPAGATORS: a comma-separated list, trimmed, case-insensitive, deduplicated,
  /// order kept. Empty or unset = `tracecontext,baggage`; `none` = no propagation (wins over
  /// other names, with a warning). Unknown names are ignored with a warning on stderr (each
  /// distinct warning once per process); `xray` with `xray-lambda` keeps `xray-lambda` only,
  /// with a warning. Never throws ConfigError.
  static Propagation from_environment();

  /// The lenient OTEL_PROPAGATORS parsing behind from_environment, exposed for tests and tools:
  /// returns the options it would use and appends the warnings it would print to `warnings`.
  static PropagationOptions options_from_environment_value(std::string_view value,
                                                           std::vector<std::string>* warnings);

  /// Clean inject (one remove_fields pass, when enabled) then every configured format.
  void inject(const Context& context, CarrierWriter& carrier) const noexcept;
  /// Runs every configured format in order on `out` (a later valid span context wins).
  void extract(const CarrierReader& carrier, Context& out) const noexcept;
  /// Extracts into an empty Context and returns it.
  Context extract(const CarrierReader& carrier) const noexcept;

  /// The fields (and prefixes) the configured formats read and write.
  const FieldSet& fields() const noexcept { return fields_; }
  /// The fields clean inject removes: every supported format's, minus keep_fields.
  const FieldSet& clean_fields() const noexcept { return clean_fields_; }
  /// The configured format names in composite order; empty for `none`.
  std::vector<std::string> names() const { return names_; }
  /// Whether inject removes stale fields first.
  bool clean_inject() const noexcept { return clean_inject_; }
  /// The configured formats as one propagator (shared; lives as long as any copy of this).
  const CompositePropagator& propagator() const noexcept { return *composite_; }

  /// The process-wide instance: the last set_global() value, or else from_environment(), built
  /// on first use (thread-safe). The reference stays valid for the life of the process.
  static const Propagation& global() noexcept;
  /// Replaces the process-wide instance. Meant for start-up, before messages flow: calls racing
  /// with global() are safe (readers see the old or the new instance, never a torn one), and
  /// earlier instances are kept alive so references already handed out stay valid; each call
  /// therefore keeps one instance for the life of the process.
  static void set_global(Propagation propagation);

 private:
  std::shared_ptr<const CompositePropagator> composite_;
  FieldSet fields_;
  FieldSet clean_fields_;
  std::vector<std::string> names_;
  bool clean_inject_ = true;
};

}  // namespace hoptrace
