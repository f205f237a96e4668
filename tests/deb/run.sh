#!/usr/bin/env bash
# The Debian packages of `make dist` (scripts/deb.sh), for real: installs php8.2-mypos-ipc, libipc0
# and libipc-dev with `apt-get install ./...deb`, checks that the PHP CLI and php8.2-fpm load
# mypos_ipc and that a C program builds with `pkg-config --cflags --libs ipc` and runs, then
# removes and purges them and checks that nothing of theirs is left. The machine is left as it was
# found (purge also on failure, trap). Needs root; skipped when any of them, or a mypos_ipc.ini
# from elsewhere (tests/readme-commands.py's php-install), is already there.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/tap.sh
export DEBIAN_FRONTEND=noninteractive
phpver=$(php -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
php_pkg="php$phpver-mypos-ipc"
pkgs=("$php_pkg" libipc0 libipc-dev)
ini=/etc/php/$phpver/mods-available/mypos_ipc.ini
skip() { echo "ok 1 - Debian packages # SKIP $*"; echo "1..1"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root (installs packages)"
for p in "${pkgs[@]}"; do
  ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || skip "$p is already installed; left alone"
done
[ ! -e "$ini" ] || skip "$ini already exists; left alone"
! pgrep -f 'tests/readme-commands.py' >/dev/null || skip "tests/readme-commands.py is running (it enables mypos_ipc system-wide too)"

work=$(mktemp -d)
# Where the packages put things, before: compared with the same listing after the purge.
snapshot() {
  find /etc/php /usr/lib/php /usr/include /usr/lib/"$(dpkg-architecture -qDEB_HOST_MULTIARCH)" \
    /usr/share/doc /var/lib/php/modules /var/lib/ucf -xdev 2>/dev/null | grep -v '^/var/lib/ucf/.*\.[0-9]$' |
    # phpenmod/phpdismod's state directories (php-common's, made for any module) are not compared,
    # the records in them are.
    grep -Ev '^/var/lib/php/modules/[^/]+/[^/]+/(en|dis)abled_by_(admin|maint)$' | sort
}
purge_all() {
  apt-get purge -y -qq "${pkgs[@]}" >"$work/purge.log" 2>&1
}
cleanup() {
  for p in "${pkgs[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv 'not-installed'; then purge_all; break; fi
  done
  # Put back the module state records found at the start (see below).
  (cd "$work/state" 2>/dev/null && find . -type f | while read -r f; do
    mkdir -p "$(dirname "/var/lib/php/modules/${f#./}")"; mv "$f" "/var/lib/php/modules/${f#./}"; done)
  rm -rf "$work"
}
trap cleanup EXIT
# Records phpenmod/phpdismod left for a mypos_ipc that is not installed (a "disabled by the
# administrator" would keep the package from enabling itself): set aside, restored at the end.
mkdir -p "$work/state"
(cd /var/lib/php/modules 2>/dev/null && find . -name mypos_ipc -type f) | while read -r f; do
  echo "# set aside for the test: /var/lib/php/modules/${f#./}"
  mkdir -p "$work/state/$(dirname "${f#./}")"; mv "/var/lib/php/modules/${f#./}" "$work/state/${f#./}"
done
snapshot > "$work/before"

check_quiet "scripts/deb.sh builds the three packages (lintian: no errors)" env DEB_OUT="$work/debs" scripts/deb.sh
debs=("$work"/debs/*.deb)
result $([ ${#debs[@]} -eq 3 ]; echo $?) "three .deb files (${#debs[@]})"
phpapi=$(php-config --phpapi)
check "$php_pkg Depends on phpapi-$phpapi" bash -c "dpkg-deb -f '$work/debs/${php_pkg}_'*.deb Depends | grep -q 'phpapi-$phpapi'"
check "libipc0 ships libipc.so.0 and shlibs" bash -c "dpkg-deb -c '$work'/debs/libipc0_*.deb | grep -q 'libipc.so.0 ->' && dpkg-deb -I '$work'/debs/libipc0_*.deb shlibs | grep -qx 'libipc 0 libipc0 (>= [0-9.]*)'"

# Every path the packages hold, and which of them were already there (shared directories).
for deb in "${debs[@]}"; do dpkg-deb -c "$deb"; done | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | grep -v '^$' | sort -u > "$work/paths"
while read -r f; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done < "$work/paths" > "$work/pre" || true
check_quiet "apt-get install ./*.deb" apt-get install -y -qq --no-install-recommends "${debs[@]/#/}"
for p in "${pkgs[@]}"; do dpkg -L "$p" >> "$work/files"; done
check "$ini is a registered config file, with '; priority=20'" grep -qx '; priority=20' "$ini"
check "php -m (CLI) lists mypos_ipc" bash -c "php -m | grep -qx mypos_ipc"
target=$(php -r 'echo MyPOS\IPC\BUILD_TARGET;' 2>/dev/null)
check "MyPOS\\IPC\\BUILD_TARGET is php$phpver-nts-$(uname -m) ($target)" test "$target" = "php$phpver-nts-$(uname -m)"
check "php-fpm$phpver -m lists mypos_ipc" bash -c "php-fpm$phpver -m | grep -qx mypos_ipc"
check "enabled for every SAPI (phpquery)" bash -c "for s in \$(phpquery -S -v $phpver); do phpquery -q -v $phpver -s \$s -m mypos_ipc || exit 1; done"
check "phpinfo() shows the build target" bash -c "php -i | grep -q '^Build target => php$phpver-nts-'"

cat > "$work/t.c" <<'C'
#include <ipc.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    const char *v = ipc_version();
    printf("%s\n", v);
    return v != NULL && strlen(v) > 0 && ipc_result_str(0) != NULL ? 0 : 1;
}
C
check_quiet "a C program builds with pkg-config --cflags --libs ipc" \
  bash -c "gcc '$work/t.c' \$(pkg-config --cflags --libs ipc) -o '$work/t'"
version=$(sed -n 's/^version = "\([0-9.]*\)"$/\1/p' Cargo.toml | head -1)
out=$("$work/t" 2>&1); lib=$(ldd "$work/t" | grep 'libipc.so.0 =>')
check "it runs and prints the library's version $version ($out)" test "$out" = "$version"
check "it uses the packaged libipc.so.0 ($lib)" bash -c "grep -Eq '=> /(usr/)?lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libipc.so.0 ' <<<'$lib'"

check_quiet "apt-get remove $php_pkg" apt-get remove -y -qq "$php_pkg"
check "after remove: php -m no longer lists mypos_ipc" bash -c "! php -m | grep -qx mypos_ipc"
check "after remove: php-fpm$phpver -m no longer lists mypos_ipc" bash -c "! php-fpm$phpver -m | grep -qx mypos_ipc"
check "after remove: the ini stays (a config file, until purge)" test -e "$ini"

check_quiet "apt-get purge of the three" purge_all
left=$(sort -u "$work/files" "$work/paths" | grep -v '^/\.$' | while read -r f; do
  { [ -e "$f" ] || [ -L "$f" ]; } && ! grep -qxF "$f" "$work/pre" && echo "$f"; done)
links=$(ls /etc/php/"$phpver"/*/conf.d/*mypos_ipc* "$ini" 2>/dev/null)
[ -z "$links" ] || left="$left${left:+$'\n'}$links"
result $([ -z "$left" ]; echo $?) "after purge: no path from dpkg -L of the three is left (but directories that were there before), nor the ini or its links"
[ -z "$left" ] || echo "$left" | sed 's/^/# left: /'
snapshot > "$work/after"
d=$(diff "$work/before" "$work/after")
result $([ -z "$d" ]; echo $?) "after purge: /etc/php, /usr/lib/php, /usr/include, libdir, docs, /var/lib/php/modules, ucf as before"
[ -z "$d" ] || echo "$d" | head -20 | sed 's/^/# /'
tap_plan
exit $failed
