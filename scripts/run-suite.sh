#!/usr/bin/env bash
# Runs one test suite, keeps its log under target/test-logs/, and appends its counts to
# target/test-logs/counts. Usage: scripts/run-suite.sh NAME COMMAND...
# Counts are read from the runners' own closing lines: cargo test ("test result: ..."),
# PHPUnit ("OK (N tests" / "Tests: N, ... Failures: F"), and TAP-style "ok"/"not ok" lines
# (with "# SKIP") for shell and C suites. A non-zero exit always counts as a failure.
set -uo pipefail
name=$1; shift
logs=target/test-logs
mkdir -p "$logs"
log="$logs/$name.log"
start=$(date +%s)
echo "=== suite $name: $*"
"$@" > >(tee "$log") 2>&1
rc=$?
sleep 0.1
elapsed=$(( $(date +%s) - start ))
read -r passed failed skipped < <(python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
p = f = s = 0
for m in re.finditer(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", text):
    p += int(m[1]); f += int(m[2]); s += int(m[3])
for m in re.finditer(r"^OK \((\d+) tests?,", text, re.M):
    p += int(m[1])
for m in re.finditer(r"^Tests: (\d+), Assertions: \d+(.*)$", text, re.M):
    total = int(m[1]); rest = m[2]
    bad = sum(int(x) for x in re.findall(r"(?:Failures|Errors): (\d+)", rest))
    sk = sum(int(x) for x in re.findall(r"(?:Skipped|Incomplete): (\d+)", rest))
    p += total - bad - sk; f += bad; s += sk
for line in text.splitlines():
    if re.match(r"^ok \d+", line):
        if "# SKIP" in line: s += 1
        else: p += 1
    elif re.match(r"^not ok \d+", line):
        f += 1
print(p, f, s)
PY
)
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$name $passed $failed $skipped $elapsed $rc" >> "$logs/counts"
printf '=== suite %s: %d passed, %d failed, %d skipped in %ds (exit %d)\n' "$name" "$passed" "$failed" "$skipped" "$elapsed" "$rc"
exit 0
