#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoptrace::otlp {

/// The OTLP/HTTP body encoding (OTEL_EXPORTER_OTLP_PROTOCOL). `grpc` is not supported: it is
/// reported once and http/protobuf is used instead.
enum class OtlpProtocol : std::uint8_t {
  kHttpProtobuf,  ///< `http/protobuf`, Content-Type application/x-protobuf (the default)
  kHttpJson,      ///< `http/json`, Content-Type application/json
};

/// Request body compression (OTEL_EXPORTER_OTLP_COMPRESSION).
enum class OtlpCompression : std::uint8_t {
  kNone,  ///< `none` (the default)
  kGzip,  ///< `gzip`: Content-Encoding: gzip, compressed with zlib
};

/// One HTTP header sent with every export request.
struct OtlpHeader {
  std::string name;
  std::string value;
};

/// Backoff between retries of one export (429, 502, 503, 504, connection failures). Each wait
/// is drawn uniformly from [0, backoff] ("full jitter"); backoff starts at `initial_backoff`
/// and is multiplied by `multiplier` after each attempt, up to `max_backoff`. A Retry-After
/// header replaces the drawn wait. No wait ever ends past the export's timeout.
struct OtlpRetryPolicy {
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double multiplier = 1.5;
};

/// Configuration of an OtlpHttpExporter. A field set here wins over the environment; an unset
/// one comes from `OTEL_EXPORTER_OTLP_TRACES_*`, else `OTEL_EXPORTER_OTLP_*`, else the
/// OpenTelemetry default (see exporters/otlp/README.md for the full table).
struct OtlpHttpExporterOptions {
  /// The full URL spans are POSTed to, used as-is (like OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
  /// e.g. `http://collector:4318/v1/traces`. Must be http:// or https://.
  /// Default: OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`, else http://localhost:4318/v1/traces.
  std::optional<std::string> endpoint;
  /// Default: OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL, else http/protobuf.
  std::optional<OtlpProtocol> protocol;
  /// Merged over the headers from OTEL_EXPORTER_OTLP[_TRACES]_HEADERS: a header named here
  /// (case-insensitive) replaces the one from the environment, others are added.
  std::vector<OtlpHeader> headers;
  /// Bound for one export_spans call, retries and waits included.
  /// Default: OTEL_EXPORTER_OTLP[_TRACES]_TIMEOUT, else 10000 ms.
  std::optional<std::chrono::milliseconds> timeout;
  /// Default: OTEL_EXPORTER_OTLP[_TRACES]_COMPRESSION, else none.
  std::optional<OtlpCompression> compression;
  /// PEM file of the CA(s) that verify an https receiver (default: the system's store).
  /// Default: OTEL_EXPORTER_OTLP[_TRACES]_CERTIFICATE.
  std::optional<std::string> certificate_file;
  /// PEM client private key for mutual TLS. OTEL_EXPORTER_OTLP[_TRACES]_CLIENT_KEY.
  std::optional<std::string> client_key_file;
  /// PEM client certificate chain for mutual TLS. OTEL_EXPORTER_OTLP[_TRACES]_CLIENT_CERTIFICATE.
  std::optional<std::string> client_certificate_file;
  /// Backoff tuning (no environment variable exists for it).
  OtlpRetryPolicy retry;
  /// Requests whose encoded body (before compression) is larger are not sent; their spans are
  /// counted as too large. The OTLP limit, 64 MiB, is the default and the maximum.
  std::size_t max_request_bytes = 64u << 20;
};

/// The values an OtlpHttpExporter runs with, every field resolved.
struct OtlpHttpExporterSettings {
  std::string url = "http://localhost:4318/v1/traces";
  OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf;
  std::vector<OtlpHeader> headers;
  std::chrono::milliseconds timeout{10000};
  OtlpCompression compression = OtlpCompression::kNone;
  std::string certificate_file;
  std::string client_key_file;
  std::string client_certificate_file;
  OtlpRetryPolicy retry;
  std::size_t max_request_bytes = 64u << 20;

  /// Resolves `options` against the environment (spec: OTLP exporter configuration). An
  /// environment value that cannot be used (a URL that is not http(s), a malformed header list,
  /// a timeout that is not a positive integer, an unknown protocol or compression, a
  /// certificate file that cannot be read) is reported once per process on stderr, naming the
  /// variable and what is used instead, and ignored. Throws ConfigError for an unusable value
  /// given in code (bad endpoint URL, zero timeout, header name or value that cannot be sent,
  /// retry policy out of range, max_request_bytes zero or above 64 MiB).
  static OtlpHttpExporterSettings resolve(const OtlpHttpExporterOptions& options = {});
};

std::string_view to_string(OtlpProtocol protocol) noexcept;
std::string_view to_string(OtlpCompression compression) noexcept;

}  // namespace hoptrace::otlp
