#!/usr/bin/env bash
# Copies the built extension to target/ext/mypos_ipc-<version>-php<major.minor>-<nts|zts>-<arch>.so,
# named after the PHP it was built for (PHP_CONFIG / PHP, as ext-php-rs and php-ext/build.rs
# used them), with its PHP API number beside it (<name>.phpapi) for `make dist`'s manifest.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
php_config=${PHP_CONFIG:-php-config}
php=${PHP:-$("$php_config" --php-binary 2>/dev/null || echo php)}
version=$(sed -n 's/^version = "\([0-9.]*\)"$/\1/p' Cargo.toml | head -1)
build=$("$php" -n -r "echo PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION, '-', PHP_ZTS ? 'zts' : 'nts';")
api=$("$php_config" --phpapi)
name="mypos_ipc-$version-php$build-$(uname -m).so"
mkdir -p "$target/ext"
install -m 0755 "$target/release/libmypos_ipc.so" "$target/ext/$name"
echo "$api" > "$target/ext/$name.phpapi"
echo "extension for PHP $build (PHP API $api): $target/ext/$name"
