#!/usr/bin/env bash
# Lints the WooCommerce plug-in and prints TAP lines: php -l on every PHP file, PSR-12 (phpcs)
# on the shipped code, the .pot in sync with the sources and well-formed, and the plug-in header
# complete.
set -uo pipefail
cd "$(dirname "$0")/../woocommerce-plugin"
source ../tests/tap.sh
while IFS= read -r f; do
  out=$(php -l "$f" 2>&1); rc=$?
  [ $rc -eq 0 ] || echo "$out" >&2
  result $rc "php -l $f"
done < <(find . -name '*.php' -not -path './vendor/*' | sort)
phpcs -q --standard=PSR12 --extensions=php mypos-ipc-woocommerce.php uninstall.php includes >&2; result $? "phpcs PSR12"
bin/make-pot.sh --check; result $? "languages/mypos-ipc.pot is up to date (bin/make-pot.sh, xgettext)"
msgfmt --check-format -o /dev/null languages/mypos-ipc.pot 2>/dev/null; result $? "languages/mypos-ipc.pot: msgfmt accepts it, php-format strings well-formed"
for po in languages/mypos-ipc-*.po; do
  # Every string of the template translated, placeholders and plural forms matching (msgfmt -c).
  msgcmp "$po" languages/mypos-ipc.pot >&2 && msgfmt -c -o /dev/null "$po" >&2
  result $? "$po: every string of the .pot translated, formats match (msgcmp, msgfmt -c)"
done
missing=0
for h in 'Plugin Name' 'Version' 'Requires at least' 'Requires PHP' 'WC requires at least' 'WC tested up to' \
  'Requires Plugins: *woocommerce' 'Text Domain: *mypos-ipc' 'License'; do
  grep -Eq "^ \* $h" mypos-ipc-woocommerce.php || { echo "missing header: $h" >&2; missing=1; }
done
result $missing "plug-in header complete"
others=$(grep -rhoE "__\([^)]*'(mypos-[a-z-]+|woocommerce|default)'\)" includes mypos-ipc-woocommerce.php | grep -v "'mypos-ipc')" || true)
[ -z "$others" ]; result $? "one text domain (mypos-ipc)"
tap_plan
