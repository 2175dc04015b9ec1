#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The short fuzzing run of every CI run: builds the libFuzzer harnesses with clang, ASan and
# UBSan in BUILD-DIR/fuzz (once; later runs only rebuild what changed) and runs each from its
# seed corpus for $VESICLE_FUZZ_SECONDS (60) with a fixed seed (tests/fuzz/run.sh).
#
# Usage: test-fuzz.sh SOURCE-DIR BUILD-DIR
set -euo pipefail

src=$1
fuzz=$2/fuzz
if [[ ! -f $fuzz/build.ninja ]]; then
  CC=clang CXX=clang++ meson setup "$fuzz" "$src" -Dfuzz=true -Dtests=false -Dgui=disabled \
    --buildtype=debugoptimized >"$2/fuzz-setup.log" 2>&1 \
    || { cat "$2/fuzz-setup.log" >&2; echo "not ok 1 - configure the fuzzing build"; exit 1; }
fi
targets=$(cd "$src/tests/fuzz" && ls corpus | sed 's|^|tests/fuzz/|')
# shellcheck disable=SC2086
ninja -C "$fuzz" $targets >"$2/fuzz-build.log" 2>&1 \
  || { tail -40 "$2/fuzz-build.log" >&2; echo "not ok 1 - build the harnesses"; exit 1; }
exec "$src/tests/fuzz/run.sh" "$fuzz" "${VESICLE_FUZZ_SECONDS:-60}"
