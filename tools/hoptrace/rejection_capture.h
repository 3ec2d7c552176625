#pragma once

#include <vector>

#include "hoptrace/core/carrier.h"
#include "hoptrace/core/detail/function_ref.h"
#include "rejection_explainer.h"

namespace hoptrace::cli {

/// Runs `action` (an extract) and returns the fields the propagators rejected meanwhile, with
/// their whole values and occurrence counts read back from `carrier`.
///
/// Uses the process-wide diagnostic handler, so it is for a single-threaded tool only. The
/// handler is rate-limited; rejections it did not see are still returned, from the counters,
/// with the format's main field name and no value.
std::vector<Rejection> capture_rejections(const CarrierReader& carrier,
                                          detail::FunctionRef<void()> action);

}  // namespace hoptrace::cli
