#!/usr/bin/env bash
# Batch benchmark (issue 3): `sepconv edges` and `sepconv apply -k sobel_x` against libvips
# (`vips sobel`, `vips conv --precision integer`) and ImageMagick (`convert -morphology Convolve
# Sobel`), when installed, on one 3840x2160 PNG and on a batch of 64 PNGs. Prints wall time and peak
# memory (from /usr/bin/time -v) and the ratios, and --jobs 2 against --jobs 1 on the batch.
#
# Usage: bench/batch_bench.sh [path/to/sepconv]   (default: build/sepconv)
# Needs: /usr/bin/time (package time); ImageMagick or libvips to make the test images.
# Optional: apt-get install -y libvips-tools imagemagick
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEPCONV=$(realpath "${1:-$ROOT/build/sepconv}")
RUNS=${RUNS:-3}
WORK=$(mktemp -d /tmp/sepconv_batch_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CORES=$(nproc)

[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 1; }
[ -x "$SEPCONV" ] || { echo "no sepconv binary at $SEPCONV" >&2; exit 1; }

# ImageMagick's convert, not a stand-in earlier on PATH that happens to share the name.
IM=""
for candidate in $(type -ap magick convert); do
  if "$candidate" -version 2>/dev/null | grep -q '^Version: ImageMagick'; then IM=$candidate; break; fi
done
VIPS=$(command -v vips || true)

# --- test images: gray 8-bit, from the bundled samples -------------------------------------------
cd "$WORK"
mkdir -p batch out
if [ -n "$IM" ]; then
  "$IM" "$ROOT/samples/coffee.png" -colorspace Gray -depth 8 -resize '3840x2160!' big.png
  i=0
  for s in camera brick coffee chelsea; do
    "$IM" "$ROOT/samples/$s.png" -colorspace Gray -depth 8 -resize '1024x768!' "base$i.png"
    i=$((i + 1))
  done
elif [ -n "$VIPS" ]; then
  vips colourspace "$ROOT/samples/coffee.png" gray.v b-w
  vips resize gray.v big.png 6.4 --vscale 5.4
  for i in 0 1 2 3; do vips resize gray.v "base$i.png" 1.7067 --vscale 1.92; done
else
  echo "needs ImageMagick or libvips to make the test images" >&2
  exit 1
fi
for i in $(seq 0 63); do cp "base$((i % 4)).png" "batch/img$(printf %02d "$i").png"; done
printf '3 3 1 0\n-1 0 1\n-2 0 2\n-1 0 1\n' > sobel_x.mat

# --- measurement ---------------------------------------------------------------------------------
# Best wall time of RUNS runs, and the peak resident memory of that run (the largest process for
# commands that start several, as getrusage reports for children).
measure() {
  local best_wall="" best_rss=""
  for _ in $(seq "$RUNS"); do
    rm -rf out && mkdir out
    /usr/bin/time -v -o time.txt bash -c "$1" > /dev/null 2>&1 || { echo "failed: $1" >&2; return 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' time.txt)
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' time.txt)
    if [ -z "$best_wall" ] || awk "BEGIN {exit !($wall < $best_wall)}"; then best_wall=$wall; best_rss=$rss; fi
  done
  echo "$best_wall $best_rss"
}

declare -A WALL RSS
row() {  # name command
  local result
  result=$(measure "$2") || return 0
  WALL[$1]=${result% *}
  RSS[$1]=${result#* }
}

S="'$SEPCONV'"
PAR="xargs -P $CORES -n 1 sh -c"
row "sepconv edges, 1 image" "$S edges big.png -o out/e.png"
row "sepconv apply sobel_x, 1 image" "$S apply big.png -k sobel_x -o out/a.png"
row "sepconv edges, 64 images" "$S edges batch --out-dir out"
row "sepconv apply sobel_x, 64 images" "$S apply batch -k sobel_x --out-dir out"
if [ -n "$VIPS" ]; then
  row "vips sobel, 1 image" "vips sobel big.png out/e.png"
  row "vips conv integer, 1 image" "vips conv big.png out/a.png sobel_x.mat --precision integer"
  row "vips sobel, 64 images" "ls batch/*.png | $PAR 'vips sobel \"\$0\" out/\$(basename \"\$0\")'"
  row "vips conv integer, 64 images" "ls batch/*.png | $PAR 'vips conv \"\$0\" out/\$(basename \"\$0\") sobel_x.mat --precision integer'"
fi
if [ -n "$IM" ]; then
  row "convert Sobel, 1 image" "'$IM' big.png -morphology Convolve Sobel out/a.png"
  row "convert Sobel, 64 images" "ls batch/*.png | $PAR \"'$IM' \\\"\\\$0\\\" -morphology Convolve Sobel out/\\\$(basename \\\"\\\$0\\\")\""
fi
row "sepconv edges, 64 images, --jobs 1" "$S edges batch --out-dir out --jobs 1"
row "sepconv edges, 64 images, --jobs 2" "$S edges batch --out-dir out --jobs 2"
# What fsync of every output and its folder costs (issue 10): the same batch with --no-sync.
row "sepconv edges, 64 images, --no-sync" "$S --no-sync edges batch --out-dir out"
row "sepconv apply sobel_x, 64 images, --no-sync" "$S --no-sync apply batch -k sobel_x --out-dir out"

# --- report --------------------------------------------------------------------------------------
ratio() { [ -n "${WALL[$2]:-}" ] && awk "BEGIN {printf \"%.2f\", ${WALL[$1]} / ${WALL[$2]}}" || echo "-"; }
mem_ratio() { [ -n "${RSS[$2]:-}" ] && awk "BEGIN {printf \"%.2f\", ${RSS[$1]} / ${RSS[$2]}}" || echo "-"; }

echo "processor: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $CORES cores"
echo "sepconv: $SEPCONV; vips: ${VIPS:-not installed} $( [ -n "$VIPS" ] && vips --version); ImageMagick: ${IM:-not installed}"
echo "best of $RUNS runs; gray 8-bit PNG, one 3840x2160 and 64 of 1024x768; others run $CORES at a time (xargs -P)"
echo
printf '| %-38s | %8s | %10s |\n' "command" "wall s" "peak MiB"
printf '|%s|%s|%s|\n' "----------------------------------------" "----------" "------------"
for name in "sepconv edges, 1 image" "sepconv apply sobel_x, 1 image" "vips sobel, 1 image" \
            "vips conv integer, 1 image" "convert Sobel, 1 image" "sepconv edges, 64 images" \
            "sepconv apply sobel_x, 64 images" "vips sobel, 64 images" "vips conv integer, 64 images" \
            "convert Sobel, 64 images" "sepconv edges, 64 images, --jobs 1" "sepconv edges, 64 images, --jobs 2" \
            "sepconv edges, 64 images, --no-sync" "sepconv apply sobel_x, 64 images, --no-sync"; do
  [ -n "${WALL[$name]:-}" ] || continue
  printf '| %-38s | %8.2f | %10.1f |\n' "$name" "${WALL[$name]}" "$(awk "BEGIN {print ${RSS[$name]} / 1024}")"
done
echo
echo "ratios (sepconv / other; goal: wall <= 0.5x libvips, <= 0.15x ImageMagick, memory <= 1x libvips):"
for n in "1 image" "64 images"; do
  echo "  edges, $n:        wall $(ratio "sepconv edges, $n" "vips sobel, $n")x vips sobel, $(ratio "sepconv edges, $n" "convert Sobel, $n")x convert; memory $(mem_ratio "sepconv edges, $n" "vips sobel, $n")x vips"
  echo "  apply sobel_x, $n: wall $(ratio "sepconv apply sobel_x, $n" "vips conv integer, $n")x vips conv, $(ratio "sepconv apply sobel_x, $n" "convert Sobel, $n")x convert; memory $(mem_ratio "sepconv apply sobel_x, $n" "vips conv integer, $n")x vips"
done
echo "  --jobs 2 speed-up over --jobs 1 (64 images): $(ratio "sepconv edges, 64 images, --jobs 1" "sepconv edges, 64 images, --jobs 2")x"
echo "  fsync cost (64 images, synced / --no-sync): edges $(ratio "sepconv edges, 64 images" "sepconv edges, 64 images, --no-sync")x, apply $(ratio "sepconv apply sobel_x, 64 images" "sepconv apply sobel_x, 64 images, --no-sync")x"
