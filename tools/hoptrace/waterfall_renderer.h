#pragma once

#include <cstddef>
#include <ostream>

#include "span_forest.h"

namespace hoptrace::cli {

/// How the waterfall is drawn.
struct WaterfallOptions {
  /// Cells in each span's time bar; 0 leaves the bars out.
  std::size_t bar_width = 40;
  /// Plain ASCII instead of box-drawing characters and arrows.
  bool ascii = false;
  /// The widest the tree-and-name column may get; longer names are cut with an ellipsis.
  std::size_t max_name_width = 60;
};

/// Writes every trace of `forest` as an indented waterfall: a header line per trace, one line
/// per span (name, kind, service, duration, a time bar scaled to the trace, marks for errors,
/// orphans and parent loops), and one line per link, naming the span it points to wherever it
/// is in the input. Output depends only on the input (no colours, no terminal queries).
void render_waterfall(const SpanForest& forest, const WaterfallOptions& options, std::ostream& out);

}  // namespace hoptrace::cli
