#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, coverage) into build-fuzz/ and runs each one
# for SECONDS (the first argument, default 60) from its committed seed corpus in fuzz/corpus/.
# A crash, a leak, a sanitizer report or an input slower than 10 s fails the run; the input is
# saved as <build>/artifacts/<target>/crash-* (turn it into a regression test). New inputs go
# to <build>/corpus/, so the committed seeds only change by hand.
# CI fuzzes with a fixed seed (FUZZ_SEED, default 1): a clean clone then replays the same mutation
# sequence every time, so a red run is a real regression and not the luck of the draw. Explore
# with FUZZ_SEED=0 (a new random seed each run) and longer times; turn each find into a seed file.
# FUZZ_BUILD_DIR names a build that already has the fuzz targets (scripts/test.sh passes the
# sanitizer build, configured with -DSEPCONV_FUZZ=ON); otherwise build-fuzz/ is configured here.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
seed="${FUZZ_SEED:-1}"
build="${FUZZ_BUILD_DIR:-build-fuzz}"
if [ "$build" = build-fuzz ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DSEPCONV_FUZZ=ON -DSEPCONV_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
fi
cmake --build "$build" -j2
source scripts/sanitizer-env.sh
for target in kernel_parser kernel_storage decode_filter batch_paths network_parser; do
  rm -rf "$build/artifacts/$target"
  mkdir -p "$build/corpus/$target" "$build/artifacts/$target"
  log="$build/$target.log"
  echo "== fuzz_$target for ${seconds} s"
  status=0
  "./$build/fuzz/fuzz_$target" -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target/" \
    "$build/corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz_$target failed (status $status); the input is in $build/artifacts/$target/" >&2
    exit 1
  fi
done
