#include "attribute_text.h"

namespace hoptrace::kafka::testing {

std::string attribute_text(const Attribute& attribute) {
  const AttributeValue& value = attribute.value;
  std::string text(attribute.key);
  text += '=';
  switch (value.type()) {
    case AttributeValue::Type::kString:
      text += std::string(value.as_string());
      break;
    case AttributeValue::Type::kInt:
      text += std::to_string(value.as_int());
      break;
    case AttributeValue::Type::kDouble:
      text += std::to_string(value.as_double());
      break;
    case AttributeValue::Type::kBool:
      text += value.as_bool() ? "true" : "false";
      break;
  }
  return text;
}

std::vector<std::string> attribute_texts(ArrayView<Attribute> attributes) {
  std::vector<std::string> out;
  for (const Attribute& attribute : attributes) out.push_back(attribute_text(attribute));
  return out;
}

}  // namespace hoptrace::kafka::testing
