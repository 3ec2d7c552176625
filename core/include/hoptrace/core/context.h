#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "hoptrace/core/baggage.h"
#include "hoptrace/core/span_context.h"

namespace hoptrace {

/// What propagates with a request: the span context and the baggage. Propagators inject a
/// Context and extract into one.
struct Context {
  Context() noexcept = default;
  /// A context with a span context and optionally baggage. (A constructor rather than aggregate
  /// initialisation, so adding a member never breaks or warns in callers' code.)
  explicit Context(SpanContext span, Baggage bag = {},
                   std::shared_ptr<const std::string> xray = nullptr) noexcept
      : span_context(std::move(span)), baggage(std::move(bag)), xray_passthrough(std::move(xray)) {}

  SpanContext span_context;
  Baggage baggage;
  /// The `;`-separated X-Ray header pairs other than Root, Parent and Sampled (`Lineage=...`,
  /// `Self=...`), exactly as received, so the X-Ray propagators can re-emit them on the next
  /// hop. Immutable and shared between copies; null when there are none (nothing allocated).
  /// Kept out of `baggage` on purpose: it must never leak into the W3C `baggage` header.
  std::shared_ptr<const std::string> xray_passthrough;

  /// The context active on this thread (the innermost live Scope), or an empty one.
  /// The reference is valid until the next Scope on this thread opens or closes.
  static const Context& current() noexcept;
};

namespace detail {
/// Internal (read it through Context::current()): the innermost live Scope's context on this
/// thread, or null. Inline in the header because every span start asks for it.
extern thread_local const Context* t_current_context;
/// Internal: what Context::current() returns when no Scope is open.
extern const Context g_empty_context;
}  // namespace detail

inline const Context& Context::current() noexcept {
  const Context* current = detail::t_current_context;
  return current != nullptr ? *current : detail::g_empty_context;
}

class Span;

/// Makes a Context the ambient one on this thread for its lifetime and restores the previous one
/// when it ends. Scopes nest like a stack. Closing them out of order is tolerated: the closed
/// entry is removed, the newest remaining one becomes current, and the event is counted in
/// scope_misuse_count(); never undefined behaviour. A Scope must be destroyed on the thread that
/// created it; one destroyed elsewhere does nothing but count.
class Scope {
 public:
  explicit Scope(Context context) noexcept;
  Scope(Scope&& other) noexcept;
  Scope& operator=(Scope&& other) noexcept;
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  ~Scope();

  /// Ends the scope early; idempotent.
  void close() noexcept;

 private:
  friend Scope make_current(const Span& span) noexcept;
  // make_current's: the span's context with `base`'s baggage, built in place in the stack.
  Scope(const SpanContext& span_context, const Context& base) noexcept;

  std::uint64_t token_ = 0;  // 0 = inactive (moved from or closed)
  const void* owner_thread_ = nullptr;
};

/// Scopes closed out of order, closed on another thread, or dropped because the per-thread
/// stack was full, since the process started.
std::uint64_t scope_misuse_count() noexcept;

}  // namespace hoptrace
