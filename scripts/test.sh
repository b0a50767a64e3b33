#!/usr/bin/env bash
# README's test command: install, build, run every test through ctest; then the same tests built
# with AddressSanitizer + UndefinedBehaviorSanitizer, and each fuzz target for FUZZ_SECONDS
# (default 60). Each stage prints its time.
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
stage "build" bash scripts/build.sh
stage "tests" run_tests
stage "sanitizers (ASan + UBSan build and tests)" bash scripts/sanitize.sh
stage "fuzzing" bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
