#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# docs/analysis.md's Python, run as it stands on a small experiment folder trained here: loading
# with NumPy and pandas, the per-layer unpacking (which asserts that the layer sizes account for
# every parameter) and the Fig 2b fit (which asserts that mean σ from sigma.npy equals
# metrics.csv's). Debian's python3 (python3-numpy, python3-pandas from tools/bootstrap).
#
# Usage: test-analysis.sh PATH-TO-VESICLE-CLI DOCS-ANALYSIS-MD
set -euo pipefail

cli=$1
doc=$2
python=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-analysis.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/tap.sh"

# the python blocks of the page, in order, as one script
awk '/^```python$/ { on = 1; next } /^```$/ { on = 0 } on' "$doc" >"$tmp/analysis.py"
[[ $(grep -c . "$tmp/analysis.py") -gt 20 ]] || fail "docs/analysis.md holds the Python blocks"
pass "docs/analysis.md holds the Python blocks"

"$cli" experiment train --set 'hidden=[16]' --set epochs=2 --set max_train=600 \
  --set 'c=[0.01,1,100]' --set 'settings=["hetero","homo"]' --out "$tmp/one" -q \
  || fail "fixture: a one-cohort training experiment"
run "$python" "$tmp/analysis.py" "$tmp/one"
[[ $rc -eq 0 ]] || fail "the snippet runs on a one-cohort folder"
grep -q "heterogeneous: log10 mean σ = " "$out" || fail "the snippet prints the Fig 2b fit"
grep -q "network 0, layer 1: W (16, 784)" "$out" || fail "the snippet unpacks layer 1 as (out, in)"
pass "docs/analysis.md's Python loads a one-cohort folder, unpacks its layers and refits Fig 2b"

"$cli" experiment tradeoff --set 'hidden=[16]' --set epochs=1 --set max_train=600 \
  --set 'rho=[0.5]' --set 'c=[0.01,1]' --set max_cohort=2 --out "$tmp/cohorts" -q \
  || fail "fixture: a tradeoff experiment of several cohorts"
run "$python" "$tmp/analysis.py" "$tmp/cohorts"
[[ $rc -eq 0 ]] || fail "the snippet runs on a folder of several cohorts"
grep -q "cohort-1" "$out" || fail "the snippet reads every run folder"
pass "docs/analysis.md's Python reads an experiment of several cohort folders"
echo "1..$n"
