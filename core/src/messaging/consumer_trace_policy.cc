#include "hoptrace/core/messaging/consumer_trace_policy.h"

#include <atomic>
#include <cstdio>

#include "hoptrace/core/messaging/hop_count.h"
#include "messaging/env_util.h"

namespace hoptrace::messaging {

std::string_view to_string(ConsumerTraceMode mode) noexcept {
  switch (mode) {
    case ConsumerTraceMode::kAdaptive:
      return "adaptive";
    case ConsumerTraceMode::kParent:
      return "parent";
    case ConsumerTraceMode::kLink:
      return "link";
    case ConsumerTraceMode::kNewTraceAfterHops:
      return "new_trace_after";
  }
  return "adaptive";
}

std::optional<ConsumerTracePolicy> ConsumerTracePolicy::parse(std::string_view text) noexcept {
  text = internal::trim(text);
  if (internal::iequals(text, "adaptive")) return adaptive();
  if (internal::iequals(text, "parent")) return parent();
  if (internal::iequals(text, "link")) return link();
  constexpr std::string_view kPrefix = "new_trace_after:";
  if (text.size() <= kPrefix.size() ||
      !internal::iequals(text.substr(0, kPrefix.size()), kPrefix)) {
    return std::nullopt;
  }
  const std::string_view digits = internal::trim(text.substr(kPrefix.size()));
  if (digits.empty() || digits.size() > 7) return std::nullopt;
  std::uint32_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return new_trace_after_hops(n);
}

ConsumerTracePolicy ConsumerTracePolicy::from_environment() noexcept {
  const std::string_view value = internal::getenv_view("HOPTRACE_CONSUMER_TRACE_POLICY");
  if (internal::trim(value).empty()) return adaptive();
  if (auto policy = parse(value)) return *policy;
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true, std::memory_order_relaxed)) {
    std::fprintf(stderr,
                 "hoptrace: ignoring HOPTRACE_CONSUMER_TRACE_POLICY=\"%.*s\": expected adaptive, "
                 "parent, link or new_trace_after:N (N a number of hops); using adaptive\n",
                 static_cast<int>(value.size() > 200 ? 200 : value.size()), value.data());
  }
  return adaptive();
}

namespace {

// Shared by both overloads: the decision needs only the single message's creation context (or
// none, for batches) and whether the call is a batch.
ConsumerParenting decide(const ConsumerTracePolicy& policy, const SpanContext& ambient,
                         const SpanContext* single_creation) noexcept {
  ConsumerParenting out;
  const bool has_ambient = ambient.is_valid();
  if (has_ambient) {
    out.parent_source = ParentSource::kExplicit;
    out.parent = &ambient;
  }
  if (single_creation == nullptr || !single_creation->is_valid()) return out;

  bool parent_on_creation = false;
  switch (policy.mode) {
    case ConsumerTraceMode::kAdaptive:
      parent_on_creation = !has_ambient;
      break;
    case ConsumerTraceMode::kParent:
      parent_on_creation = true;
      out.link_ambient = has_ambient;
      break;
    case ConsumerTraceMode::kLink:
      break;
    case ConsumerTraceMode::kNewTraceAfterHops:
      if (!has_ambient) {
        const std::uint32_t hops = hop_count(*single_creation);
        if (hops < policy.max_hops) {
          parent_on_creation = true;
          out.set_hop_count = true;
          out.hop_count = hops + 1;
        }
        // Otherwise: a root (parent_source is already kRoot) linked to the creation context.
      }
      break;
  }
  if (parent_on_creation) {
    out.parent_source = ParentSource::kExplicit;
    out.parent = single_creation;
    out.parented_on_creation_context = true;
  }
  return out;
}

}  // namespace

ConsumerParenting decide_consumer_parenting(const ConsumerTracePolicy& policy,
                                            const SpanContext& ambient,
                                            ArrayView<SpanContext> creation_contexts,
                                            bool batch_api) noexcept {
  const bool single = !batch_api && creation_contexts.size() == 1;
  return decide(policy, ambient, single ? &creation_contexts[0] : nullptr);
}

ConsumerParenting decide_consumer_parenting(const ConsumerTracePolicy& policy,
                                            const SpanContext& ambient,
                                            ArrayView<Link> message_links,
                                            bool batch_api) noexcept {
  const bool single = !batch_api && message_links.size() == 1;
  return decide(policy, ambient, single ? &message_links[0].context : nullptr);
}

}  // namespace hoptrace::messaging
