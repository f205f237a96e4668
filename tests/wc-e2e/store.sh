# Sourced by run.sh: a WordPress + WooCommerce store built from two public snapshots, on the
# shared start-up of tests/wp/lib.sh. WP_SRC: a local checkout (git directory, bare or not) of
# johnpbloch/wordpress-core, or a plain WordPress folder; WP_REF picks the tag (7.0.4).
# WC_SRC: a local checkout of bitpoke/stack-example-wordpress, which holds WooCommerce already
# built (with composer's vendor/ and the compiled assets) and the Storefront theme; WC_REF picks
# the commit (HEAD). WCS_SRC (optional): a local copy of WooCommerce Subscriptions (the GPL mirror
# pronamic/woocommerce-subscriptions; a git directory, bare or not, or a plain plug-in folder);
# WCS_REF picks the commit (HEAD). Needs: tmp, ext, root, wp, port (set before sourcing tests/wp/lib.sh).
# Each step returns non-zero with the reason in WP_ERROR.

# Only the sub-trees needed are archived: a snapshot may lack its largest blobs.
store_extract() {
  local wc_ref="${WC_REF:-HEAD}" wp_ref="${WP_REF:-7.0.4}" plugins="$wp/wp-content/plugins"
  mkdir -p "$wp"
  if [ -f "$WP_SRC/wp-load.php" ]; then
    cp -a "$WP_SRC/." "$wp/" && rm -f "$wp/wp-config.php"
  else
    git -C "$WP_SRC" archive "$wp_ref" | tar -x -C "$wp"
  fi
  [ -f "$wp/wp-settings.php" ] || { WP_ERROR="no WordPress in WP_SRC=$WP_SRC at $wp_ref"; return 1; }
  mkdir -p "$plugins" "$wp/wp-content/themes" "$wp/wp-content/mu-plugins"
  git -C "$WC_SRC" archive --prefix=woocommerce/ "$wc_ref:wp-content/plugins/woocommerce" | tar -x -C "$plugins" \
    && [ -f "$plugins/woocommerce/vendor/autoload.php" ] \
    || { WP_ERROR="no built WooCommerce at wp-content/plugins/woocommerce in WC_SRC=$WC_SRC $wc_ref"; return 1; }
  git -C "$WC_SRC" archive --prefix=storefront/ "$wc_ref:wp-content/themes/storefront" | tar -x -C "$wp/wp-content/themes" \
    || { WP_ERROR="no Storefront theme in WC_SRC=$WC_SRC $wc_ref"; return 1; }
  if [ -n "${WCS_SRC:-}" ]; then
    if [ -f "$WCS_SRC/woocommerce-subscriptions.php" ]; then
      cp -a "$WCS_SRC" "$plugins/woocommerce-subscriptions"
    else
      mkdir -p "$plugins/woocommerce-subscriptions"
      git -C "$WCS_SRC" archive "${WCS_REF:-HEAD}" | tar -x -C "$plugins/woocommerce-subscriptions"
    fi
    [ -f "$plugins/woocommerce-subscriptions/vendor/autoload.php" ] \
      || { WP_ERROR="no WooCommerce Subscriptions (with vendor/) in WCS_SRC=$WCS_SRC"; return 1; }
  fi
  # The plug-in under test, as the working tree has it.
  ln -s "$root/woocommerce-plugin" "$plugins/woocommerce-plugin"
  cp "$wp_common"/mu/*.php "$root"/tests/wc-e2e/mu/*.php "$wp/wp-content/mu-plugins/"
}

# store_up CHECKOUT ADMIN_PASSWORD: database, wp-config, web server, install, WooCommerce with
# Storefront, the store set up (facts in $tmp/store.json), the plug-in activated.
store_up() {
  local url="http://127.0.0.1:$port" out
  store_extract && wp_db_start || return 1
  wp_config "$wp" "$port" <<PHP || { WP_ERROR="writing wp-config.php failed"; return 1; }
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '$tmp/debug.log');
define('WP_DEBUG_DISPLAY', false);
define('MYPOS_WC_E2E_MAIL_LOG', '$tmp/mail.log');
PHP
  wp_web_start && wp_install "$wp" "$url" "$2" || return 1
  store_wp() { wpphp "$root/tests/wc-e2e/wp.php" "$wp" "$url" "$@" 2>&1; }
  out="$(store_wp activate woocommerce/woocommerce.php --theme=storefront)" || { WP_ERROR="activating WooCommerce: $out"; return 1; }
  out="$(WC_CHECKOUT="$1" ADMIN_PASSWORD="$2" store_wp store-setup "$tmp/store.json")" || { WP_ERROR="store set-up: $out"; return 1; }
  out="$(store_wp activate woocommerce-plugin/mypos-ipc-woocommerce.php)" || { WP_ERROR="activating the plug-in: $out"; return 1; }
  if [ -n "${WCS_SRC:-}" ]; then
    out="$(store_wp activate woocommerce-subscriptions/woocommerce-subscriptions.php)" \
      || { WP_ERROR="activating WooCommerce Subscriptions: $out"; return 1; }
  fi
  out="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$url/wp-json/wc/store/v1/products")"
  [ "$out" = 200 ] || { WP_ERROR="the Store API answered $out"; return 1; }
}
