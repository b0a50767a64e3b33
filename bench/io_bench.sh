#!/usr/bin/env bash
# Image I/O benchmark (issue 9): whole runs of `sepconv apply -k sobel_x` against `vips conv` with
# its default settings and ImageMagick (`convert -morphology Convolve Sobel`, the same correlation)
# on a 3840x2160 gray PNG and a 3840x2160 colour JPEG; 64 small PNGs one process per file (what
# parallel/xargs recipes do) against vips; a 16000x16000 gray PNG (memory and time, streamed from
# decoder to encoder) against vips; and `sepconv --version` start-up. Prints one markdown table.
#
# Each comparison runs the two commands in turn (A B A B ...) under farm-bench and reports the
# median of the per-pair ratios, which holds up on a shared, loaded machine; with only
# /usr/bin/time it reports medians of separate runs instead.
#
# Usage: bench/io_bench.sh [path/to/sepconv]   (default: build/sepconv)
#        RUNS=5 BIG=16000 bench/io_bench.sh      (runs per command; side of the big image, 0 skips)
# Needs: vips (libvips-tools) to make the images; ImageMagick's convert for its column.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEPCONV=$(realpath "${1:-$ROOT/build/sepconv}")
RUNS=${RUNS:-5}
BIG=${BIG:-16000}
WORK=$(mktemp -d /tmp/sepconv_io_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

[ -x "$SEPCONV" ] || { echo "no sepconv binary at $SEPCONV" >&2; exit 1; }
command -v vips > /dev/null || { echo "needs vips (apt-get install -y libvips-tools)" >&2; exit 1; }
FARM=$(command -v farm-bench || true)
[ -n "$FARM" ] || [ -x /usr/bin/time ] || { echo "needs farm-bench or /usr/bin/time" >&2; exit 1; }
# ImageMagick's own convert, not a stand-in earlier on PATH that happens to share the name.
IM=""
for candidate in /usr/bin/convert $(type -ap magick convert); do
  if "$candidate" -version 2> /dev/null | grep -q '^Version: ImageMagick'; then
    IM=$candidate
    break
  fi
done

# --- the images, from the bundled coffee.png -----------------------------------------------------
cd "$WORK"
mkdir -p batch out
vips colourspace "$ROOT/samples/coffee.png" gray.v b-w
vips resize gray.v gray4k.png 6.4 --vscale 5.4
vips resize "$ROOT/samples/coffee.png" colour4k.jpg[Q=90] 6.4 --vscale 5.4
vips resize gray.v small.png 1.7067 --vscale 1.92
for i in $(seq -w 0 63); do cp small.png "batch/img$i.png"; done
[ "$BIG" -gt 0 ] && vips resize gray.v big.png "$(awk "BEGIN {print $BIG / 600}")" \
  --vscale "$(awk "BEGIN {print $BIG / 400}")"
printf '3 3 1 0\n-1 0 1\n-2 0 2\n-1 0 1\n' > sobel_x.mat

# --- measurement ---------------------------------------------------------------------------------
# pair A B RUNS: prints "A_wall A_peak B_wall B_peak ratio" (seconds, MiB, median of A/B wall).
pair() {
  if [ -n "$FARM" ]; then
    eval "local -a command=($1)"  # split as a shell would, quotes and all
    "$FARM" -n "$3" --timeout 3000 --vs "$2" -- "${command[@]}" > farm.txt 2>&1 || true
    grep -q '^B exit 0' farm.txt && grep -q '^A exit 0' farm.txt || { cat farm.txt >&2; return 1; }
    awk '/^A wall s/ {aw = $4} /^A peak MiB/ {ap = $4} /^B wall s/ {bw = $4} /^B peak MiB/ {bp = $4}
         /^A\/B wall/ {r = $3} END {print aw, ap, bw, bp, r}' farm.txt
  else
    local a b
    a=$(median_time "$1" "$3") && b=$(median_time "$2" "$3") || return 1
    echo "$a $b" | awk '{print $1, $2, $3, $4, $1 / $3}'
  fi
}

# median_time COMMAND RUNS: "wall peak" medians from /usr/bin/time -v.
median_time() {
  for _ in $(seq "$2"); do
    eval "/usr/bin/time -v -o time.txt $1" > /dev/null 2>&1 || return 1
    awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; w = s}
                /Maximum resident set size/ {m = $2 / 1024} END {print w, m}' time.txt
  done | sort -n | awk '{w[NR] = $1; m[NR] = $2} END {i = int((NR + 1) / 2); print w[i], m[i]}'
}

row() {  # row LABEL A B RUNS LABEL_B
  local result
  result=$(pair "$2" "$3" "$4") || { echo "| $1 | failed | | | | |"; return; }
  read -r aw ap bw bp r <<< "$result"
  printf '| %s | %.3f | %.1f | %s: %.3f | %.1f | **%.2f** |\n' "$1" "$aw" "$ap" "$5" "$bw" "$bp" "$r"
}

S="$SEPCONV"
LOOP='for f in batch/*.png; do'
echo "processor: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sepconv $("$S" --version | head -1); $(vips --version); ${IM:+$("$IM" -version | head -1 | cut -d' ' -f2-3)}"
echo "$RUNS runs of each command${FARM:+, paired (A B A B ...) by farm-bench: ratio = median of per-pair wall ratios}"
echo
echo "| case | sepconv wall s | sepconv peak MiB | other: wall s | other peak MiB | wall ratio |"
echo "|---|---|---|---|---|---|"
row "4K gray PNG, apply -k sobel_x" "$S apply gray4k.png -k sobel_x -o out/a.png" \
  "vips conv gray4k.png out/v.png sobel_x.mat" "$RUNS" "vips conv"
[ -n "$IM" ] && row "4K gray PNG, apply -k sobel_x" "$S apply gray4k.png -k sobel_x -o out/a.png" \
  "$IM gray4k.png -morphology Convolve Sobel out/m.png" "$RUNS" "convert"
row "4K colour JPEG, apply -k sobel_x" "$S apply colour4k.jpg -k sobel_x -o out/a.jpg" \
  "vips conv colour4k.jpg out/v.jpg sobel_x.mat" "$RUNS" "vips conv"
[ -n "$IM" ] && row "4K colour JPEG, apply -k sobel_x" "$S apply colour4k.jpg -k sobel_x -o out/a.jpg" \
  "$IM colour4k.jpg -morphology Convolve Sobel out/m.jpg" "$RUNS" "convert"
row "64 PNGs 1024x768, one process each (total)" \
  "sh -c '$LOOP \"$S\" apply \"\$f\" -k sobel_x -o out/\$(basename \"\$f\") --stats none; done'" \
  "sh -c '$LOOP vips conv \"\$f\" out/\$(basename \"\$f\") sobel_x.mat; done'" 3 "vips conv"
if [ "$BIG" -gt 0 ]; then
  row "${BIG}x${BIG} gray PNG, apply -k sobel_x (streamed)" "$S apply big.png -k sobel_x -o out/big.png" \
    "vips conv big.png out/vbig.png sobel_x.mat" 3 "vips conv"
fi
if [ -n "$FARM" ]; then
  "$FARM" -n 20 -- "$S" --version > farm.txt 2>&1
  awk '/^A wall s/ {w = $4} /^A peak MiB/ {p = $4} END {printf "| sepconv --version start-up | %.3f | %.1f | | | |\n", w, p}' farm.txt
else
  median_time "$S --version" 20 | awk '{printf "| sepconv --version start-up | %.3f | %.1f | | | |\n", $1, $2}'
fi
