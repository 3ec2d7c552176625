#!/usr/bin/env bash
# The main job: runs the example order pipeline
#   checkout --(Kafka: orders)--> payment --(Kafka: payments)--> ledger
# on librdkafka's embedded mock cluster (the real Kafka protocol, in-process), writes every span
# to out/spans.jsonl (OTLP JSON lines) and draws the traces with `hoptrace tree`.
# With OTEL_EXPORTER_OTLP_ENDPOINT set, the spans also go to that collector.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build="$root/build/gcc"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHOPTRACE_WITH_KAFKA=ON -DHOPTRACE_BUILD_EXAMPLES=ON -DHOPTRACE_BUILD_TOOLS=ON >/dev/null
cmake --build "$build" --target order_pipeline hoptrace_cli >/dev/null

mkdir -p "$root/out"
rm -f "$root/out/spans.jsonl"
cd "$root"
"$build/examples/order_pipeline/order_pipeline" out/spans.jsonl
echo
"$build/tools/hoptrace" tree out/spans.jsonl
