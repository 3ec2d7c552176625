#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::otlp {

/// Encodes OTLP `ExportTraceServiceRequest` messages in the protobuf binary encoding, written
/// by hand so that hoptrace does not depend on libprotobuf (see docs/otlp.md).
///
/// Spans are grouped by Resource, then by InstrumentationScope, both in first-seen order and
/// by pointer identity (the TracerProvider owns one of each), exactly as
/// sdk::encode_otlp_json does, and every field the JSON encoding carries is written:
/// ids as bytes, trace state, parent span id, flags (fixed32: W3C flags | 0x100 | 0x200 when
/// the parent or link target is remote), name, kind, times (fixed64), attributes (AnyValue
/// string / bool / int / double), dropped counts, events, links and status. Fields that hold
/// their proto3 default are omitted.
///
/// Nested lengths are back-patched in place, so encoding allocates nothing once `out` and the
/// encoder's scratch space have grown to the batch size: keep one encoder and one buffer per
/// exporter. Not thread-safe (one encoder per thread); the spans are only read.
class ProtobufEncoder {
 public:
  /// Appends one request holding `spans` (null pointers are skipped) to `out`; nothing before
  /// the current end of `out` is touched. An empty batch appends nothing (the empty message).
  void encode(ArrayView<const sdk::SpanData*> spans, std::string& out);

 private:
  struct Group {
    const sdk::Resource* resource;
    const sdk::InstrumentationScope* scope;
  };
  std::vector<Group> groups_;
  std::vector<std::size_t> group_of_;
};

/// One-shot convenience over ProtobufEncoder (allocates its scratch space each call).
void encode_otlp_protobuf(ArrayView<const sdk::SpanData*> spans, std::string& out);

}  // namespace hoptrace::otlp
