#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Translations are complete and findable: po/POTFILES.in lists, sorted, exactly the files that
# hold translatable strings (C and headers with _(), N_(), C_() or g_dngettext(); .ui files with
# translatable="yes"; the desktop file, metainfo and settings schema templates), and every
# language in po/LINGUAS translates every message of a catalogue made afresh from those files,
# with nothing fuzzy and format strings that match (msgfmt --check).
#
# Usage: test-potfiles.sh SOURCE-DIR
set -euo pipefail

src=$1
cd "$src"
export LC_ALL=C.UTF-8
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-potfiles-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
fail () { echo "not ok $((++n)) - $*"; exit 1; }
pass () { echo "ok $((++n)) - $*"; }

{
  grep -rlE '\b(N|C|NC)?_\("|g_dngettext \(' src --include='*.c' --include='*.h' || true
  grep -rl 'translatable="yes"' ui --include='*.ui' || true
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml
} | sort -u >"$tmp/expected"
grep -v '^#' po/POTFILES.in | sed '/^$/d' >"$tmp/listed"

sort -c "$tmp/listed" 2>/dev/null || fail "po/POTFILES.in is sorted"
pass "po/POTFILES.in is sorted"
missing=$(comm -23 "$tmp/expected" "$tmp/listed")
[[ -z $missing ]] || fail "po/POTFILES.in lacks files with translatable strings: $missing"
stale=$(comm -13 "$tmp/expected" "$tmp/listed")
[[ -z $stale ]] || fail "po/POTFILES.in lists files without translatable strings: $stale"
pass "po/POTFILES.in lists exactly the files with translatable strings"

# the glib preset's keywords, as meson's i18n.gettext passes them
xgettext --from-code=UTF-8 --add-comments --directory="$src" --files-from=po/POTFILES.in \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --package-name=vesicle -o "$tmp/vesicle.pot" 2>"$tmp/xgettext.log" \
  || { cat "$tmp/xgettext.log"; fail "xgettext reads every listed file"; }
total=$(grep -c '^msgid ' "$tmp/vesicle.pot")
pass "xgettext finds $((total - 1)) messages"

langs=$(grep -v '^#' po/LINGUAS | sed '/^$/d')
[[ -n $langs ]] || fail "po/LINGUAS names at least one language"
for lang in $langs; do
  po=po/$lang.po
  [[ -f $po ]] || fail "$po exists"
  msgfmt --check --output-file=/dev/null "$po" || fail "$po compiles with msgfmt --check"
  msgmerge --quiet --no-fuzzy-matching "$po" "$tmp/vesicle.pot" -o "$tmp/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry as a message when it prints anything
  [[ $untranslated -eq 0 ]] || {
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | sed -n 2,21p >&2
    fail "$po translates every message ($((untranslated - 1)) untranslated)"
  }
  [[ $fuzzy -eq 0 ]] || fail "$po has no fuzzy translations ($((fuzzy - 1)))"
  pass "$po translates all $((total - 1)) messages"
done
echo "1..$n"
