#!/usr/bin/env bash
# Configures and builds sepconv (Release) into build/ with two jobs. Extra CMake arguments may come
# in SEPCONV_CMAKE_ARGS (CI passes -DSEPCONV_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${SEPCONV_CMAKE_ARGS:-} >/dev/null
cmake --build build -j2
