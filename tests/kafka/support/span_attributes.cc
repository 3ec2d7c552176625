#include "span_attributes.h"

namespace hoptrace::kafka::testing {

std::optional<AttributeValue> attribute(const sdk::SpanData& span, std::string_view key) {
  for (std::size_t i = 0; i < span.attributes.size(); ++i) {
    const Attribute a = span.attributes.at(i);
    if (a.key == key) return a.value;
  }
  return std::nullopt;
}

std::string string_attribute(const sdk::SpanData& span, std::string_view key) {
  auto value = attribute(span, key);
  return value && value->type() == AttributeValue::Type::kString ? std::string(value->as_string())
                                                                 : std::string("<unset>");
}

std::int64_t int_attribute(const sdk::SpanData& span, std::string_view key) {
  auto value = attribute(span, key);
  return value && value->type() == AttributeValue::Type::kInt ? value->as_int() : -12345;
}

}  // namespace hoptrace::kafka::testing
