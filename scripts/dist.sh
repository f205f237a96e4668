#!/usr/bin/env bash
# Writes dist/: the plug-in zip, the PHP extension, a libipc tarball (library, header,
# pkg-config file) and SHA256SUMS. Expects `make build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
release=${CARGO_TARGET_DIR:-target}/release
version=$(sed -n 's/^version = "\([0-9.]*\)"$/\1/p' Cargo.toml | head -1)
mkdir -p dist
scripts/plugin-dist.sh
install -m 0755 "$release/libmypos_ipc.so" dist/libmypos_ipc.so
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make --no-print-directory install-lib PREFIX=/usr/local DESTDIR="$stage/libipc-$version" >/dev/null
tar -C "$stage/libipc-$version/usr/local" -czf "dist/libipc-$version-linux-$(uname -m).tar.gz" lib include
(cd dist && sha256sum mypos-ipc-woocommerce.zip libmypos_ipc.so libipc-*.tar.gz > SHA256SUMS)
cat dist/SHA256SUMS
