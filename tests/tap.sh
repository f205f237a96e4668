# The TAP emitter of the shell suites (source it). Counts in $n; $failed is 1 after any failure.
#   ok NAME | not_ok NAME [DETAIL] | check NAME COMMAND... | check_quiet NAME COMMAND... |
#   result STATUS NAME | bail REASON
#   tap_plan: prints 1..n (the plan last, so a suite may count as it goes)
n=${n:-0}; failed=${failed:-0}
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/# /'; }
check() { local name="$1"; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
# check_quiet NAME COMMAND...: as check, the command's output shown (as diagnostics) only on failure.
check_quiet() {
  local name="$1" out; shift
  if out="$("$@" 2>&1)"; then ok "$name"; else not_ok "$name" "$(head -40 <<<"$out")"; fi
}
# result STATUS NAME: ok when STATUS (an exit code) is 0.
result() { if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi; }
bail() { echo "Bail out! $*"; exit 1; }
tap_plan() { echo "1..$n"; }
