#!/usr/bin/env bash
# Runs every *_fuzzer binary in $1 for $2 seconds, two at a time, starting from the seed corpus
# in tests/fuzz/corpus/<name>/ (new inputs go to a scratch copy, never into the repository).
# Writes $3/<name>.result ("ok" or "crash") and $3/<name>.log.
set -uo pipefail

bin_dir=$1
seconds=$2
results=$3
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$results"
rm -f "$results"/*.result

run_one() {
  local fuzzer=$1
  local name
  name=$(basename "$fuzzer")
  local corpus="$results/corpus-$name"
  mkdir -p "$corpus" "$results/artifacts-$name"
  local seeds="$root/tests/fuzz/corpus/$name"
  local args=("$corpus")
  [ -d "$seeds" ] && args+=("$seeds")
  if ASAN_OPTIONS=detect_leaks=1 "$fuzzer" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$results/artifacts-$name/" "${args[@]}" >"$results/$name.log" 2>&1; then
    echo ok >"$results/$name.result"
    echo "fuzz $name: ok ($(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$results/$name.log" | grep -oE '[0-9]+$' || echo '?') runs in ${seconds}s)"
  else
    echo crash >"$results/$name.result"
    echo "fuzz $name: FAILED"
    tail -n 40 "$results/$name.log"
  fi
}

fuzzers=()
for f in "$bin_dir"/*_fuzzer; do
  [ -x "$f" ] && fuzzers+=("$f")
done
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "run_fuzzers.sh: no fuzz targets in $bin_dir" >&2
  exit 1
fi

# Two at a time: one per core.
i=0
for f in "${fuzzers[@]}"; do
  run_one "$f" &
  i=$((i + 1))
  if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait
