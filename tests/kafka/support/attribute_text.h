#pragma once

// Attributes as "key=value" text, so two attribute lists compare as lists of strings and a
// difference prints readably.

#include <string>
#include <vector>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/attribute.h"

namespace hoptrace::kafka::testing {

/// "key=value": strings as they are, integers and doubles by std::to_string, booleans as
/// "true" or "false".
std::string attribute_text(const Attribute& attribute);

/// attribute_text of each attribute, in order.
std::vector<std::string> attribute_texts(ArrayView<Attribute> attributes);

}  // namespace hoptrace::kafka::testing
