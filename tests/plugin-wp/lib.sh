# Sourced by run.sh and tests/load/run.sh: a real WordPress (Debian's package, with the WooCommerce
# stand-in and the plug-in as mu-plugins) on a private MariaDB, served by php -S on 127.0.0.1.
# Needs: tmp (an empty work directory), ext (the extension), ipc (the ipc binary), keys
# (../shared/protocol/test-keys). Each step returns non-zero with the reason in WP_ERROR.
# Sets: sock, db_pid, wp, port, url (the notify URL), web_pid, WP_ORDERS (pending order IDs).
wp_lib="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
db_pid=""; web_pid=""; WP_ERROR=""; WP_ORDERS=()

wpphp() { timeout 60 php -d extension="$ext" "$@"; }

# MariaDB: temp datadir, Unix socket only.
wp_db_start() {
  sock="$tmp/db.sock"
  timeout 60 mariadb-install-db --no-defaults --user=root --datadir="$tmp/data" --auth-root-authentication-method=normal \
    --skip-test-db >"$tmp/db-install.log" 2>&1 || { WP_ERROR="mariadb-install-db failed: $(tail -3 "$tmp/db-install.log")"; return 1; }
  /usr/sbin/mariadbd --no-defaults --datadir="$tmp/data" --socket="$sock" --skip-networking --user=root \
    --pid-file="$tmp/db.pid" --skip-grant-tables --log-error="$tmp/db-err.log" >/dev/null 2>&1 &
  db_pid=$!
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || { WP_ERROR="mariadbd did not start: $(tail -3 "$tmp/db-err.log")"; return 1; }
  timeout 10 mariadb --no-defaults --socket="$sock" -u root -e 'CREATE DATABASE wp' || { WP_ERROR="CREATE DATABASE failed"; return 1; }
}

# WordPress: a copy of Debian's package, our wp-config.php, mu-plugins (plus any given), wp_install().
wp_site_install() {
  wp="$tmp/wp"
  cp -rL /usr/share/wordpress "$wp" || { WP_ERROR="copying WordPress failed"; return 1; }
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  url="http://127.0.0.1:$port/?wc-api=mypos_ipc"
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
define('MYPOS_WP_TEST_PLUGIN', '$wp_lib/../../woocommerce-plugin/mypos-ipc-woocommerce.php');
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
  mkdir -p "$wp/wp-content/mu-plugins"
  cp "$wp_lib"/mu/*.php "$@" "$wp/wp-content/mu-plugins/"
  local out
  out="$(wpphp "$wp_lib/install.php" "$wp" 2>&1)" && [ "$(tail -1 <<<"$out")" = installed ] || { WP_ERROR="wp_install failed: $out"; return 1; }
}

# Merchant keys from ipc keygen, the simulated myPOS certificate, the sealed pack in the gateway
# settings, the lock hold time ($1 ms), $2 pending 24.45 EUR orders (WP_ORDERS).
wp_configure() {
  "$ipc" keygen --out "$tmp/keys" >/dev/null || { WP_ERROR="ipc keygen failed"; return 1; }
  "$ipc" config-pack encode --sid 000000000000010 --wallet 61938166610 --key-index 1 \
    --key "$tmp/keys/merchant_private_key.pem" --cert "$keys/simulated-mypos-cert.pem" >"$tmp/pack.txt" \
    || { WP_ERROR="ipc config-pack encode failed"; return 1; }
  local out
  out="$(wpphp "$wp_lib/setup.php" "$wp" "$tmp/pack.txt" "$1" "${2:-1}" 2>&1)"
  mapfile -t WP_ORDERS <<<"$out"
  [ "${#WP_ORDERS[@]}" = "${2:-1}" ] && ! grep -qv '^[0-9][0-9]*$' <<<"$out" || { WP_ERROR="setup failed: $out"; return 1; }
}

# php -S with 4 workers, in its own process group (setsid) so stopping it stops the workers.
wp_web_start() {
  PHP_CLI_SERVER_WORKERS=4 setsid php -d extension="$ext" -S "127.0.0.1:$port" -t "$wp" >"$tmp/web.log" 2>&1 &
  web_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/wp-login.php" && break; sleep 0.1; done
}

# The orders as stored in the database, one JSON object a line.
wp_state() { wpphp "$wp_lib/state.php" "$wp" "$@"; }

wp_stop_web() {
  [ -n "$web_pid" ] || return 0
  kill -TERM -- "-$web_pid" 2>/dev/null; wait "$web_pid" 2>/dev/null
  for _ in $(seq 50); do pgrep -g "$web_pid" >/dev/null || break; sleep 0.1; done
  pgrep -g "$web_pid" >/dev/null && kill -KILL -- "-$web_pid" 2>/dev/null
  web_pid=""
}

wp_cleanup() {
  wp_stop_web
  [ -z "$db_pid" ] || { kill -TERM "$db_pid" 2>/dev/null; wait "$db_pid" 2>/dev/null; }
  db_pid=""
}
