#!/usr/bin/env bash
# Sets everything up and runs every test hoptrace has:
#   1. g++ build of every target (libraries, tools, benchmarks, examples) and the whole ctest
#      suite: unit, tool, install/find_package and integration tests;
#   2. clang build under AddressSanitizer + UndefinedBehaviorSanitizer, unit and tool tests;
#   3. clang libFuzzer build, each parser's fuzz target run for HOPTRACE_FUZZ_SECONDS (30).
# Environment: HOPTRACE_WERROR=ON makes warnings errors; HOPTRACE_REQUIRE_BROKERS=1 makes an
# integration test whose broker is missing fail instead of skip (CI sets both).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"

werror=${HOPTRACE_WERROR:-OFF}
fuzz_seconds=${HOPTRACE_FUZZ_SECONDS:-30}
jobs=${HOPTRACE_JOBS:-$(nproc)}
out="$root/build"
mkdir -p "$out"

passed=0
failed=0
skipped=0

# Runs ctest in build dir $1 with extra args, and adds its counts to the totals.
run_ctest() {
  local dir=$1
  shift
  local log="$dir/ctest.log"
  local rc=0
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" "$@" 2>&1 | tee "$log" || rc=$?
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "test.sh: ctest in $dir printed no summary (rc=$rc)" >&2
    failed=$((failed + 1))
    return
  fi
  local nfail ntotal nskip
  nfail=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  ntotal=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  nskip=$(grep -cE '\*\*\*Skipped|Not Run' "$log" || true)
  passed=$((passed + ntotal - nfail - nskip))
  failed=$((failed + nfail))
  skipped=$((skipped + nskip))
  if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
    failed=$((failed + 1))
  fi
}

echo "== 1/3 g++: build everything, run every test"
cmake -S "$root" -B "$out/gcc" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=g++ -DHOPTRACE_WERROR="$werror" >/dev/null
cmake --build "$out/gcc" -j "$jobs"
run_ctest "$out/gcc"

echo "== 2/3 clang + ASan + UBSan: unit and tool tests"
cmake -S "$root" -B "$out/asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER=clang++ -DHOPTRACE_WERROR="$werror" \
  -DHOPTRACE_SANITIZE=address,undefined -DHOPTRACE_BUILD_BENCH=OFF \
  -DHOPTRACE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$out/asan" -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  run_ctest "$out/asan" -LE install

echo "== 3/3 clang libFuzzer: every parser for ${fuzz_seconds}s"
cmake -S "$root" -B "$out/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DHOPTRACE_WERROR="$werror" \
  -DHOPTRACE_SANITIZE=address,undefined -DHOPTRACE_BUILD_FUZZERS=ON \
  -DHOPTRACE_BUILD_TESTS=OFF -DHOPTRACE_BUILD_BENCH=OFF -DHOPTRACE_BUILD_TOOLS=OFF \
  -DHOPTRACE_BUILD_EXAMPLES=OFF -DHOPTRACE_INSTALL=OFF >/dev/null
cmake --build "$out/fuzz" -j "$jobs"
"$root/scripts/run_fuzzers.sh" "$out/fuzz/tests/fuzz" "$fuzz_seconds" "$out/fuzz/results" || true
for result in "$out"/fuzz/results/*.result; do
  [ -e "$result" ] || continue
  if [ "$(cat "$result")" = "ok" ]; then
    passed=$((passed + 1))
  else
    echo "test.sh: fuzzer $(basename "$result" .result) found a crash: see $out/fuzz/results" >&2
    failed=$((failed + 1))
  fi
done

echo
echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
