#!/usr/bin/env bash
# Memory of the whole-image path (issue 14): `sepconv apply` on one large 8-bit gray PGM, written
# as PGM and as uncompressed TIFF, peak resident size from /usr/bin/time -v against the input plus
# output bytes (the goal is at most 1.15x). PGM, PNG and TIFF stream rows (bands of rows); the
# whole-image path (read whole, filtered whole, written whole) is what `--border wrap` and
# SEPCONV_BAND_ROWS=0 take, and is measured here too.
#
# Usage: bench/memory_bench.sh [path/to/sepconv] [SIDE]   (defaults: build/sepconv, 20000)
# Needs: /usr/bin/time (package time) and 3 x SIDE^2 bytes free under /tmp.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEPCONV=$(realpath "${1:-$ROOT/build/sepconv}")
SIDE=${2:-20000}
WORK=$(mktemp -d /tmp/sepconv_memory_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 1; }
[ -x "$SEPCONV" ] || { echo "no sepconv binary at $SEPCONV" >&2; exit 1; }

# Random pixels: the content does not change the memory of an 8-bit PGM.
{ printf 'P5\n%d %d\n255\n' "$SIDE" "$SIDE"; head -c $((SIDE * SIDE)) /dev/urandom; } > "$WORK/big.pgm"
PIXELS=$((SIDE * SIDE))

echo "sepconv apply on a ${SIDE}x${SIDE} 8-bit PGM ($((PIXELS / 1000000)) MB in, as much out)"
printf '%-44s %10s %12s %8s\n' "output" "wall s" "peak KB" "ratio"
for case in "streamed sobel_x out.pgm" "streamed gaussian:7:1.5 out.pgm" \
  "streamed sobel_x out.tif --compression none" "whole sobel_x out.pgm" \
  "whole sobel_x out.tif --compression none" "whole sobel_x out.pgm --border wrap"; do
  read -r path kernel output options <<< "$case"
  streaming=()  # the default bands, or none at all for the whole-image path
  [ "$path" = whole ] && streaming=(env SEPCONV_BAND_ROWS=0)
  "${streaming[@]}" /usr/bin/time -v -o "$WORK/time.txt" "$SEPCONV" apply \
    "$WORK/big.pgm" -k "$kernel" -o "$WORK/$output" ${options:-} --stats none
  peak=$(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/time.txt")
  wall=$(awk -F': ' '/Elapsed/ {print $2}' "$WORK/time.txt")
  ratio=$(awk -v p="$peak" -v n="$PIXELS" 'BEGIN {printf "%.2f", p * 1024 / (2 * n)}')
  printf '%-44s %10s %12s %8s\n' "$path $kernel -> $output ${options:-}" "$wall" "$peak" "${ratio}x"
  rm -f "$WORK/$output"
done
