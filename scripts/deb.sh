#!/usr/bin/env bash
# Builds the Debian packages of `make dist` with dpkg-deb from staged trees, into dist/:
#   php<M.m>-mypos-ipc  the extension for the PHP it was built for (PHP_CONFIG, default Debian's
#                       php8.2), as Debian's own php-* extension packages do it (dh-php): the .so in
#                       /usr/lib/php/<phpapi>/, Depends on phpapi-<phpapi>, the ini (`; priority=20`)
#                       registered with ucf in /etc/php/<M.m>/mods-available/ and enabled for every
#                       SAPI by php-maintscript-helper; disabled on remove, gone on purge.
#   libipc0             libipc.so.<version> with SONAME libipc.so.0 (build.rs), shlibs, ldconfig trigger.
#   libipc-dev          ipc.h, libipc.a, libipc.so -> libipc.so.0, ipc.pc (pkg-config).
# Then lintian, when installed (errors fail). Expects `make build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
release=${CARGO_TARGET_DIR:-target}/release
version=$(sed -n 's/^version = "\([0-9.]*\)"$/\1/p' Cargo.toml | head -1)
debver="$version-1"
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
php_config=${PHP_CONFIG:-php-config}
php=${PHP:-$("$php_config" --php-binary)}
phpver=$("$php" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
phpapi=$("$php_config" --phpapi)
maintainer="mypos-ipc maintainers <mypos-ipc@example.invalid>"
out=${DEB_OUT:-dist}
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Common files of every package: copyright and changelog (Debian policy 12.5, 12.7).
docs() { # docs PACKAGE DIR
  local d="$2/usr/share/doc/$1"
  install -d "$d"
  cat > "$d/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: mypos-ipc
Source: https://example.invalid/mypos-ipc

Files: *
Copyright: 2025-$(date -u +%Y) mypos-ipc contributors
License: MIT or Apache-2.0
 Licensed under either of the MIT license or the Apache License, Version 2.0, at your option.
 On Debian systems the Apache License 2.0 is in /usr/share/common-licenses/Apache-2.0.
COPY
  printf '%s (%s) unstable; urgency=medium\n\n  * Built from the mypos-ipc repository by make dist.\n\n -- %s  %s\n' \
    "$1" "$debver" "$maintainer" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}")" \
    | gzip -9n > "$d/changelog.Debian.gz"
}

# control PACKAGE DIR SECTION DEPENDS DESCRIPTION [EXTRA]: writes DEBIAN/control and md5sums.
control() {
  local pkg=$1 dir=$2 section=$3 depends=$4 desc=$5 extra=${6:-}
  install -d "$dir/DEBIAN"
  {
    echo "Package: $pkg"
    echo "Version: $debver"
    echo "Architecture: $arch"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$dir" | cut -f1)"
    echo "Depends: $depends"
    [ -z "$extra" ] || printf '%s\n' "$extra"
    echo "Section: $section"
    echo "Priority: optional"
    echo "Homepage: https://example.invalid/mypos-ipc"
    printf 'Description: %s\n' "$desc"
  } > "$dir/DEBIAN/control"
  (cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0r md5sum > DEBIAN/md5sums)
}

