#!/usr/bin/env bash
# WooCommerce plug-in against a real WordPress (Debian's package) and a private MariaDB:
# concurrent identical IPCPurchaseNotify POSTs pay the order exactly once; a forged one is
# refused and changes nothing. TAP output. Usage: tests/plugin-wp/run.sh [EXT.so] [IPC_BIN]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ext="$(realpath "${1:-$root/target/release/libmypos_ipc.so}")"
ipc="$(realpath "${2:-$root/target/release/ipc}")"
keys="$root/../shared/protocol/test-keys"
concurrent=${PLUGIN_WP_CONCURRENT:-3}
hold_ms=${PLUGIN_WP_HOLD_MS:-500} # long enough that all requests enter before the first leaves, also on a loaded machine
n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/# /'; }
check() { local name="$1"; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
bail() { echo "Bail out! $*"; exit 1; }

for f in "$ext" "$ipc" /usr/sbin/mariadbd /usr/bin/mariadb-install-db /usr/share/wordpress/wp-settings.php; do
  [ -e "$f" ] || bail "missing $f (make build; scripts/install-deps.sh wordpress)"
done
php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' || bail "php mysqli missing (scripts/install-deps.sh wordpress)"

tmp="$(mktemp -d /tmp/mypos-plugin-wp.XXXXXX)"
db_pid=""; web_pid=""
stop_web() { # php -S workers are its children: stop the whole process group (setsid below).
  kill -TERM -- "-$web_pid" 2>/dev/null; wait "$web_pid" 2>/dev/null
  for _ in $(seq 50); do pgrep -g "$web_pid" >/dev/null || break; sleep 0.1; done
  pgrep -g "$web_pid" >/dev/null && kill -KILL -- "-$web_pid" 2>/dev/null
  web_pid=""
}
cleanup() {
  [ -z "$web_pid" ] || stop_web
  [ -z "$db_pid" ] || { kill -TERM "$db_pid" 2>/dev/null; wait "$db_pid" 2>/dev/null; }
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

# --- MariaDB: temp datadir, Unix socket only.
sock="$tmp/db.sock"
timeout 60 mariadb-install-db --no-defaults --user=root --datadir="$tmp/data" --auth-root-authentication-method=normal \
  --skip-test-db >"$tmp/db-install.log" 2>&1 || bail "mariadb-install-db failed: $(tail -3 "$tmp/db-install.log")"
/usr/sbin/mariadbd --no-defaults --datadir="$tmp/data" --socket="$sock" --skip-networking --user=root \
  --pid-file="$tmp/db.pid" --skip-grant-tables --log-error="$tmp/db-err.log" >/dev/null 2>&1 &
db_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || bail "mariadbd did not start: $(tail -3 "$tmp/db-err.log")"
timeout 10 mariadb --no-defaults --socket="$sock" -u root -e 'CREATE DATABASE wp' || bail "CREATE DATABASE failed"
ok "private MariaDB on a Unix socket"

# --- WordPress: a copy of Debian's package, our wp-config.php, mu-plugins.
wp="$tmp/wp"
cp -rL /usr/share/wordpress "$wp" || bail "copying WordPress failed"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
salt() { head -c 48 /dev/urandom | base64 | tr -d '\n/+='; }
cat >"$wp/wp-config.php" <<PHP
<?php
define('DB_NAME', 'wp');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:$sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as \$i => \$k) {
    define(\$k, '$(salt)' . \$i);
}
define('WP_HOME', 'http://127.0.0.1:$port');
define('WP_SITEURL', 'http://127.0.0.1:$port');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
define('MYPOS_WP_TEST_EVENTS', '$tmp/events.log');
define('MYPOS_WP_TEST_WC_LOG', '$tmp/wc.log');
define('MYPOS_WP_TEST_PLUGIN', '$root/woocommerce-plugin/mypos-ipc-woocommerce.php');
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
mkdir -p "$wp/wp-content/mu-plugins"
cp "$here"/mu/*.php "$wp/wp-content/mu-plugins/"
wpphp() { timeout 60 php -d extension="$ext" "$@"; }
out="$(wpphp "$here/install.php" "$wp" 2>&1)" && [ "$(tail -1 <<<"$out")" = installed ] \
  && ok "wp_install() into the private database" || bail "wp_install failed: $out"

# --- Keys and the configuration pack: merchant keys from ipc keygen, the simulated myPOS key.
"$ipc" keygen --out "$tmp/keys" >/dev/null || bail "ipc keygen failed"
"$ipc" config-pack encode --sid 000000000000010 --wallet 61938166610 --key-index 1 \
  --key "$tmp/keys/merchant_private_key.pem" --cert "$keys/simulated-mypos-cert.pem" >"$tmp/pack.txt" \
  || bail "ipc config-pack encode failed"
order="$(wpphp "$here/setup.php" "$wp" "$tmp/pack.txt" "$hold_ms" 2>&1)"
[[ "$order" =~ ^[0-9]+$ ]] && ok "gateway configured with the pack, order $order created" || bail "setup failed: $order"

# --- The web server.
PHP_CLI_SERVER_WORKERS=4 setsid php -d extension="$ext" -S "127.0.0.1:$port" -t "$wp" >"$tmp/web.log" 2>&1 &
web_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/wp-login.php" && break; sleep 0.1; done
url="http://127.0.0.1:$port/?wc-api=mypos_ipc"

notify() { # $1 = signing key, $2 = trnref
  printf 'IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=24.45&Currency=EUR&OrderID=%s&IPC_Trnref=%s&RequestSTAN=083107&RequestDateTime=2026-11-23+10%%3A15%%3A00' \
    "$order" "$2" | "$ipc" sign --key "$1"
}
post() { # $1 = body file, $2 = output prefix
  curl -s --max-time 20 -o "$2.body" -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary "@$1" "$url" >"$2.code"
}
state() { wpphp "$here/state.php" "$wp" "$order"; }
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
last_enter="$(awk '$3 == "enter" {print $1}' <<<"$events" | sort -n | tail -1)"
check "the requests overlapped in time (last enter $last_enter < first leave $first_leave)" \
  php -r "exit((float) '$last_enter' < (float) '$first_leave' ? 0 : 1);"
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
echo "1..$n"
exit "$failed"
