#!/usr/bin/env bash
# The main job: builds the hoptrace CLI and shows a trace context made, injected into message
# headers in every supported format, and decoded back.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build="$root/build/gcc"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target hoptrace_cli >/dev/null
hoptrace="$build/tools/hoptrace"

headers=$("$hoptrace" new --format headers)
echo "A new sampled context, injected as message headers:"
echo "$headers" | sed 's/^/    /'
echo
echo "Decoded back (hoptrace decode):"
echo "$headers" | "$hoptrace" decode | sed 's/^/    /'
echo
for format in kcat mosquitto redis; do
  echo "Ready to paste for $format:"
  "$hoptrace" new --format "$format" | sed 's/^/    /'
done
echo
echo "A malformed header is rejected with the reason:"
printf 'traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01\n' |
  "$hoptrace" decode | sed 's/^/    /' || true
