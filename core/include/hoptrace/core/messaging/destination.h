#pragma once

#include <string_view>

namespace hoptrace::messaging {

/// Where a messaging operation sends to or receives from. All views are borrowed: they must
/// outlive every object built from this Destination (span names copy; attribute lists borrow).
struct Destination {
  /// `messaging.destination.name`: the queue/topic, unique within the broker. Empty when the
  /// operation has no destination (e.g. a poll over several topics).
  std::string_view name;
  /// `messaging.destination.template`: set only when a low-cardinality template is known. Never
  /// copy the name here unless its cardinality is known to be low.
  std::string_view template_name;
  /// `messaging.destination.temporary`: the destination lives only as long as its client.
  bool temporary = false;
  /// `messaging.destination.anonymous`: the broker generated the name.
  bool anonymous = false;

  /// True when the operation targets a destination (even a temporary or anonymous one whose
  /// name is unknown). Operations without one may be named after the server address.
  constexpr bool has_destination() const noexcept {
    return !name.empty() || !template_name.empty() || temporary || anonymous;
  }
};

}  // namespace hoptrace::messaging
