#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build/fuzz: the whole library with
# -fsanitize=fuzzer-no-link,address,undefined) and runs validate_json's for a
# bounded time over its seed corpus (fuzz/corpus/validate_json), with leak
# detection. Any crash, sanitizer report, leak, timeout (-timeout) or memory
# blow-up (-rss_limit_mb) fails the run; findings land in build/fuzz/findings/.
#   fuzz/run.sh              # 60000 inputs from seed 1, at most 120 s
#   STRATA_FUZZ_RUNS=-1 STRATA_FUZZ_SECONDS=300 STRATA_FUZZ_SEED=0 fuzz/run.sh   # 300 s, random seed
# By default the run is reproducible (a fixed seed and a fixed number of
# inputs), so that CI gives the same verdict on every machine; explore with a
# random seed and a longer time, and add what it finds to the seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${STRATA_FUZZ_BUILD_DIR:-build/fuzz}
seconds=${STRATA_FUZZ_SECONDS:-120}
runs=${STRATA_FUZZ_RUNS:-60000}
seed=${STRATA_FUZZ_SEED:-1}
jobs=${STRATA_JOBS:-$(nproc)}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DSTRATA_FUZZ=ON -DSTRATA_TEST=OFF -DSTRATA_EXAMPLES=OFF -DSTRATA_BENCH=OFF \
  -DSTRATA_INSTALL=OFF -DSTRATA_POSTGRESQL=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target strata_fuzz_validate_json

# The seed corpus stays read-only: new inputs go to a scratch corpus.
work="$build/corpus/validate_json"
findings="$build/findings"
mkdir -p "$work" "$findings"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
log="$build/validate_json.log"
echo "fuzz/run.sh: validate_json, $runs inputs (-1 = unbounded), seed $seed, at most ${seconds}s (log: $log)"
status=0
"$build/fuzz/strata_fuzz_validate_json" "$work" fuzz/corpus/validate_json \
  -runs="$runs" -seed="$seed" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -detect_leaks=1 \
  -max_len=4096 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$log" >&2
  echo "fuzz/run.sh: validate_json failed (exit $status); reproducer in $findings/" >&2
  exit "$status"
fi
grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || true
