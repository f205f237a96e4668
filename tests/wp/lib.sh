# The start-up every WordPress suite shares (sourced by tests/plugin-wp/lib.sh, hence
# tests/load/run.sh, and by tests/wc-e2e/run.sh): a private MariaDB on a Unix socket, a
# wp-config.php for it, wp_install(), and `php -S` on a free 127.0.0.1 port, stopped by process
# group. The extension under test is loaded through an ini file in "$tmp/php.d"
# (PHP_INI_SCAN_DIR), so every php process of the site, ours included, has it.
# Needs: tmp (an empty work directory), ext (the extension). Each step returns non-zero with the
# reason in WP_ERROR. Sets: sock, db_pid, web_pid, WP_PHP_ENV; the caller sets wp (the site's
# folder) and port.
wp_common="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The plug-in runs from the checkout: compile its translations there (.mo, script .json).
"$wp_common/../../woocommerce-plugin/bin/make-translations.sh" >&2 || echo "# make-translations.sh failed" >&2
db_pid=""; web_pid=""; WP_ERROR=""

mkdir -p "$tmp/php.d"
echo "extension=$ext" >"$tmp/php.d/99-mypos-ipc.ini"
# A leading ':' keeps Debian's own scan directory (mysqli, curl, ...).
WP_PHP_ENV="PHP_INI_SCAN_DIR=:$tmp/php.d"
wpphp() { env "$WP_PHP_ENV" timeout 120 php "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# MariaDB in "$tmp/data", Unix socket only, no grant tables (the socket is the only way in).
wp_db_start() {
  sock="$tmp/db.sock"
  timeout 60 mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$tmp/data" --auth-root-authentication-method=normal \
    --skip-test-db >"$tmp/db-install.log" 2>&1 || { WP_ERROR="mariadb-install-db failed: $(tail -3 "$tmp/db-install.log")"; return 1; }
  /usr/sbin/mariadbd --no-defaults --datadir="$tmp/data" --socket="$sock" --skip-networking --user="$(id -un)" \
    --pid-file="$tmp/db.pid" --skip-grant-tables --skip-log-bin --log-error="$tmp/db-err.log" >/dev/null 2>&1 &
  db_pid=$!
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || { WP_ERROR="mariadbd did not start: $(tail -3 "$tmp/db-err.log")"; return 1; }
  timeout 10 mariadb --no-defaults --socket="$sock" -u root -e 'CREATE DATABASE wp' || { WP_ERROR="CREATE DATABASE failed"; return 1; }
}

# wp_config DIR PORT: wp-config.php for the private database, the site at http://127.0.0.1:PORT,
# no outbound HTTP, no automatic updates. Extra PHP lines (define(...);) come on stdin.
wp_config() {
  local dir="$1" port="$2" salt
  salt="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
  {
    cat <<PHP
<?php
define('DB_NAME', 'wp');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:$sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as \$i => \$k) {
    define(\$k, '$salt' . \$i);
}
define('WP_HOME', 'http://127.0.0.1:$port');
define('WP_SITEURL', 'http://127.0.0.1:$port');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('MYPOS_WP_TEST_EVENTS', '$tmp/events.log');
PHP
    cat
    cat <<'PHP'
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
  } >"$dir/wp-config.php"
}

# wp_install DIR URL [ADMIN_PASSWORD]: wp_install() into the empty database.
wp_install() {
  local out
  out="$(wpphp "$wp_common/install.php" "$1" "$2" "${3:-}" 2>&1)" && [ "$(tail -1 <<<"$out")" = installed ] \
    || { WP_ERROR="wp_install failed: $out"; return 1; }
}

# wp_web_start: php -S for the site in $wp on $port, 4 workers, in its own process group
# (setsid) so stopping the group stops the workers; the router hands WordPress every path that
# is not a file.
wp_web_start() {
  env "$WP_PHP_ENV" PHP_CLI_SERVER_WORKERS=4 setsid php -d memory_limit=512M -S "127.0.0.1:$port" -t "$wp" \
    "$wp_common/router.php" >"$tmp/web.log" 2>&1 &
  web_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/wp-login.php" && return 0; sleep 0.1; done
  WP_ERROR="php -S did not answer on port $port: $(tail -3 "$tmp/web.log")"; return 1
}

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
