#!/usr/bin/env bash
# WooCommerce plug-in against a real WordPress (Debian's package) and a private MariaDB:
# concurrent identical IPCPurchaseNotify POSTs pay the order exactly once; a forged one is
# refused and changes nothing. TAP output. Usage: tests/plugin-wp/run.sh [EXT.so] [IPC_BIN]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ext="$(realpath "${1:-$root/target/release/libmypos_ipc.so}")"
ipc="$(realpath "${2:-$root/target/release/ipc}")"
keys="$root/tests/data/test-keys"
concurrent=${PLUGIN_WP_CONCURRENT:-3}
hold_ms=${PLUGIN_WP_HOLD_MS:-500} # long enough that all requests enter before the first leaves, also on a loaded machine
source "$root/tests/tap.sh"

for f in "$ext" "$ipc" /usr/sbin/mariadbd /usr/bin/mariadb-install-db /usr/share/wordpress/wp-settings.php; do
  [ -e "$f" ] || bail "missing $f (make build; scripts/install-deps.sh wordpress)"
done
php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' || bail "php mysqli missing (scripts/install-deps.sh wordpress)"

tmp="$(mktemp -d /tmp/mypos-plugin-wp.XXXXXX)"
source "$here/lib.sh"
stop_web() { wp_stop_web; }
cleanup() {
  wp_cleanup
  # Under make test: keep the logs, answers and generated keys for the secrets suite.
  if [ -n "${MYPOS_TEST_ARTIFACTS:-}" ]; then
    art="$MYPOS_TEST_ARTIFACTS/plugin-wp"; rm -rf "$art"; mkdir -p "$art/logs"
    cp "$tmp"/*.log "$tmp"/*.body "$tmp"/*.code "$art/logs/" 2>/dev/null
    cp "$tmp/wp/wp-content/debug.log" "$art/logs/wp-debug.log" 2>/dev/null
    mkdir -p "$art/keys"; cp -r "$tmp/keys/." "$tmp/pack.txt" "$art/keys/" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wp_db_start || bail "$WP_ERROR"
ok "private MariaDB on a Unix socket"
wp_site_install || bail "$WP_ERROR"
ok "wp_install() into the private database"
wp_configure "$hold_ms" 1 || bail "$WP_ERROR"
order="${WP_ORDERS[0]}"
ok "gateway configured with the pack, order $order created"
wp_web_start

notify() { # $1 = signing key, $2 = trnref
  printf 'IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=24.45&Currency=EUR&OrderID=%s&IPC_Trnref=%s&RequestSTAN=083107&RequestDateTime=2026-11-23+10%%3A15%%3A00' \
    "$order" "$2" | "$ipc" sign --key "$1"
}
post() { # $1 = body file, $2 = output prefix
  curl -s --max-time 20 -o "$2.body" -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary "@$1" "$url" >"$2.code"
}
state() { wp_state "$order"; }
jq_() { php -r '$s = json_decode(stream_get_contents(STDIN), true); echo '"$1"';'; }

# --- A forged notify (signed with the merchant key, not myPOS's) is refused and changes nothing.
before="$(state)"
notify "$tmp/keys/merchant_private_key.pem" 999999 >"$tmp/forged.txt" || bail "ipc sign failed"
post "$tmp/forged.txt" "$tmp/forged"
check "forged notify answered 400 (got $(cat "$tmp/forged.code") $(cat "$tmp/forged.body"))" \
  test "$(cat "$tmp/forged.code")" = 400
check "forged notify changed nothing" test "$(state)" = "$before"
check "order is pending before the real notifications" test "$(jq_ '$s["status"]' <<<"$before")" = wc-pending

# --- Concurrent identical valid notifications.
notify "$keys/simulated-mypos-private-key.pem" 410227 >"$tmp/valid.txt" || bail "ipc sign failed"
: >"$tmp/events.log"
pids=()
for i in $(seq "$concurrent"); do post "$tmp/valid.txt" "$tmp/req$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
codes=""; bodies=""
for i in $(seq "$concurrent"); do codes+="$(cat "$tmp/req$i.code") "; bodies+="$(cat "$tmp/req$i.body") "; done
expect_codes="$(printf '200 %.0s' $(seq "$concurrent"))"
expect_bodies="$(printf 'OK %.0s' $(seq "$concurrent"))"
check "every one of $concurrent concurrent notifications answered 200 OK (got: $codes/ $bodies)" \
  test "$codes$bodies" = "$expect_codes$expect_bodies"

events="$(cat "$tmp/events.log")"
count() { grep -c " $1 " <<<"$events"; }
check "$concurrent requests entered and left (events: $(count enter) enter, $(count leave) leave)" \
  test "$(count enter)/$(count leave)" = "$concurrent/$concurrent"
first_leave="$(awk '$3 == "leave" {print $1}' <<<"$events" | sort -n | head -1)"
# Two requests inside at once is what the lock must handle; a third may start late on a busy machine.
second_enter="$(awk '$3 == "enter" {print $1}' <<<"$events" | sort -n | sed -n 2p)"
check "the requests overlapped in time (second enter $second_enter < first leave $first_leave)" \
  php -r "exit((float) '$second_enter' < (float) '$first_leave' ? 0 : 1);"
first_ask="$(awk '$3 == "lock-ask" {print $1}' <<<"$events" | sort -n | head -1)"
last_release="$(awk '$3 == "lock-release" {print $1}' <<<"$events" | sort -n | tail -1)"
check "the order lock was held one request after the other ($(count lock-release) holds of ${hold_ms} ms within $first_ask..$last_release)" \
  php -r "exit($(count lock-release) === $concurrent && ((float) '$last_release' - (float) '$first_ask') * 1000 >= $concurrent * $hold_ms ? 0 : 1);"
check "exactly one payment_complete (got $(count payment_complete))" test "$(count payment_complete)" = 1

after="$(state)"
check "order is processing, paid once, trnref 410227 ($(jq_ '$s["status"] . " " . $s["transaction_id"]' <<<"$after"))" \
  test "$(jq_ '$s["status"] . "|" . $s["transaction_id"] . "|" . $s["trnref"] . "|" . ($s["date_paid"] !== "" ? "paid" : "unpaid")' <<<"$after")" = "wc-processing|410227|410227|paid"
check "the order has exactly one note ($(jq_ 'json_encode($s["notes"])' <<<"$after"))" \
  test "$(jq_ 'count($s["notes"])' <<<"$after")" = 1

# --- A forged notify after payment changes nothing either.
post "$tmp/forged.txt" "$tmp/forged2"
check "forged notify after payment answered 400 and changed nothing" \
  test "$(cat "$tmp/forged2.code")|$(state)" = "400|$after"

# --- No Apache anywhere, the web server stops on SIGTERM.
check "no Apache is listening" bash -c '! pgrep -x apache2 >/dev/null'
group="$web_pid"; stop_web
check "web server and its workers stopped" bash -c "! pgrep -g $group >/dev/null && ! curl -s -o /dev/null --max-time 1 '$url'"
if [ "$failed" -ne 0 ]; then
  echo "# web log:"; sed 's/^/#   /' "$tmp/web.log" | tail -20
  echo "# plug-in log:"; sed 's/^/#   /' "$tmp/wc.log" 2>/dev/null | tail -20
fi
tap_plan
exit "$failed"
