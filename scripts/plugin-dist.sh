#!/usr/bin/env bash
# Builds dist/mypos-ipc-woocommerce.zip: the plug-in without its tests and development tools.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v zip >/dev/null || { echo "plugin-dist: 'zip' is not installed" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/mypos-ipc-woocommerce" dist
(cd woocommerce-plugin && tar cf - --exclude=./tests --exclude=./bin --exclude=./phpunit.xml.dist \
  --exclude=./vendor --exclude='.phpunit*' --exclude='./languages/*.mo' --exclude='./languages/*.json' .) \
  | tar xf - -C "$stage/mypos-ipc-woocommerce"
# The compiled translations (.mo for PHP, .json for the block script) are built, not tracked.
woocommerce-plugin/bin/make-translations.sh "$stage/mypos-ipc-woocommerce/languages"
rm -f dist/mypos-ipc-woocommerce.zip
(cd "$stage" && zip -qr -X "$OLDPWD/dist/mypos-ipc-woocommerce.zip" mypos-ipc-woocommerce)
echo "dist/mypos-ipc-woocommerce.zip: $(unzip -l dist/mypos-ipc-woocommerce.zip | tail -1)"
