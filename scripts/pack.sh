#!/usr/bin/env bash
# Packs Arc's NuGet packages into a folder feed (docs/packages.md): the libraries under src/ (Arc.Sdk carries the
# generator, the worker program and the build targets; Arc.Interactive is the notebook extension that
# `#r "nuget: Arc.Interactive"` loads), the `arc` tool (Arc.Cli) and the `dotnet new` templates.
#
#   bash scripts/pack.sh [--no-build] [output folder (default artifacts/packages)] [version (default: the projects')]
#
# --no-build packs the Release build that is already there (tests use it: their process has that build loaded).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
out="$(realpath -m "${1:-$root/artifacts/packages}")"
version="${2:-}"
properties=()
if [ -n "$version" ]; then properties+=("-p:PackageVersion=$version"); fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "$build" = 1 ]; then
  dotnet build Arc.Sdk.sln -c Release -nologo -clp:ErrorsOnly
fi
mkdir -p "$out"
# Every packable project of the solution (IsPackable: Directory.Build.props), then the templates (not a solution project:
# they are content, not code).
dotnet pack Arc.Sdk.sln -c Release --no-build -nologo -clp:ErrorsOnly -o "$out" "${properties[@]}"
dotnet pack templates/Arc.Templates/Arc.Templates.csproj -c Release -nologo -clp:ErrorsOnly -o "$out" "${properties[@]}"
ls -1 "$out"
