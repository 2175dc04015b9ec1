#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The test suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer
# (-Db_sanitize=address,undefined) in BUILD-DIR/sanitize: any invalid access or
# undefined behaviour fails it. Leak detection is off by default (VESICLE_SANITIZE_LEAKS=1 turns
# it on): LeakSanitizer's thread tracer sometimes crashes at the exit of a process with PoCL's
# worker threads, which would make CI fail at random; with it, the window's tests report
# libadwaita 1.2's About window keeping three strings, which the fast unwinder cannot place
# for a suppression (valgrind can). Leaks that other libraries keep for the life of the
# process are suppressed in tests/sanitize.supp;
# single allocations over 1 GiB are refused, which the dataset test relies on where it cannot
# limit the address space.
#
# Usage: test-sanitize.sh SOURCE-DIR BUILD-DIR
set -uo pipefail

src=$1
build=$2/sanitize
if [[ ! -f $build/build.ninja ]]; then
  meson setup "$build" "$src" -Db_sanitize=address,undefined -Db_lundef=false \
    --buildtype=debugoptimized >"$2/sanitize-setup.log" 2>&1 \
    || { cat "$2/sanitize-setup.log"; echo "sanitize: configuring the build failed"; exit 1; }
fi
ninja -C "$build" >"$2/sanitize-build.log" 2>&1 \
  || { tail -40 "$2/sanitize-build.log"; echo "sanitize: the build failed"; exit 1; }

leaks=${VESICLE_SANITIZE_LEAKS:-0}
export ASAN_OPTIONS=use_sigaltstack=0:detect_leaks=$leaks:max_allocation_size_mb=1024:abort_on_error=1
export LSAN_OPTIONS=suppressions=$src/tests/sanitize.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# the fuzzers have their own sanitizer build; this script is not run inside itself; oclgrind
# checks the kernels, not the host, and takes minutes
meson test -C "$build" --no-rebuild --no-suite fuzz --no-suite sanitize --no-suite oclgrind \
  --print-errorlogs \
  >"$2/sanitize-test.log" 2>&1
status=$?
grep -E '^ *[0-9]+/[0-9]+ ' "$2/sanitize-test.log"
if [[ $status -ne 0 ]]; then
  grep -E -A30 'ERROR: (Address|Leak)Sanitizer|runtime error' "$2/sanitize-test.log" | head -80
  echo "sanitize: the suite failed under ASan + UBSan (log: $2/sanitize-test.log)"
fi
exit $status
