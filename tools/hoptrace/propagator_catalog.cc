#include "propagator_catalog.h"

#include <algorithm>

#include "command_line.h"
#include "hoptrace/core/propagation/b3.h"
#include "hoptrace/core/propagation/baggage_propagator.h"
#include "hoptrace/core/propagation/jaeger.h"
#include "hoptrace/core/propagation/trace_context.h"
#include "hoptrace/core/propagation/xray.h"

namespace hoptrace::cli {
namespace {

std::string lowercase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

SelectedFormat make_format(const std::string& name) {
  if (name == "tracecontext") return {name, std::make_shared<TraceContextPropagator>(), true};
  if (name == "b3") {
    return {name, std::make_shared<B3Propagator>(B3Propagator::InjectMode::kSingleHeader), true};
  }
  if (name == "b3multi") {
    return {name, std::make_shared<B3Propagator>(B3Propagator::InjectMode::kMultiHeader), true};
  }
  if (name == "jaeger") return {name, std::make_shared<JaegerPropagator>(), true};
  if (name == "xray") return {name, std::make_shared<XRayPropagator>(), true};
  return {name, std::make_shared<BaggagePropagator>(), false};
}

}  // namespace

const std::vector<std::string_view>& cli_format_names() {
  static const std::vector<std::string_view> names = {"tracecontext", "b3",   "b3multi",
                                                      "jaeger",       "xray", "baggage"};
  return names;
}

std::vector<SelectedFormat> select_formats(std::string_view list) {
  std::vector<std::string> names;
  for (const std::string& item : split_list(list)) {
    std::string name = lowercase(item);
    const auto& valid = cli_format_names();
    if (std::find(valid.begin(), valid.end(), name) == valid.end()) {
      std::string message = "unknown propagator '" + item + "'; valid names are: ";
      for (std::size_t i = 0; i < valid.size(); ++i) {
        message += (i > 0 ? ", " : "") + std::string(valid[i]);
      }
      throw UsageError(message);
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (names.empty()) {
    for (std::string_view name : cli_format_names()) names.emplace_back(name);
  }
  std::vector<SelectedFormat> formats;
  for (const std::string& name : names) formats.push_back(make_format(name));
  return formats;
}

}  // namespace hoptrace::cli
