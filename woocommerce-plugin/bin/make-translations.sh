#!/usr/bin/env bash
# Compiles the translations in languages/: each mypos-ipc-<locale>.po into its .mo (PHP strings),
# and into the JSON that wp_set_script_translations() loads for each script with translated
# strings: languages/mypos-ipc-<locale>-<md5 of the script's path in the plug-in>.json, the
# name WordPress's load_script_textdomain() looks for. The outputs are built, not tracked.
# Usage: bin/make-translations.sh [OUTDIR]   (default: languages/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-languages}
command -v msgfmt >/dev/null || { echo "make-translations: msgfmt (Debian's gettext) is not installed" >&2; exit 1; }
for po in languages/mypos-ipc-*.po; do
  [ -e "$po" ] || continue
  base=$(basename "$po" .po)
  locale=${base#mypos-ipc-}
  # -c: placeholders and plural forms must match the msgid's, else the build fails.
  msgfmt -c -o "$out/$base.mo" "$po"
  for script in $(find assets/js -name '*.js' | sort); do
    subset=$(msggrep --no-wrap --location="$script" "$po" 2>/dev/null || true)
    [ -n "$subset" ] || continue
    json="$out/$base-$(printf '%s' "$script" | md5sum | cut -d' ' -f1).json"
    printf '%s\n' "$subset" | php bin/po-to-jed.php "$locale" >"$json"
  done
done
