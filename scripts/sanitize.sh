#!/usr/bin/env bash
# Builds the whole test suite with AddressSanitizer and UndefinedBehaviorSanitizer (clang, -O1)
# into build-asan/ and runs it. Any sanitizer report fails the run: the tested binary then exits
# with status 86, which no test expects, and UBSan stops at the first report.
# SEPCONV_SANITIZE_ARGS adds CMake arguments: scripts/test.sh passes -DSEPCONV_FUZZ=ON so that the
# fuzz targets come out of this same build and scripts/fuzz.sh need not compile everything again.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086  # extra arguments split on spaces on purpose
CC=clang CXX=clang++ cmake -S . -B build-asan -DSEPCONV_SANITIZE=ON ${SEPCONV_SANITIZE_ARGS:-} \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
cmake --build build-asan -j2
source scripts/sanitizer-env.sh
cd build-asan
ctest --output-on-failure -j2 --timeout 1200
