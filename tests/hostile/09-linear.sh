# SPDX-License-Identifier: GPL-3.0-or-later
# Item 9: lists read from a folder take linear time, whatever they repeat. 100,000 duplicate run
# entries took over 30 s; the generous bound here is 20 s (it takes well under one).

l=$tmp/linear
mkdir -p "$l"
cp -r "$figures/train" "$l/exp"
python3 - "$l/exp/experiment.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
e["runs"] = (e.get("runs") or ["."]) * 100000
json.dump(e, open(sys.argv[1], "w"))
PY
case_limit=20 run "$cli" figure training --from "$l/exp" --out "$l/training.csv"
[[ $rc -ne 137 ]] || fail "100,000 duplicate runs: figure finishes within 20 s"
[[ $rc -eq 0 ]] || fail "100,000 duplicate runs: the figure is drawn from the one run" "$(cat "$err")"
pass "an experiment.json listing one run 100,000 times is read in linear time (each run once)"
