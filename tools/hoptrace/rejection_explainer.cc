#include "rejection_explainer.h"

#include <string_view>
#include <vector>

#include "hoptrace/core/baggage.h"
#include "hoptrace/core/trace_state.h"
#include "text_layout.h"

namespace hoptrace::cli {
namespace {

constexpr std::size_t kTraceParentLength = 55;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string quote(std::string_view value) {
  std::string text = printable(value.size() > 80 ? value.substr(0, 77) : value);
  if (value.size() > 80) text += "...";
  return "\"" + text + "\"";
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool is_upper_hex(char c) { return c >= 'A' && c <= 'F'; }

bool all_zeros(std::string_view hex) {
  return hex.find_first_not_of('0') == std::string_view::npos;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

// Empty when `hex` is lowercase hex; otherwise what is wrong with it.
std::string lower_hex_problem(std::string_view name, std::string_view hex) {
  bool upper = false;
  for (char c : hex) {
    if (is_upper_hex(c)) {
      upper = true;
    } else if (!is_lower_hex(c)) {
      return std::string(name) + " " + quote(hex) + " has a character that is not a hex digit";
    }
  }
  if (upper) {
    return std::string(name) + " " + quote(hex) +
           " has uppercase hex digits; W3C allows only lowercase";
  }
  return {};
}

std::string explain_traceparent(std::string_view raw) {
  const std::string_view v = trim(raw);
  const std::string prefix = "traceparent: ";
  if (v.empty()) return prefix + "the value is empty";
  if (v.size() < 2 || !is_lower_hex(v[0]) || !is_lower_hex(v[1])) {
    return prefix + "version " + quote(v.substr(0, 2)) + " is not two lowercase hex digits";
  }
  const std::string_view version = v.substr(0, 2);
  if (version == "ff") return prefix + "version ff is forbidden";
  const std::string shape = "; expected 00-{32 hex trace-id}-{16 hex parent-id}-{2 hex flags}";
  if (v.size() < kTraceParentLength) {
    return prefix + "too short: " + std::to_string(v.size()) + " characters where version " +
           std::string(version) + " needs 55" + shape;
  }
  if (version == "00" && v.size() != kTraceParentLength) {
    return prefix + std::to_string(v.size()) +
           " characters where version 00 has exactly 55: unexpected " +
           quote(v.substr(kTraceParentLength)) + " after the flags";
  }
  if (version != "00" && v.size() > kTraceParentLength && v[kTraceParentLength] != '-') {
    return prefix + "unexpected " + quote(v.substr(kTraceParentLength)) +
           " after the flags; a later version may only add fields after a '-'";
  }
  if (v[2] != '-' || v[35] != '-' || v[52] != '-') {
    return prefix + "fields are not separated by '-' where expected" + shape;
  }
  const std::string_view trace_id = v.substr(3, 32);
  const std::string_view parent_id = v.substr(36, 16);
  const std::string_view flags = v.substr(53, 2);
  for (const auto& [name, hex] :
       {std::pair<std::string_view, std::string_view>{"trace-id", trace_id},
        {"parent-id", parent_id},
        {"trace-flags", flags}}) {
    std::string problem = lower_hex_problem(name, hex);
    if (!problem.empty()) return prefix + problem;
  }
  if (all_zeros(trace_id)) return prefix + "trace-id is all zeros";
  if (all_zeros(parent_id)) return prefix + "parent-id is all zeros";
  return prefix + "malformed " + quote(v) + shape;
}

std::string trace_state_problem(std::string_view value) {
  TraceStateError error = TraceStateError::kNone;
  TraceState::parse(value, &error);
  switch (error) {
    case TraceStateError::kTooLong:
      return "longer than " + std::to_string(TraceState::kMaxHeaderLength) + " characters";
    case TraceStateError::kTooManyMembers:
      return "more than " + std::to_string(TraceState::kMaxMembers) + " members";
    default:
      break;
  }
  // Name the first member that fails alone.
  for (std::string_view member : split(value, ',')) {
    TraceStateError member_error = TraceStateError::kNone;
    TraceState::parse(member, &member_error);
    const std::string what = "member " + quote(trim(member));
    switch (member_error) {
      case TraceStateError::kInvalidKey:
        return what + " has an invalid key (lowercase letters, digits, _ - * / @; at most 256)";
      case TraceStateError::kInvalidValue:
        return what + " has an invalid value (1 to 256 printable ASCII characters, no ',' '=')";
      case TraceStateError::kMissingEquals:
        return what + " is not key=value";
      default:
        break;
    }
  }
  return "it breaks the tracestate grammar";
}

std::string baggage_problem(std::string_view value) {
  BaggageError error = BaggageError::kNone;
  Baggage::parse(value, &error);
  switch (error) {
    case BaggageError::kTooManyMembers:
      return "members past " + std::to_string(Baggage::kMaxMembers) + " were dropped";
    case BaggageError::kTooLong:
      return "members past " + std::to_string(Baggage::kMaxTotalBytes) + " bytes were dropped";
    default:
      break;
  }
  std::vector<std::string> bad;
  for (std::string_view member : split(value, ',')) {
    if (trim(member).empty()) continue;
    BaggageError member_error = BaggageError::kNone;
    Baggage::parse(member, &member_error);
    if (member_error != BaggageError::kNone) bad.push_back(quote(trim(member)));
  }
  if (bad.empty()) return "a member was dropped";
  std::string text = bad.size() == 1 ? "dropped member " : "dropped members ";
  for (std::size_t i = 0; i < bad.size(); ++i) text += (i > 0 ? ", " : "") + bad[i];
  return text +
         " (not key=value, or a character that must be percent-encoded); the others are kept";
}

std::string explain_xray(std::string_view raw, RejectReason reason) {
  const std::string prefix = "x-amzn-trace-id: ";
  const std::string shape = "; expected Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}";
  const std::string_view v = trim(raw);
  if (reason == RejectReason::kDuplicate) return prefix + "Root, Parent or Sampled appears twice";
  if (reason == RejectReason::kInvalidId) return prefix + "the Root or Parent id is all zeros";
  for (char c : v) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte >= 0x7F) {
      return prefix + "contains a control or non-ASCII byte";
    }
  }
  bool root = false;
  bool parent = false;
  for (std::string_view part : split(v, ';')) {
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key(trim(part.substr(0, eq)));
    const std::string_view val = trim(part.substr(eq + 1));
    std::string lower;
    for (char c : key) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "root") root = true;
    if (lower == "parent") parent = true;
    if (lower == "sampled" && val != "0" && val != "1") {
      return prefix + "Sampled=" + std::string(printable(val)) +
             " is not 0 or 1 (OpenTelemetry treats a deferred decision as invalid)";
    }
  }
  if (!root) return prefix + "no Root=" + shape;
  if (!parent) return prefix + "no Parent=" + shape;
  return prefix + "malformed " + quote(v) + shape;
}

}  // namespace

