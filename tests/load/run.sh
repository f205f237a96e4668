#!/usr/bin/env bash
# Load on the notify endpoints: the demo shop (php -S, 4 workers) and the plug-in on real
# WordPress + MariaDB. For each, N pending orders get their signed IPCPurchaseNotify, the same
# bodies again as duplicates, and three kinds of forgery, all at once from wrk on loopback (one
# wrk per kind). Then: every order paid exactly once, every forgery refused, no 5xx, no socket
# errors. The same run measures the same work with a plain-PHP OpenSSL verifier (as the myPOS
# SDK does it) and verification alone, and prints requests/s and latency. TAP output.
# Usage: tests/load/run.sh [EXT.so] [IPC_BIN]
# Environment: LOAD_SECONDS (5) per phase and verifier, LOAD_ROUNDS (1): the extension and plain
# PHP take turns this many times within those seconds (bench-load: 4), LOAD_ORDERS (50) paid + LOAD_UNTOUCHED (10) forged-only
# orders per phase, LOAD_MAX_SOCKET_ERRORS (0), LOAD_TARGETS ("demo wp"), LOAD_TABLE (a file:
# the figures as a Markdown table).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ext="$(realpath "${1:-$root/target/release/libmypos_ipc.so}")"
ipc="$(realpath "${2:-$root/target/release/ipc}")"
keys="$root/tests/data/test-keys"
secs=${LOAD_SECONDS:-5} orders=${LOAD_ORDERS:-50} untouched=${LOAD_UNTOUCHED:-10}
max_socket_errors=${LOAD_MAX_SOCKET_ERRORS:-0}
SID=000000000000010 WALLET=61938166610
kinds=(valid duplicate bad-signature tampered-amount other-signature)
declare -A conns=([valid]=2 [duplicate]=2 [bad-signature]=2 [tampered-amount]=1 [other-signature]=1)
source "$root/tests/tap.sh"
command -v wrk >/dev/null || bail "wrk missing (scripts/install-deps.sh load)"
[ -e "$ext" ] && [ -e "$ipc" ] || bail "missing $ext or $ipc (make build)"

