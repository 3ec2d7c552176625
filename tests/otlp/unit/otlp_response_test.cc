// Reading receivers' answers: Retry-After, partial_success and error statuses, in both
// encodings, including malformed bodies (never a crash, at worst nothing parsed).

#include "otlp_response.h"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "protobuf_wire.h"

namespace hoptrace::otlp {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// Sun, 06 Nov 1994 08:49:37 GMT, the date RFC 9110 uses in its examples.
const system_clock::time_point kDate = system_clock::from_time_t(784111777);

TEST(OtlpRetryAfter, DelaySeconds) {
  EXPECT_EQ(parse_retry_after("120", kDate), milliseconds(120000));
  EXPECT_EQ(parse_retry_after(" 0 \r\n", kDate), milliseconds(0));
  EXPECT_EQ(parse_retry_after("99999999999999999999999", kDate),
            milliseconds(86400LL * 365 * 1000));  // saturates; the timeout bounds it anyway
}

TEST(OtlpRetryAfter, HttpDateInAllThreeForms) {
  const auto now = kDate - std::chrono::seconds(30);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), milliseconds(30000));
  // A date already past means "retry now".
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kDate + std::chrono::hours(1)),
            milliseconds(0));
}

TEST(OtlpRetryAfter, GarbageIsIgnored) {
  EXPECT_FALSE(parse_retry_after("", kDate));
  EXPECT_FALSE(parse_retry_after("5s", kDate));
  EXPECT_FALSE(parse_retry_after("-5", kDate));
  EXPECT_FALSE(parse_retry_after("soon", kDate));
}

std::string protobuf_partial_success(std::int64_t rejected, const std::string& message) {
  std::string out;
  const std::size_t body = wire::begin_message(1, out);
  wire::put_uint(1, static_cast<std::uint64_t>(rejected), out);
  wire::put_string(2, message, out);
  wire::end_message(body, out);
  return out;
}

TEST(OtlpPartialSuccess, Protobuf) {
  const auto ps = parse_partial_success(protobuf_partial_success(3, "3 spans had no name"),
                                        OtlpProtocol::kHttpProtobuf);
  ASSERT_TRUE(ps);
  EXPECT_EQ(ps->rejected_spans, 3);
  EXPECT_EQ(ps->error_message, "3 spans had no name");
  EXPECT_FALSE(parse_partial_success("", OtlpProtocol::kHttpProtobuf));
  // An unknown field before partial_success is skipped.
  std::string with_unknown;
  wire::put_string(7, "future", with_unknown);
  with_unknown += protobuf_partial_success(1, "");
  EXPECT_EQ(parse_partial_success(with_unknown, OtlpProtocol::kHttpProtobuf)->rejected_spans, 1);
}

TEST(OtlpPartialSuccess, MalformedProtobufNeverReadsOutOfBounds) {
  const std::string good = protobuf_partial_success(5, "message");
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    const auto ps = parse_partial_success(good.substr(0, cut), OtlpProtocol::kHttpProtobuf);
    if (ps) {
      EXPECT_LE(ps->rejected_spans, 5);
    }
  }
  EXPECT_FALSE(parse_partial_success(std::string(11, '\xff'), OtlpProtocol::kHttpProtobuf));
}

TEST(OtlpPartialSuccess, Json) {
  auto ps = parse_partial_success(
      R"({"partialSuccess":{"rejectedSpans":"4","errorMessage":"bad \"ids\""}})",
      OtlpProtocol::kHttpJson);
  ASSERT_TRUE(ps);
  EXPECT_EQ(ps->rejected_spans, 4);
  EXPECT_EQ(ps->error_message, "bad \"ids\"");
  ps = parse_partial_success(R"({ "partialSuccess" : { "rejectedSpans" : 2 } })",
                             OtlpProtocol::kHttpJson);
  ASSERT_TRUE(ps);
  EXPECT_EQ(ps->rejected_spans, 2);
  EXPECT_FALSE(parse_partial_success("{}", OtlpProtocol::kHttpJson));
  EXPECT_FALSE(parse_partial_success(R"({"partialSuccess":)", OtlpProtocol::kHttpJson));
}

TEST(OtlpStatusMessage, ProtobufAndJsonErrorBodies) {
  std::string status;
  wire::put_uint(1, 3, status);
  wire::put_string(2, "invalid span id\nlength", status);
  EXPECT_EQ(parse_status_message(status, OtlpProtocol::kHttpProtobuf), "invalid span id length");
  EXPECT_EQ(parse_status_message(R"({"code":3,"message":"bad trace id"})", OtlpProtocol::kHttpJson),
            "bad trace id");
  EXPECT_EQ(parse_status_message("<html>oops</html>", OtlpProtocol::kHttpJson), "");
  EXPECT_EQ(parse_status_message(std::string(300, 'x'), OtlpProtocol::kHttpProtobuf), "");
}

TEST(OtlpStatus, OnlyTheOtlpRetryableStatusesAreRetried) {
  for (long s : {429L, 502L, 503L, 504L}) EXPECT_TRUE(is_retryable_status(s)) << s;
  for (long s : {200L, 400L, 401L, 403L, 404L, 408L, 413L, 500L, 501L}) {
    EXPECT_FALSE(is_retryable_status(s)) << s;
  }
}

}  // namespace
}  // namespace hoptrace::otlp
