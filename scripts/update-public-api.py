#!/usr/bin/env python3
"""Brings each library's PublicAPI.Unshipped.txt up to date with its code, the way the analyzer's code fix would.

Builds the solution, reads the public-API errors of Microsoft.CodeAnalysis.PublicApiAnalyzers from the build output
and edits the files: a symbol the code declares but the files do not (RS0016) is added to PublicAPI.Unshipped.txt of
the project that declares it; a declared line whose symbol is gone (RS0017) is removed. Repeats until the build has
no such errors (a project that failed hides its dependents' errors). Review the diff like code: it is the API change.
  scripts/update-public-api.py            # Release build of Arc.Sdk.sln
"""
import re, subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
added = re.compile(r"^(?P<file>/\S+?\.cs)\(\d+,\d+\): error RS0016: Symbol '(?P<symbol>.+?)' is not part of the declared public API")
removed = re.compile(r"^(?P<file>/\S+?PublicAPI\.(?:Un)?[Ss]hipped\.txt)\((?P<line>\d+),\d+\): error RS0017: Symbol '(?P<symbol>.+?)' is part of the declared API")

def project_dir(source: Path) -> Path:
    for folder in source.parents:
        if any(folder.glob("*.csproj")):
            return folder
    raise SystemExit(f"no project above {source}")

for attempt in range(6):
    build = subprocess.run(["dotnet", "build", "Arc.Sdk.sln", "-c", "Release", "-nologo", "-clp:ErrorsOnly"],
                           cwd=root, capture_output=True, text=True)
    additions: dict[Path, set[str]] = {}
    removals: dict[Path, set[str]] = {}
    for line in build.stdout.splitlines():
        if m := added.match(line.strip()):
            additions.setdefault(project_dir(Path(m["file"])) / "PublicAPI.Unshipped.txt", set()).add(m["symbol"])
        elif m := removed.match(line.strip()):
            removals.setdefault(Path(m["file"]), set()).add(m["symbol"])
    if not additions and not removals:
        other = [l for l in build.stdout.splitlines() if ": error " in l]
        print("\n".join(sorted(set(other))) if other else "public API files are up to date")
        sys.exit(1 if other else 0)
    for path, symbols in removals.items():
        lines = path.read_text().splitlines()
        path.write_text("\n".join(l for l in lines if l not in symbols) + "\n")
        print(f"{path.relative_to(root)}: -{len(symbols)}")
    for path, symbols in additions.items():
        lines = path.read_text().splitlines() if path.exists() else []
        if "#nullable enable" not in lines:
            lines.insert(0, "#nullable enable")
        body = sorted(set(lines[1:]) | symbols)  # ordinal, as the analyzer's code fix sorts
        path.write_text("\n".join([lines[0]] + [l for l in body if l]) + "\n")
        shipped = path.with_name("PublicAPI.Shipped.txt")
        if not shipped.exists():
            shipped.write_text("#nullable enable\n")
        print(f"{path.relative_to(root)}: +{len(symbols)}")
sys.exit("public API files still change after 6 builds")
