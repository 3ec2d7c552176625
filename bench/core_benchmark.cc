// Core benchmarks: filled in once the propagators and SDK land.
#include <benchmark/benchmark.h>

#include "hoptrace/core/ids.h"

static void BM_TraceId_ToHex(benchmark::State& state) {
  const auto id = hoptrace::TraceId::from_u64(0x4bf92f3577b34da6ULL, 0xa3ce929d0e0e4736ULL);
  char out[32];
  for (auto _ : state) {
    id.to_hex(out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_TraceId_ToHex);
BENCHMARK_MAIN();
