#pragma once

// gzip (RFC 1952) compression of request bodies with zlib. Private to hoptrace::otlp.

#include <memory>
#include <string>
#include <string_view>

namespace hoptrace::otlp {

/// One zlib deflate stream, reset (not reallocated) between bodies. Not thread-safe.
class GzipCompressor {
 public:
  /// Throws hoptrace::Error when zlib cannot allocate its state.
  GzipCompressor();
  ~GzipCompressor();
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  /// Replaces `out` with the gzip member holding `in`. False on a zlib error (then `out` is
  /// unspecified). Never throws except std::bad_alloc from growing `out`.
  bool compress(std::string_view in, std::string& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hoptrace::otlp
