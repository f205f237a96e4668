#!/usr/bin/env bash
# Writes dist/: the plug-in zip, the PHP extension (libmypos_ipc.so, and every build in target/ext/
# named after the PHP it fits), a libipc tarball (library, header, pkg-config file), the Debian
# packages (scripts/deb.sh), MANIFEST.tsv (each artifact, the PHP it is for and its PHP API
# number) and SHA256SUMS. Expects `make build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
release=$target/release
version=$(sed -n 's/^version = "\([0-9.]*\)"$/\1/p' Cargo.toml | head -1)
rm -rf dist
mkdir -p dist
scripts/plugin-dist.sh
install -m 0755 "$release/libmypos_ipc.so" dist/libmypos_ipc.so
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make --no-print-directory install-lib PREFIX=/usr/local DESTDIR="$stage/libipc-$version" >/dev/null
tar -C "$stage/libipc-$version/usr/local" -czf "dist/libipc-$version-linux-$(uname -m).tar.gz" lib include
scripts/deb.sh

# MANIFEST.tsv: file, kind, PHP (major.minor-nts|zts), arch, PHP API ("-" when not PHP), sha256.
{
  printf 'file\tkind\tphp\tarch\tphp_api\tsha256\n'
  for so in "$target"/ext/mypos_ipc-"$version"-php*.so; do
    [ -e "$so" ] || continue
    name=$(basename "$so")
    install -m 0755 "$so" "dist/$name"
    build=${name#mypos_ipc-"$version"-php}; build=${build%.so}   # 8.2-nts-x86_64
    printf '%s\tphp-extension\t%s\t%s\t%s\t%s\n' "$name" "${build%-*}" "${build##*-}" \
      "$(cat "$so.phpapi")" "$(sha256sum "dist/$name" | cut -d' ' -f1)"
  done
  for deb in dist/*.deb; do
    pkg=$(dpkg-deb -f "$deb" Package)
    api=$(dpkg-deb -f "$deb" Depends | grep -o 'phpapi-[0-9]*' | sed 's/phpapi-//' || true)
    php=-; [ -z "$api" ] || php=$(echo "$pkg" | sed -n 's/^php\([0-9.]*\)-.*/\1/p')-nts
    printf '%s\tdeb\t%s\t%s\t%s\t%s\n' "$(basename "$deb")" "$php" "$(dpkg-deb -f "$deb" Architecture)" \
      "${api:--}" "$(sha256sum "$deb" | cut -d' ' -f1)"
  done
} > dist/MANIFEST.tsv
(cd dist && sha256sum mypos-ipc-woocommerce.zip libmypos_ipc.so mypos_ipc-*.so libipc-*.tar.gz *.deb MANIFEST.tsv > SHA256SUMS)
cat dist/MANIFEST.tsv
cat dist/SHA256SUMS
