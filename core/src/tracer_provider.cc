#include "hoptrace/core/tracer_provider.h"

#include <mutex>
#include <utility>

namespace hoptrace {
namespace {

// Without an SDK nothing records, but a context that came in still goes out: a span started
// under a parent carries that parent's context.
class NoopTracer final : public Tracer {
 public:
  Span start_span(std::string_view, const SpanStartOptions& options) noexcept override {
    switch (options.parent_source) {
      case ParentSource::kAmbient:
        return Span(Context::current().span_context, nullptr);
      case ParentSource::kExplicit:
        return Span(options.parent, nullptr);
      case ParentSource::kRoot:
        break;
    }
    return Span();
  }
};

class NoopTracerProvider final : public TracerProvider {
 public:
  std::shared_ptr<Tracer> get_tracer(std::string_view, std::string_view) override {
    return tracer_;
  }

 private:
  std::shared_ptr<Tracer> tracer_ = std::make_shared<NoopTracer>();
};

struct Global {
  std::mutex mutex;
  std::shared_ptr<TracerProvider> provider;
  std::shared_ptr<TracerProvider> noop = std::make_shared<NoopTracerProvider>();
};

Global& global() noexcept {
  static Global g;
  return g;
}

}  // namespace

std::shared_ptr<TracerProvider> global_tracer_provider() noexcept {
  Global& g = global();
  std::lock_guard<std::mutex> lock(g.mutex);
  return g.provider ? g.provider : g.noop;
}

void set_global_tracer_provider(std::shared_ptr<TracerProvider> provider) noexcept {
  Global& g = global();
  std::shared_ptr<TracerProvider> old;
  {
    std::lock_guard<std::mutex> lock(g.mutex);
    old = std::exchange(g.provider, std::move(provider));
  }
  // `old` is released outside the lock: its destructor may flush for seconds.
}

}  // namespace hoptrace
