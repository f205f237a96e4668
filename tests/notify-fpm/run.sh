#!/usr/bin/env bash
# The notify answer reaches myPOS before slow post-payment work: the plug-in on Debian's
# WordPress (tests/plugin-wp's set-up) served by php8.2-fpm behind nginx on 127.0.0.1, with a
# mail transport that takes 3 s per message (mu/10-test-hooks.php, X-Mypos-Mail-Ms). The order
# of events is asserted: the client has the complete `OK` before the slow mail finishes. A
# control request with WooCommerce's e-mail deferral switched back off shows that the same
# set-up does see a late answer. TAP output.
# Usage: tests/notify-fpm/run.sh [EXT.so] [IPC_BIN]
# NOTIFY_FPM_BENCH=N: instead, N notifies with instant mail and N with 3 s mail, one every
# NOTIFY_FPM_GAP_MS (500) ms on 8 workers; prints the median time to `OK` of each and their
# ratio (and appends them to LOAD_TABLE when set).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ext="$(realpath "${1:-$root/target/release/libmypos_ipc.so}")"
ipc="$(realpath "${2:-$root/target/release/ipc}")"
keys="$root/tests/data/test-keys"
bench=${NOTIFY_FPM_BENCH:-0} gap_ms=${NOTIFY_FPM_GAP_MS:-500} mail_ms=3000
source "$root/tests/tap.sh"

for f in "$ext" "$ipc" /usr/sbin/mariadbd /usr/sbin/php-fpm8.2 /usr/sbin/nginx /usr/share/wordpress/wp-settings.php; do
  [ -e "$f" ] || bail "missing $f (make build; scripts/install-deps.sh fpm)"
done

