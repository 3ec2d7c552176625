#include "waterfall_renderer.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "text_layout.h"

namespace hoptrace::cli {
namespace {

struct Glyphs {
  std::string_view branch;       // a child with siblings after it
  std::string_view last_branch;  // the last child
  std::string_view pipe;         // continues a branch past a line
  std::string_view blank;
  std::string_view bar_fill;
  std::string_view link;
  std::string_view linked_from;
  std::string_view error;
  std::string_view warning;
  std::string_view ellipsis;
  std::string_view micro;
  std::string_view separator;
};

constexpr Glyphs kUnicode{"├─ ",     "└─ ", "│  ", "   ", "█",  "↪ link → ", "↩ linked from ",
                          "✗ ERROR", "⚠ ",  "…",   "µs",  " · "};
constexpr Glyphs kAscii{"|- ",     "`- ", "|  ", "   ", "#", "-> link to ", "<- linked from ",
                        "x ERROR", "! ",  "...", "us",  ", "};

// Past this depth the indentation stops growing and the depth is written out instead, so a
// pathological chain of thousands of spans stays printable.
constexpr std::size_t kMaxIndentDepth = 10;
// Shortest room a name gets, however deep it sits.
constexpr std::size_t kMinNameWidth = 16;

struct Row {
  std::size_t span;
  std::size_t depth;
  std::string tree_prefix;    // before the name: ancestors' pipes and this span's branch
  std::string detail_prefix;  // before link lines under this span
};

std::string_view kind_name(SpanRecord::Kind kind) {
  switch (kind) {
    case SpanRecord::Kind::kInternal:
      return "INTERNAL";
    case SpanRecord::Kind::kServer:
      return "SERVER";
    case SpanRecord::Kind::kClient:
      return "CLIENT";
    case SpanRecord::Kind::kProducer:
      return "PRODUCER";
    case SpanRecord::Kind::kConsumer:
      return "CONSUMER";
    case SpanRecord::Kind::kUnspecified:
      break;
  }
  return "-";
}

class TraceRenderer {
 public:
  TraceRenderer(const SpanForest& forest, const WaterfallOptions& options, std::ostream& out)
      : forest_(forest), options_(options), glyphs_(options.ascii ? kAscii : kUnicode), out_(out) {}

  void render(const SpanForest::Trace& trace) {
    trace_ = &trace;
    collect_rows();
    compute_columns();
    write_header();
    for (const Row& row : rows_) write_row(row);
  }

 private:
  std::string short_id(const std::string& hex) const {
    return hex.substr(0, 8) + std::string(glyphs_.ellipsis);
  }

  void collect_rows() {
    rows_.clear();
    struct Pending {
      std::size_t span;
      std::size_t depth;
      std::string prefix;  // ancestors' pipes
      bool is_last;
      bool is_top;
    };
    std::vector<Pending> stack;
    const auto& roots = trace_->roots;
    for (std::size_t i = roots.size(); i-- > 0;) stack.push_back({roots[i], 0, "", false, true});
    while (!stack.empty()) {
      Pending item = std::move(stack.back());
      stack.pop_back();
      const auto& children = forest_.children(item.span);
      Row row{item.span, item.depth, item.prefix, ""};
      std::string child_prefix = item.prefix;
      if (!item.is_top) {
        row.tree_prefix += item.is_last ? glyphs_.last_branch : glyphs_.branch;
        if (item.depth < kMaxIndentDepth)
          child_prefix += item.is_last ? glyphs_.blank : glyphs_.pipe;
      }
      row.detail_prefix = child_prefix;
      row.detail_prefix += children.empty() ? glyphs_.blank : glyphs_.pipe;
      rows_.push_back(std::move(row));
      for (std::size_t i = children.size(); i-- > 0;) {
        stack.push_back(
            {children[i], item.depth + 1, child_prefix, i + 1 == children.size(), false});
      }
    }
  }

  std::string display_name(const Row& row) const {
    std::string name = printable(forest_.spans()[row.span].name);
    if (name.empty()) name = "(unnamed)";
    if (row.depth > kMaxIndentDepth) name = "[depth " + std::to_string(row.depth) + "] " + name;
    return name;
  }

  void compute_columns() {
    name_width_ = 0;
    service_width_ = 1;
    for (const Row& row : rows_) {
      const std::size_t width = display_width(row.tree_prefix) + display_width(display_name(row));
      name_width_ = std::max(name_width_, width);
      service_width_ =
          std::max(service_width_, display_width(printable(forest_.spans()[row.span].service)));
    }
    name_width_ = std::min(name_width_, options_.max_name_width);
    service_width_ = std::min<std::size_t>(service_width_, 24);
  }

  void write_header() {
    const std::string id = trace_->trace_id.to_hex();
    out_ << "trace " << id << glyphs_.separator << trace_->span_count
         << (trace_->span_count == 1 ? " span" : " spans");
    if (trace_->start_ns && trace_->end_ns && *trace_->end_ns >= *trace_->start_ns) {
      out_ << glyphs_.separator
           << format_duration(*trace_->end_ns - *trace_->start_ns, glyphs_.micro);
    }
    if (trace_->start_ns)
      out_ << glyphs_.separator << "started " << format_timestamp(*trace_->start_ns);
    out_ << '\n';
  }