cd "$root"
TMP="$(mktemp -d /tmp/mypos-load.XXXXXX)"
PIDS=() groups=()
rows=() ratios=()  # table rows "endpoint|verifier|requests|req/s|p50|p99", and comparisons
cleanup() {
  declare -F demo_stop >/dev/null && demo_stop
  declare -F wp_cleanup >/dev/null && wp_cleanup
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Results of wrk runs, one "result ..." line per run (several rounds append to one file).
# get FILE KEY: the values, one a line; sum/median/max FILE KEY aggregate them.
get() { sed -n 's/^result //p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
sum() { get "$1" "$2" | awk '{s += $1} END {print s + 0}'; }
median() { get "$1" "$2" | sort -g | awk '{v[NR] = $1} END {print NR ? (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) : ""}'; }
max() { get "$1" "$2" | sort -g | tail -1; }
rate() { awk -v r="$(sum "$1" requests)" -v s="$(sum "$1" seconds)" 'BEGIN {printf "%.1f", (s > 0 ? r / s : 0)}'; }
# codes FILE: all status codes as "200:N,400:N"; code_count FILE LOW HIGH: answers with LOW <= status <= HIGH.
codes() { get "$1" codes | tr ',' '\n' | awk -F: 'NF == 2 {c[$1] += $2} END {for (k in c) printf "%s%s:%d", (n++ ? "," : ""), k, c[k]}'; }
code_count() { get "$1" codes | tr ',' '\n' | awk -F: -v lo="$2" -v hi="$3" '$1 >= lo && $1 <= hi {s += $2} END {print s + 0}'; }

# bodies DIR ORDERS_FILE: the signed bodies of every kind for these orders.
bodies() {
  mkdir -p "$1"
  php -d extension="$ext" "$here/bodies.php" "$keys/simulated-mypos-private-key.pem" "$SID" "$1" <"$2" \
    || bail "bodies.php failed"
}

# wrk_run OUT URL BODIES CONNECTIONS [until-all]: one bounded wrk on loopback for $round_secs
# seconds, appending its result line to OUT; with until-all, also until every body was answered
# (at most $cap seconds; notify.lua says when).
rounds=${LOAD_ROUNDS:-1}
round_secs=$(( secs / rounds > 0 ? secs / rounds : 1 ))
cap=$((secs * 8 > 60 ? secs * 8 : 60))
wrk_run() {
  if [ "${5:-}" != until-all ]; then
    timeout $((round_secs + 30)) wrk -t1 -c"$4" -d"${round_secs}s" --timeout 10s -s "$here/notify.lua" "$2" -- "$3" >>"$1" 2>&1
    return
  fi
  rm -f "$1.done"
  wrk -t1 -c"$4" -d"${cap}s" --timeout 10s -s "$here/notify.lua" "$2" -- "$3" "$round_secs" "$1.done" >>"$1" 2>&1 &
  local pid=$!
  for _ in $(seq $((cap * 10 + 300))); do
    [ -e "$1.done" ] && { kill -INT "$pid"; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  wait "$pid"
}

# drive LABEL URL_EXT DIR_EXT URL_PHP DIR_PHP: the extension's and the plain-PHP endpoint in
# turn, $rounds times (so both see the same machine), every kind at once; then the checks.
drive() {
  local label=$1 r k v pids
  for r in $(seq "$rounds"); do
    for v in extension "plain PHP"; do
      local url=$2 dir=$3; [ "$v" = extension ] || { url=$4; dir=$5; }
      pids=()
      # valid goes on until every order had its notify (slow machines); the others stop in time.
      for k in "${kinds[@]}"; do
        wrk_run "$TMP/$label-$v.$k" "$url" "$dir/$k.txt" "${conns[$k]}" "$([ "$k$r" = valid1 ] && echo until-all)" & pids+=($!)
      done
      wait "${pids[@]}"
    done
  done
  for v in extension "plain PHP"; do drive_checks "$label" "$v"; done
}

drive_checks() {
  local label=$1 verifier=$2 k total=0 rps=0 socket=0 fivexx=0
  for k in "${kinds[@]}"; do
    local f="$TMP/$label-$verifier.$k" req okc
    req=$(sum "$f" requests); okc=$(sum "$f" ok)
    [ "$(get "$f" requests | wc -l)" = "$rounds" ] || { not_ok "$label/$verifier $k: wrk gave no result" "$(cat "$f")"; continue; }
    echo "# $label/$verifier $k: $req requests, $(rate "$f") req/s, p50 $(median "$f" p50_ms) ms, p99 $(max "$f" p99_ms) ms, OK $okc, codes $(codes "$f")"
    total=$((total + req)); rps=$(awk -v a="$rps" -v b="$(rate "$f")" 'BEGIN {print a + b}')
    socket=$((socket + $(sum "$f" socket_errors)))
    fivexx=$((fivexx + $(code_count "$f" 500 599)))
    case $k in
      valid|duplicate) check "$label/$verifier $k: all $req answered 200 OK (OK: $okc, codes $(codes "$f"))" \
        test "$req" -gt 0 -a "$okc" = "$req" -a "$(code_count "$f" 200 200)" = "$req" ;;
      *) check "$label/$verifier $k: all $req refused with 4xx, none OK (OK: $okc, codes $(codes "$f"))" \
        test "$req" -gt 0 -a "$okc" = 0 -a "$(code_count "$f" 400 499)" = "$req" ;;
    esac
  done
  local f="$TMP/$label-$verifier.valid"
  check "$label/$verifier: every order got its valid notify under load ($(sum "$f" requests) >= $orders)" \
    test "$(sum "$f" requests)" -ge "$orders"
  check "$label/$verifier: no 5xx in $total requests ($fivexx)" test "$fivexx" = 0
  check "$label/$verifier: socket errors $socket <= $max_socket_errors" test "$socket" -le "$max_socket_errors"
  echo "# $label/$verifier: $total requests, $rps req/s; valid notifies p50 $(median "$f" p50_ms) ms, p99 $(max "$f" p99_ms) ms"
  rows+=("$label notify, 5 kinds at once|$verifier|$total|$rps|$(median "$f" p50_ms)|$(max "$f" p99_ms)")
}

# verify_only LABEL URL_EXT URL_PHP BODIES_DIR: valid bodies only, 8 connections, in turn.
verify_only() {
  local r v
  for r in $(seq "$rounds"); do
    wrk_run "$TMP/$1-verify-extension" "$2" "$4/valid.txt" 8
    wrk_run "$TMP/$1-verify-plain PHP" "$3" "$4/valid.txt" 8
  done
  for v in extension "plain PHP"; do
    local f="$TMP/$1-verify-$v"
    echo "# $1 verify only/$v: $(sum "$f" requests) requests, $(rate "$f") req/s, p50 $(median "$f" p50_ms) ms, p99 $(max "$f" p99_ms) ms, codes $(codes "$f")"
    check "$1 verify only/$v: every answer 200 OK" \
      test "$(sum "$f" requests)" -gt 0 -a "$(sum "$f" ok)" = "$(sum "$f" requests)" -a "$(sum "$f" socket_errors)" = 0
    rows+=("$1 verify only|$v|$(sum "$f" requests)|$(rate "$f")|$(median "$f" p50_ms)|$(max "$f" p99_ms)")
  done
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
  ratios+=("$(awk -v e="$e" -v p="$p" -v l="$1" 'BEGIN {
    split(e, a, "|"); split(p, b, "|");
    printf "%s: the extension %.0f req/s vs plain PHP %.0f (x%.2f); p50 %.2f vs %.2f ms (%+.2f ms)", l, a[4], b[4], a[4] / b[4], a[5], b[5], a[5] - b[5] }')")
  echo "# ${ratios[-1]}"
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
  drive demo "$SHOP/notify" "$TMP/demo-ext" "$SHOP/notify-sdk" "$TMP/demo-php"
  verify_only demo "$SHOP/verify-ext" "$SHOP/verify-sdk" "$TMP/demo-ext"
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
  drive wp "$base=mypos_ipc" "$TMP/wp-ext" "$base=mypos_load_notify_sdk" "$TMP/wp-php"
  verify_only wp "$base=mypos_load_verify_ext" "$base=mypos_load_verify_sdk" "$TMP/wp-ext"
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
    printf '%s\n' "${rows[@]}" | awk -F'|' '{printf "| %s | %s | %d | %.0f | %.2f | %.2f |\n", $1, $2, $3, $4, $5, $6}'
    echo; printf -- '- %s\n' "${ratios[@]}"; } >"$LOAD_TABLE"
fi
tap_plan
exit "$failed"
