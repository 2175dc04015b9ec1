#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# PoCL's kernel link inside the Flatpak, repeated here. PoCL turns each kernel into a shared
# object by running clang as a linker: `clang -o kernel.so kernel.o <flags>`, where the flags are
# PoCL's defaults and the manifest's EXTRA_HOST_LD_FLAGS (flatpak/modules/opencl.json). PoCL 6.0
# passed -lm among its defaults; the GNOME runtime has libm.so.6 but not libm.so, the name -lm
# looks for (that is in the SDK's devel files), so every kernel link failed there. The manifest
# now links /app/lib/libm.so to the runtime's libm.so.6 and adds -L/app/lib; PoCL 7.0, which it
# pins, no longer passes -lm. This test links as both, with Debian's clang and lld, against a
# folder that holds only what the runtime holds (--sysroot): it fails without the manifest's
# link, as it did, and succeeds with it.
#
# Usage: test-flatpak-link.sh PATH-TO-flatpak/modules/opencl.json
set -euo pipefail

module=$1
export LC_ALL=C
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-flatpak-link.XXXXXX")
cleanup () { rm -rf "$tmp"; }
trap cleanup EXIT
source "$(dirname "$0")/tap.sh"

for tool in clang ld.lld python3; do
  command -v $tool >/dev/null || fail "$tool is installed (tools/bootstrap installs clang and lld)"
done

extra=$(python3 -c '
import json, sys
def modules(m):
    yield m
    for sub in m.get("modules", []):
        if isinstance(sub, dict):
            yield from modules(sub)
pocl = [m for m in modules(json.load(open(sys.argv[1]))) if m.get("name") == "pocl"][0]
flags = [o for o in pocl["config-opts"] if o.startswith("-DEXTRA_HOST_LD_FLAGS=")]
print(flags[0].split("=", 1)[1])
' "$module")
[[ $extra == *-fuse-ld=lld* ]] || fail "the manifest links kernels with lld (EXTRA_HOST_LD_FLAGS: $extra)"

# the runtime: its libm.so.6, and no libm.so; /app: the manifest's libm-link module
libm=$(ldconfig -p | awk '/libm.so.6 .*x86-64/ { print $NF; exit }')
[[ -f $libm ]] || fail "the machine's libm.so.6 is found"
runtime=$tmp/runtime
mkdir -p "$runtime/usr/lib/x86_64-linux-gnu" "$tmp/app/lib"
cp "$libm" "$runtime/usr/lib/x86_64-linux-gnu/libm.so.6"
ln -s "$runtime/usr/lib/x86_64-linux-gnu/libm.so.6" "$tmp/app/lib/libm.so"
# the manifest's flags, /app being the scratch prefix
read -r -a app_flags <<<"${extra//\/app\//$tmp/app/}"
read -r -a old_flags <<<"${extra// -L\/app\/lib/}"

printf 'double sin (double);\ndouble kernel (double x) { return sin (x); }\n' >"$tmp/kernel.c"
run clang -fPIC -O2 -c -o "$tmp/kernel.o" "$tmp/kernel.c"
[[ $rc -eq 0 ]] || fail "a kernel object compiles"

pocl6=(-lm -nostartfiles -shared -nostartfiles)   # PoCL 6.0: "-lm", "-nostartfiles", then its defaults
pocl7=(-shared -nostartfiles)                       # PoCL 7.0: its defaults only

run clang --sysroot="$runtime" -o "$tmp/old.so" "$tmp/kernel.o" "${pocl6[@]}" "${old_flags[@]}"
[[ $rc -ne 0 ]] && grep -q "unable to find library -lm" "$err" \
  || fail "PoCL 6.0's link without the manifest's libm.so fails, as it did in the runtime"
pass "without libm.so, PoCL 6.0's kernel link fails in the runtime: unable to find library -lm"

run clang --sysroot="$runtime" -o "$tmp/pocl6.so" "$tmp/kernel.o" "${pocl6[@]}" "${app_flags[@]}"
[[ $rc -eq 0 ]] || fail "PoCL 6.0's link with the manifest's flags and libm.so links"
pass "with the manifest's libm.so and -L/app/lib, PoCL 6.0's kernel link succeeds"

run clang --sysroot="$runtime" -o "$tmp/pocl7.so" "$tmp/kernel.o" "${pocl7[@]}" "${app_flags[@]}"
[[ $rc -eq 0 ]] || fail "PoCL 7.0's link with the manifest's flags links"
run python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(0 if d[:4] == b"\x7fELF" and b"sin" in d else 1)' "$tmp/pocl7.so"
[[ $rc -eq 0 ]] || fail "PoCL 7.0's link makes a shared object that still asks for sin"
pass "PoCL 7.0's kernel link, as the manifest configures it, succeeds against the runtime's files"

echo "1..$n"
