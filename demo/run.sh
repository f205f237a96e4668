#!/usr/bin/env bash
# make demo: builds, starts the local myPOS sandbox and the demo shop on 127.0.0.1, runs the
# story (demo/story.php) and stops both. SERVE=1 leaves them running until Ctrl-C.
# demo/run.sh COMMAND...: runs COMMAND instead of the story, with SHOP (and SANDBOX) URLs in its
# environment; its exit status is ours.
# MYPOS=test: no sandbox; the shop uses the public myPOS test pack and the real myPOS test
# endpoint, with return URLs under PUBLIC_URL (https) if given. SHOP_PORT fixes the shop's port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RELEASE=${CARGO_TARGET_DIR:-$ROOT/target}/release
SID=000000000000010 WALLET=61938166610

case "${MYPOS:-}" in
    '') ;;
    test)
        if [ -n "${PUBLIC_URL:-}" ] && [[ "$PUBLIC_URL" != https://?* ]]; then
            echo "PUBLIC_URL must be an https:// URL (myPOS posts URL_Notify there); got '$PUBLIC_URL'" >&2
            exit 64
        fi ;;
    *) echo "MYPOS must be empty (local sandbox) or 'test' (the real myPOS test endpoint)" >&2; exit 64 ;;
esac
[ "${SKIP_BUILD:-}" = 1 ] || make --no-print-directory build >&2

TMP=$(mktemp -d)
PIDS=()
source demo/start.sh
cleanup() {
    demo_stop
    # Under make test: keep the logs and the generated keys for the secrets suite.
    if [ -n "${MYPOS_TEST_ARTIFACTS:-}" ]; then
        rm -rf "$MYPOS_TEST_ARTIFACTS/demo" && mkdir -p "$MYPOS_TEST_ARTIFACTS/demo/logs"
        cp -r "$TMP"/*.log "$TMP"/sandbox.* "$TMP/data" "$MYPOS_TEST_ARTIFACTS/demo/logs/" 2>/dev/null || true
        cp -r "$TMP/keys" "$MYPOS_TEST_ARTIFACTS/demo/keys" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

demo_start
PORT=${SHOP##*:}
echo "listening on $SHOP"
if [ -n "$SANDBOX" ]; then
    echo "sandbox: $SANDBOX  (events: $SANDBOX/sandbox/events)"
else
    echo "myPOS: $MYPOS_TEST_URL (public test credentials, SID $SID)"
    echo "return URLs: $DEMO_SHOP_URL/ok, /cancel, /notify"
    if [ -z "${PUBLIC_URL:-}" ]; then
        echo "WARNING: no PUBLIC_URL: URL_Notify is $SHOP/notify, which myPOS cannot reach, so myPOS" >&2
        echo "WARNING: will reverse every payment. Publish this shop over https (e.g. a tunnel to port" >&2
        echo "WARNING: $PORT, fixed with SHOP_PORT=...) and pass PUBLIC_URL=https://... for the full story." >&2
    fi
fi

status=0
if [ $# -gt 0 ]; then
    SHOP=$SHOP SANDBOX=$SANDBOX "$@" || status=$?
elif [ "${SERVE:-}" = 1 ] || [ "${MYPOS:-}" = test ]; then
    if [ "${MYPOS:-}" = test ]; then
        echo "open ${PUBLIC_URL:-$SHOP}/ in your browser: checkout stops at myPOS's test payment page"
        echo "(test card 4006 0900 0000 0007, 12/30, any CVC)"
    fi
    echo "shop: $SHOP/  orders: $SHOP/orders  -- Ctrl-C stops everything"
    wait "${PIDS[@]}"
    exit 0
else
    php demo/story.php "$SHOP" || status=$?
fi
if [ $status -ne 0 ]; then
    echo "--- shop log"; tail -40 "$TMP/shop.log"
    [ -z "$SANDBOX" ] || { echo "--- sandbox log"; tail -20 "$TMP/sandbox.err"; }
fi
exit $status
