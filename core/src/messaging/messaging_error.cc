#include "hoptrace/core/messaging/messaging_error.h"

#include "hoptrace/core/messaging/attributes.h"

namespace hoptrace::messaging {

std::string_view sanitize_error_type(std::string_view error_type) noexcept {
  constexpr std::size_t kMaxLength = 64;
  if (error_type.empty() || error_type.size() > kMaxLength) return kErrorTypeOther;
  for (const char c : error_type) {
    // Printable ASCII without space: names and codes pass, sentences and binary do not.
    if (c <= ' ' || c > '~') return kErrorTypeOther;
  }
  return error_type;
}

void set_messaging_error(Span& span, std::string_view error_type,
                         std::string_view description) noexcept {
  span.set_attribute(attr::kErrorType, sanitize_error_type(error_type));
  span.set_status(StatusCode::kError, description);
}

}  // namespace hoptrace::messaging
