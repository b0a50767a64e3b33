#!/usr/bin/env bash
# Installs what sepconv needs to build and test on Debian 12. Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config \
  libopencv-dev libcli11-dev libfmt-dev nlohmann-json3-dev \
  googletest libgtest-dev libhwy-dev libbenchmark-dev \
  clang libclang-rt-14-dev >/dev/null  # the sanitizer build and the fuzz targets
