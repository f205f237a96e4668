# Sourced by run.sh and tests/load/run.sh: Debian's WordPress package with the WooCommerce
# stand-in and the plug-in as mu-plugins, on the shared start-up of tests/wp/lib.sh (private
# MariaDB, php -S on 127.0.0.1). Needs: tmp (an empty work directory), ext (the extension), ipc
# (the ipc binary), keys (tests/data/test-keys). Each step returns non-zero with the reason in
# WP_ERROR. Sets: sock, db_pid, wp, port, url (the notify URL), web_pid, WP_ORDERS (pending order IDs).
wp_lib="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$wp_lib/../wp/lib.sh"
WP_ORDERS=()

# WordPress: a copy of Debian's package, our wp-config.php, mu-plugins (plus any given), wp_install().
wp_site_install() {
  wp="$tmp/wp"
  cp -rL /usr/share/wordpress "$wp" || { WP_ERROR="copying WordPress failed"; return 1; }
  port="$(free_port)"
  url="http://127.0.0.1:$port/?wc-api=mypos_ipc"
  wp_config "$wp" "$port" <<PHP
define('WP_DEBUG', false);
define('DISABLE_WP_CRON', true);
define('MYPOS_WP_TEST_WC_LOG', '$tmp/wc.log');
define('MYPOS_WP_TEST_PLUGIN', '$wp_lib/../../woocommerce-plugin/mypos-ipc-woocommerce.php');
PHP
  mkdir -p "$wp/wp-content/mu-plugins"
  cp "$wp_common"/mu/*.php "$wp_lib"/mu/*.php "$@" "$wp/wp-content/mu-plugins/"
  wp_install "$wp" "http://127.0.0.1:$port"
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

# The orders as stored in the database, one JSON object a line.
wp_state() { wpphp "$wp_lib/state.php" "$wp" "$@"; }

