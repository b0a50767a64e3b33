#!/usr/bin/env bash
# Installs sepconv from BUILD_DIR (default build/) into a temporary prefix, builds the example
# consumer examples/filter_image against the installed CMake package from a folder of its own, runs
# it on a sample and checks its output is the `sepconv apply` output, byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
build="$(realpath "${1:-build}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S examples/filter_image -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/example" -j2 >/dev/null
SEPCONV_FILTERS="$work/prefix/share/sepconv/filters" "$work/example/filter_image" samples/camera.png sobel_x "$work/library.png"
"$build/sepconv" apply samples/camera.png -k sobel_x --map clamp -o "$work/tool.png" 2>/dev/null
cmp "$work/library.png" "$work/tool.png"
# The pkg-config file resolves too (its Requires: name packages that exist).
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs sepconv >/dev/null
echo "check-example: the installed package builds the example, and it writes what sepconv apply writes"
