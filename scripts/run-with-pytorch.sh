#!/usr/bin/env bash
# Runs an Arc program against the libtorch that an installed PyTorch carries (CUDA on a GPU machine).
# Where libtorch is looked for, in order:
#   1. $ARC_LIBTORCH_DIR            a folder holding libtorch.so (e.g. .../site-packages/torch/lib)
#   2. python3's torch package      $(python3 -c 'import torch; print(torch.__file__)')/../lib
#
#   scripts/run-with-pytorch.sh <program> [args...]     program: a published executable or a .dll
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: run-with-pytorch.sh <program> [args...]" >&2
  exit 2
fi

dir="${ARC_LIBTORCH_DIR:-}"
if [ -z "$dir" ]; then
  python="${ARC_PYTHON:-python3}"
  if command -v "$python" >/dev/null 2>&1; then
    dir="$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null || true)"
  fi
fi
if [ -z "$dir" ] || [ ! -e "$dir/libtorch.so" ]; then
  echo "run-with-pytorch: no libtorch found. Set ARC_LIBTORCH_DIR to a folder with libtorch.so, or install PyTorch" >&2
  echo "for python3 (pip install torch) so that 'python3 -c \"import torch\"' works. Looked in: '${dir:-<nothing found>}'" >&2
  exit 3
fi

export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
program="$1"; shift
case "$program" in
  *.dll) exec dotnet "$program" "$@" ;;
  *) exec "$program" "$@" ;;
esac
