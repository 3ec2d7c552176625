#include <cstdlib>
#include <memory>
#include <string>

#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/parent_based_sampler.h"
#include "hoptrace/core/sdk/sampler.h"
#include "hoptrace/core/sdk/trace_id_ratio_sampler.h"
#include "sdk/env.h"

namespace hoptrace::sdk {
namespace {

double ratio_from_environment() {
  const std::optional<std::string> arg = detail::env_value("OTEL_TRACES_SAMPLER_ARG");
  if (!arg) return 1.0;
  const char* begin = arg->c_str();
  char* end = nullptr;
  const double ratio = std::strtod(begin, &end);
  if (end == begin || *end != '\0' || !(ratio >= 0.0 && ratio <= 1.0)) {
    detail::warn("OTEL_TRACES_SAMPLER_ARG='" + *arg +
                 "' is not a ratio between 0 and 1; ignoring it (using 1.0)");
    return 1.0;
  }
  return ratio;
}

}  // namespace

std::shared_ptr<Sampler> sampler_from_environment() {
  const std::optional<std::string> raw = detail::env_value("OTEL_TRACES_SAMPLER");
  const std::string name = raw ? detail::to_lower(*raw) : "parentbased_always_on";
  if (name == "always_on") return std::make_shared<AlwaysOnSampler>();
  if (name == "always_off") return std::make_shared<AlwaysOffSampler>();
  if (name == "traceidratio") {
    return std::make_shared<TraceIdRatioBasedSampler>(ratio_from_environment());
  }
  if (name == "parentbased_always_off") {
    return std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOffSampler>());
  }
  if (name == "parentbased_traceidratio") {
    return std::make_shared<ParentBasedSampler>(
        std::make_shared<TraceIdRatioBasedSampler>(ratio_from_environment()));
  }
  if (name != "parentbased_always_on") {
    detail::warn("OTEL_TRACES_SAMPLER='" + *raw +
                 "' is not a sampler hoptrace knows (always_on, always_off, traceidratio, "
                 "parentbased_always_on, parentbased_always_off, parentbased_traceidratio); "
                 "using parentbased_always_on");
  }
  return std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOnSampler>());
}

}  // namespace hoptrace::sdk
