#!/usr/bin/env bash
# Instructions per message of hoptrace_bench_kafka's modes, counted by callgrind: repeatable on a
# noisy machine, where wall throughput is not. For A/B decisions on the adapter.
#
# Usage: bench/kafka/callgrind_kafka.sh BENCH_BINARY [MESSAGES] [OUT_DIR]
#   (defaults: 20000 messages, a temporary directory)
#
# Per mode it prints:
#   total   instructions per message in the application's producer and consumer loops
#           (produce_messages and consume_messages, librdkafka calls made from them included;
#           librdkafka's own threads excluded). Varies by a few hundred between runs with how
#           often the loops wait for librdkafka, so compare `extra` over several runs.
#   adapter the traced clients' calls minus the librdkafka calls they wrap that raw code makes
#           too (produceva, consumer_poll, message_headers, message_destroy, the user's
#           delivery callback): deterministic to a few instructions.
#   sdk     of which SdkTracer::start_span, RecordingSpan::set_attribute and ::end.
set -euo pipefail
bench=${1:?usage: callgrind_kafka.sh BENCH_BINARY [MESSAGES] [OUT_DIR]}
messages=${2:-20000}
out=${3:-$(mktemp -d)}
mkdir -p "$out"
command -v valgrind > /dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
for mode in raw+tp unsampled sampled; do
  file="$out/callgrind.$mode.out"
  HOPTRACE_BENCH_KAFKA_ONLY=$mode valgrind --tool=callgrind --callgrind-out-file="$file" \
    --toggle-collect='*produce_messages*' --toggle-collect='*consume_messages*' \
    "$bench" "$messages" 1 > "$out/$mode.log" 2>&1
  callgrind_annotate --inclusive=yes --threshold=100 "$file" 2> /dev/null |
    python3 -c '
import re, sys
mode, n = sys.argv[1], int(sys.argv[2])
inclusive = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(.*)$", line.rstrip("\n"))
    if not m:
        continue
    name = m.group(2)
    if name.startswith("=>") or not (name.endswith("]") or name == "PROGRAM TOTALS"):
        continue
    inclusive[name] = inclusive.get(name, 0) + int(m.group(1).replace(",", ""))
def cost(part):
    return sum(v for k, v in inclusive.items() if part in k)
adapter = (cost("TracedProducer::produce(") - cost(":rd_kafka_produceva ")
           + cost("TracedConsumer::poll(int)") - cost(":rd_kafka_consumer_poll ")
           - cost(":rd_kafka_message_headers ")
           + cost("ConsumedMessage::~ConsumedMessage()") - cost(":rd_kafka_message_destroy ")
           + cost("traced_delivery(") - cost("on_delivery("))
sdk = (cost("SdkTracer::start_span(") + cost("RecordingSpan::set_attribute(")
       + cost("RecordingSpan::end("))
total = cost("PROGRAM TOTALS")
if mode.startswith("raw"):
    print(f"{mode:10s} total {total / n:8.0f}  instructions/message")
else:
    print(f"{mode:10s} total {total / n:8.0f}  adapter {adapter / n:7.0f}"
          f"  sdk {sdk / n:7.0f}  instructions/message")
' "$mode" "$messages"
done
echo "callgrind files in $out"
