# SPDX-License-Identifier: GPL-3.0-or-later
# Items 3 and 8: everything a folder writes or reads stays inside it. A run folder, or a results
# file, planted as a symbolic link to somewhere else is refused before anything is written, and
# nothing outside changes; paths read from summary.json cannot leave the folder.

o=$tmp/outside
mkdir -p "$o/elsewhere"
echo "not Vesicle's" >"$o/elsewhere/mu.npy"
echo "not Vesicle's" >"$o/elsewhere/run.json"
snapshot "$o/elsewhere" >"$o/elsewhere.snap"

interrupted "$o/exp" cohort-0/checkpoint.bin
rm -rf "$o/exp/cohort-1"
ln -s "$o/elsewhere" "$o/exp/cohort-1"
snapshot_folder "$o/exp" "$o/exp.snap"
expect_refused "a symlinked run folder: --resume is refused" "cohort-1 is a symbolic link" \
  "$cli" experiment --resume "$o/exp"
unchanged "a symlinked run folder: --resume writes nothing outside" "$o/elsewhere" "$o/elsewhere.snap"
folder_unchanged "a symlinked run folder: --resume writes nothing inside" "$o/exp" "$o/exp.snap"
pass "a run folder that is a symbolic link out of the folder: --resume refused, nothing changed"

expect_refused "a symlinked run folder: --overwrite is refused" "cohort-1 is a symbolic link" \
  "$cli" experiment tradeoff "${tradeoff_sets[@]}" --set epochs=1 --out "$o/exp" --overwrite
unchanged "a symlinked run folder: --overwrite writes nothing outside" "$o/elsewhere" "$o/elsewhere.snap"
pass "a run folder that is a symbolic link out of the folder: --overwrite refused, nothing outside changed"

rm "$o/exp/cohort-1"
mkdir "$o/exp/cohort-1"
ln -s "$o/elsewhere/run.json" "$o/exp/cohort-1/metrics.csv"
expect_refused "a symlinked metrics.csv: --resume is refused" "metrics.csv is a symbolic link" \
  "$cli" experiment --resume "$o/exp"
unchanged "a symlinked metrics.csv: nothing outside changed" "$o/elsewhere" "$o/elsewhere.snap"
pass "a results file that is a symbolic link out of the folder: refused, nothing outside changed"

# paths in summary.json (item 8)
echo "secret" >"$o/secret.npy"
for bad in "../../secret.npy" "$o/secret.npy" "sub/../../secret.npy"; do
  rm -rf "$o/imp"
  cp -r "$figures/importance" "$o/imp"
  python3 - "$o/imp/summary.json" "$bad" <<'PY'
import json, sys
path, bad = sys.argv[1], sys.argv[2]
s = json.load(open(path))
for f in s["files"]:
    f["path"] = bad
json.dump(s, open(path, "w"))
PY
  expect_refused "summary.json files[].path = $bad is refused" "the path \"$bad\"" \
    "$cli" figure fig5 --from "$o/imp" --out "$o/fig5.png"
done
rm -rf "$o/imp"
cp -r "$figures/importance" "$o/imp"
for npy in "$o"/imp/importance-*.npy; do ln -sf "$o/secret.npy" "$npy"; done
expect_refused "an array that is a link out of the folder is refused" "is a symbolic link" \
  "$cli" figure fig5 --from "$o/imp" --out "$o/fig5.png"
pass "paths read from summary.json stay inside the folder (.., absolute, a link out)"

python3 - "$o/imp/experiment.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
e["runs"] = ["../../etc"]
json.dump(e, open(sys.argv[1], "w"))
PY
expect_refused "a run listed as ../../etc in experiment.json is refused" "leads out of the folder" \
  "$cli" figure fig5 --from "$o/imp" --out "$o/fig5.png"
pass "runs listed in experiment.json stay inside the folder"
