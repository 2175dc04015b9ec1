# SPDX-License-Identifier: GPL-3.0-or-later
# Item 5: JSON nested deeper than 64 levels is refused before json-glib's recursive parser sees
# it, in every file read: experiment.json, summary.json, sweep.json, cells/N.json, the
# checkpoint's header.

d=$tmp/deep
mkdir -p "$d"

cp -r "$figures/tradeoff" "$d/exp"
deep_json "$d/exp/experiment.json"
expect_refused "deep experiment.json: figure refuses it" "nested deeper than 64 levels" \
  "$cli" figure fig2 --from "$d/exp" --out "$d/fig2.png"
expect_refused "deep experiment.json: --resume refuses it" "nested deeper than 64 levels" \
  "$cli" experiment --resume "$d/exp"
pass "a 200 KB experiment.json of 100,000 '[' is refused by figure and --resume (no crash)"

rm -rf "$d/exp"
cp -r "$figures/tradeoff" "$d/exp"
deep_json "$d/exp/summary.json"
expect_refused "deep summary.json: figure refuses it" "nested deeper than 64 levels" \
  "$cli" figure fig2 --from "$d/exp" --out "$d/fig2.png"
pass "a deeply nested summary.json is refused by figure (no crash)"

"$cli" sweep expand tradeoff --set hidden=[16] --set epochs=1 --set max_train=600 \
  --set rho=[0.5] --set c=[1] --set settings=[\"hetero\"] --out "$d/sweep" >/dev/null 2>&1 || fail "fixture: sweep expand"
cp "$d/sweep/sweep.json" "$d/sweep.json.good"
deep_json "$d/sweep/sweep.json"
expect_refused "deep sweep.json: run-cell refuses it" "nested deeper than 64 levels" \
  "$cli" sweep run-cell "$d/sweep" --index 0
expect_refused "deep sweep.json: merge refuses it" "nested deeper than 64 levels" \
  "$cli" sweep merge "$d/sweep"
pass "a deeply nested sweep.json is refused by run-cell and merge (no crash)"

cp "$d/sweep.json.good" "$d/sweep/sweep.json"
"$cli" sweep run-cell "$d/sweep" --index 0 -q || fail "fixture: run-cell"
deep_json "$d/sweep/cells/0.json"
run "$cli" sweep merge "$d/sweep"
[[ $rc -eq 1 ]] && grep -qF "cell 0: not finished" "$err" \
  || fail "deep cells/0.json: merge takes the cell as not finished, without crashing"
pass "a deeply nested cells/N.json reads as a cell that has not finished (no crash)"

# the checkpoint's header line
interrupted "$d/ck" cohort-0/checkpoint.bin
python3 - "$d/ck/cohort-0/checkpoint.bin" <<'PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
magic_end = b.index(b"\n") + 1
rest = b[b.index(b"\n", magic_end) + 1:]
open(p, "wb").write(b[:magic_end] + b"[" * 100000 + b"]" * 100000 + b"\n" + rest)
PY
expect_refused "deep checkpoint header: --resume refuses it" "cohort-0/checkpoint.bin: not a usable checkpoint" \
  "$cli" experiment --resume "$d/ck"
pass "a checkpoint whose header nests 100,000 levels is refused by --resume (no crash)"
