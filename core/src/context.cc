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

struct ScopeStack {
  struct Entry {
    Context context;
    std::uint64_t token = 0;
  };

  std::array<Entry, kMaxDepth> entries;
  std::size_t size = 0;
  std::uint64_t next_token = 0;

  ~ScopeStack() { t_current_context = nullptr; }  // for thread-exit code that still asks

  std::uint64_t mint_token() noexcept {
    if (next_token == 0) {
      next_token = g_next_thread_prefix.fetch_add(1, std::memory_order_relaxed) << 32;
    }
    return ++next_token;
  }

  std::uint64_t push(Context&& context) noexcept {
    if (size == kMaxDepth) {
      count_misuse();
      return 0;
    }
    const std::uint64_t token = mint_token();
    entries[size].context = std::move(context);
    entries[size].token = token;
    ++size;
    t_current_context = &entries[size - 1].context;
    return token;
  }

  void update_current() noexcept {
    t_current_context = size == 0 ? nullptr : &entries[size - 1].context;
  }

  void remove(std::uint64_t token) noexcept {
    if (size > 0 && entries[size - 1].token == token) {
      --size;
      entries[size].context = Context();  // release the trace state and baggage now
      entries[size].token = 0;
      update_current();
      return;
    }
    for (std::size_t i = size; i-- > 0;) {
      if (entries[i].token != token) continue;
      for (std::size_t j = i; j + 1 < size; ++j) entries[j] = std::move(entries[j + 1]);
      --size;
      entries[size].context = Context();
      entries[size].token = 0;
      update_current();
      count_misuse();
      return;
    }
    // Not found: the entry is already gone (cannot happen through the public API, but a stale
    // token must stay harmless).
  }
};

thread_local ScopeStack t_stack;

}  // namespace

Scope::Scope(Context context) noexcept
    : token_(t_stack.push(std::move(context))), owner_thread_(&t_stack) {}

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
  if (owner_thread_ != &t_stack) {
    // The owning thread's stack cannot be touched from here without a lock on every scope;
    // its entry stays until that thread ends.
    count_misuse();
    return;
  }
  t_stack.remove(token);
}

std::uint64_t scope_misuse_count() noexcept { return g_misuse.load(std::memory_order_relaxed); }

Scope make_current(const Span& span) noexcept {
  const Context& current = Context::current();
  return Scope(Context(span.context(), current.baggage, current.xray_passthrough));
}

}  // namespace hoptrace