tmp="$(mktemp -d /tmp/mypos-notify-fpm.XXXXXX)"
chmod 755 "$tmp"
source "$root/tests/plugin-wp/lib.sh"
source "$here/fpm.sh"
cleanup() {
  fpm_stop; wp_cleanup
  if [ -n "${MYPOS_TEST_ARTIFACTS:-}" ]; then
    art="$MYPOS_TEST_ARTIFACTS/notify-fpm"; rm -rf "$art"; mkdir -p "$art/logs"
    cp "$tmp"/*.log "$tmp"/*.body "$art/logs/" 2>/dev/null
    mkdir -p "$art/keys"; cp -r "$tmp/keys/." "$tmp/pack.txt" "$art/keys/" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

count=3; [ "$bench" -gt 0 ] && count=$((2 * bench))
wp_db_start || bail "$WP_ERROR"
wp_site_install || bail "$WP_ERROR"
wp_configure 0 "$count" || bail "$WP_ERROR"
: >"$tmp/events.log"
fpm_start "$([ "$bench" -gt 0 ] && echo 8 || echo 4)" || bail "$WP_ERROR"
ok "WordPress on php8.2-fpm behind nginx (127.0.0.1:$port), private MariaDB, ${#WP_ORDERS[@]} pending orders"

event() { printf '%s %d %s %s\n' "$(date +%s.%N)" $$ "$1" "${2:-}" >>"$tmp/events.log"; }
notify() { # $1 = order, $2 = trnref
  printf 'IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=24.45&Currency=EUR&OrderID=%s&IPC_Trnref=%s&RequestSTAN=083107&RequestDateTime=2026-11-23+10%%3A15%%3A00' \
    "$1" "$2" | "$ipc" sign --key "$keys/simulated-mypos-private-key.pem"
}
# post NAME ORDER TRNREF MAIL_MS [FAULTS]: one notify; NAME.body, NAME.code, NAME.time (s to the
# complete answer); a "client-ok NAME" event once curl has the whole answer.
post() {
  notify "$2" "$3" >"$tmp/$1.txt" || bail "ipc sign failed"
  event client-send "$1"
  curl -s --max-time 20 -o "$tmp/$1.body" -D "$tmp/$1.headers" -w '%{http_code} %{time_total}' \
    -H 'Content-Type: application/x-www-form-urlencoded' -H "X-Mypos-Mail-Ms: $4" -H "X-Mypos-Test: ${5:-}" \
    --data-binary "@$tmp/$1.txt" "$url" >"$tmp/$1.out"
  event client-ok "$1"
  cut -d' ' -f1 "$tmp/$1.out" >"$tmp/$1.code"; cut -d' ' -f2 "$tmp/$1.out" >"$tmp/$1.time"
}
is_ok() { cmp -s "$tmp/$1.body" <(printf OK) && [ "$(cat "$tmp/$1.code")" = 200 ]; }
at() { awk -v w="$1" -v d="$2" '$3 == w && index(substr($0, length($1 $2 $3) + 4), d) == 1 {print $1; exit}' "$tmp/events.log"; } # first EVENT $1 whose detail starts with $2
wait_for() { for _ in $(seq 100); do [ -n "$(at "$1" "$2")" ] && return 0; sleep 0.1; done; return 1; }
before() { php -r "exit((float) '$1' < (float) '$2' ? 0 : 1);"; }
median() { sort -g | awk '{v[NR] = $1} END {print NR ? (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) : 0}'; }

if [ "$bench" -gt 0 ]; then
  # Warm PHP's opcache and WordPress first (a GET without a body: refused, changes nothing).
  for _ in 1 2 3 4; do curl -s -o /dev/null --max-time 20 "$url"; done
  for kind in instant slow; do
    ms=0; [ "$kind" = slow ] && ms=$mail_ms
    : >"$tmp/$kind.times"
    pids=()
    for i in $(seq "$bench"); do
      [ "$kind" = slow ] && idx=$((bench + i - 1)) || idx=$((i - 1))
      post "$kind$i" "${WP_ORDERS[$idx]}" $((6100000 + idx)) "$ms" & pids+=($!)
      sleep "$(awk -v g="$gap_ms" 'BEGIN {print g / 1000}')"
    done
    wait "${pids[@]}" # not a bare wait: the database and servers are children too
    for i in $(seq "$bench"); do
      is_ok "$kind$i" || not_ok "bench $kind $i: answer $(cat "$tmp/$kind$i.code") $(head -c 100 "$tmp/$kind$i.body")"
      cat "$tmp/$kind$i.time" >>"$tmp/$kind.times"
    done
    sleep $(( ms / 1000 + 1 )) # let the last slow mails finish before the next phase
  done
  mi=$(median <"$tmp/instant.times"); ms_=$(median <"$tmp/slow.times")
  ratio=$(awk -v a="$ms_" -v b="$mi" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
  line="notify on php8.2-fpm + nginx, $bench notifies each, one every $gap_ms ms, 8 workers: median time to OK $(awk -v v="$mi" 'BEGIN {printf "%.1f", v * 1000}') ms with instant mail, $(awk -v v="$ms_" 'BEGIN {printf "%.1f", v * 1000}') ms with 3 s mail: x$ratio (goal <= 1.2)"
  echo "# $line"
  check "slow mail: median time to OK x$ratio of instant mail (goal <= 1.2)" awk -v r="$ratio" 'BEGIN {exit !(r <= 1.2)}'
  [ -z "${LOAD_TABLE:-}" ] || printf -- '- %s\n' "$line" >>"$LOAD_TABLE"
  echo "1..$n"
  exit "$failed"
fi

# --- 3 s per mail: the client has the complete OK before the mail is done.
post slow "${WP_ORDERS[0]}" 610001 "$mail_ms"
wait_for mail-end "New order #${WP_ORDERS[0]}" || true
check "answer exactly OK, Content-Type text/plain (got $(cat "$tmp/slow.code") $(head -c 80 "$tmp/slow.body" | od -An -c | tr -s ' '))" \
  bash -c "cmp -s '$tmp/slow.body' <(printf OK) && [ \"\$(cat '$tmp/slow.code')\" = 200 ] && grep -qi '^Content-Type: text/plain' '$tmp/slow.headers'"
ms="$(at mail-start "New order #${WP_ORDERS[0]}")"; me="$(at mail-end "New order #${WP_ORDERS[0]}")"; co="$(at client-ok slow)"
echo "# events: client-send $(at client-send slow), mail-start $ms, client-ok $co, mail-end $me; time to OK $(cat "$tmp/slow.time") s"
check "the slow mail ran, in the same PHP-FPM request, after the answer (mail-start $ms, mail-end $me)" \
  bash -c "[ -n '$ms' ] && [ -n '$me' ]"
check "the client had the complete OK before the slow mail finished (client-ok $co < mail-end $me)" \
  bash -c "[ -n '$co' ] && [ -n '$me' ] && php -r 'exit((float) \"$co\" < (float) \"$me\" ? 0 : 1);'"
check "time to OK $(cat "$tmp/slow.time") s is under the 3 s of the mail" php -r "exit((float) '$(cat "$tmp/slow.time")' < 3.0 ? 0 : 1);"
check "the order is paid ($(wp_state "${WP_ORDERS[0]}" | php -r '$s = json_decode(stream_get_contents(STDIN), true); echo $s["status"], " ", $s["trnref"];'))" \
  test "$(wp_state "${WP_ORDERS[0]}" | php -r '$s = json_decode(stream_get_contents(STDIN), true); echo $s["status"], "|", $s["trnref"];')" = "wc-processing|610001"

# --- A noisy, throwing payment hook under FPM (output_buffering on, display_errors on).
post noisy "${WP_ORDERS[1]}" 610002 0 noisy,throw
check "noisy throwing payment hook under FPM: body exactly OK (got $(cat "$tmp/noisy.code") $(head -c 80 "$tmp/noisy.body" | od -An -c | tr -s ' '))" is_ok noisy

# --- Control: with WooCommerce's deferral switched back off, the mail is sent inside save(),
# before the answer, and the same measurement sees it (the test above can fail).
post control "${WP_ORDERS[2]}" 610003 "$mail_ms" no-defer
check "control without deferral: the answer comes after the slow mail (time to OK $(cat "$tmp/control.time") s >= 3)" \
  php -r "exit((float) '$(cat "$tmp/control.time")' >= 3.0 ? 0 : 1);"

check "no PHP fatal error in the PHP-FPM log" bash -c "! grep -qs 'PHP Fatal' '$tmp/fpm-php.log' '$tmp/fpm.log'"
check "no Apache is listening" bash -c '! pgrep -x apache2 >/dev/null'
groups="$nginx_pid $fpm_pid"; fpm_stop
check "nginx and php-fpm stopped (process groups $groups)" bash -c "for g in $groups; do ! pgrep -g \$g >/dev/null || exit 1; done; ! curl -s -o /dev/null --max-time 1 '$url'"
if [ "$failed" -ne 0 ]; then
  for f in events.log wc.log fpm.log fpm-php.log nginx-error.log; do echo "# $f:"; tail -20 "$tmp/$f" 2>/dev/null | sed 's/^/#   /'; done
fi
echo "1..$n"
exit "$failed"
