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
MYPOS_TEST_URL=https://www.mypos.com/vmp/checkout-test

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
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
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

SANDBOX=
if [ "${MYPOS:-}" != test ]; then
    "$RELEASE/ipc" keygen --out "$TMP/keys" >/dev/null
    "$RELEASE/ipc" sandbox --listen 127.0.0.1:0 --sid $SID --wallet $WALLET \
        --merchant-cert "1=$TMP/keys/merchant_certificate.pem" --mypos-cert "$TMP/mypos_cert.pem" \
        >"$TMP/sandbox.out" 2>"$TMP/sandbox.err" &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q '^listening on' "$TMP/sandbox.out" 2>/dev/null && break; sleep 0.1; done
    SANDBOX=$(sed -n 's/^listening on //p' "$TMP/sandbox.out" | head -1)
    [ -n "$SANDBOX" ] || { echo "sandbox did not start:" >&2; cat "$TMP/sandbox.err" >&2; exit 1; }
    for _ in $(seq 50); do [ -s "$TMP/mypos_cert.pem" ] && break; sleep 0.1; done
fi

PORT=${SHOP_PORT:-$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')}
SHOP=http://127.0.0.1:$PORT
mkdir -p "$TMP/data"
if [ "${MYPOS:-}" = test ]; then
    # The public test pack (SID, wallet, KeyIndex 1, the published 1024-bit merchant key, myPOS's
    # test certificate) from the myPOS docs; shared by every myPOS developer.
    export DEMO_CONFIG_PACK="$ROOT/demo/mypos-test-pack.txt" DEMO_ENDPOINT=$MYPOS_TEST_URL
    export DEMO_SHOP_URL=${PUBLIC_URL:-$SHOP}
else
    export DEMO_SID=$SID DEMO_WALLET=$WALLET DEMO_KEY_INDEX=1 DEMO_MERCHANT_KEY="$TMP/keys/merchant_private_key.pem"
    export DEMO_MYPOS_CERT="$TMP/mypos_cert.pem" DEMO_ENDPOINT="$SANDBOX/vmp/checkout-test" DEMO_SHOP_URL="$SHOP"
fi
DEMO_DATA="$TMP/data" php -d extension="$RELEASE/libmypos_ipc.so" -S "127.0.0.1:$PORT" -t demo/shop demo/shop/index.php \
    >"$TMP/shop.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -fs -o /dev/null "$SHOP/" && break; sleep 0.1; done
curl -fs -o /dev/null "$SHOP/" || { echo "shop did not start:" >&2; cat "$TMP/shop.log" >&2; exit 1; }
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
