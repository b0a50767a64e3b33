#!/bin/sh
# Writes a help2man include file with one section per command, from each command's --help:
# sh manpage_commands.sh SEPCONV OUTPUT
set -eu
sepconv="$1"
out="$2"
{
  echo "[COMMANDS]"
  for command in apply edges compare analyze kernels depthwise cost bench; do
    echo ".SS \"sepconv $command\""
    echo ".nf"
    "$sepconv" "$command" --help | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./'
    echo ".fi"
  done
  echo "[SEE ALSO]"
  echo "The manual, one page per command: docs/ in the source tree."
} > "$out"
