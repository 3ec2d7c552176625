#pragma once

// Decodes protobuf bytes with Debian's `protoc` (an implementation independent of hoptrace's
// encoder) and parses protoc's text output into a tree the tests can walk field by field.

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hoptrace::otlp::testing {

/// One field of protoc's text format: a scalar (`name: value`, strings unescaped to bytes) or
/// a message (`name { ... }`).
struct TextNode {
  std::string scalar;
  std::vector<std::pair<std::string, TextNode>> fields;

  /// Every field called `name`, in order.
  std::vector<const TextNode*> all(const std::string& name) const;
  /// The only field called `name`; throws std::runtime_error when there is not exactly one.
  const TextNode& one(const std::string& name) const;
  /// The scalar of field `name`, or `fallback` when absent.
  std::string value(const std::string& name, const std::string& fallback = "") const;
  bool has(const std::string& name) const { return !all(name).empty(); }
};

/// Path of protoc, or nullopt when it is not installed.
std::optional<std::string> find_protoc();

/// `protoc --decode_raw`. nullopt when protoc fails (its stderr goes to the test log).
std::optional<TextNode> decode_raw(const std::string& bytes);
/// `protoc --decode <message_type>` against the OTLP schema subset in tests/otlp/proto.
std::optional<TextNode> decode_otlp(const std::string& bytes, const std::string& message_type);

/// Parses protoc's text format; throws std::runtime_error on anything unexpected.
TextNode parse_text_format(const std::string& text);

}  // namespace hoptrace::otlp::testing

/// Skips the calling test when protoc is missing, or fails it under HOPTRACE_REQUIRE_BROKERS=1
/// (CI installs protobuf-compiler, so a missing protoc there is a broken setup).
#define HOPTRACE_REQUIRE_PROTOC()                                                 \
  do {                                                                            \
    if (!::hoptrace::otlp::testing::find_protoc()) {                              \
      const char* require = std::getenv("HOPTRACE_REQUIRE_BROKERS");              \
      if (require != nullptr && std::string(require) == "1") {                    \
        FAIL() << "protoc is missing (apt-get install protobuf-compiler) and "    \
                  "HOPTRACE_REQUIRE_BROKERS=1";                                   \
      }                                                                           \
      GTEST_SKIP() << "protoc not installed (apt-get install protobuf-compiler)"; \
    }                                                                             \
  } while (false)
