#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# 'meson install' gives a working app: installs the build into a temporary folder (--destdir),
# checks every installed file a desktop needs (binaries, bundled data, schema, translations,
# icons, desktop file, metainfo), compiles the schema as the install's post-install step would,
# trains a tiny network with the installed CLI on the installed bundled data (the run records
# which dataset it read), and starts the installed app under Xvfb until its window is mapped.
# The installed programs find their files from their own path, so nothing here points them at
# the install.
#
# Usage: test-install.sh BUILD-DIR APP-ID
set -euo pipefail

if [[ $# -ne 2 || ! -d $1 ]]; then
  echo "usage: $0 BUILD-DIR APP-ID" >&2
  exit 2
fi
build=$1
app_id=$2
export G_SLICE=always-malloc LC_ALL=C.UTF-8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-install-test.XXXXXX")
app_pid=
cleanup () {
  [[ -z $app_pid ]] || kill "$app_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
n=0
fail () { echo "not ok $((++n)) - $*"; exit 1; }
pass () { echo "ok $((++n)) - $*"; }

meson install -C "$build" --no-rebuild --destdir "$tmp/root" --quiet >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log"; fail "meson install --destdir"; }
cli=$(find "$tmp/root" -path '*/bin/vesicle-cli' -type f)
[[ -x $cli ]] || fail "vesicle-cli is installed into a bin folder"
prefix=$(dirname "$(dirname "$cli")")
pass "meson install into $prefix"

for f in bin/vesicle bin/vesicle-cli \
         share/vesicle/mnist-subset/train-images-idx3-ubyte.gz \
         share/vesicle/mnist-subset/t10k-labels-idx1-ubyte.gz \
         share/glib-2.0/schemas/org.vesicle.Vesicle.gschema.xml \
         share/locale/de/LC_MESSAGES/vesicle.mo \
         "share/icons/hicolor/scalable/apps/$app_id.svg" \
         "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
         "share/applications/$app_id.desktop" \
         "share/metainfo/$app_id.metainfo.xml"; do
  [[ -s $prefix/$f ]] || fail "installed: $f"
done
pass "installed: binaries, bundled data, schema, translation, icons, desktop file, metainfo"

desktop-file-validate "$prefix/share/applications/$app_id.desktop" || fail "installed desktop file"
grep -qx "Icon=$app_id" "$prefix/share/applications/$app_id.desktop" \
  || fail "the desktop file names the installed icon $app_id"
grep -q '^Name\[de\]=' "$prefix/share/applications/$app_id.desktop" \
  || fail "the desktop file carries the German translation"
appstreamcli validate --no-net "$prefix/share/metainfo/$app_id.metainfo.xml" >/dev/null \
  || fail "installed metainfo validates"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" \
  "$prefix/share/metainfo/$app_id.metainfo.xml" || fail "the metainfo launches the desktop file"
pass "installed desktop file and metainfo validate and name each other"

# what the install's post-install step does outside --destdir
glib-compile-schemas --strict "$prefix/share/glib-2.0/schemas" || fail "installed schema compiles"
pass "installed schema compiles"

"$cli" version >/dev/null || fail "installed vesicle-cli runs"
"$cli" train --hidden 8 --epochs 1 --max-train 200 --out "$tmp/run" -q >"$tmp/train.log" 2>&1 \
  || { cat "$tmp/train.log"; fail "installed vesicle-cli trains on the installed bundled data"; }
grep -qF "$prefix/share/vesicle/mnist-subset" "$tmp/run/run.json" \
  || { grep -i dataset "$tmp/run/run.json"; fail "the run read the installed dataset"; }
pass "installed vesicle-cli trains on the installed bundled data"

# The installed app, with a private settings backend and data folder, until its window shows.
export GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1
export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache
cat >"$tmp/start-app.sh" <<'SH'
#!/bin/bash
"$1" >"$2" 2>&1 &
pid=$!
for _ in $(seq 120); do
  if xdotool search --onlyvisible --name '^Vesicle' >/dev/null 2>&1; then
    kill -0 "$pid" || exit 3
    kill "$pid"; wait "$pid" || true
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || exit 4
  sleep 0.5
done
kill "$pid"
exit 5
SH
chmod +x "$tmp/start-app.sh"
rc=0
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  "$tmp/start-app.sh" "$prefix/bin/vesicle" "$tmp/app.log" || rc=$?
[[ $rc -eq 0 ]] || { cat "$tmp/app.log"; fail "the installed app shows its window under Xvfb (status $rc)"; }
pass "the installed app shows its window under Xvfb"
echo "1..$n"
