#include "hoptrace/core/carrier.h"

namespace hoptrace {

bool CarrierWriter::set_and_remove(std::string_view key, std::string_view value,
                                   ArrayView<std::string_view> remove_keys) noexcept {
  // Removing first means a key listed in both is set, as documented.
  for (std::string_view k : remove_keys) remove(k);
  return set(key, value);
}

}  // namespace hoptrace
