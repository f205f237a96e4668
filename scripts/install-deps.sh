#!/usr/bin/env bash
# Installs what the build, tests and demo need on Debian 12, idempotently and quietly when
# everything is already there. Usage: scripts/install-deps.sh [group ...]
# Groups: php (PHP 8.2 headers + libclang for ext-php-rs), c (valgrind, gcc, g++, pkg-config, openssl for test certificates),
# phptools (phpunit, phpcs), mariadb (server + php8.2-mysql), wordpress (MariaDB + Debian's WordPress),
# galera (galera-4 for a MariaDB Galera cluster on loopback, tests/scale), browser (chromium +
# playwright-core), load (wrk), wc-e2e (what tests/wc-e2e's WordPress + WooCommerce store needs),
# fpm (php8.2-fpm + nginx, started by tests/notify-fpm on loopback only; no service is enabled),
# cbindgen, fuzz (cargo-fuzz), dist (zip), deb (dpkg-dev, lintian, php8.2-fpm: the Debian packages
# of `make dist` and tests/deb). No argument means every group.
set -euo pipefail
cd "$(dirname "$0")/.."

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(php c phptools mariadb wordpress galera fpm browser load wc-e2e cbindgen fuzz dist deb)

apt_packages=()
want() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || apt_packages+=("$1"); }

for g in "${groups[@]}"; do
  case "$g" in
    php) for p in php8.2-cli php8.2-dev php8.2-mbstring php8.2-xml php8.2-curl libclang-dev clang; do want "$p"; done ;;
    c) for p in valgrind gcc g++ binutils pkg-config python3 openssl; do want "$p"; done ;;
    phptools) for p in phpunit php-codesniffer php8.2-cli gettext; do want "$p"; done ;;
    dist) for p in zip unzip; do want "$p"; done ;;
    deb) for p in dpkg-dev lintian php8.2-fpm php-common ucf pkg-config gcc; do want "$p"; done ;;
    mariadb) for p in mariadb-server php8.2-mysql; do want "$p"; done ;;
    wordpress) for p in mariadb-server php8.2-mysql wordpress; do want "$p"; done ;;
    galera) for p in mariadb-server galera-4 mariadb-client; do want "$p"; done ;;
    browser) for p in chromium nodejs npm; do command -v "${p/nodejs/node}" >/dev/null 2>&1 || want "$p"; done ;;
    load) want wrk ;;
    fpm) for p in php8.2-fpm php8.2-mysql nginx mariadb-server wordpress; do want "$p"; done ;;
    wc-e2e) for p in php8.2-cli php8.2-mysql php8.2-curl php8.2-xml php8.2-mbstring php8.2-zip mariadb-server bc curl; do want "$p"; done ;;
    cbindgen) ;;
    fuzz) ;;
    *) echo "install-deps: unknown group '$g'" >&2; exit 64 ;;
  esac
done

if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${apt_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d keeps package scripts from starting services (Apache from 'wordpress').
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

for g in "${groups[@]}"; do
  case "$g" in
    cbindgen)
      if ! cbindgen --version 2>/dev/null | grep -q '0.29.4'; then
        echo "install-deps: cargo install cbindgen 0.29.4"
        cargo install cbindgen --version 0.29.4 --locked --quiet
      fi ;;
    fuzz)
      if ! cargo fuzz --version >/dev/null 2>&1; then
        echo "install-deps: cargo install cargo-fuzz"
        cargo install cargo-fuzz --locked --quiet
      fi ;;
    browser)
      if [ -f tests/e2e/package.json ] && [ ! -d tests/e2e/node_modules/playwright-core ]; then
        echo "install-deps: npm install (tests/e2e)"
        (cd tests/e2e && npm install --no-audit --no-fund --silent >/dev/null)
      fi ;;
  esac
done
