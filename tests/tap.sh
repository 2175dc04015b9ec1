# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP for the shell tests (test-cli.sh, test-hostile.sh): pass/fail lines numbered in order, and
# on a failure the last command's status, stdout ($out) and stderr ($err). The caller sets $tmp
# first. A failure ends the test, unless VESICLE_TEST_KEEP_GOING is set (to list every failing
# case at once, e.g. against an older build).

n=0
rc=0
failed=0
out=$tmp/stdout
err=$tmp/stderr

pass () { n=$((n + 1)); echo "ok $n - $1"; }

fail () {
  local desc=$1
  n=$((n + 1))
  echo "not ok $n - $desc"
  shift
  for line in "$@"; do echo "# $line"; done
  echo "# command exit status: $rc"
  echo "# stdout:"; sed 's/^/#   /' "$out" 2>/dev/null | head -40 || true
  echo "# stderr:"; sed 's/^/#   /' "$err" 2>/dev/null | head -40 || true
  echo "FAILED: $desc" >&2
  failed=$((failed + 1))
  [[ -n ${VESICLE_TEST_KEEP_GOING:-} ]] && return 0
  exit 1
}

# run CMD...: runs it, stdout to $out, stderr to $err, status to $rc
run () {
  set +e
  "$@" >"$out" 2>"$err"
  rc=$?
  set -e
}
