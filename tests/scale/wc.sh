# Sourced by tests/scale/run.sh while the Galera cluster is up: the same burst against real
# WordPress + WooCommerce (HPOS) instead of the stand-in, when WP_SRC and WC_SRC name the public
# snapshots (see tests/wc-e2e/store.sh); otherwise one `# SKIP` line. The store's database `wc`
# is installed through g1; one php -S (4 workers) per node. Asserted as for the stand-in: every
# order paid exactly once, payment_complete once, every valid notify exactly OK, forged bodies
# 400 and never OK, no 5xx, every gate open again.
# Needs (from run.sh): tmp root ipc keys myposkey copies parallel, sql, web_start, plan, burst,
# answers, figures and the TAP helpers.

wc_galera() {
  if [ -z "${WP_SRC:-}" ] || [ -z "${WC_SRC:-}" ]; then
    ok "galera with real WooCommerce # SKIP WP_SRC and WC_SRC not set (tests/wc-e2e/store.sh)"
    return 0
  fi
  local saved_wp="$wp" saved_rolled="$rolled" saved_orders=("${ORDERS[@]}") site="$tmp/wc" wport url out urls=() t0
  t0=$(date +%s)
  # shellcheck source=../wc-e2e/store.sh
  source "$root/tests/wc-e2e/store.sh"
  wp="$site"
  if ! store_extract; then not_ok "wc: the store extracted from WP_SRC/WC_SRC ($WP_ERROR)"; wp="$saved_wp"; return 0; fi
  wp="$saved_wp"
  # The stand-in's noisy hook is the e2e suite's business; the burst wants plain WooCommerce.
  rm -f "$site/wp-content/mu-plugins/noisy-payment-hook.php"
  wport="$(free_port)"; url="http://127.0.0.1:$wport"
  wp_config "$site" "$wport" <<PHP
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', false);
define('MYPOS_WC_E2E_MAIL_LOG', '$tmp/wc-mail.log');
PHP
  sed -i "s|define('DB_HOST', 'localhost:__SOCK__');|define('DB_HOST', (string) getenv('MYPOS_DB_HOST'));|; s|define('DB_NAME', 'wp');|define('DB_NAME', 'wc');|" \
    "$site/wp-config.php"
  export MYPOS_DB_HOST="localhost:$tmp/g1/sock"
  store_wp() { wpphp "$root/tests/wc-e2e/wp.php" "$site" "$url" "$@" 2>&1; }
  if ! { sql g1 'CREATE DATABASE IF NOT EXISTS wc' && wp_install "$site" "$url" \
    && out="$(store_wp activate woocommerce/woocommerce.php --theme=storefront)" \
    && out="$(WC_HPOS=1 WC_CHECKOUT=classic ADMIN_PASSWORD=scale-test store_wp store-setup "$tmp/wc-store.json")" \
    && out="$(store_wp activate woocommerce-plugin/mypos-ipc-woocommerce.php)" \
    && out="$(store_wp configure "$tmp/pack.txt" "http://127.0.0.1:9/unused")"; }; then
    not_ok "wc: WooCommerce installed on the Galera cluster (${WP_ERROR:-$out})"; return 0
  fi
  local hpos; hpos="$(sql g3 "SELECT option_value FROM wc.wp_options WHERE option_name = 'woocommerce_custom_orders_table_enabled'")"
  local versions; versions="$(php -r '$s = json_decode((string) file_get_contents($argv[1]), true); echo "WordPress ", $s["wp_version"] ?? "?", ", WooCommerce ", $s["wc_version"] ?? "?";' "$tmp/wc-store.json")"
  check "wc: $versions installed through g1 in $(($(date +%s) - t0)) s, HPOS on as g3 reads it ($hpos)" test "$hpos" = yes
  out="$(wpphp "$here/wc-orders.php" "$site" "$url" "$orders" 2>&1)"
  local lines; mapfile -t lines <<<"$out"
  if [ "${#lines[@]}" != "$orders" ] || grep -qv '^[0-9]* [^ ]* [0-9.]*$' <<<"$out"; then
    not_ok "wc: $orders pending orders with their pay-page attempts" "$out"; return 0
  fi
  ORDERS=()
  mkdir -p "$tmp/b"
  local id oid total body o l
  for l in "${lines[@]}"; do
    read -r id oid total <<<"$l"
    ORDERS+=("$id")
    body="IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=$total&Currency=EUR&OrderID=$oid&IPC_Trnref=$((800000 + id))&RequestSTAN=083107&RequestDateTime=2026-11-23+10%3A15%3A00"
    printf '%s' "$body" | "$ipc" sign --key "$myposkey" >"$tmp/b/$id.valid" \
      && printf '%s' "$body" | "$ipc" sign --key "$tmp/keys/merchant_private_key.pem" >"$tmp/b/$id.forged" \
      || bail "ipc sign failed"
  done
  ok "wc: orders ${ORDERS[*]} pending, each with the OrderID its pay page sends to myPOS"
  wp="$site"
  for i in 1 2 3; do web_start "localhost:$tmp/g$i/sock" || { wp="$saved_wp"; not_ok "wc: web server on g$i ($WP_ERROR)"; return 0; }; urls+=("$WEB_URL"); done
  wp="$saved_wp"
  : >"$tmp/events.log"
  rolled=0
  plan "${urls[@]}" >"$tmp/plan-wc.txt"
  rolled="$saved_rolled"
  burst wc "$tmp/plan-wc.txt"
  answers wc "$tmp/plan-wc.txt" >"$tmp/answers-wc.log"
  local fivexx forged bad="" st pc held rps p99
  fivexx=$(awk '$3 >= 500 || $3 == 0' "$tmp/answers-wc.log" | wc -l)
  check "wc: no 5xx and no failed connection ($fivexx of $(wc -l <"$tmp/answers-wc.log"))" test "$fivexx" = 0
  forged=$(awk '$1 == "forged" && ($3 != 400 || $5 == "OK")' "$tmp/answers-wc.log" | wc -l)
  check "wc: every forged body answered 400, never OK ($forged not)" test "$forged" = 0
  for o in "${ORDERS[@]}"; do
    # HPOS: the order and its meta live in wc_orders / wc_orders_meta; read on g2.
    st="$(sql g2 "SELECT CONCAT(o.status, '|', IFNULL((SELECT GROUP_CONCAT(m.meta_value) FROM wc.wp_wc_orders_meta m WHERE m.order_id = o.id AND m.meta_key = '_mypos_ipc_trnref'), '')) FROM wc.wp_wc_orders o WHERE o.id = $o")"
    pc="$(grep -c " payment_complete $o " "$tmp/events.log")"
    [ "$st|$pc" = "wc-processing|$((800000 + o))|1" ] \
      && awk -v o="$o" '$1 == "valid" && $2 == o && !($3 == 200 && $5 == "OK") {exit 1}' "$tmp/answers-wc.log" || bad+=" $o:$st|$pc"
  done
  check "wc: every order paid exactly once (HPOS tables), payment_complete once, every valid notify answered exactly OK${bad:+ (wrong:$bad)}" test -z "$bad"
  held="$(sql g1 "SELECT COUNT(*) FROM wc.wp_mypos_ipc_messages WHERE gate IS NOT NULL")"
  check "wc: every gate open again ($held held)" test "$held" = 0
  read -r rps p99 <<<"$(figures wc "$tmp/answers-wc.log")"
  diag "wc: $(wc -l <"$tmp/answers-wc.log") requests over 3 web servers on real WooCommerce in $BURST_SECONDS s: $rps requests/s, p99 $p99 ms (not in the figures table)"
  ORDERS=("${saved_orders[@]}")
}
