#pragma once

#include <cstddef>
#include <string_view>

namespace hoptrace::messaging {

/// True when `bytes` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates
/// (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence. The empty string is valid.
/// Never allocates; O(n).
bool is_valid_utf8(std::string_view bytes) noexcept;

/// The largest length `<= max_bytes` at which `text` can be cut without splitting a UTF-8
/// sequence. Ill-formed input is still cut at some length `<= max_bytes`, never past it.
/// Returns `text.size()` when it already fits.
std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) noexcept;

}  // namespace hoptrace::messaging
