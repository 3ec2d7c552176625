#include "hoptrace/core/context.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <utility>

#include "hoptrace/core/tracer.h"

namespace hoptrace {

namespace detail {
// The innermost live context of this thread, or null. Kept beside the stack because a plain
// pointer is read without the thread-local wrapper call that the stack (which has a destructor)
// needs, and Context::current() is on every span start.
thread_local const Context* t_current_context = nullptr;
const Context g_empty_context;
}  // namespace detail

namespace {

using detail::t_current_context;

// Deep enough for any sane nesting (a consumer loop, a handler, a few helpers); a program that
// goes past it has a leak of scopes, and we count that rather than grow without bound.
constexpr std::size_t kMaxDepth = 64;

std::atomic<std::uint64_t> g_misuse{0};
// Each thread takes a distinct prefix for its tokens, so a token minted on one thread can never
// match an entry of another thread that happens to reuse the same thread-local storage.
std::atomic<std::uint64_t> g_next_thread_prefix{1};

void count_misuse() noexcept { g_misuse.fetch_add(1, std::memory_order_relaxed); }

struct ScopeStack;
// This thread's stack, set on its first scope. The stack has a constructor and a destructor, so
// every use of it goes through the thread-local wrapper call; a consumer opens and closes a
// scope per message, so the hot path reads this plain pointer instead.
thread_local ScopeStack* t_stack_pointer = nullptr;

struct ScopeStack {
  struct Entry {
    Context context;
    std::uint64_t token = 0;
  };

  std::array<Entry, kMaxDepth> entries;
  std::size_t size = 0;
  std::uint64_t next_token = 0;

  ~ScopeStack() {  // for thread-exit code that still asks
    t_current_context = nullptr;
    t_stack_pointer = nullptr;
  }

  std::uint64_t mint_token() noexcept {
    if (next_token == 0) {
      next_token = g_next_thread_prefix.fetch_add(1, std::memory_order_relaxed) << 32;
    }
    return ++next_token;
  }

  // The entry the next push fills, or null (counted) when the stack is full.
  Entry* next_entry() noexcept {
    if (size == kMaxDepth) {
      count_misuse();
      return nullptr;
    }
    return &entries[size];
  }
  std::uint64_t commit(Entry& e) noexcept {
    const std::uint64_t token = mint_token();
    e.token = token;
    ++size;
    t_current_context = &e.context;
    return token;
  }

  std::uint64_t push(Context&& context) noexcept {
    Entry* e = next_entry();
    if (e == nullptr) return 0;
    e->context = std::move(context);
    return commit(*e);
  }
  // Every message a traced consumer processes opens a scope: its span context is copied once,
  // straight into the stack, not into a Context that is then moved there.
  std::uint64_t push(const SpanContext& span_context, const Context& base) noexcept {
    Entry* e = next_entry();
    if (e == nullptr) return 0;
    e->context.span_context = span_context;
    // Both are usually empty (the slot was released when it was last closed): skip the calls.
    if (!base.baggage.empty()) e->context.baggage = base.baggage;
    if (base.xray_passthrough) e->context.xray_passthrough = base.xray_passthrough;
    return commit(*e);
  }

  // Releases what a closed entry holds (baggage, X-Ray pairs, a trace state on the heap) now
  // rather than when the slot is reused. An inline trace state holds nothing, so the 128-byte
  // span context is left as it is: the next push overwrites it.
  static void release(Entry& e) noexcept {
    if (e.context.span_context.trace_state().header().size() > TraceState::kInlineCapacity) {
      e.context.span_context = SpanContext();
    }
    if (!e.context.baggage.empty()) e.context.baggage = Baggage();
    if (e.context.xray_passthrough) e.context.xray_passthrough.reset();
    e.token = 0;
  }

  void update_current() noexcept {
    t_current_context = size == 0 ? nullptr : &entries[size - 1].context;
  }

  void remove(std::uint64_t token) noexcept {
    if (size > 0 && entries[size - 1].token == token) {
      --size;
      release(entries[size]);
      update_current();
      return;
    }
    for (std::size_t i = size; i-- > 0;) {
      if (entries[i].token != token) continue;
      for (std::size_t j = i; j + 1 < size; ++j) entries[j] = std::move(entries[j + 1]);
      --size;
      release(entries[size]);
      update_current();
      count_misuse();
      return;
    }
    // Not found: the entry is already gone (cannot happen through the public API, but a stale
    // token must stay harmless).
  }
};

thread_local ScopeStack t_stack;

[[gnu::noinline]] ScopeStack& first_use_of_stack() noexcept {
  t_stack_pointer = &t_stack;
  return t_stack;
}

ScopeStack& this_thread_stack() noexcept {
  ScopeStack* stack = t_stack_pointer;
  return stack != nullptr ? *stack : first_use_of_stack();
}

}  // namespace

Scope::Scope(Context context) noexcept {
  ScopeStack& stack = this_thread_stack();
  owner_thread_ = &stack;
  token_ = stack.push(std::move(context));
}

Scope::Scope(const SpanContext& span_context, const Context& base) noexcept {
  ScopeStack& stack = this_thread_stack();
  owner_thread_ = &stack;
  token_ = stack.push(span_context, base);
}

Scope::Scope(Scope&& other) noexcept
    : token_(std::exchange(other.token_, 0)), owner_thread_(other.owner_thread_) {}

Scope& Scope::operator=(Scope&& other) noexcept {
  if (this != &other) {
    close();
    token_ = std::exchange(other.token_, 0);
    owner_thread_ = other.owner_thread_;
  }
  return *this;
}

Scope::~Scope() { close(); }

void Scope::close() noexcept {
  if (token_ == 0) return;
  const std::uint64_t token = std::exchange(token_, 0);
  ScopeStack& stack = this_thread_stack();
  if (owner_thread_ != &stack) {
    // The owning thread's stack cannot be touched from here without a lock on every scope;
    // its entry stays until that thread ends.
    count_misuse();
    return;
  }
  stack.remove(token);
}

std::uint64_t scope_misuse_count() noexcept { return g_misuse.load(std::memory_order_relaxed); }

Scope make_current(const Span& span) noexcept { return Scope(span.context(), Context::current()); }

}  // namespace hoptrace
