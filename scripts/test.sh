#!/usr/bin/env bash
# Runs every test project, then the sample and the benchmarks in quick mode, and prints one closing line
# "N passed, N failed, N skipped" counted from the TRX files the test runs wrote. Exits non-zero on any failure.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/install-prereqs.sh || { echo "0 passed, 1 failed"; exit 1; }

status=0
echo "== build"
if ! dotnet build Arc.Sdk.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

for project in tests/*/*.csproj; do
  # Helper programs under tests/ (e.g. Arc.StoreProbe, a child process of the durability tests) are not test projects.
  grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
  name="$(basename "$project" .csproj)"
  echo "== test $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# The sample and the benchmarks are smoke-checked here (they must run and end as documented), never timed.
smoke_failed=0
echo "== sample samples/Mnist --quick"
if dotnet run --project samples/Mnist -c Release --no-build -- --quick | tee "$results/mnist.log"; then
  grep -Eq '^model=[A-Za-z0-9_-]+ accuracy=(0(\.[0-9]+)?|1(\.0+)?)$' "$results/mnist.log" || { echo "sample did not end with model=<name> accuracy=<x> lines"; smoke_failed=$((smoke_failed+1)); }
else
  smoke_failed=$((smoke_failed+1))
fi
echo "== bench --quick"
dotnet run --project bench/Arc.Bench -c Release --no-build -- --quick || smoke_failed=$((smoke_failed+1))

# Every Arc temporary path names its owner (/tmp/arc-<kind>-<pid>-<start>-<random>, or the older
# arc-<kind>-<pid>-<32 hex>); one whose owner is dead was left behind by a killed or careless process, and nothing in
# this run may leave one: workers remove their own, and a start-up or launcher sweep removes a killed one's.
echo "== temporary paths left by dead owners"
if ! /usr/bin/python3 - "${TMPDIR:-/tmp}" <<'PY'
import os, re, sys
root = sys.argv[1]
owned = re.compile(r"^arc-(develop|save|image|blob|scratch|notebook|transfer)-(\d+)-(?:(\d+)-[0-9a-f]{32}|[0-9a-f]{32})$")
def start_time(pid):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 1:].split()
    return None if fields[0] in ("Z", "X") else fields[19]
left = []
for name in sorted(os.listdir(root)):
    m = owned.match(name)
    if not m:
        continue
    start = start_time(m.group(2))
    if start is None or (m.group(3) is not None and m.group(3) != start):
        left.append(os.path.join(root, name))
for path in left:
    print(f"left behind by a dead owner: {path}")
sys.exit(1 if left else 0)
PY
then
  smoke_failed=$((smoke_failed+1))
fi

/usr/bin/python3 - "$results" "$smoke_failed" "$status" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
results, smoke_failed, test_status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
files = sorted(glob.glob(f"{results}/*.trx"))
for path in files:
    counters = ET.parse(path).getroot().find(f"{ns}ResultSummary/{ns}Counters")
    c = {k: int(v) for k, v in counters.attrib.items()}
    passed += c.get("passed", 0)
    failed += c.get("failed", 0) + c.get("error", 0) + c.get("timeout", 0) + c.get("aborted", 0)
    skipped += c.get("notExecuted", 0) + c.get("inconclusive", 0)
# The failed tests are named just above the closing line, so a log that keeps only its tail still says which.
for path in files:
    for result in ET.parse(path).getroot().iter(f"{ns}UnitTestResult"):
        if result.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            message = result.find(f"{ns}Output/{ns}ErrorInfo/{ns}Message")
            text = " ".join((message.text or "").split()) if message is not None else ""
            print(f"FAILED {result.get('testName')}: {text[:600]}")
if not files:
    print("no TRX files were written: no test ran")
    failed += 1
if test_status and not failed:
    print("a test run exited non-zero without a failure in its TRX (crash or build problem)")
    failed += 1
failed += smoke_failed
if smoke_failed:
    print(f"{smoke_failed} smoke check(s) (sample/bench/temporary paths) failed")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
