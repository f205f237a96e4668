#!/usr/bin/env bash
# Builds the fuzz targets (cargo fuzz, no sanitizer: stable toolchain), seeds the corpora from
# tests/data and runs every target for FUZZ_SECONDS seconds (default 5), printing TAP:
#   ok N - target (X execs)        not ok N - target (crash; artifact in fuzz/artifacts/target)
# Inputs go up to -max_len = ipc::limits::MAX_BODY_BYTES.
# Usage: fuzz/run.sh [target ...]   Exit status 1 when any target crashed or failed to run.
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/tap.sh

seconds="${FUZZ_SECONDS:-5}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
export CARGO_TARGET_DIR="$PWD/fuzz/target"
bin_dir="$CARGO_TARGET_DIR/$triple/release"
targets=("$@")
# Inputs up to the core's body limit (src/limits.rs), the largest any entry point accepts.
max_len=$(( $(sed -n 's/^pub const MAX_BODY_BYTES: usize = \(.*\);$/\1/p' src/limits.rs) ))
[ "$max_len" -gt 0 ] || { echo "not ok 1 - MAX_BODY_BYTES not found in src/limits.rs"; exit 1; }
[ ${#targets[@]} -gt 0 ] || targets=(parse_urlencoded notify_verify verify_form config_pack pem_keys response request_builders sign_form response_roundtrip)

scripts/install-deps.sh fuzz >&2 || { not_ok "install cargo-fuzz"; exit 1; }
if ! cargo fuzz build --sanitizer none --target-dir "$CARGO_TARGET_DIR" >fuzz/target-build.log 2>&1; then
  tail -20 fuzz/target-build.log >&2
  not_ok "cargo fuzz build"
  exit 1
fi
python3 fuzz/seed.py >&2 || { not_ok "seed corpora"; exit 1; }

echo "1..${#targets[@]}"
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log="fuzz/artifacts/$t/last-run.log"
  "$bin_dir/$t" "fuzz/corpus/$t" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1
  rc=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  if [ $rc -eq 0 ]; then
    ok "$t (${execs:-0} execs in ${seconds}s)"
  else
    artifact="$(ls -t fuzz/artifacts/$t/ 2>/dev/null | grep -v last-run.log | head -1)"
    grep -m3 -E "panicked|ERROR: libFuzzer|SUMMARY" "$log" | sed 's/^/# /'
    not_ok "$t (exit $rc after ${execs:-?} execs; artifact fuzz/artifacts/$t/${artifact:-none})"
  fi
done
exit $failed