# shlibdeps FILE...: the Depends dpkg-shlibdeps computes for these binaries.
shlibdeps() {
  local d; d=$(mktemp -d -p "$stage")
  mkdir -p "$d/debian"; printf 'Source: x\n\nPackage: x\nArchitecture: any\n' > "$d/debian/control"
  local files=(); for f in "$@"; do files+=("$(readlink -f "$f")"); done
  (cd "$d" && dpkg-shlibdeps -O "${files[@]}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
}

build_deb() { # build_deb PACKAGE DIR
  find "$2" -type d -exec chmod 0755 {} +
  dpkg-deb --root-owner-group -Zxz --build "$2" "$out/${1}_${debver}_${arch}.deb" >/dev/null
  echo "$out/${1}_${debver}_${arch}.deb"
}

# --- libipc0 ---
p=libipc0; d="$stage/$p"
install -d "$d/usr/lib/$multiarch"
install -m 0644 "$release/libipc.so" "$d/usr/lib/$multiarch/libipc.so.$version"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$d/usr/lib/$multiarch/libipc.so.$version"
soname=$(objdump -p "$d/usr/lib/$multiarch/libipc.so.$version" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = libipc.so.0 ] || { echo "deb: libipc.so has SONAME '$soname', want libipc.so.0" >&2; exit 1; }
ln -s "libipc.so.$version" "$d/usr/lib/$multiarch/libipc.so.0"
docs "$p" "$d"
control "$p" "$d" libs "$(shlibdeps "$d/usr/lib/$multiarch/libipc.so.$version")" \
  "myPOS IPC protocol core: C library (runtime)
 Signing, verification and notify decisions for myPOS online payments
 (IPC), behind a C ABI. This package holds the shared library libipc.so.0." "Multi-Arch: same"
echo "libipc 0 libipc0 (>= $version)" > "$d/DEBIAN/shlibs"
echo "activate-noawait ldconfig" > "$d/DEBIAN/triggers"
build_deb "$p" "$d"

# --- libipc-dev ---
p=libipc-dev; d="$stage/$p"
install -d "$d/usr/lib/$multiarch/pkgconfig" "$d/usr/include"
install -m 0644 "$release/libipc.a" "$d/usr/lib/$multiarch/libipc.a"
strip --strip-debug "$d/usr/lib/$multiarch/libipc.a"
ln -s libipc.so.0 "$d/usr/lib/$multiarch/libipc.so"
install -m 0644 include/ipc.h "$d/usr/include/ipc.h"
sed -e 's|@PREFIX@|/usr|' -e 's|@VERSION@|'"$version"'|' -e 's|^libdir=.*|libdir=${prefix}/lib/'"$multiarch"'|' \
  ipc.pc.in > "$d/usr/lib/$multiarch/pkgconfig/ipc.pc"
docs "$p" "$d"
control "$p" "$d" libdevel "libipc0 (= $debver)" \
  "myPOS IPC protocol core: C library (development files)
 Signing, verification and notify decisions for myPOS online payments
 (IPC), behind a C ABI. This package holds the header ipc.h, the static
 library libipc.a and the pkg-config file ipc.pc." \
  "Multi-Arch: same"
build_deb "$p" "$d"

# --- php<M.m>-mypos-ipc --- (Debian's PHP only: NTS, from /usr/bin/php-config<M.m>)
if [ "$("$php" -n -r 'echo PHP_ZTS;')" = 1 ] || [ "$(readlink -f "$(command -v "$php_config")")" != "$(readlink -f /usr/bin/php-config"$phpver")" ]; then
  echo "deb: $php_config is not Debian's php$phpver (NTS); no php$phpver-mypos-ipc package" >&2
  php_pkg=
else
  php_pkg="php$phpver-mypos-ipc"
fi
if [ -n "$php_pkg" ]; then
p=$php_pkg; d="$stage/$p"
install -d "$d/usr/lib/php/$phpapi" "$d/usr/share/$p/mypos_ipc"
install -m 0644 "$release/libmypos_ipc.so" "$d/usr/lib/php/$phpapi/mypos_ipc.so"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$d/usr/lib/php/$phpapi/mypos_ipc.so"
printf '; configuration for php mypos_ipc module\n; priority=20\nextension=mypos_ipc.so\n' \
  > "$d/usr/share/$p/mypos_ipc/mypos_ipc.ini"
docs "$p" "$d"
control "$p" "$d" php "php-common (>= 1:81~), ucf, phpapi-$phpapi, $(shlibdeps "$d/usr/lib/php/$phpapi/mypos_ipc.so")" \
  "myPOS IPC (Checkout API) extension for PHP $phpver
 The PHP extension mypos_ipc: myPOS IPC signing and verification,
 request builders, verified notifications with notify decisions, under
 the MyPOS\\IPC namespace. Built for PHP $phpver (PHP API $phpapi);
 enabled for every SAPI on install." "Provides: php-mypos-ipc"
for sapi in apache2 apache2filter fpm; do echo "activate-noawait /etc/php/$phpver/$sapi/conf.d"; done > "$d/DEBIAN/triggers"
cat > "$d/DEBIAN/postinst" <<SH
#!/bin/sh
set -e
if [ "\$1" = "configure" ]; then
    inidir=/etc/php/$phpver/mods-available
    if [ -e /usr/lib/php/php-maintscript-helper ]; then
        . /usr/lib/php/php-maintscript-helper
        ucf /usr/share/$p/mypos_ipc/mypos_ipc.ini \${inidir}/mypos_ipc.ini
        ucfr --force $p \${inidir}/mypos_ipc.ini
        php_invoke enmod $phpver ALL mypos_ipc
    fi
fi
exit 0
SH
cat > "$d/DEBIAN/postrm" <<SH
#!/bin/sh
set -e
if [ "\$1" = "remove" ]; then
    if [ -e /usr/lib/php/php-maintscript-helper ]; then
        . /usr/lib/php/php-maintscript-helper
        php_invoke dismod $phpver ALL mypos_ipc
    fi
fi
if [ "\$1" = "purge" ]; then
    inidir=/etc/php/$phpver/mods-available
    inifile=mypos_ipc.ini
    # The module's state records (/var/lib/php/modules/$phpver/*/) go with it.
    # (phpdismod -p clears them for one SAPI per call; the rm catches SAPIs removed since.)
    if command -v phpdismod >/dev/null && command -v phpquery >/dev/null; then
        for sapi in \$(phpquery -S -v $phpver); do
            phpdismod -p -f -v $phpver -s \$sapi mypos_ipc >/dev/null 2>&1 || true
        done
    fi
    rm -f /var/lib/php/modules/$phpver/*/enabled_by_*/mypos_ipc /var/lib/php/modules/$phpver/*/disabled_by_*/mypos_ipc
    rm -f /var/lib/php/modules/$phpver/registry/mypos_ipc
    for ext in '~' '%' .bak .ucf-new .ucf-old .ucf-dist; do
        rm -f \${inidir}/\${inifile}\${ext}
    done
    rm -f \${inidir}/\${inifile}
    if command -v ucf >/dev/null; then
        ucf --purge \${inidir}/\${inifile}
    fi
    if command -v ucfr >/dev/null; then
        ucfr --purge $p \${inidir}/\${inifile}
    fi
    find /etc/php/ -type l | while read -r symlink; do
        if [ "\$(readlink "\$symlink")" = "\${inidir}/\${inifile}" ]; then
            rm -f "\$symlink"
        fi
    done
    for dir in /etc/php/$phpver/mods-available /etc/php/$phpver /etc/php; do
        if [ ! -L \$dir ] && [ -d \$dir ]; then
            rmdir --ignore-fail-on-non-empty \$dir
        fi
    done
fi
exit 0
SH
chmod 0755 "$d/DEBIAN/postinst" "$d/DEBIAN/postrm"
build_deb "$p" "$d"
fi

if command -v lintian >/dev/null; then
  # Errors fail; warnings are shown. Not-Debian-archive checks (no source package, example.invalid
  # addresses) are suppressed.
  debs=("$out/libipc0_${debver}_${arch}.deb" "$out/libipc-dev_${debver}_${arch}.deb")
  [ -z "$php_pkg" ] || debs+=("$out/${php_pkg}_${debver}_${arch}.deb")
  lintian --fail-on error --suppress-tags-from-file "$root/scripts/lintian-overrides.txt" "${debs[@]}"
  echo "lintian: no errors"
fi
