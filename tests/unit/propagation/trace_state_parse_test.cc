// The tracestate fast path (normal form) against the general parser: whatever the fast path
// accepts, the general parser must accept unchanged, and TraceState::parse must always agree
// with the general parser.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "hoptrace/core/trace_state.h"
#include "trace_state_data.h"

namespace hoptrace {
namespace {

struct Outcome {
  std::string header;
  std::size_t size;
  TraceStateError error;
};

Outcome general(std::string_view input) {
  TraceStateError error = TraceStateError::kNone;
  const TraceState ts = detail::parse_trace_state_general(input, &error);
  return {std::string(ts.header()), ts.size(), error};
}

// Random headers near normal form: mostly valid members, sometimes whitespace, empty members,
// duplicates, bad characters, over-long keys or values, or too many members.
class HeaderGenerator {
 public:
  explicit HeaderGenerator(std::uint32_t seed) : rng_(seed) {}

  std::string next() {
    std::string out;
    const int members = pick(0, 9) == 0 ? pick(30, 34) : pick(0, 6);
    for (int i = 0; i < members; ++i) {
      if (i > 0) out += separator();
      out += key();
      out += rare() ? pick_char("= \t:") : '=';
      out += value();
    }
    if (rare()) out += pick_char(", \t");
    if (rare() && !out.empty()) {
      out[static_cast<std::size_t>(pick(0, static_cast<int>(out.size()) - 1))] = any_byte();
    }
    return out;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool rare() { return pick(0, 15) == 0; }
  bool per_char_rare() { return pick(0, 250) == 0; }
  char pick_char(std::string_view from) {
    return from[static_cast<std::size_t>(pick(0, static_cast<int>(from.size()) - 1))];
  }
  char any_byte() { return static_cast<char>(pick(0, 255)); }

  std::string separator() {
    switch (pick(0, 20)) {
      case 0: return ",,";
      case 1: return " ,";
      case 2: return ",\t";
      case 3: return ";";
      default: return ",";
    }
  }
  std::string key() {
    static constexpr std::string_view kPool[] = {"rojo", "congo", "hoptrace", "a", "t@v"};
    if (pick(0, 7) == 0) return std::string(kPool[static_cast<std::size_t>(pick(0, 4))]);  // dups
    if (pick(0, 60) == 0) return std::string(static_cast<std::size_t>(pick(250, 260)), 'k');
    std::string k(1, pick_char(rare() ? "A_-@ 9" : "abcxyz0189"));
    const int length = pick(0, 12);
    for (int i = 0; i < length; ++i) k += pick_char(per_char_rare() ? "ABZ.=, " : "abz09_-*/@");
    return k;
  }
  std::string value() {
    if (pick(0, 40) == 0) return std::string(static_cast<std::size_t>(pick(250, 260)), 'v');
    if (pick(0, 40) == 0) return "";
    std::string v;
    const int length = pick(1, rare() ? 120 : 18);
    for (int i = 0; i < length; ++i) {
      v += per_char_rare() ? static_cast<char>(pick(0x1e, 0x7f))
                           : static_cast<char>(pick(0x21, 0x7e));
    }
    return v;
  }

  std::mt19937 rng_;
};

TEST(TraceStateParseTest, FastPathAgreesWithGeneralParserOnRandomInputs) {
  HeaderGenerator generator(20261205);
  std::size_t fast = 0;
  std::size_t slow = 0;
  for (int i = 0; i < 30000; ++i) {
    const std::string input = generator.next();
    const Outcome expected = general(input);
    TraceState via_fast;
    if (detail::parse_trace_state_normal_form(input, via_fast)) {
      ++fast;
      // Accepted by the fast path: the general parser keeps it verbatim, without error.
      ASSERT_EQ(expected.error, TraceStateError::kNone) << input;
      ASSERT_EQ(expected.header, input) << input;
      ASSERT_EQ(via_fast.header(), input);
      ASSERT_EQ(via_fast.size(), expected.size) << input;
    } else {
      ++slow;
      ASSERT_TRUE(via_fast.empty()) << "the fast path left a partial result for " << input;
    }
    TraceStateError error = TraceStateError::kNone;
    const TraceState parsed = TraceState::parse(input, &error);
    ASSERT_EQ(parsed.header(), expected.header) << input;
    ASSERT_EQ(parsed.size(), expected.size) << input;
    ASSERT_EQ(error, expected.error) << input;
  }
  // Both paths must have been exercised in earnest.
  EXPECT_GT(fast, 4000u);
  EXPECT_GT(slow, 4000u);
}

TEST(TraceStateParseTest, FastPathTakesNormalFormAndLeavesTheRest) {
  TraceState out;
  EXPECT_TRUE(detail::parse_trace_state_normal_form("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", out));
  EXPECT_EQ(out.size(), 2u);
  for (std::string_view other :
       {"", "a=1,", ",a=1", "a=1,,b=2", "a=1 ,b=2", "a=1,a=2", "a= 1", "A=1", "a=1=2", "a",
        "a=", "=1", "a=1;b=2", "a=\x7f"}) {
    TraceState untouched;
    EXPECT_FALSE(detail::parse_trace_state_normal_form(other, untouched)) << other;
    EXPECT_TRUE(untouched.empty());
  }
}

TEST(TraceStateParseTest, FastPathLimitsMatchTheGrammar) {
  const std::string key256(256, 'k');
  const std::string value256(256, 'v');
  TraceState out;
  EXPECT_TRUE(detail::parse_trace_state_normal_form(key256 + "=1", out));
  TraceState out2;
  EXPECT_FALSE(detail::parse_trace_state_normal_form(key256 + "k=1", out2));
  TraceState out3;
  EXPECT_TRUE(detail::parse_trace_state_normal_form("k=" + value256, out3));
  TraceState out4;
  EXPECT_FALSE(detail::parse_trace_state_normal_form("k=" + value256 + "v", out4));
  EXPECT_EQ(general("k=" + value256 + "v").error, TraceStateError::kInvalidValue);

  std::string members;
  for (int i = 0; i < 33; ++i) {
    if (i > 0) members += ',';
    members += "k" + std::to_string(i) + "=1";
    TraceState t;
    EXPECT_EQ(detail::parse_trace_state_normal_form(members, t), i < 32) << i;
  }
  EXPECT_EQ(general(members).error, TraceStateError::kTooManyMembers);
}

}  // namespace
}  // namespace hoptrace
