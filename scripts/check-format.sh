#!/usr/bin/env bash
# Every C++ file in the repository is formatted as .clang-format says; lists the ones that are not.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(git ls-files '*.cpp' '*.hpp' '*.h' | while read -r file; do
  clang-format --dry-run -Werror "$file" >/dev/null 2>&1 || echo "$file"
done)
if [ -n "$bad" ]; then
  echo "check-format: not formatted (run clang-format -i on them):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "check-format: every C++ file is formatted"
