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
  libpng-dev libjpeg62-turbo-dev libtiff-dev libwebp-dev zlib1g-dev \
  clang libclang-rt-14-dev clang-format \
  help2man bash-completion >/dev/null  # codecs; sanitizers, fuzzing, format check; man page
# What the tests compare sepconv with, and read its outputs back with: libvips, ImageMagick,
# Python's OpenCV and SciPy, exiftool/exiv2 for metadata, GNU parallel for the cluster recipe.
$SUDO apt-get install -y -qq --no-install-recommends \
  libvips-tools imagemagick python3-opencv python3-scipy python3-numpy \
  libimage-exiftool-perl exiv2 parallel strace zsh >/dev/null
