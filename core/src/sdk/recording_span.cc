#include "sdk/recording_span.h"

#include <new>
#include <utility>

#include "hoptrace/core/sdk/span_data_pool.h"

namespace hoptrace::sdk::detail {

// Ended recorders are kept per thread: a span usually ends on the thread that started it, so
// the next start finds one here without touching the allocator or any shared state. The list
// is intrusive and generous: a producer with thousands of messages awaiting their delivery
// report has that many recorders open, and a small cache would send nearly every one of them
// back to malloc. Its bound only limits what a thread keeps after a peak (about 1 MiB).
struct RecorderCache {
  static constexpr std::size_t kMaxIdle = 16384;
  RecordingSpan* head = nullptr;
  std::size_t size = 0;

  ~RecorderCache() {
    while (head != nullptr) delete std::exchange(head, head->next_idle_);
  }
  RecordingSpan* take() noexcept {
    if (head == nullptr) return new (std::nothrow) RecordingSpan();
    --size;
    return std::exchange(head, head->next_idle_);
  }
  void give(RecordingSpan* r) noexcept {
    if (size == kMaxIdle) {
      delete r;
      return;
    }
    r->next_idle_ = head;
    head = r;
    ++size;
  }
};

namespace {
thread_local RecorderCache t_recorders;
}  // namespace

RecordingSpan* RecordingSpan::acquire() noexcept { return t_recorders.take(); }

void RecordingSpan::set_attribute(std::string_view key, AttributeValue value) noexcept {
  if (!data_) return;
  data_->attributes.set(key, value, state_->limits.attribute_count,
                        state_->limits.attribute_value_length);
}

void RecordingSpan::add_event(std::string_view name, ArrayView<Attribute> attributes,
                              Timestamp time) noexcept {
  if (!data_) return;
  SpanData& d = *data_;
  const SpanLimits& limits = state_->limits;
  if (d.events.size() >= limits.event_count) {
    ++d.dropped_events;
    return;
  }
  try {
    EventData e;
    e.name.assign(name.data(), name.size());
    e.time = time != Timestamp{} ? time : SpanClock::wall_time_of(SpanClock::now());
    e.first_attribute =
        d.extra_attributes.append(attributes, limits.attributes_per_event,
                                  limits.attribute_value_length, &e.dropped_attributes);
    e.attribute_count = static_cast<std::uint32_t>(d.extra_attributes.size() - e.first_attribute);
    d.events.push_back(std::move(e));
  } catch (...) {  // out of memory: lose the event, count it
    ++d.dropped_events;
  }
}

void RecordingSpan::record_link(SpanData& data, const SpanLimits& limits,
                                const SpanContext& context,
                                ArrayView<Attribute> attributes) noexcept {
  if (data.links.size() >= limits.link_count) {
    ++data.dropped_links;
    return;
  }
  try {
    LinkData l;
    l.context = context;
    l.first_attribute =
        data.extra_attributes.append(attributes, limits.attributes_per_link,
                                     limits.attribute_value_length, &l.dropped_attributes);
    l.attribute_count =
        static_cast<std::uint32_t>(data.extra_attributes.size() - l.first_attribute);
    data.links.push_back(std::move(l));
  } catch (...) {
    ++data.dropped_links;
  }
}

void RecordingSpan::add_link(const SpanContext& context, ArrayView<Attribute> attributes) noexcept {
  if (!data_) return;
  record_link(*data_, state_->limits, context, attributes);
}

void RecordingSpan::set_status(StatusCode code, std::string_view description) noexcept {
  if (!data_) return;
  SpanData& d = *data_;
  // OTel: Ok is final, Unset never overrides, and a description only goes with Error.
  if (d.status == StatusCode::kOk || code == StatusCode::kUnset) return;
  d.status = code;
  if (code == StatusCode::kError) {
    try {
      d.status_description.assign(description.data(), description.size());
    } catch (...) {
      d.status_description.clear();
    }
  } else {
    d.status_description.clear();
  }
}

void RecordingSpan::update_name(std::string_view name) noexcept {
  if (!data_) return;
  try {
    data_->name.assign(name.data(), name.size());
  } catch (...) {  // keep the old name
  }
}

void RecordingSpan::end(Timestamp time) noexcept {
  if (!data_) return;
  std::unique_ptr<SpanData> data = std::move(data_);
  const ProcessorList* processors = processors_;
  if (time != Timestamp{}) {
    data->end_time = time;
  } else {
    // The span clock measures the duration, so a wall-clock step during the span cannot make
    // it negative.
    data->end_time = data->start_time + SpanClock::elapsed(start_, SpanClock::now_like(start_));
  }
  state_ = nullptr;
  processors_ = nullptr;
  t_recorders.give(this);  // nothing below touches this object

  if (processors == nullptr || processors->all.empty()) {
    SpanDataPool::release(std::move(data));
    return;
  }
  const std::vector<SpanProcessor*>& all = processors->all;
  const std::size_t last = all.size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    std::unique_ptr<SpanData> copy;
    try {
      copy.reset(new SpanData(*data));
    } catch (...) {  // this processor misses the span; the others still get it
      continue;
    }
    all[i]->on_end(std::move(copy));
  }
  all[last]->on_end(std::move(data));
}

}  // namespace hoptrace::sdk::detail
