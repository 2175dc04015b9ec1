# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the tests that run under oclgrind share (test-limits.sh, test-oclgrind.sh); sourced after
# tap.sh. oclgrind preloads its runtime ahead of AddressSanitizer's, which an ASan build
# (tests/test-sanitize.sh) would refuse at start though it works; and the simulator must be there.

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
if ! command -v oclgrind >/dev/null; then
  fail "oclgrind is installed (Debian's oclgrind: tools/bootstrap installs it)"
fi
