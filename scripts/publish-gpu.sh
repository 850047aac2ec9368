#!/usr/bin/env bash
# Builds a self-contained linux-x64 bundle of a project WITHOUT the CPU libtorch package, for a GPU machine that
# already has PyTorch (whose torch/lib holds a CUDA libtorch). Run the bundle with scripts/run-with-pytorch.sh.
#
#   scripts/publish-gpu.sh [project] [out-dir]        default: samples/Mnist  artifacts/gpu/<name>
#
# Writes <out-dir>/ and <out-dir>.tar.gz (copy the archive to the GPU machine together with run-with-pytorch.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="${1:-samples/Mnist}"
name="$(basename "$project")"
out="${2:-$root/artifacts/gpu/$name}"

rm -rf "$out"
dotnet publish "$root/$project" -c Release -r linux-x64 --self-contained true \
  -p:ArcLibTorch=none -p:PublishReadyToRun=false -o "$out" -nologo -clp:ErrorsOnly
cp "$root/scripts/run-with-pytorch.sh" "$out/"
if ls "$out"/libtorch_cpu.so >/dev/null 2>&1; then
  echo "publish-gpu: the CPU libtorch slipped into the bundle; it would shadow PyTorch's CUDA build" >&2
  exit 1
fi
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
echo "publish-gpu: $out.tar.gz ($(du -h "$out.tar.gz" | cut -f1)); run: $name/run-with-pytorch.sh $name/$name [args]"
