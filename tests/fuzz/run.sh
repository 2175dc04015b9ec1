#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs every libFuzzer harness of a fuzzing build from its seed corpus for SECONDS each, with a
# fixed seed so that a run is repeatable: new inputs go to a scratch copy of the corpus (the
# sources stay as they are), and a crash, leak, sanitizer report or timeout fails the run with
# the input that caused it, printed in base64 and kept in FUZZ-BUILD-DIR/fuzz-crashes/NAME/.
# One TAP line per harness, with its executions and coverage.
#
# Usage: tests/fuzz/run.sh FUZZ-BUILD-DIR [SECONDS]   (default 60)
set -uo pipefail

build=$1
seconds=${2:-60}
src=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0
failed=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for harness in "$src"/corpus/*/; do
  name=$(basename "$harness")
  exe=$build/tests/fuzz/$name
  n=$((n + 1))
  if [[ ! -x $exe ]]; then
    echo "not ok $n - $name: no harness at $exe"
    failed=1
    continue
  fi
  mkdir -p "$work/$name/corpus" "$work/$name/crash"
  log=$work/$name/log
  "$exe" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/$name/crash/" "$work/$name/corpus" "$harness" >"$log" 2>&1
  rc=$?
  # libFuzzer prints its final stats twice after a crash: take one number, or the TAP line breaks.
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  if [[ $rc -eq 0 ]]; then
    echo "ok $n - $name: $execs executions in $seconds s, coverage $cov"
  else
    echo "not ok $n - $name: exit $rc after $execs executions"
    failed=1
    mkdir -p "$build/fuzz-crashes/$name"
    cp "$work/$name/crash/"* "$build/fuzz-crashes/$name/" 2>/dev/null || true
    grep -E '==ERROR|SUMMARY|runtime error|Test unit written|Base64' "$log" | sed -n 1,20p \
      | sed 's/^/# /'
    tail -40 "$log" | sed 's/^/# /' >&2
    # The input itself, so that a failure on another machine can be replayed here.
    for input in "$work/$name/crash/"*; do
      [[ -f $input ]] || continue
      echo "# $(basename "$input") in base64:"
      base64 -w 76 "$input" | head -c 65536 | sed 's/^/# /'
    done
  fi
done
echo "1..$n"
exit $failed