  std::string bar(const SpanRecord& span) const {
    const std::size_t width = options_.bar_width;
    std::string out = "[";
    if (span.start_ns && span.end_ns && *span.end_ns >= *span.start_ns && trace_->start_ns &&
        trace_->end_ns && *trace_->end_ns >= *trace_->start_ns) {
      const std::uint64_t origin = *trace_->start_ns;
      const auto total = static_cast<long double>(*trace_->end_ns - origin);
      auto column = [&](std::uint64_t t) -> long double {
        if (total <= 0) return 0;
        return static_cast<long double>(t - origin) / total * static_cast<long double>(width);
      };
      auto first = static_cast<std::size_t>(column(*span.start_ns));
      auto last = static_cast<std::size_t>(std::ceil(column(*span.end_ns)));
      first = std::min(first, width - 1);
      // Every span gets at least one cell, so an instant is still visible.
      last = std::clamp(last, first + 1, width);
      for (std::size_t i = 0; i < width; ++i) {
        out += (i >= first && i < last) ? glyphs_.bar_fill : std::string_view(" ");
      }
    } else {
      out.append(width, ' ');
    }
    out += "]";
    return out;
  }

  std::string link_target(const SpanKey& key) const {
    const std::string where =
        (key.trace_id == trace_->trace_id ? std::string("this trace")
                                          : "trace " + short_id(key.trace_id.to_hex())) +
        ", span " + short_id(key.span_id.to_hex());
    const auto target = forest_.find(key);
    if (!target) return "(not in input) [" + where + "]";
    std::string name = printable(forest_.spans()[*target].name);
    if (name.empty()) name = "(unnamed)";
    return name + " [" + where + "]";
  }

  void write_row(const Row& row) {
    const SpanRecord& span = forest_.spans()[row.span];
    const std::size_t prefix_width = display_width(row.tree_prefix);
    const std::size_t room =
        name_width_ > prefix_width + kMinNameWidth ? name_width_ - prefix_width : kMinNameWidth;
    std::string line = row.tree_prefix;
    line += truncate_to_width(display_name(row), room, glyphs_.ellipsis);
    line = pad_right(line, name_width_);
    line += "  ";
    line += pad_right(kind_name(span.kind), 8);
    line += "  ";
    std::string service = printable(span.service);
    if (service.empty()) service = "-";
    line += pad_right(truncate_to_width(service, service_width_, glyphs_.ellipsis), service_width_);
    line += "  ";
    const auto duration = span.duration_ns();
    line += pad_left(duration ? format_duration(*duration, glyphs_.micro) : "?", 7);
    if (options_.bar_width > 0) {
      line += "  ";
      line += bar(span);
    }
    std::vector<std::string> marks;
    if (span.status == SpanRecord::Status::kError) {
      std::string mark(glyphs_.error);
      if (!span.status_message.empty()) mark += ": " + printable(span.status_message);
      marks.push_back(std::move(mark));
    }
    if (row.depth == 0) {
      switch (forest_.root_reason(row.span)) {
        case SpanForest::RootReason::kOrphan:
          marks.push_back(std::string(glyphs_.warning) + "orphan: parent " +
                          span.parent_span_id.to_hex() + " not in input");
          break;
        case SpanForest::RootReason::kCycle:
          marks.push_back(std::string(glyphs_.warning) + "parent loop: parent " +
                          span.parent_span_id.to_hex() + " is below this span");
          break;
        case SpanForest::RootReason::kRoot:
          break;
      }
    }
    if (span.start_ns && span.end_ns && *span.end_ns < *span.start_ns) {
      marks.push_back(std::string(glyphs_.warning) + "ends before it starts");
    } else if (!span.start_ns || !span.end_ns) {
      marks.push_back(std::string(glyphs_.warning) + "no start or end time");
    }
    for (const std::string& mark : marks) line += "  " + mark;
    // Trailing blanks (an empty bar, padding) would make diffs and copy-paste noisy.
    line.erase(line.find_last_not_of(' ') + 1);
    out_ << line << '\n';

    for (const SpanKey& link : span.links) {
      out_ << row.detail_prefix << glyphs_.link << link_target(link) << '\n';
    }
    for (std::size_t source : forest_.linked_from(row.span)) {
      out_ << row.detail_prefix << glyphs_.linked_from << link_target(forest_.spans()[source].key())
           << '\n';
    }
  }

  const SpanForest& forest_;
  const WaterfallOptions& options_;
  const Glyphs& glyphs_;
  std::ostream& out_;
  const SpanForest::Trace* trace_ = nullptr;
  std::vector<Row> rows_;
  std::size_t name_width_ = 0;
  std::size_t service_width_ = 0;
};

}  // namespace

void render_waterfall(const SpanForest& forest, const WaterfallOptions& options,
                      std::ostream& out) {
  TraceRenderer renderer(forest, options, out);
  bool first = true;
  for (const auto& trace : forest.traces()) {
    if (!first) out << '\n';
    first = false;
    renderer.render(trace);
  }
}

}  // namespace hoptrace::cli
