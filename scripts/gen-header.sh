#!/usr/bin/env bash
# Generates the C header of libipc with cbindgen 0.29.4 and cbindgen.toml, filling in the
# IPC_VERSION_* macros from the crate version and the IPC_MAX_* macros from src/limits.rs. Usage: scripts/gen-header.sh [OUTPUT]
# (default include/ipc.h). `make header` runs it; the header suite compares a fresh copy.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-include/ipc.h}"
if ! cbindgen --version 2>/dev/null | grep -q '0.29.4'; then
  echo "gen-header: cbindgen 0.29.4 is required (scripts/install-deps.sh cbindgen)" >&2
  exit 1
fi
version=$(sed -n 's/^version = "\([0-9][0-9.]*\)"$/\1/p' Cargo.toml | head -1)
IFS=. read -r major minor patch <<<"$version"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
limits=()
for name in MAX_BODY_BYTES MAX_FIELDS MAX_FIELD_NAME_BYTES; do
  expr=$(sed -n "s/^pub const $name: usize = \(.*\);$/\1/p" src/limits.rs)
  [ -n "$expr" ] || { echo "gen-header: $name not found in src/limits.rs" >&2; exit 1; }
  limits+=(-e "s/@IPC_$name@/$((expr))/")
done
cbindgen --quiet --config cbindgen.toml --crate mypos-ipc --output "$tmp"
sed -e "s/@IPC_VERSION_MAJOR@/$major/" -e "s/@IPC_VERSION_MINOR@/$minor/" \
    -e "s/@IPC_VERSION_PATCH@/$patch/" "${limits[@]}" "$tmp" > "$out"