std::string explain(const Rejection& r) {
  const std::string prefix = r.field + ": ";
  if (r.reason == RejectReason::kOversized) {
    return prefix +
           (r.value.empty() ? std::string("too long")
                            : std::to_string(r.value.size()) + " bytes, too long") +
           "; not read";
  }
  if (r.reason == RejectReason::kDuplicate && r.format != PropagationFormat::kXRay) {
    return prefix + "sent " + std::to_string(r.occurrences) + " times; several " + r.field +
           " headers make the context invalid (send exactly one)";
  }
  switch (r.format) {
    case PropagationFormat::kTraceContext:
      if (r.reason == RejectReason::kInvalidTraceState || r.field == "tracestate") {
        return "tracestate: discarded whole (the traceparent is kept): " +
               trace_state_problem(r.value);
      }
      return explain_traceparent(r.value);
    case PropagationFormat::kBaggage:
      return "baggage: " + baggage_problem(r.value);
    case PropagationFormat::kB3:
      if (r.reason == RejectReason::kInvalidId) return prefix + "trace id or span id is all zeros";
      return prefix + "malformed " + quote(trim(r.value)) +
             "; expected {trace-id}-{span-id}[-{1|0|d}[-{parent-span-id}]] with a 16 or 32 hex "
             "digit trace-id and a 16 hex digit span-id";
    case PropagationFormat::kB3Multi:
      if (r.occurrences == 0) {
        return prefix + "missing; x-b3-traceid and x-b3-spanid must come together";
      }
      if (r.reason == RejectReason::kInvalidId) return prefix + "is all zeros";
      if (r.field == "x-b3-sampled") {
        return prefix + quote(trim(r.value)) +
               " is not 1, 0, true or false; the sampling decision is deferred";
      }
      return prefix + quote(trim(r.value)) + " is not " +
             (r.field == "x-b3-traceid" ? "16 or 32" : "16") + " hex digits";
    case PropagationFormat::kJaeger:
      if (r.reason == RejectReason::kDroppedMember) {
        return prefix +
               "baggage entry dropped (the key must be a token, the value "
               "percent-encoded, within the baggage limits)";
      }
      if (r.reason == RejectReason::kInvalidId) return prefix + "trace id or span id is zero";
      return prefix + "malformed " + quote(trim(r.value)) +
             "; expected {trace-id}:{span-id}:{parent-span-id}:{flags} in hex";
    case PropagationFormat::kXRay:
      return explain_xray(r.value, r.reason);
    case PropagationFormat::kCount_:
      break;
  }
  return prefix + std::string(to_string(r.reason));
}

}  // namespace hoptrace::cli
