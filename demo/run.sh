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

"$RELEASE/ipc" keygen --out "$TMP/keys" >/dev/null
"$RELEASE/ipc" sandbox --listen 127.0.0.1:0 --sid $SID --wallet $WALLET \
    --merchant-cert "1=$TMP/keys/merchant_certificate.pem" --mypos-cert "$TMP/mypos_cert.pem" \
    >"$TMP/sandbox.out" 2>"$TMP/sandbox.err" &
PIDS+=($!)
for _ in $(seq 100); do grep -q '^listening on' "$TMP/sandbox.out" 2>/dev/null && break; sleep 0.1; done
SANDBOX=$(sed -n 's/^listening on //p' "$TMP/sandbox.out" | head -1)
[ -n "$SANDBOX" ] || { echo "sandbox did not start:" >&2; cat "$TMP/sandbox.err" >&2; exit 1; }
for _ in $(seq 50); do [ -s "$TMP/mypos_cert.pem" ] && break; sleep 0.1; done

PORT=$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')
SHOP=http://127.0.0.1:$PORT
mkdir -p "$TMP/data"
DEMO_SID=$SID DEMO_WALLET=$WALLET DEMO_KEY_INDEX=1 DEMO_MERCHANT_KEY="$TMP/keys/merchant_private_key.pem" \
DEMO_MYPOS_CERT="$TMP/mypos_cert.pem" DEMO_ENDPOINT="$SANDBOX/vmp/checkout-test" DEMO_SHOP_URL="$SHOP" \
DEMO_DATA="$TMP/data" php -d extension="$RELEASE/libmypos_ipc.so" -S "127.0.0.1:$PORT" -t demo/shop demo/shop/index.php \
    >"$TMP/shop.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -fs -o /dev/null "$SHOP/" && break; sleep 0.1; done
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
