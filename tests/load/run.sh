#!/usr/bin/env bash
# Load on the notify endpoints: the demo shop (php -S, 4 workers) and the plug-in on real
# WordPress + MariaDB. For each, N pending orders get their signed IPCPurchaseNotify, the same
# bodies again as duplicates, and three kinds of forgery, all at once from wrk on loopback (one
# wrk per kind). Then: every order paid exactly once, every forgery refused, no 5xx, no socket
# errors. The same run measures the same work with a plain-PHP OpenSSL verifier (as the myPOS
# SDK does it) and verification alone, and prints requests/s and latency. TAP output.
# Usage: tests/load/run.sh [EXT.so] [IPC_BIN]
# Environment: LOAD_SECONDS (5) per phase, LOAD_ORDERS (50) paid + LOAD_UNTOUCHED (10) forged-only
# orders per phase, LOAD_MAX_SOCKET_ERRORS (0), LOAD_TARGETS ("demo wp"), LOAD_TABLE (a file:
# the figures as a Markdown table).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ext="$(realpath "${1:-$root/target/release/libmypos_ipc.so}")"
ipc="$(realpath "${2:-$root/target/release/ipc}")"
keys="$root/../shared/protocol/test-keys"
secs=${LOAD_SECONDS:-5} orders=${LOAD_ORDERS:-50} untouched=${LOAD_UNTOUCHED:-10}
max_socket_errors=${LOAD_MAX_SOCKET_ERRORS:-0}
SID=000000000000010 WALLET=61938166610
kinds=(valid duplicate bad-signature tampered-amount other-signature)
declare -A conns=([valid]=2 [duplicate]=2 [bad-signature]=2 [tampered-amount]=1 [other-signature]=1)
n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/# /'; }
check() { local name="$1"; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
bail() { echo "Bail out! $*"; exit 1; }
command -v wrk >/dev/null || bail "wrk missing (scripts/install-deps.sh load)"
[ -e "$ext" ] && [ -e "$ipc" ] || bail "missing $ext or $ipc (make build)"

cd "$root"
TMP="$(mktemp -d /tmp/mypos-load.XXXXXX)"
PIDS=() groups=()
rows=()   # table rows: "endpoint|verifier|requests|req/s|p50|p99"
cleanup() {
  declare -F demo_stop >/dev/null && demo_stop
  declare -F wp_cleanup >/dev/null && wp_cleanup
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A value from a wrk result line: get FILE KEY
get() { sed -n 's/^result //p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# Count of status CODE in a result file.
code_count() { get "$1" codes | tr ',' '\n' | sed -n "s/^$2://p" | awk '{s += $1} END {print s + 0}'; }

# bodies DIR ORDERS_FILE: the signed bodies of every kind for these orders.
bodies() {
  mkdir -p "$1"
  php -d extension="$ext" "$here/bodies.php" "$keys/simulated-mypos-private-key.pem" "$SID" "$1" <"$2" \
    || bail "bodies.php failed"
}

# wrk_run OUT URL BODIES CONNECTIONS [until-all]: one bounded wrk on loopback, for $secs seconds;
# with until-all, until every body was answered too (at most $cap seconds; notify.lua says when).
cap=$((secs * 8 > 60 ? secs * 8 : 60))
wrk_run() {
  if [ "${5:-}" != until-all ]; then
    timeout $((secs + 30)) wrk -t1 -c"$4" -d"${secs}s" --timeout 10s -s "$here/notify.lua" "$2" -- "$3" >"$1" 2>&1
    return
  fi
  wrk -t1 -c"$4" -d"${cap}s" --timeout 10s -s "$here/notify.lua" "$2" -- "$3" "$secs" "$1.done" >"$1" 2>&1 &
  local pid=$!
  for _ in $(seq $((cap * 10 + 300))); do
    [ -e "$1.done" ] && { kill -INT "$pid"; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  wait "$pid"
}

# drive LABEL VERIFIER URL BODIES_DIR: every kind at once; then the per-kind checks.
drive() {
  local label=$1 verifier=$2 url=$3 dir=$4 k pids=() total=0 rps=0 socket=0 fivexx=0
  # valid goes on until every order had its notify (slow machines); the others stop after $secs.
  for k in "${kinds[@]}"; do
    wrk_run "$TMP/$label-$verifier.$k" "$url" "$dir/$k.txt" "${conns[$k]}" "$([ "$k" = valid ] && echo until-all)" & pids+=($!)
  done
  wait "${pids[@]}"
  for k in "${kinds[@]}"; do
    local f="$TMP/$label-$verifier.$k" req okc
    req=$(get "$f" requests); okc=$(get "$f" ok)
    [ -n "$req" ] || { not_ok "$label/$verifier $k: wrk gave no result" "$(cat "$f")"; continue; }
    echo "# $label/$verifier $k: $(sed -n 's/^result //p' "$f")"
    total=$((total + req)); rps=$(awk -v a="$rps" -v b="$(get "$f" rps)" 'BEGIN {print a + b}')
    socket=$((socket + $(get "$f" socket_errors)))
    fivexx=$((fivexx + $(get "$f" codes | tr ',' '\n' | awk -F: '$1 >= 500 {s += $2} END {print s + 0}')))
    case $k in
      valid|duplicate) check "$label/$verifier $k: all $req answered 200 OK (OK: $okc, codes $(get "$f" codes))" \
        test "$req" -gt 0 -a "$okc" = "$req" -a "$(code_count "$f" 200)" = "$req" ;;
      *) check "$label/$verifier $k: all $req refused with 4xx, none OK (OK: $okc, codes $(get "$f" codes))" \
        test "$req" -gt 0 -a "$okc" = 0 -a "$(get "$f" codes | tr ',' '\n' | awk -F: '$1 >= 400 && $1 < 500 {s += $2} END {print s + 0}')" = "$req" ;;
    esac
  done
  local v="$TMP/$label-$verifier.valid"
  check "$label/$verifier: every order got its valid notify under load ($(get "$v" requests) >= $orders)" \
    test "$(get "$v" requests)" -ge "$orders"
  check "$label/$verifier: no 5xx in $total requests ($fivexx)" test "$fivexx" = 0
  check "$label/$verifier: socket errors $socket <= $max_socket_errors" test "$socket" -le "$max_socket_errors"
  echo "# $label/$verifier: $total requests, $rps req/s; valid notifies p50 $(get "$v" p50_ms) ms, p99 $(get "$v" p99_ms) ms"
  rows+=("$label notify, 5 kinds at once|$verifier|$total|$rps|$(get "$v" p50_ms)|$(get "$v" p99_ms)")
}

# verify_only LABEL VERIFIER URL BODIES_DIR: valid bodies only, 8 connections.
verify_only() {
  local f="$TMP/$1-verify-$2"
  wrk_run "$f" "$3" "$4/valid.txt" 8
  echo "# $1 verify only/$2: $(sed -n 's/^result //p' "$f")"
  check "$1 verify only/$2: every answer 200 OK" test -n "$(get "$f" ok)" -a "$(get "$f" ok)" = "$(get "$f" requests)" -a "$(get "$f" socket_errors)" = 0
  rows+=("$1 verify only|$2|$(get "$f" requests)|$(get "$f" rps)|$(get "$f" p50_ms)|$(get "$f" p99_ms)")
}

# orders_file FILE IDS...: "ID AMOUNT TRNREF ROLE" lines; the first $orders pay, the rest untouched.
orders_file() {
  local file=$1 amount=$2 i=0 id; shift 2
  : >"$file"
  for id in "$@"; do
    i=$((i + 1))
    if [ "$i" -le "$orders" ]; then echo "$id $amount $((4100000 + i)) pay"; else echo "$id $amount $((4200000 + i)) untouched"; fi >>"$file"
  done
}

# ratio LABEL: how the extension compares with plain PHP for rows LABEL.
ratio() {
  local e p
  e=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v l="$1" '$1 == l && $2 == "extension"')
  p=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v l="$1" '$1 == l && $2 == "plain PHP"')
  [ -n "$e" ] && [ -n "$p" ] || return 0
  awk -F'|' -v e="$e" -v p="$p" -v l="$1" 'BEGIN {
    split(e, a, "|"); split(p, b, "|");
    printf "# %s: extension %.1f req/s vs plain PHP %.1f (x%.2f); p50 %.2f vs %.2f ms (%+.2f ms)\n", l, a[4], b[4], a[4] / b[4], a[5], b[5], a[5] - b[5] }'
}

