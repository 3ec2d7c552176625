#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

namespace hoptrace {

/// A typed attribute value as passed into the API: bool, 64-bit integer, double or string.
/// It never owns: strings are views that the recording span copies before the call returns, so
/// callers may pass temporaries.
class AttributeValue {
 public:
  enum class Type : std::uint8_t { kBool, kInt, kDouble, kString };

  constexpr AttributeValue(bool v) noexcept : type_(Type::kBool) { u_.b = v; }  // NOLINT
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T> &&
                                                    !std::is_same_v<T, bool>>>
  constexpr AttributeValue(T v) noexcept : type_(Type::kInt) {  // NOLINT
    u_.i = static_cast<std::int64_t>(v);
  }
  constexpr AttributeValue(double v) noexcept : type_(Type::kDouble) { u_.d = v; }  // NOLINT
  constexpr AttributeValue(std::string_view v) noexcept : type_(Type::kString) {  // NOLINT
    u_.s.data = v.data();
    u_.s.size = v.size();
  }
  constexpr AttributeValue(const char* v) noexcept  // NOLINT
      : AttributeValue(std::string_view(v)) {}

  constexpr Type type() const noexcept { return type_; }
  constexpr bool as_bool() const noexcept { return u_.b; }
  constexpr std::int64_t as_int() const noexcept { return u_.i; }
  constexpr double as_double() const noexcept { return u_.d; }
  constexpr std::string_view as_string() const noexcept {
    return std::string_view(u_.s.data, u_.s.size);
  }

 private:
  union Storage {
    bool b;
    std::int64_t i;
    double d;
    struct {
      const char* data;
      std::size_t size;
    } s;
    constexpr Storage() noexcept : i(0) {}
  } u_;
  Type type_;
};

/// A key and a value, both borrowed for the duration of the call they are passed to.
struct Attribute {
  std::string_view key;
  AttributeValue value;
};

}  // namespace hoptrace
