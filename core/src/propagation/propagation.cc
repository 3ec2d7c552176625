#include "hoptrace/core/propagation/propagation.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <utility>

#include "hoptrace/core/detail/hex.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/propagation/b3.h"
#include "hoptrace/core/propagation/baggage_propagator.h"
#include "hoptrace/core/propagation/jaeger.h"
#include "hoptrace/core/propagation/trace_context.h"
#include "hoptrace/core/propagation/xray.h"
#include "propagation/text_util.h"

namespace hoptrace {
namespace {

constexpr std::string_view kNone = "none";
constexpr std::string_view kXRay = "xray";
constexpr std::string_view kXRayLambda = "xray-lambda";
constexpr const char* kEnvironmentVariable = "OTEL_PROPAGATORS";

std::string normalize(std::string_view name) {
  name = propagation_detail::trim_ows(name);
  std::string out(name);
  for (char& c : out) c = detail::ascii_lower(c);
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string valid_names() {
  std::string out;
  for (std::string_view n : Propagation::supported_names()) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::shared_ptr<const TextMapPropagator> make_propagator(std::string_view name) {
  if (name == "tracecontext") return std::make_shared<TraceContextPropagator>();
  if (name == "baggage") return std::make_shared<BaggagePropagator>();
  if (name == "b3") return std::make_shared<B3Propagator>(B3Propagator::InjectMode::kSingleHeader);
  if (name == "b3multi") {
    return std::make_shared<B3Propagator>(B3Propagator::InjectMode::kMultiHeader);
  }
  if (name == "jaeger") return std::make_shared<JaegerPropagator>();
  if (name == kXRay) return std::make_shared<XRayPropagator>();
  if (name == kXRayLambda) return std::make_shared<XRayLambdaPropagator>();
  return nullptr;
}

// Every field any supported format uses: what clean inject removes.
FieldSet all_supported_fields() {
  FieldSet out;
  TraceContextPropagator().fields(out);
  BaggagePropagator().fields(out);
  B3Propagator().fields(out);
  JaegerPropagator().fields(out);
  XRayPropagator().fields(out);
  return out;
}

void warn_once(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mutex);
  if (warned.insert(message).second) std::fprintf(stderr, "hoptrace: %s\n", message.c_str());
}

std::atomic<const Propagation*> g_override{nullptr};

}  // namespace

const std::vector<std::string_view>& Propagation::supported_names() noexcept {
  static const std::vector<std::string_view> names = {
      "tracecontext", "baggage", "b3", "b3multi", "jaeger", kXRay, kXRayLambda, kNone};
  return names;
}

Propagation::Propagation(PropagationOptions options) : clean_inject_(options.clean_inject) {
  std::vector<std::string> names;
  for (const auto& raw : options.propagators) {
    std::string name = normalize(raw);
    if (name.empty() || contains(names, name)) continue;
    if (name != kNone && make_propagator(name) == nullptr) {
      throw ConfigError("unknown propagator '" + std::string(raw) +
                        "'; valid names are: " + valid_names() + " (OTEL_PROPAGATORS syntax)");
    }
    names.push_back(std::move(name));
  }
  if (contains(names, kNone) && names.size() > 1) {
    throw ConfigError(
        "propagator 'none' cannot be combined with other propagators; list either "
        "'none' alone or the formats to use");
  }
  if (contains(names, kXRay) && contains(names, kXRayLambda)) {
    throw ConfigError(
        "propagators 'xray' and 'xray-lambda' are exclusive; use 'xray-lambda' "
        "inside AWS Lambda and 'xray' elsewhere");
  }
  if (names.empty()) names = {"tracecontext", "baggage"};
  if (names.size() == 1 && names.front() == kNone) names.clear();

  std::vector<std::shared_ptr<const TextMapPropagator>> propagators;
  for (const auto& name : names) propagators.push_back(make_propagator(name));
  composite_ = std::make_shared<const CompositePropagator>(std::move(propagators));
  composite_->fields(fields_);
  names_ = std::move(names);

  if (clean_inject_ && !names_.empty()) {
    clean_fields_ = all_supported_fields();
    clean_fields_.merge(fields_);
    for (const auto& keep : options.keep_fields) {
      const std::string key = normalize(keep);
      if (!key.empty()) clean_fields_.exclude(key);
    }
  }
}

PropagationOptions Propagation::options_from_environment_value(std::string_view value,
                                                               std::vector<std::string>* warnings) {
  const auto warn = [&](std::string message) {
    if (warnings != nullptr) warnings->push_back(std::move(message));
  };
  PropagationOptions options;
  std::vector<std::string>& names = options.propagators;
  std::string_view rest = value;
  while (!rest.empty()) {
    std::string name = normalize(propagation_detail::next_token(rest, ','));
    if (name.empty() || contains(names, name)) continue;
    const auto& supported = supported_names();
    if (std::find(supported.begin(), supported.end(), name) == supported.end()) {
      warn(std::string(kEnvironmentVariable) + ": ignoring unknown or unsupported propagator '" +
           name + "'; valid names are: " + valid_names());
      continue;
    }
    names.push_back(std::move(name));
  }
  if (contains(names, kNone) && names.size() > 1) {
    warn(std::string(kEnvironmentVariable) +
         ": 'none' is listed with other propagators; propagation is off");
    names = {std::string(kNone)};
  }
  if (contains(names, kXRay) && contains(names, kXRayLambda)) {
    warn(std::string(kEnvironmentVariable) +
         ": 'xray' and 'xray-lambda' are both listed; using 'xray-lambda' only");
    names.erase(std::find(names.begin(), names.end(), kXRay));
  }
  return options;
}

Propagation Propagation::from_environment() {
  const char* value = std::getenv(kEnvironmentVariable);
  std::vector<std::string> warnings;
  PropagationOptions options =
      options_from_environment_value(value != nullptr ? value : "", &warnings);
  for (const auto& w : warnings) warn_once(w);
  return Propagation(std::move(options));
}

void Propagation::inject(const Context& context, CarrierWriter& carrier) const noexcept {
  if (!clean_fields_.empty()) carrier.remove_fields(clean_fields_);
  composite_->inject(context, carrier);
}

void Propagation::extract(const CarrierReader& carrier, Context& out) const noexcept {
  composite_->extract(carrier, out);
}

Context Propagation::extract(const CarrierReader& carrier) const noexcept {
  Context out;
  composite_->extract(carrier, out);
  return out;
}

const Propagation& Propagation::global() noexcept {
  if (const Propagation* p = g_override.load(std::memory_order_acquire)) return *p;
  // Built once, never destroyed: references must outlive static destruction order.
  static const Propagation* const from_env = new Propagation(from_environment());
  return *from_env;
}

void Propagation::set_global(Propagation propagation) {
  // Earlier instances stay alive (see the header); keeping them in a never-destroyed list
  // keeps them reachable, so leak checkers stay quiet.
  static std::mutex mutex;
  static auto* const instances = new std::vector<std::unique_ptr<const Propagation>>();
  std::lock_guard<std::mutex> lock(mutex);
  instances->push_back(std::make_unique<const Propagation>(std::move(propagation)));
  g_override.store(instances->back().get(), std::memory_order_release);
}

}  // namespace hoptrace