# --- The demo shop with the extension; plain-PHP notify and verify-only routes from router.php.
if [[ " ${LOAD_TARGETS:-demo wp} " == *" demo "* ]]; then
  ROOT=$root RELEASE="$(dirname "$ext")"
  source demo/start.sh
  DEMO_MYPOS_KEY="$keys/simulated-mypos-private-key.pem" DEMO_MYPOS_CERT_IN="$keys/simulated-mypos-cert.pem" \
    DEMO_ROUTER="$here/router.php" PHP_CLI_SERVER_WORKERS=4 demo_start || bail "demo shop did not start"
  groups+=("${PIDS[@]}")
  ids=()
  for _ in $(seq $((2 * (orders + untouched)))); do
    ids+=("$(curl -fs --max-time 10 -d product=mug -d quantity=1 "$SHOP/checkout" | sed -n 's/.*name="OrderID" value="\([^"]*\)".*/\1/p')")
  done
  half=$((orders + untouched))
  orders_file "$TMP/demo-ext.orders" 12.50 "${ids[@]:0:$half}"
  orders_file "$TMP/demo-php.orders" 12.50 "${ids[@]:$half}"
  check "demo shop: $((2 * half)) pending orders created through /checkout" \
    test "$(curl -fs "$SHOP/orders?format=json" | php -r 'echo count(array_filter(json_decode(stream_get_contents(STDIN), true), fn ($o) => $o["state"] === "pending"));')" = $((2 * half))
  bodies "$TMP/demo-ext" "$TMP/demo-ext.orders"
  bodies "$TMP/demo-php" "$TMP/demo-php.orders"
  drive demo extension "$SHOP/notify" "$TMP/demo-ext"
  drive demo "plain PHP" "$SHOP/notify-sdk" "$TMP/demo-php"
  verify_only demo extension "$SHOP/verify-ext" "$TMP/demo-ext"
  verify_only demo "plain PHP" "$SHOP/verify-sdk" "$TMP/demo-ext"
  curl -fs "$SHOP/orders?format=json" | php -r 'foreach (json_decode(stream_get_contents(STDIN), true) as $o) echo json_encode($o), "\n";' >"$TMP/demo.states"
  for v in ext php; do
    res=$(php "$here/check-orders.php" "$TMP/demo-$v.orders" <"$TMP/demo.states")
    check "demo ($v): every order paid exactly once, forged-only orders untouched ($(head -1 <<<"$res"))" \
      test "$(head -1 <<<"$res")" = "paid=$orders untouched=$untouched problems=0"
    tail -n +2 <<<"$res"
  done
  check "demo shop log: no PHP fatal error or warning" bash -c "! grep -E 'PHP (Fatal|Warning)' '$TMP/shop.log'"
  ratio "demo notify, 5 kinds at once"; ratio "demo verify only"
  demo_stop
fi

# --- The plug-in on WordPress + MariaDB (tests/plugin-wp/lib.sh).
if [[ " ${LOAD_TARGETS:-demo wp} " == *" wp "* ]]; then
  tmp="$TMP/wp-site"; mkdir -p "$tmp"
  source tests/plugin-wp/lib.sh
  { wp_db_start && wp_site_install "$here/wp-baseline.php" && wp_configure 0 $((2 * (orders + untouched))) \
    && wpphp -r 'require $argv[1] . "/wp-load.php"; update_option("mypos_load_cert", $argv[2]);' "$wp" "$keys/simulated-mypos-cert.pem" \
    && wp_web_start; } || bail "WordPress did not start: $WP_ERROR"
  groups+=("$web_pid" "$db_pid")
  ok "WordPress + MariaDB up with $((2 * (orders + untouched))) pending orders"
  half=$((orders + untouched))
  orders_file "$TMP/wp-ext.orders" 24.45 "${WP_ORDERS[@]:0:$half}"
  orders_file "$TMP/wp-php.orders" 24.45 "${WP_ORDERS[@]:$half}"
  bodies "$TMP/wp-ext" "$TMP/wp-ext.orders"
  bodies "$TMP/wp-php" "$TMP/wp-php.orders"
  : >"$tmp/events.log"
  base="http://127.0.0.1:$port/?wc-api"
  drive wp extension "$base=mypos_ipc" "$TMP/wp-ext"
  drive wp "plain PHP" "$base=mypos_load_notify_sdk" "$TMP/wp-php"
  verify_only wp extension "$base=mypos_load_verify_ext" "$TMP/wp-ext"
  verify_only wp "plain PHP" "$base=mypos_load_verify_sdk" "$TMP/wp-ext"
  wp_state "${WP_ORDERS[@]}" >"$TMP/wp.states"
  for v in ext php; do
    res=$(php "$here/check-orders.php" "$TMP/wp-$v.orders" <"$TMP/wp.states")
    check "wp ($v): every order paid exactly once, forged-only orders untouched ($(head -1 <<<"$res"))" \
      test "$(head -1 <<<"$res")" = "paid=$orders untouched=$untouched problems=0"
    tail -n +2 <<<"$res"
  done
  completes=$(awk '$3 == "payment_complete" {print $4}' "$tmp/events.log" | sort | uniq -c | awk '$1 == 1' | wc -l)
  check "wp: payment_complete fired once for each of $((2 * orders)) paid orders, never more ($completes once, $(grep -c ' payment_complete ' "$tmp/events.log") in all)" \
    test "$completes/$(grep -c ' payment_complete ' "$tmp/events.log")" = "$((2 * orders))/$((2 * orders))"
  check "wp: no PHP fatal error or warning in the web server log" bash -c "! grep -E 'PHP (Fatal|Warning)' '$tmp/web.log'"
  ratio "wp notify, 5 kinds at once"; ratio "wp verify only"
  wp_cleanup
fi

none_left() { local g; for g in "${groups[@]}"; do ! pgrep -g "$g" >/dev/null || return 1; done; }
check "no server left running (process groups ${groups[*]})" none_left
if [ -n "${LOAD_TABLE:-}" ]; then
  { echo "| endpoint | verifier | requests | req/s | p50 ms | p99 ms |"; echo "|---|---|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}" | awk -F'|' '{printf "| %s | %s | %d | %.0f | %.2f | %.2f |\n", $1, $2, $3, $4, $5, $6}'; } >"$LOAD_TABLE"
fi
echo "1..$n"
exit "$failed"
