#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/span.h"

namespace hoptrace::messaging {

/// `messaging.operation.type`: what a messaging span does (semconv v1.44, spec §1.2).
enum class OperationType : std::uint8_t {
  kCreate,   ///< a message is created or handed to the client; always one message
  kSend,     ///< 1..N messages sent to an intermediary
  kReceive,  ///< pull: the application asks for messages (receive, poll)
  kProcess,  ///< push: a handler processes message(s)
  kSettle,   ///< ack, nack, commit...
};

/// The semconv value of `messaging.operation.type`: `create`, `send`, `receive`, `process`,
/// `settle`. The view is static.
constexpr std::string_view to_string(OperationType type) noexcept {
  switch (type) {
    case OperationType::kCreate:
      return "create";
    case OperationType::kSend:
      return "send";
    case OperationType::kReceive:
      return "receive";
    case OperationType::kProcess:
      return "process";
    case OperationType::kSettle:
      return "settle";
  }
  return "process";
}

/// Parses a semconv operation type value (exact, lowercase); nullopt for anything else.
constexpr std::optional<OperationType> parse_operation_type(std::string_view value) noexcept {
  if (value == "create") return OperationType::kCreate;
  if (value == "send") return OperationType::kSend;
  if (value == "receive") return OperationType::kReceive;
  if (value == "process") return OperationType::kProcess;
  if (value == "settle") return OperationType::kSettle;
  return std::nullopt;
}

/// Whether a Send span's own context is what goes into the messages as their creation context.
/// Semconv v1.44 has two Send spans: `messaging.send.producer` (its context is injected, so it
/// is a PRODUCER) and `messaging.send.client` (Create spans were injected instead and the Send
/// span only links to them, so it is a CLIENT).
enum class SendContextUse : std::uint8_t {
  kInjectedAsCreationContext,  ///< single-message send, or batch send without Create spans
  kLinksToCreateSpans,         ///< batch send whose messages carry their own Create span context
};

/// The span kind of an operation: create -> PRODUCER; send -> PRODUCER or CLIENT per `send_use`;
/// receive, settle -> CLIENT; process -> CONSUMER.
constexpr SpanKind span_kind(
    OperationType type,
    SendContextUse send_use = SendContextUse::kInjectedAsCreationContext) noexcept {
  switch (type) {
    case OperationType::kCreate:
      return SpanKind::kProducer;
    case OperationType::kSend:
      return send_use == SendContextUse::kInjectedAsCreationContext ? SpanKind::kProducer
                                                                    : SpanKind::kClient;
    case OperationType::kReceive:
    case OperationType::kSettle:
      return SpanKind::kClient;
    case OperationType::kProcess:
      return SpanKind::kConsumer;
  }
  return SpanKind::kInternal;
}

/// Common system-specific `messaging.operation.name` values (semconv examples). Any
/// low-cardinality name the client library uses is allowed.
namespace operation_name {
inline constexpr std::string_view kCreate = "create";
inline constexpr std::string_view kSend = "send";
inline constexpr std::string_view kPublish = "publish";
inline constexpr std::string_view kPoll = "poll";
inline constexpr std::string_view kReceive = "receive";
inline constexpr std::string_view kProcess = "process";
inline constexpr std::string_view kConsume = "consume";
inline constexpr std::string_view kAck = "ack";
inline constexpr std::string_view kNack = "nack";
inline constexpr std::string_view kCommit = "commit";
inline constexpr std::string_view kSettle = "settle";
}  // namespace operation_name

}  // namespace hoptrace::messaging
