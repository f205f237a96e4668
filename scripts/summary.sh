#!/usr/bin/env bash
# Prints each suite's time and the closing summary line; exits non-zero on any failure.
set -euo pipefail
counts=target/test-logs/counts
[ -f "$counts" ] || { echo "summary: 0 passed, 1 failed, 0 skipped"; exit 1; }
echo
printf '%-22s %8s %8s %8s %8s\n' suite passed failed skipped seconds
tp=0; tf=0; ts=0
while read -r name p f s secs rc; do
  printf '%-22s %8d %8d %8d %8d\n' "$name" "$p" "$f" "$s" "$secs"
  tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + s))
done < "$counts"
echo "summary: $tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
