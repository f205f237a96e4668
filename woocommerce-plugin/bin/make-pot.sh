#!/usr/bin/env bash
# Writes languages/mypos-ipc.pot with xgettext (Debian's gettext) from the shipped PHP and
# JavaScript files, with WordPress's translation functions as keywords (wp.i18n's in scripts)
# and the "translators:" comments kept.
# Usage: bin/make-pot.sh [--check]   (--check: exit 1 when the .pot is out of date)
set -euo pipefail
cd "$(dirname "$0")/.."
target=languages/mypos-ipc.pot
version="$(sed -n 's/^ \* Version: *//p' mypos-ipc-woocommerce.php | head -1)"
# The keywords of WordPress's own i18n tools; the text-domain argument is not a message.
keywords=(__ _e _n:1,2 _x:1,2c _ex:1,2c _nx:4c,1,2 _n_noop:1,2 _nx_noop:3c,1,2
  esc_attr__ esc_attr_e esc_attr_x:1,2c esc_html__ esc_html_e esc_html_x:1,2c)
pot() {
  # Files only as locations (no line numbers) and sorted messages: an edit elsewhere in a file
  # does not change the template. The creation date is dropped so --check can compare.
  local scratch
  scratch=$(mktemp)
  local common=(--from-code=UTF-8 --add-comments=translators: --sort-output --add-location=file
    --package-name="myPOS IPC for WooCommerce" --package-version="$version" --no-wrap
    --keyword "${keywords[@]/#/--keyword=}" -o "$scratch")
  xgettext --language=PHP "${common[@]}" mypos-ipc-woocommerce.php $(find includes -name '*.php' | sort)
  sed -i 's/charset=CHARSET/charset=UTF-8/' "$scratch"
  # Scripts: wp.i18n's __ and _n (sprintf placeholders as in PHP); joined into the same template.
  xgettext --language=JavaScript --join-existing "${common[@]}" $(find assets/js -name '*.js' | sort)
  sed -e '/^"POT-Creation-Date: /d' -e 's/charset=CHARSET/charset=UTF-8/' \
          -e '1,/^$/{s/^# SOME DESCRIPTIVE TITLE\.$/# Translation template for myPOS IPC for WooCommerce./}' \
          -e '1,/^$/{s/^\(# This file is distributed under the same license as the\) .* package\.$/\1 plug-in (GPL-2.0-or-later)./}' \
          -e 's/^"Content-Transfer-Encoding: 8bit\\n"$/&\n"X-Domain: mypos-ipc\\n"/' \
          -e '1,/^$/{/^# Copyright (C) YEAR/d;/^# FIRST AUTHOR/d}' "$scratch"
  rm -f "$scratch"
}
if [ "${1:-}" = --check ]; then
  diff -u "$target" <(pot) >&2
else
  pot >"$target"
  echo "$(grep -c '^msgid "..*"' "$target") strings in $target"
fi
