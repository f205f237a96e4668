#!/usr/bin/env bash
# Checks the C header and the installed library. Prints TAP.
#  - include/ipc.h equals a fresh cbindgen run (no drift);
#  - every exported ipc_* symbol is declared in it, and every declared function is exported;
#  - it compiles as C99 and C++ with -Wall -Wextra -Werror -pedantic;
#  - ignoring a verify result is a compile error (warn_unused_result);
#  - `make install-lib PREFIX=...` gives a working libipc.so (SONAME libipc.so.0), libipc.a,
#    ipc.h and ipc.pc usable through pkg-config.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
lib="$CARGO_TARGET_DIR/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source tests/tap.sh

cargo build --release -p mypos-ipc --quiet || bail "cargo build failed"

check_quiet "include/ipc.h equals a fresh cbindgen 0.29.4 run" \
  bash -c "scripts/gen-header.sh '$work/ipc.h' && diff -u include/ipc.h '$work/ipc.h'"

nm -D --defined-only "$lib/libipc.so" | awk '$2 == "T" && $3 ~ /^ipc_/ {print $3}' | sort -u > "$work/exported"
grep -oE '\bipc_[a-z0-9_]+\(' include/ipc.h | tr -d '(' | sort -u > "$work/declared"
check_quiet "libipc.so exports ipc_* functions" test -s "$work/exported"
check_quiet "every exported ipc_* symbol is declared in ipc.h" bash -c "comm -23 '$work/exported' '$work/declared' | tee /dev/stderr | wc -l | grep -qx 0"
check_quiet "every function declared in ipc.h is exported" bash -c "comm -13 '$work/exported' '$work/declared' | tee /dev/stderr | wc -l | grep -qx 0"

cat > "$work/use.c" <<'C'
#include "ipc.h"
#include "ipc.h" /* the include guard makes a second inclusion harmless */
#include <stdio.h>
int main(void) {
  ipc_config *config = NULL;
  ipc_result r = ipc_verify_form((const uint8_t *)"A=1", 3, "x");
  printf("%s %s %d.%d.%d %u\n", ipc_version(), ipc_result_str(r), IPC_VERSION_MAJOR, IPC_VERSION_MINOR,
         IPC_VERSION_PATCH, (unsigned)IPC_RESULT_OK);
  ipc_config_free(config);
  return r == IPC_RESULT_BAD_KEY ? 0 : 1;
}
C
check_quiet "ipc.h compiles as C99 with -Wall -Wextra -Werror -pedantic" \
  gcc -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude -c "$work/use.c" -o "$work/use_c99.o"
check_quiet "ipc.h compiles as C11 with -Wall -Wextra -Werror -pedantic" \
  gcc -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude -c "$work/use.c" -o "$work/use_c11.o"
check_quiet "ipc.h compiles as C++11 with -Wall -Wextra -Werror -pedantic" \
  g++ -x c++ -std=c++11 -Wall -Wextra -Werror -pedantic -Iinclude -c "$work/use.c" -o "$work/use_cxx11.o"
check_quiet "ipc.h compiles as C++17 with -Wall -Wextra -Werror -pedantic" \
  g++ -x c++ -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude -c "$work/use.c" -o "$work/use_cxx17.o"
check_quiet "C++ sees extern \"C\" declarations (links against libipc.so)" \
  bash -c "ln -sf '$lib/libipc.so' '$work/libipc.so.0' && g++ '$work/use_cxx17.o' -L'$lib' -Wl,-rpath,'$work' -lipc -o '$work/use_cxx' && '$work/use_cxx'"

cat > "$work/unused.c" <<'C'
#include "ipc.h"
int main(void) {
  ipc_verify_form((const uint8_t *)"A=1", 3, "x");
  return 0;
}
C
check_quiet "ignoring ipc_verify_form's result does not compile (warn_unused_result)" \
  bash -c "! gcc -std=c99 -Wall -Werror -Iinclude -c '$work/unused.c' -o '$work/unused.o'"

prefix="$work/prefix"
check_quiet "make install-lib PREFIX=... installs the library, header and ipc.pc" \
  bash -c "make --no-print-directory -s install-lib PREFIX='$prefix' && test -f '$prefix/lib/libipc.a' && test -L '$prefix/lib/libipc.so.0' && test -f '$prefix/include/ipc.h' && test -f '$prefix/lib/pkgconfig/ipc.pc'"
check_quiet "installed libipc.so has SONAME libipc.so.0" \
  bash -c "readelf -d '$prefix/lib/libipc.so' | grep -q 'SONAME.*\\[libipc.so.0\\]'"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
version=$(sed -n 's/^version = "\([0-9][0-9.]*\)"$/\1/p' Cargo.toml | head -1)
check_quiet "pkg-config reports version $version" bash -c "test \"\$(pkg-config --modversion ipc)\" = '$version'"
check_quiet "a program built with pkg-config runs against the installed libipc.so" \
  bash -c "gcc -std=c99 -Wall -Werror \$(pkg-config --cflags ipc) '$work/use.c' \$(pkg-config --libs ipc) -Wl,-rpath,'$prefix/lib' -o '$work/use_dyn' && '$work/use_dyn' | grep -q '^$version bad key or certificate $version 0\$'"
check_quiet "a program links statically with libipc.a and pkg-config --static" \
  bash -c "gcc -std=c99 -Wall -Werror \$(pkg-config --cflags ipc) '$work/use.c' '$prefix/lib/libipc.a' \$(pkg-config --static --libs-only-l ipc | sed 's/-lipc//') -o '$work/use_static' && ! readelf -d '$work/use_static' | grep -q 'libipc' && '$work/use_static'"
tap_plan
exit "$failed"
