#!/usr/bin/env bash
# make demo: builds, starts the local myPOS sandbox and the demo shop on 127.0.0.1, runs the
# story (demo/story.php) and stops both. SERVE=1 leaves them running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RELEASE=${CARGO_TARGET_DIR:-$ROOT/target}/release
SID=000000000000010 WALLET=61938166610

[ "${MYPOS:-}" = test ] && { echo "MYPOS=test needs a public shop URL (PUBLIC_URL=https://...); see demo/README.md" >&2; exit 64; }
[ "${SKIP_BUILD:-}" = 1 ] || make --no-print-directory build >&2

TMP=$(mktemp -d)
PIDS=()
source demo/start.sh
cleanup() {
    demo_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

demo_start
echo "listening on $SHOP"
echo "sandbox: $SANDBOX  (events: $SANDBOX/sandbox/events)"

if [ "${SERVE:-}" = 1 ]; then
    echo "shop: $SHOP/  orders: $SHOP/orders  -- Ctrl-C stops both"
    wait "${PIDS[@]}"
    exit 0
fi
status=0
php demo/story.php "$SHOP" || status=$?
if [ $status -ne 0 ]; then echo "--- shop log"; cat "$TMP/shop.log"; echo "--- sandbox log"; tail -20 "$TMP/sandbox.err"; fi
exit $status
