#!/usr/bin/env bash
# The layering rules of docs/building.md, checked over the #include lines of src/: the engine never
# includes io/ or cli/, the network cost model never includes kernel/, nothing outside cli/ includes
# cli/, the installable core (everything but cli/ and batch/) never includes batch/, and only io/
# includes a codec header (libpng, libjpeg, libtiff, libwebp, OpenCV's imgcodecs).
# Prints each offending line and exits 1 when any rule is broken.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
forbid() {  # forbid FOLDER-GLOB PATTERN WHY
  local where="$1" pattern="$2" why="$3" hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" $where 2>/dev/null || true)
  if [ -n "$hits" ]; then
    echo "check-includes: $why:" >&2
    echo "$hits" >&2
    status=1
  fi
}
codecs='png\.h|pngconf\.h|spng\.h|jpeglib\.h|jerror\.h|turbojpeg\.h|tiffio\.h|tiff\.h|webp/|opencv2/imgcodecs|opencv2/opencv\.hpp'
forbid "src/engine" 'io/|cli/|batch/' "the engine includes io/, cli/ or batch/"
forbid "$(ls -d src/netcost src/cost 2>/dev/null | head -1)" 'kernel/' "the network cost model includes kernel/"
forbid "$(ls -d src/* | grep -v '^src/cli$' | tr '\n' ' ')" 'cli/' "code outside cli/ includes cli/"
forbid "$(ls -d src/* | grep -vE '^src/(cli|batch)$' | tr '\n' ' ')" 'batch/' "the core library includes batch/"
forbid "$(ls -d src/* | grep -v '^src/io$' | tr '\n' ' ')" "$codecs" "code outside io/ includes a codec header"
[ "$status" -eq 0 ] && echo "check-includes: the layers hold"
exit "$status"
