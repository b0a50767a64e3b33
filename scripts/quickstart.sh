#!/usr/bin/env bash
# README's main job: install, build, then Sobel edge detection over the bundled samples and a
# full-versus-separated comparison, with the statistics printed. Outputs go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
mkdir -p out
echo "== sepconv analyze sobel_x"
./build/sepconv analyze sobel_x
echo
echo "== sepconv edges samples/ --out-dir out/edges (Sobel gradient magnitude, every sample)"
./build/sepconv edges samples --out-dir out/edges --verbose --summary
echo
echo "== sepconv apply samples/ -k sobel_x --out-dir out/sobel_x (the x derivative alone)"
./build/sepconv apply samples -k sobel_x --out-dir out/sobel_x --verbose --summary
echo
echo "== sepconv compare samples/camera.png -k sobel_x (full against separated)"
./build/sepconv compare samples/camera.png -k sobel_x --montage out/camera_compare.png
echo
echo "== sepconv compare samples/camera.png -k log9 (rank 2: full against low-rank)"
./build/sepconv compare samples/camera.png -k log9
echo
echo "Outputs are in out/: edges/, sobel_x/ and camera_compare.png (input | full | separated | difference)."
