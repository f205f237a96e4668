#!/usr/bin/env bash
# Extracts the PHP and C quick starts from README.md and runs them as written (TAP output).
set -uo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
extract() { awk -v tag="<!-- quickstart:$1 -->" '$0==tag{f=1;next} f&&/^```/{if(s){exit}s=1;next} f&&s{print}' README.md; }
keys=tests/data/keys
source tests/tap.sh

extract php > "$tmp/quickstart.php"
out=$(php -n -d extension="$PWD/target/release/libmypos_ipc.so" "$tmp/quickstart.php" \
  $keys/merchant_private.pem $keys/mypos_cert.pem tests/data/notify-example.txt 2>&1)
[ "$out" = "mark_paid -> HTTP 200 OK" ]; result $? "PHP quick start runs: $out"

extract c > "$tmp/quickstart.c"
prefix="$tmp/prefix"
make --no-print-directory install-lib PREFIX="$prefix" >/dev/null
cc -std=c99 -Wall -Wextra -Werror "$tmp/quickstart.c" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs ipc) -o "$tmp/quickstart"
result $? "C quick start compiles with pkg-config"
out=$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/quickstart" $keys/merchant_private.pem $keys/mypos_cert.pem tests/data/notify-example.txt 2>&1)
[ "$out" = "HTTP 200 OK" ]; result $? "C quick start runs: $out"
tap_plan
exit "$failed"
