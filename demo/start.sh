# Sourced by demo/run.sh and tests/load/run.sh: starts the local myPOS sandbox and the demo shop
# on 127.0.0.1. Needs ROOT, RELEASE, TMP (a private temp dir), SID, WALLET and an array PIDS
# (pids to stop); sets SANDBOX and SHOP. Options (environment):
#   MYPOS=test                           no sandbox: the public myPOS test pack and MYPOS_TEST_URL,
#                                        return URLs under PUBLIC_URL if set
#   SHOP_PORT                            the shop's port (default: a free one)
#   DEMO_MYPOS_KEY + DEMO_MYPOS_CERT_IN  use this myPOS key/certificate instead of a fresh one
#   DEMO_ROUTER                          the php -S router script (default demo/shop/index.php)
#   PHP_CLI_SERVER_WORKERS               php -S workers (the shop runs in its own process group)
# demo_stop stops everything in PIDS (process groups, so php -S workers go too).

MYPOS_TEST_URL=https://www.mypos.com/vmp/checkout-test

demo_start_sandbox() {
    local mypos=(--mypos-cert "$TMP/mypos_cert.pem")
    if [ -n "${DEMO_MYPOS_KEY:-}" ]; then
        cp "$DEMO_MYPOS_CERT_IN" "$TMP/mypos_cert.pem"
        mypos=(--mypos-key "$DEMO_MYPOS_KEY" --mypos-cert "$TMP/mypos_cert.pem")
    fi
    "$RELEASE/ipc" keygen --out "$TMP/keys" >/dev/null
    setsid "$RELEASE/ipc" sandbox --listen 127.0.0.1:0 --sid "$SID" --wallet "$WALLET" \
        --merchant-cert "1=$TMP/keys/merchant_certificate.pem" "${mypos[@]}" \
        >"$TMP/sandbox.out" 2>"$TMP/sandbox.err" &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q '^listening on' "$TMP/sandbox.out" 2>/dev/null && break; sleep 0.1; done
    SANDBOX=$(sed -n 's/^listening on //p' "$TMP/sandbox.out" | head -1)
    [ -n "$SANDBOX" ] || { echo "sandbox did not start:" >&2; cat "$TMP/sandbox.err" >&2; return 1; }
    for _ in $(seq 50); do [ -s "$TMP/mypos_cert.pem" ] && break; sleep 0.1; done
}

demo_start() {
    SANDBOX=
    [ "${MYPOS:-}" = test ] || demo_start_sandbox

    local port
    port=${SHOP_PORT:-$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')}
    SHOP=http://127.0.0.1:$port
    mkdir -p "$TMP/data"
    if [ "${MYPOS:-}" = test ]; then
        # The public test pack (SID, wallet, KeyIndex 1, the published 1024-bit merchant key,
        # myPOS's test certificate) from the myPOS docs; shared by every myPOS developer.
        export DEMO_CONFIG_PACK="$ROOT/tests/data/test-keys/test_config_pack.b64" DEMO_ENDPOINT=$MYPOS_TEST_URL
        export DEMO_SHOP_URL=${PUBLIC_URL:-$SHOP}
    else
        export DEMO_SID=$SID DEMO_WALLET=$WALLET DEMO_KEY_INDEX=1 DEMO_MERCHANT_KEY="$TMP/keys/merchant_private_key.pem"
        export DEMO_MYPOS_CERT="$TMP/mypos_cert.pem" DEMO_ENDPOINT="$SANDBOX/vmp/checkout-test" DEMO_SHOP_URL="$SHOP"
    fi
    DEMO_DATA="$TMP/data" setsid php -d extension="$RELEASE/libmypos_ipc.so" -S "127.0.0.1:$port" -t demo/shop \
        "${DEMO_ROUTER:-demo/shop/index.php}" >"$TMP/shop.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do curl -fs -o /dev/null "$SHOP/" && break; sleep 0.1; done
    curl -fs -o /dev/null "$SHOP/" || { echo "shop did not start:" >&2; cat "$TMP/shop.log" >&2; return 1; }
}

# setsid makes each started process its own group leader: TERM the group, wait, then KILL leftovers.
demo_stop() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 30); do pgrep -g "$pid" >/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    PIDS=()
}
