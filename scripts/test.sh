#!/usr/bin/env bash
# README's test command: install, build with warnings as errors, check formatting and the layers
# (#include rules), run every test through ctest (including the example program built against the
# installed library); then the same tests built with AddressSanitizer + UndefinedBehaviorSanitizer,
# and each fuzz target for FUZZ_SECONDS (default 45). Each stage prints its time.
set -euo pipefail
cd "$(dirname "$0")/.."
stage() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - start)) s"
}
run_tests() { (cd build && ctest --output-on-failure -j2 --timeout 600); }
stage "install" bash scripts/install-deps.sh
stage "build" env SEPCONV_CMAKE_ARGS=-DSEPCONV_WERROR=ON bash scripts/build.sh
stage "format" bash scripts/check-format.sh
stage "layers" bash scripts/check-includes.sh
stage "tests" run_tests
# One clang build serves both: the sanitized tests and the fuzz targets (a third full compile
# would cost CI 5-6 minutes on a busy 2-core machine).
stage "sanitizers (ASan + UBSan build and tests)" \
  env SEPCONV_SANITIZE_ARGS=-DSEPCONV_FUZZ=ON bash scripts/sanitize.sh
stage "fuzzing" env FUZZ_BUILD_DIR=build-asan bash scripts/fuzz.sh "${FUZZ_SECONDS:-45}"
