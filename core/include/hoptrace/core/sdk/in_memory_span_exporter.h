#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "hoptrace/core/sdk/span_exporter.h"

namespace hoptrace::sdk {

/// The spans an InMemorySpanExporter has received. Shared between the exporter (owned by a
/// processor) and the test that inspects it, so it may outlive both.
///
/// Thread-safe: every method may be called from any thread, concurrently with exports.
///
/// Lifetime: each stored SpanData is a deep copy, except its `resource` and `scope` pointers,
/// which point into the TracerProvider that created the span: they stay valid while that
/// provider lives, and must not be dereferenced after it is destroyed.
class InMemorySpanStore {
 public:
  /// `capacity` 0 = unbounded; otherwise spans beyond it are not stored and are counted by
  /// dropped().
  explicit InMemorySpanStore(std::size_t capacity = 0) noexcept : capacity_(capacity) {}

  /// A copy of every span stored so far, in export order.
  std::vector<SpanData> finished_spans() const;
  /// A copy of the first stored span named `name`, if any.
  std::optional<SpanData> find(std::string_view name) const;
  /// A copy of every stored span named `name`.
  std::vector<SpanData> find_all(std::string_view name) const;
  /// Number of spans stored.
  std::size_t size() const;
  /// Spans not stored because the capacity was reached (or memory ran out).
  std::uint64_t dropped() const;
  /// Forgets the stored spans (the drop count stays).
  void clear();

  /// Stores deep copies of `spans` (called by the exporter). Returns how many were dropped.
  std::uint64_t add(ArrayView<const SpanData*> spans) noexcept;

 private:
  mutable std::mutex mutex_;
  const std::size_t capacity_;
  std::vector<SpanData> spans_;
  std::uint64_t dropped_ = 0;
};

/// An exporter that keeps copies of the spans in memory, for users testing their own
/// instrumentation:
///
///     auto exporter = std::make_unique<InMemorySpanExporter>();
///     auto spans = exporter->store();   // keep this; the processor owns the exporter
///     provider.add_processor(std::make_unique<SimpleSpanProcessor>(std::move(exporter)));
///     ...
///     EXPECT_TRUE(spans->find("orders publish"));
///
/// Spans beyond the capacity bound are counted by InMemorySpanStore::dropped() and reported to
/// the processor as `rejected_spans` (so its stats count them as dropped_rejected). After
/// shutdown, export_spans returns kFailed and stores nothing.
class InMemorySpanExporter final : public SpanExporter {
 public:
  /// `capacity` 0 = unbounded.
  explicit InMemorySpanExporter(std::size_t capacity = 0);

  /// The shared store; valid for as long as the caller holds it.
  std::shared_ptr<InMemorySpanStore> store() const noexcept { return store_; }

  /// Shorthands for store()->...
  std::vector<SpanData> finished_spans() const { return store_->finished_spans(); }
  std::optional<SpanData> find(std::string_view name) const { return store_->find(name); }
  void clear() { store_->clear(); }

  /// Stores deep copies; reports capacity drops as `rejected_spans`.
  ExportResult export_spans(ArrayView<const SpanData*> spans) noexcept override;
  /// Later exports fail; the stored spans stay readable.
  bool shutdown(Deadline deadline) noexcept override;
  /// "in_memory".
  std::string_view name() const noexcept override { return "in_memory"; }

 private:
  std::shared_ptr<InMemorySpanStore> store_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace hoptrace::sdk
