#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "hoptrace/core/carrier.h"

namespace hoptrace {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// FieldSet::matches written the obvious way, byte by byte: the reference for its word-wise one.
bool reference_matches(const std::vector<std::string>& keys,
                       const std::vector<std::string>& prefixes,
                       const std::vector<std::string>& excluded, std::string_view key) {
  for (const auto& e : excluded) {
    if (same_ignoring_case(e, key)) return false;
  }
  for (const auto& k : keys) {
    if (same_ignoring_case(k, key)) return true;
  }
  for (const auto& p : prefixes) {
    if (key.size() >= p.size() && same_ignoring_case(p, key.substr(0, p.size()))) return true;
  }
  return false;
}

TEST(FieldSetTest, MatchesKeysAndPrefixesIgnoringCase) {
  FieldSet f({"traceparent", "X-B3-TraceId"}, {"uberctx-"});
  f.exclude("x-b3-traceid");
  EXPECT_TRUE(f.matches("traceparent"));
  EXPECT_TRUE(f.matches("TraceParent"));
  EXPECT_TRUE(f.matches("TRACEPARENT"));
  EXPECT_FALSE(f.matches("traceparenT2"));
  EXPECT_FALSE(f.matches("traceparen"));
  EXPECT_FALSE(f.matches("x-b3-traceid"));  // excluded
  EXPECT_TRUE(f.matches("uberctx-"));
  EXPECT_TRUE(f.matches("UberCtx-Tenant"));
  EXPECT_FALSE(f.matches("uberctx"));
  EXPECT_FALSE(f.matches(""));
  // Bytes that differ only in bit 5 but are not letters must not compare equal.
  EXPECT_FALSE(FieldSet({"a-b@c[d]e"}).matches("a\rb`c{d}e"));
  EXPECT_FALSE(FieldSet({"0123456789"}).matches("\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"));
}

// Random keys (mixed case, letters next to the case boundary, lengths around the 8-byte word)
// against random sets: the word-wise compare decides exactly as the byte loop does.
TEST(FieldSetTest, AgreesWithByteWiseReferenceOnRandomKeys) {
  std::mt19937 rng(20261205);
  const std::string alphabet = "aAbBzZ@[`{-_09\x80\xc1\xe1";
  const auto random_name = [&](std::size_t max_length) {
    std::string s(std::uniform_int_distribution<std::size_t>(0, max_length)(rng), 'x');
    for (char& c : s)
      c = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
    return s;
  };
  const auto vary_case = [&](std::string s) {
    for (char& c : s) {
      if (rng() % 2 == 0) continue;
      if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 32);
      else if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c + 32);
    }
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> keys, prefixes, excluded;
    FieldSet f;
    for (int i = 0; i < 6; ++i) {
      keys.push_back(random_name(20));
      f.add_key(keys.back());
    }
    for (int i = 0; i < 2; ++i) {
      prefixes.push_back(random_name(10));
      if (prefixes.back().empty()) prefixes.back() = "p";
      f.add_prefix(prefixes.back());
    }
    excluded.push_back(keys[0]);
    f.exclude(excluded.back());
    for (int probe = 0; probe < 200; ++probe) {
      std::string key;
      switch (probe % 4) {
        case 0:
          key = random_name(20);
          break;
        case 1:
          key = vary_case(keys[static_cast<std::size_t>(probe / 4) % keys.size()]);
          break;
        case 2:
          key = vary_case(prefixes[static_cast<std::size_t>(probe / 4) % 2]) + random_name(6);
          break;
        default: {
          key = keys[static_cast<std::size_t>(probe / 4) % keys.size()];
          if (!key.empty()) key[rng() % key.size()] ^= static_cast<char>(1 << (rng() % 8));
        }
      }
      ASSERT_EQ(f.matches(key), reference_matches(keys, prefixes, excluded, key))
          << "key '" << key << "' round " << round;
    }
  }
}

}  // namespace
}  // namespace hoptrace
