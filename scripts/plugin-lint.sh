#!/usr/bin/env bash
# Lints the WooCommerce plug-in and prints TAP lines: php -l on every PHP file, PSR-12 (phpcs)
# on the shipped code, the .pot in sync with the sources, and the plug-in header complete.
set -uo pipefail
cd "$(dirname "$0")/../woocommerce-plugin"
n=0
tap() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
while IFS= read -r f; do
  out=$(php -l "$f" 2>&1); rc=$?
  [ $rc -eq 0 ] || echo "$out" >&2
  tap $rc "php -l $f"
done < <(find . -name '*.php' -not -path './vendor/*' | sort)
phpcs -q --standard=PSR12 --extensions=php mypos-ipc-woocommerce.php uninstall.php includes bin >&2; tap $? "phpcs PSR12"
php bin/make-pot.php --check; tap $? "languages/mypos-ipc.pot is up to date (php bin/make-pot.php)"
missing=0
for h in 'Plugin Name' 'Version' 'Requires at least' 'Requires PHP' 'WC requires at least' 'WC tested up to' \
  'Requires Plugins: *woocommerce' 'Text Domain: *mypos-ipc' 'License'; do
  grep -Eq "^ \* $h" mypos-ipc-woocommerce.php || { echo "missing header: $h" >&2; missing=1; }
done
tap $missing "plug-in header complete"
others=$(grep -rhoE "__\([^)]*'(mypos-[a-z-]+|woocommerce|default)'\)" includes mypos-ipc-woocommerce.php | grep -v "'mypos-ipc')" || true)
[ -z "$others" ]; tap $? "one text domain (mypos-ipc)"
echo "1..$n"
