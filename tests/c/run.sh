#!/usr/bin/env bash
# Builds libipc (release), compiles every tests/c/test_*.c with -Wall -Wextra -Werror against
# it, and runs each under valgrind (zero errors, zero definite/indirect leaks). Prints TAP.
# Usage: tests/c/run.sh   (from anywhere; needs gcc, valgrind, python3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
lib="$CARGO_TARGET_DIR/release"
cargo build --release -p mypos-ipc --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/c/prepare-data.py "$root/tests/data" "$work/data"
# Rotation keys and certificates (test_keyring.c), made now so none expires under the suite.
for who in rot_old rot_new rot_merchant2; do
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$who/O=mypos-ipc" \
    -keyout "$work/data/${who}_private.pem" -out "$work/data/${who}_cert.pem" 2>/dev/null
done
if [ -n "${MYPOS_TEST_ARTIFACTS:-}" ]; then
  mkdir -p "$MYPOS_TEST_ARTIFACTS/c/keys"
  cp "$work/data/"rot_*_private.pem "$MYPOS_TEST_ARTIFACTS/c/keys/"
fi
# The library's SONAME is libipc.so.0: link and load through a private symlink farm.
mkdir -p "$work/lib"
ln -s "$lib/libipc.so" "$work/lib/libipc.so"
ln -s "$lib/libipc.so" "$work/lib/libipc.so.0"
version=$(sed -n 's/^version = "\([0-9][0-9.]*\)"$/\1/p' Cargo.toml | head -1)

source tests/tap.sh
for src in tests/c/test_*.c; do
  name=$(basename "$src" .c)
  if ! gcc -std=c99 -Wall -Wextra -Werror -pedantic -g -pthread -Iinclude -Itests/c "$src" \
      -L"$work/lib" -Wl,-rpath,"$work/lib" -lipc -o "$work/$name" 2> "$work/$name.cc"; then
    cat "$work/$name.cc"
    not_ok "$name compiles with -Wall -Wextra -Werror"
    continue
  fi
  echo "# $name"
  if RUST_BACKTRACE=0 IPC_TEST_DATA="$work/data" IPC_EXPECTED_VERSION="$version" \
      valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
      --log-file="$work/$name.vg" "$work/$name"; then
    rc=0
  else
    rc=$?
  fi
  if [ "$rc" -eq 99 ] || [ -s "$work/$name.vg" ]; then
    sed 's/^/# /' "$work/$name.vg"
    not_ok "$name is valgrind clean"
  elif [ "$rc" -ne 0 ]; then
    not_ok "$name exits 0 (exit $rc)"
  else
    ok "$name is valgrind clean and exits 0"
  fi
done
exit "$failed"
