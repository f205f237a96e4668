#!/usr/bin/env bash
# Runs every PHP test script of the extension (TAP output). Usage: run.sh path/to/libmypos_ipc.so
# With PHP_VALGRIND=1 each script runs under valgrind (errors and definite/indirect leaks fail).
set -uo pipefail
ext=$(readlink -f "${1:?usage: run.sh libmypos_ipc.so}")
dir=$(cd "$(dirname "$0")" && pwd)
[ -f "$ext" ] || { echo "not ok 1 - extension $ext exists"; exit 1; }
php_cmd=(php -n -d "extension=$ext" -d zend.exception_ignore_args=0 -d display_errors=stderr -d error_reporting=-1)
if [ "${PHP_VALGRIND:-0}" = 1 ]; then
  export USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 RUST_BACKTRACE=0 MYPOS_BENCH_SMOKE=1
  php_cmd=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --suppressions="$dir/valgrind.supp" "${php_cmd[@]}")
fi
status=0
for t in "$dir"/*.php "$dir"/../bench/bench.php; do
  case "$(basename "$t")" in tap.php) continue ;; esac
  echo "# $(basename "$t")"
  if [ "$(basename "$t")" = bench.php ]; then
    out=$(MYPOS_BENCH_SMOKE=1 "${php_cmd[@]}" "$t" 2>&1); rc=$?
    printf '%s\n' "$out" | sed 's/^/# /'
    if [ $rc -eq 0 ]; then echo "ok 1 - bench.php smoke run (1 iteration)"; else echo "not ok 1 - bench.php smoke run (exit $rc)"; status=1; fi
    continue
  fi
  "${php_cmd[@]}" "$t"; rc=$?
  if [ $rc -ne 0 ]; then echo "# $(basename "$t") exited $rc"; status=1; fi
done
exit $status
