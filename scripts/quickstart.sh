#!/usr/bin/env bash
# README's main job: install, build, then Sobel edges over the bundled samples and a full-versus-
# separable run with the statistics printed. Outputs go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
mkdir -p out
echo "== sepconv analyze sobel_x"
./build/sepconv analyze sobel_x
echo
echo "== Sobel x over samples/ (separable, exact integer arithmetic) -> out/sobel_x/"
./build/sepconv apply samples/*.png samples/*.tif -k sobel_x --out-dir out/sobel_x
echo
echo "== full against separable on samples/camera.png"
./build/sepconv apply samples/camera.png -k sobel_x --mode full -o out/camera_full.png
./build/sepconv apply samples/camera.png -k sobel_x --mode separable -o out/camera_separable.png
if cmp -s out/camera_full.png out/camera_separable.png; then
  echo "full and separable outputs are identical"
else
  echo "full and separable outputs differ" >&2
  exit 1
fi
