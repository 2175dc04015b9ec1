#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Tests of vesicle-cli as a user meets it: exit codes and messages of the usage errors (no
# command, unknown command, bad option values, missing or corrupted datasets, a device that does
# not exist), 'devices', a real tiny training run and the run folder it writes (run.json,
# metrics.csv, mu.npy, sigma.npy), the refusal to overwrite a run without --overwrite, 'figure'
# (list, a PNG and a CSV from the test fixtures, and its usage errors), a run killed with
# SIGKILL reading as interrupted, a run killed mid-epoch resumed bit-identically, a sweep's
# expand / run-cell / merge equal to the single-process run, the JSON of 'bench', and 'tune'
# (its report, the file it saves, the shipped table, bad tuning files).
# Needs an OpenCL device (PoCL will do); the first run may spend ~20 s building kernels.
#
# Usage: test-cli.sh PATH-TO-VESICLE-CLI   (VESICLE_SOURCE_DATA: the source tree's data/)
set -euo pipefail

if [[ $# -ne 1 || ! -x $1 ]]; then
  echo "usage: $0 PATH-TO-VESICLE-CLI" >&2
  exit 2
fi
cli=$1
data=${VESICLE_SOURCE_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}
subset=$data/mnist-subset

# GLib < 2.76 hands GError and other small blocks out of its slice allocator, which hides double
# frees; plain malloc makes them crash as they would with a newer GLib.
export G_SLICE=always-malloc
export LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-cli-test.XXXXXX")
cleanup () { rm -rf "$tmp"; }
trap cleanup EXIT

source "$(dirname "$0")/tap.sh"


# expect_fail DESCRIPTION TEXT CMD...: exit status 1 (an error, not a crash) and TEXT on stderr;
# the caller adds its own checks, then calls pass
expect_fail () {
  local desc=$1 text=$2
  shift 2
  run "$@"
  [[ $rc -eq 1 ]] || fail "$desc" "expected exit status 1"
  grep -qF -- "$text" "$err" || fail "$desc" "stderr does not mention '$text'"
}

[[ -d $subset ]] || { echo "no dataset at $subset (set VESICLE_SOURCE_DATA)" >&2; exit 1; }

# ---- the command line itself --------------------------------------------------------------

run "$cli"
[[ $rc -eq 2 ]] || fail "no command: exit status 2" "expected 2"
grep -q '^Usage: vesicle-cli' "$err" || fail "no command: usage on stderr"
pass "no command: exit status 2 and the usage on stderr"

run "$cli" --help
[[ $rc -eq 0 ]] || fail "--help: exit status 0"
grep -q '^Usage: vesicle-cli' "$out" || fail "--help: usage on stdout"
grep -q 'train' "$out" || fail "--help: lists the train command"
pass "--help: exit status 0 and the usage on stdout"

run "$cli" frobnicate
[[ $rc -eq 2 ]] || fail "unknown command: exit status 2" "expected 2"
grep -qF "unknown command 'frobnicate'" "$err" || fail "unknown command: message names it"
pass "unknown command: exit status 2 and a message naming it"

run "$cli" train --help
[[ $rc -eq 0 ]] || fail "train --help: exit status 0"
grep -qF -- '--out' "$out" || fail "train --help: describes --out"
pass "train --help: exit status 0 and describes --out"

# ---- devices --------------------------------------------------------------------------------

run "$cli" devices
[[ $rc -eq 0 ]] || fail "devices: exit status 0"
grep -qE '^[0-9]+  .+\[[A-Za-z ]+\]$' "$out" || fail "devices: lists at least one device"
grep -q 'platform:' "$out" || fail "devices: names the platform"
pass "devices: exit status 0 and at least one device listed"

# several vendors folders at once, as the Flatpak has them (its own with PoCL, the runtime's with
# the GPU drivers): ocl-icd reads one, so Vesicle merges them for it, and cleans up at exit
vendors=${OCL_ICD_VENDORS:-/etc/OpenCL/vendors}
mkdir -p "$tmp/vendors-own" "$tmp/vendors-runtime" "$tmp/vendors-tmp"
cp "$vendors/pocl.icd" "$tmp/vendors-own/" && cp "$vendors/rusticl.icd" "$tmp/vendors-runtime/" \
  || fail "vendors folders: the machine has PoCL and rusticl ICD files (tools/bootstrap)"
run env -u OCL_ICD_VENDORS TMPDIR="$tmp/vendors-tmp" RUSTICL_ENABLE=llvmpipe \
  VESICLE_OPENCL_VENDOR_DIRS="$tmp/vendors-own:$tmp/no-such-folder:$tmp/vendors-runtime" \
  "$cli" devices
[[ $rc -eq 0 ]] && grep -q 'platform: Portable Computing Language' "$out" \
  && grep -q 'platform: rusticl' "$out" && ! grep -q 'platform: Clover' "$out" \
  || fail "devices with two vendors folders: lists the drivers of both, and of no other"
[[ -z $(ls -A "$tmp/vendors-tmp") ]] || fail "devices with two vendors folders: leaves no folder behind"
run env -u OCL_ICD_VENDORS RUSTICL_ENABLE=llvmpipe VESICLE_OPENCL_VENDOR_DIRS="$tmp/vendors-own" \
  "$cli" devices
[[ $rc -eq 0 ]] && grep -q 'platform: Portable Computing Language' "$out" \
  && ! grep -q 'platform: rusticl' "$out" || fail "devices with one vendors folder: its drivers only"
pass "VESICLE_OPENCL_VENDOR_DIRS: the drivers of several vendors folders, as ocl-icd reads one"

# ---- train: usage errors ----------------------------------------------------------------------

expect_fail "train without --out fails and asks for --out" "--out" "$cli" train --hidden 20
pass "train without --out fails and asks for --out"

expect_fail "train --c abc fails naming --c" "--c" \
  "$cli" train --c abc --out "$tmp/bad-c"
grep -qF "'abc'" "$err" || fail "train --c abc: message quotes the bad value"
[[ ! -e $tmp/bad-c ]] || fail "train --c abc: no run folder is created"
pass "train --c abc fails naming --c and the value"

expect_fail "train --setting weird fails naming --setting" "--setting" \
  "$cli" train --setting weird --out "$tmp/bad-setting"
grep -qF "'weird'" "$err" || fail "train --setting weird: message quotes the bad value"
[[ ! -e $tmp/bad-setting ]] || fail "train --setting weird: no run folder is created"
pass "train --setting weird fails naming --setting and the value"

expect_fail "train --epochs 0 fails naming --epochs" "--epochs" \
  "$cli" train --epochs 0 --out "$tmp/bad-epochs"
pass "train --epochs 0 fails naming --epochs"

expect_fail "train --dataset on a missing folder fails naming it" "$tmp/nonexistent" \
  "$cli" train --dataset "$tmp/nonexistent" --out "$tmp/bad-dataset"
[[ ! -e $tmp/bad-dataset ]] || fail "train --dataset missing: no run folder is created"
pass "train --dataset on a missing folder fails naming it"

cp -r "$subset" "$tmp/corrupt"
chmod -R u+w "$tmp/corrupt"
printf 'these are not the images you are looking for\n\x00\x01\x02\xff' \
  >"$tmp/corrupt/train-images-idx3-ubyte.gz"
expect_fail "train on a corrupted train-images file fails naming the file" \
  "$tmp/corrupt/train-images-idx3-ubyte.gz" \
  "$cli" train --dataset "$tmp/corrupt" --hidden 20 --epochs 1 --out "$tmp/bad-images"
pass "train on a corrupted train-images file fails naming the file"

expect_fail "train --device 99 fails naming the device" "99" \
  "$cli" train --device 99 --hidden 20 --epochs 1 --out "$tmp/bad-device"
grep -qi 'device' "$err" || fail "train --device 99: message mentions the device"
[[ ! -e $tmp/bad-device/run.json ]] || fail "train --device 99: no run.json is written"
pass "train --device 99 fails naming the device"

# ---- train: a real tiny run ---------------------------------------------------------------

run_dir=$tmp/run
run "$cli" train --hidden 20 --epochs 1 --c 0.01,1 --setting both --out "$run_dir"
[[ $rc -eq 0 ]] || fail "train: a tiny run exits 0"
for f in run.json metrics.csv mu.npy sigma.npy; do
  [[ -s $run_dir/$f ]] || fail "train: a tiny run writes $f"
done
pass "train: a tiny run (2 c x 2 settings) exits 0 and writes run.json, metrics.csv, mu.npy, \
sigma.npy"

# progress on a pipe: plain lines, the phases and each epoch with the values it measured
grep -q 'Preparing the OpenCL device' "$err" || fail "train: progress names the device phase"
grep -qE '^  epoch 1/1: train NLL [0-9.]+, test accuracy 0\.[0-9]+' "$err" \
  || fail "train: an epoch line with its measured values"
! grep -qi 'nan' "$err" || fail "train: no line prints nan"
grep -q "run written to $run_dir" "$err" || fail "train: says where the run went"
pass "train: progress in plain lines, each epoch with measured values only"

# run.json: valid JSON, completed, four networks
if command -v python3 >/dev/null 2>&1; then
  run python3 - "$run_dir/run.json" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    info = json.load(f)
assert info["status"] == "completed", info["status"]
assert info["error"] is None, info["error"]
assert len(info["networks"]) == 4, len(info["networks"])
assert sorted(n["c"] for n in info["networks"]) == [0.01, 0.01, 1, 1]
assert sorted(n["setting"] for n in info["networks"]) == ["hetero", "hetero", "homo", "homo"]
assert info["model"]["sizes"] == [784, 20, 10], info["model"]["sizes"]
assert info["training"]["epochs"] == 1
assert info["finished"] is not None
print(info["model"]["n_params"])
EOF
  [[ $rc -eq 0 ]] || fail "train: run.json is JSON with status completed and 4 networks"
else
  run grep -c '"rho"' "$run_dir/run.json"
  grep -q '"status" : "completed"' "$run_dir/run.json" \
    || fail "train: run.json says completed"
  [[ $(cat "$out") -eq 4 ]] || fail "train: run.json lists 4 networks"
fi
pass "train: run.json is JSON with status completed and 4 networks"

# a device that holds fewer networks at once: the same four networks as cohorts of 2 and 2,
# trained exactly alike, and run.json says how they were split
run env VESICLE_MAX_COHORT=3 "$cli" train --hidden 20 --epochs 1 --c 0.01,1 --setting both \
  --out "$tmp/split" --quiet
[[ $rc -eq 0 ]] || fail "train split over cohorts: exits 0 ($(cat "$err"))"
for f in mu.npy sigma.npy; do
  cmp -s "$run_dir/$f" "$tmp/split/$f" || fail "train split over cohorts: $f as in one cohort"
done
grep -q '"cohorts" *: *"2"' "$tmp/split/run.json" \
  && grep -q '"max_networks_per_cohort" *: *"3"' "$tmp/split/run.json" \
  && grep -q '"cohorts" *: *"1"' "$run_dir/run.json" \
  || fail "train split over cohorts: run.json names the cohorts and the most one holds"
pass "a sweep larger than the device holds trains as several cohorts, bit for bit as one"

# metrics.csv: a header and one row per network, as many fields as the header
run cat "$run_dir/metrics.csv"
[[ $(wc -l <"$out") -eq 5 ]] || fail "train: metrics.csv holds a header and 4 rows"
head -n 1 "$out" | grep -q '^network,epoch,rho,c,lambda,setting,seed,' \
  || fail "train: metrics.csv starts with its header"
[[ $(grep -c '^network,' "$out") -eq 1 ]] || fail "train: metrics.csv has one header"
awk -F, 'NR == 1 { cols = NF; next }
         NF != cols { print "row " NR " has " NF " fields, the header " cols; bad = 1 }
         $2 != 1 { print "row " NR ": epoch " $2; bad = 1 }
         { seen[$1] = 1 }
         END { for (k = 0; k < 4; k++) if (!(k in seen)) { print "no network " k; bad = 1 }
               exit bad }' "$out" >"$tmp/awk.log" \
  || fail "train: metrics.csv rows" "$(cat "$tmp/awk.log")"
pass "train: metrics.csv holds 1 header and 4 rows of the header's width"

# mu.npy and sigma.npy: NumPy files of shape (4, P), P = 784*20+20 + 20*10+10
P=$((784 * 20 + 20 + 20 * 10 + 10))
for f in mu.npy sigma.npy; do
  head -c 6 "$run_dir/$f" | od -An -tx1 | grep -q '93 4e 55 4d 50 59' \
    || fail "train: $f starts with the NumPy magic"
  size=$(stat -c %s "$run_dir/$f")
  (( size > 4 * 4 * P && (size - 4 * 4 * P) % 64 == 0 )) \
    || fail "train: $f holds 4 x $P float32 after a 64-byte aligned header" "size $size"
done
if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  run /usr/bin/python3 - "$run_dir" "$P" <<'EOF'
import sys, numpy
d, P = sys.argv[1], int(sys.argv[2])
mu, sigma = numpy.load(d + "/mu.npy"), numpy.load(d + "/sigma.npy")
assert mu.dtype == numpy.float32 and mu.shape == (4, P), (mu.dtype, mu.shape)
assert sigma.dtype == numpy.float32 and sigma.shape == (4, P), (sigma.dtype, sigma.shape)
assert numpy.isfinite(mu).all() and numpy.isfinite(sigma).all()
assert (sigma > 0).all()
assert numpy.abs(mu).max() < 10
EOF
  [[ $rc -eq 0 ]] || fail "train: numpy loads mu.npy and sigma.npy as (4, $P) float32"
  pass "train: numpy loads mu.npy and sigma.npy as (4, $P) float32, sigma > 0"
else
  pass "train: mu.npy and sigma.npy are (4, $P) float32 # SKIP numpy not available"
fi

# the same again without --overwrite: refused, the run untouched
mkdir "$tmp/before"
cp -p "$run_dir"/* "$tmp/before/"
sleep 1
expect_fail "train into an existing run without --overwrite fails naming --overwrite" \
  "--overwrite" \
  "$cli" train --hidden 20 --epochs 1 --c 0.01,1 --setting both --out "$run_dir"
grep -qF "$run_dir" "$err" || fail "train into an existing run: message names the folder"
for f in run.json metrics.csv mu.npy sigma.npy; do
  cmp -s "$run_dir/$f" "$tmp/before/$f" || fail "train into an existing run: $f untouched"
  [[ ! "$run_dir/$f" -nt "$tmp/before/$f" ]] || fail "train into an existing run: $f not rewritten"
done
[[ $(ls "$run_dir" | wc -l) -eq 6 ]] || fail "train into an existing run: no new files"
pass "train into an existing run: the old run is untouched"

# with --overwrite: a fresh run, metrics.csv not appended to
run "$cli" train --hidden 20 --epochs 1 --c 0.5 --out "$run_dir" --overwrite --quiet
[[ $rc -eq 0 ]] || fail "train --overwrite: exits 0"
[[ $(wc -l <"$run_dir/metrics.csv") -eq 2 ]] \
  || fail "train --overwrite: metrics.csv starts afresh (1 header + 1 row)"
[[ ! -s $err ]] || fail "train --quiet: nothing on stderr"
pass "train --overwrite replaces the run; --quiet prints nothing"

# ---- figure ---------------------------------------------------------------------------------

# the small experiment folders the plot tests draw from
figures=${G_TEST_SRCDIR:-$(cd "$(dirname "$0")" && pwd)}/data/figures

run "$cli" figure list
[[ $rc -eq 0 ]] || fail "figure list: exit status 0"
for name in fig1 fig2 fig3 fig5 fig7 app4 app5 app6; do
  grep -q "^$name " "$out" || fail "figure list: names $name"
done
grep -qE '^fig2 +tradeoff ' "$out" || fail "figure list: fig2 reads a tradeoff experiment"
pass "figure list: every figure, with the experiment it reads"

# one line on stderr, exit status 1, nothing written
expect_figure_error () {
  local desc=$1 text=$2 target=$3
  shift 3
  expect_fail "$desc" "$text" "$@"
  [[ $(wc -l <"$err") -eq 1 ]] || fail "$desc" "expected a one-line message"
  [[ ! -e $target ]] || fail "$desc" "$target was written"
  pass "$desc"
}

if [[ -d $figures/tradeoff && -d $figures/costs ]]; then
  run "$cli" figure fig2 --from "$figures/tradeoff" --out "$tmp/fig2.png" --width-mm 85 --dpi 100
  [[ $rc -eq 0 ]] || fail "figure fig2 --out fig2.png: exits 0"
  head -c 8 "$tmp/fig2.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' \
    || fail "figure fig2: writes a PNG (format from the extension)"
  # IHDR: width and height, big-endian, at bytes 16 and 20; 85 mm at 100 dpi is 335 pixels
  w=$(od -An -tu1 -j16 -N4 "$tmp/fig2.png" \
      | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
  (( w >= 334 && w <= 336 )) || fail "figure fig2: 85 mm at 100 dpi is 335 pixels wide" "width $w"
  pass "figure fig2 --width-mm 85 --dpi 100: a PNG 335 pixels wide"

  run "$cli" figure fig1 --from "$figures/costs" --out "$tmp/fig1.data" --format csv --quiet
  [[ $rc -eq 0 ]] || fail "figure fig1 --format csv: exits 0"
  head -n 1 "$tmp/fig1.data" | grep -q '^panel,series,kind,x,y,y_low,y_high' \
    || fail "figure fig1 --format csv: the CSV header"
  [[ $(wc -l <"$tmp/fig1.data") -gt 100 ]] || fail "figure fig1 --format csv: the data rows"
  pass "figure fig1 --format csv writes the plotted data"

  expect_figure_error "figure fig2 from a costs folder fails naming both types" "'tradeoff'" \
    "$tmp/wrong.png" "$cli" figure fig2 --from "$figures/costs" --out "$tmp/wrong.png"
  grep -qF "'costs'" "$err" || fail "figure fig2 from a costs folder: names 'costs'"
fi

expect_figure_error "figure fig6 fails: no such figure" "'fig6'" "$tmp/fig6.png" \
  "$cli" figure fig6 --from "$tmp" --out "$tmp/fig6.png"
expect_figure_error "figure from a missing folder fails naming it" "$tmp/nowhere" \
  "$tmp/missing.png" "$cli" figure fig2 --from "$tmp/nowhere" --out "$tmp/missing.png"
expect_figure_error "figure without --from fails asking for it" "--from" "$tmp/x.png" \
  "$cli" figure fig2 --out "$tmp/x.png"
expect_figure_error "figure --format jpeg fails naming --format" "--format 'jpeg'" "$tmp/x.jpg" \
  "$cli" figure fig2 --from "$tmp" --format jpeg --out "$tmp/x.jpg"
expect_figure_error "figure --out x.jpg without --format fails" "x.jpg" "$tmp/x.jpg" \
  "$cli" figure fig2 --from "$tmp" --out "$tmp/x.jpg"
expect_figure_error "figure --width-mm 0 fails naming it" "--width-mm 0" "$tmp/x.png" \
  "$cli" figure fig2 --from "$tmp" --width-mm 0 --out "$tmp/x.png"
expect_figure_error "figure --dpi 1e6 fails naming it" "--dpi" "$tmp/x.png" \
  "$cli" figure fig2 --from "$tmp" --dpi 1e6 --out "$tmp/x.png"

# ---- settings refused by name, nothing written ---------------------------------------------

expect_fail "train --lr -1 fails naming --lr and the range" "--lr" \
  "$cli" train --lr -1 --hidden 20 --epochs 1 --out "$tmp/bad-lr"
grep -qF 'greater than 0' "$err" || fail "train --lr -1: says what is allowed"
[[ ! -e $tmp/bad-lr ]] || fail "train --lr -1: no folder"
pass "train --lr -1 fails naming --lr and what is allowed, writing nothing"

expect_fail "experiment --set lr=-1 fails naming 'lr'" "'lr'" \
  "$cli" experiment tradeoff --set lr=-1 --out "$tmp/bad-set"
[[ ! -e $tmp/bad-set ]] || fail "experiment --set lr=-1: no folder"
pass "experiment --set lr=-1 fails naming the setting, writing nothing"

expect_fail "experiment --set epoch=5 fails: no such setting" "'epoch'" \
  "$cli" experiment tradeoff --set epoch=5 --out "$tmp/bad-key"
pass "experiment --set with an unknown key fails naming it"

# ---- report ---------------------------------------------------------------------------------

if [[ -d $figures/costs ]]; then
  run "$cli" report --from "$figures" --out "$tmp/report.pdf"
  [[ $rc -eq 0 ]] || fail "report: from the fixtures exits 0"
  head -c 4 "$tmp/report.pdf" | grep -q '%PDF' || fail "report: writes a PDF"
  grep -qF "$tmp/report.pdf" "$err" || fail "report: says where"
  pass "report --from the fixtures writes a PDF"
fi
expect_figure_error "report from a folder with no experiment fails naming it" "$tmp/empty" \
  "$tmp/empty/report.pdf" bash -c "mkdir -p '$tmp/empty' && '$cli' report --from '$tmp/empty'"
expect_fail "report without --from fails asking for it" "--from" "$cli" report
pass "report without --from fails asking for it"

# ---- a run killed with SIGKILL reads as interrupted ----------------------------------------

killed=$tmp/killed
"$cli" train --hidden 16 --epochs 200 --max-train 2000 --c 0.01,1 --out "$killed" -q \
  >"$tmp/killed.log" 2>&1 &
pid=$!
for _ in $(seq 600); do
  [[ -s $killed/metrics.csv ]] && [[ $(wc -l <"$killed/metrics.csv") -ge 3 ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || fail "kill -9: the training was still running" "$(cat "$tmp/killed.log")"
wait "$pid" 2>/dev/null || true
grep -q '"status" *: *"running"' "$killed/experiment.json" \
  || fail "kill -9: experiment.json is left saying running"
expect_fail "kill -9: the folder reads as interrupted, naming the process" \
  "interrupted: process $pid on $(hostname)" \
  "$cli" figure training --from "$killed" --out "$tmp/killed.png"
[[ $(wc -l <"$killed/metrics.csv") -ge 3 ]] || fail "kill -9: the epochs written are kept"
pass "a run killed with SIGKILL reads as interrupted, naming its process; its epochs are kept"

# ---- kill -9 mid-epoch, then --resume: bit-identical to a run that never stopped -------------

# 6 networks (hetero and homo) of 784-32-10 on 2,000 digits: a few epochs of about a second
resume_sets=(--set hidden=[32] --set epochs=6 --set max_train=2000 --set c=[0.01,1,100]
             --set sigma_epochs=1)
run "$cli" experiment train "${resume_sets[@]}" --out "$tmp/whole" -q
[[ $rc -eq 0 ]] || fail "resume: the uninterrupted run" "$(cat "$err")"
[[ ! -e $tmp/whole/checkpoint.bin ]] || fail "resume: a completed experiment keeps no checkpoint"

"$cli" experiment train "${resume_sets[@]}" --out "$tmp/resumed" -q >"$tmp/resumed.log" 2>&1 &
pid=$!
for _ in $(seq 1200); do
  # killed in the third epoch: two in metrics.csv (header + 2 x 6 rows) and the third under way
  [[ -s $tmp/resumed/metrics.csv ]] && [[ $(wc -l <"$tmp/resumed/metrics.csv") -ge 13 ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
sleep 0.3
kill -9 "$pid" 2>/dev/null || fail "resume: the training was still running to kill" "$(cat "$tmp/resumed.log")"
wait "$pid" 2>/dev/null || true
[[ -s $tmp/resumed/checkpoint.bin ]] || fail "resume: the killed run left a checkpoint"
run "$cli" experiment --resume "$tmp/resumed"
[[ $rc -eq 0 ]] || fail "resume: --resume exits 0" "$(cat "$err")"
grep -q "going on after epoch" "$err" || fail "resume: says where it goes on" "$(cat "$err")"
for f in mu.npy sigma.npy metrics.csv summary.json; do
  cmp -s "$tmp/whole/$f" "$tmp/resumed/$f" \
    || fail "resume: $f is bit-identical to the uninterrupted run's" "$(diff "$tmp/whole/$f" "$tmp/resumed/$f" | head -5)"
done
grep -q '"status" *: *"completed"' "$tmp/resumed/experiment.json" \
  || fail "resume: experiment.json says completed"
grep -q '"resumed_after_epoch"' "$tmp/resumed/run.json" \
  || fail "resume: run.json says after which epoch it went on"
[[ ! -e $tmp/resumed/checkpoint.bin ]] || fail "resume: the checkpoint is dropped once complete"
expect_fail "resume: a completed experiment has nothing to resume" "nothing to resume" \
  "$cli" experiment --resume "$tmp/resumed"
pass "kill -9 mid-epoch, then --resume: parameters, metrics and summary bit-identical"

# ---- a full disk (a file-size limit) fails the run with the file named, keeping the rest ----

# the same run once with room first: PoCL's LLVM aborts when it cannot write its kernel cache
"$cli" train --hidden 256 --epochs 1 --max-train 200 --c 0.01,1 --out "$tmp/roomy" -q \
  || fail "disk full: the same run with room"
set +e
(ulimit -f 8192; exec "$cli" train --hidden 256 --epochs 1 --max-train 200 --c 0.01,1 \
   --out "$tmp/full") >"$out" 2>"$err"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "disk full: exit status 1, not a crash" "status $rc: $(cat "$err")"
grep -q "checkpoint.bin.*File too large" "$err" || fail "disk full: names the file and why" "$(cat "$err")"
grep -q '"status" *: *"failed"' "$tmp/full/run.json" \
  && grep -q 'File too large' "$tmp/full/run.json" || fail "disk full: run.json says failed, and why"
[[ $(wc -l <"$tmp/full/metrics.csv") -eq 3 ]] || fail "disk full: the epoch's rows are kept"
pass "a full disk fails the run naming the file; run.json and the epoch's rows are kept"

# ---- a sweep: expand, cells in parallel (xargs -P 2), merge = the single-process run ---------

sweep_sets=(--set hidden=[16] --set epochs=2 --set max_train=600 --set rho=[0.5,2]
            --set c=[0.01,1] --set 'settings=["hetero"]' --set seeds=[1] --set max_cohort=1)
run "$cli" sweep expand tradeoff "${sweep_sets[@]}" --out "$tmp/sweep"
[[ $rc -eq 0 && $(cat "$out") == 4 ]] || fail "sweep expand: prints the 4 cells" "$(cat "$out" "$err")"
run "$cli" sweep run-cell "$tmp/sweep" --index 4
[[ $rc -eq 1 ]] && grep -q -- "--index: 4 is not a cell" "$err" \
  || fail "sweep run-cell: an index beyond the cells is refused" "$(cat "$err")"
seq 0 2 | xargs -P 2 -I{} "$cli" sweep run-cell "$tmp/sweep" --index {} -q \
  || fail "sweep run-cell: three cells in parallel"
run "$cli" sweep merge "$tmp/sweep"
[[ $rc -eq 1 ]] || fail "sweep merge: a missing cell fails the merge"
grep -qF "cell 3: not finished" "$err" && grep -qF "sweep run-cell $tmp/sweep --index 3" "$err" \
  && grep -qF -- "--array=3" "$err" || fail "sweep merge: names the missing cell and how to rerun it" "$(cat "$err")"
[[ ! -e $tmp/sweep/summary.json ]] || fail "sweep merge: writes no summary while cells are missing"
run "$cli" sweep run-cell "$tmp/sweep" --index 3 -q
[[ $rc -eq 0 ]] || fail "sweep run-cell: the last cell" "$(cat "$err")"
run "$cli" sweep run-cell "$tmp/sweep" --index 3
[[ $rc -eq 0 ]] && grep -q "nothing to do" "$err" || fail "sweep run-cell: a finished cell is not run again"
run "$cli" sweep merge "$tmp/sweep" -q
[[ $rc -eq 0 ]] || fail "sweep merge: all cells done" "$(cat "$err")"
run "$cli" sweep merge "$tmp/sweep"
[[ $rc -eq 0 ]] && grep -q "merged already" "$err" || fail "sweep merge: a second merge does nothing" "$(cat "$err")"
run "$cli" experiment tradeoff "${sweep_sets[@]}" --out "$tmp/sweep-single" -q
[[ $rc -eq 0 ]] || fail "sweep: the single-process run" "$(cat "$err")"
cmp -s "$tmp/sweep/summary.json" "$tmp/sweep-single/summary.json" \
  || fail "sweep: the merged summary equals the single-process run's" "$(diff "$tmp/sweep/summary.json" "$tmp/sweep-single/summary.json" | head -5)"
for i in 0 1 2 3; do
  cmp -s "$tmp/sweep/cohort-$i/mu.npy" "$tmp/sweep-single/cohort-$i/mu.npy" \
    || fail "sweep: cell $i's parameters equal the single run's cohort $i"
done
run "$cli" figure fig2 --from "$tmp/sweep" --out "$tmp/sweep-fig2.png"
[[ $rc -eq 0 ]] || fail "sweep: the merged folder draws Fig 2" "$(cat "$err")"
pass "sweep expand / run-cell (xargs -P 2) / merge equals the single-process run, bit for bit"

# ---- bench ----------------------------------------------------------------------------------

run "$cli" bench --K 1 --steps 20 --warmup 5
[[ $rc -eq 0 ]] || fail "bench: exits 0"
grep -q '"results"' "$out" || fail "bench: prints \"results\""
grep -q '"steps_per_s"' "$out" || fail "bench: prints \"steps_per_s\""
if command -v python3 >/dev/null 2>&1; then
  python3 -c '
import json, sys
r = json.load(sys.stdin)
assert [x["K"] for x in r["results"]] == [1], r["results"]
assert r["results"][0]["steps_per_s"] > 0
assert r["results"][0]["gemm"] in ("vesicle", "clblast"), r["results"][0]
assert r["results"][0]["launches"] == "per tensor", r["results"][0]
roof = r["roofline"]
assert roof["stream_copy_GBps"] > 0 and roof["stream_triad_GBps"] > 0 and roof["fma_GFLOPs"] > 0, roof
one = r["results"][0]
assert one["memory_floor_network_steps_per_s"] > 0, one
# the floor: STREAM copy at the working set over the bytes a step moves (80 to 90 a parameter)
P = 784 * 100 + 100 + 100 * 100 + 100 + 100 * 10 + 10
assert 80 * P < one["step_bytes_per_network"] < 90 * P, one
assert abs(one["memory_floor_network_steps_per_s"]
           - one["stream_copy_at_working_set_GBps"] * 1e9 / one["step_bytes_per_network"]) < 1e-6 * one["memory_floor_network_steps_per_s"], one
' <"$out" || fail "bench: stdout is JSON with one result for K = 1, a positive speed and the roofline"
fi
pass "bench --K 1 --steps 20 --warmup 5 prints JSON with results, steps_per_s, the GEMM used and the roofline"

# --vs-torch with a stand-in peer that prints what torch_bench.py prints: the comparison is
# Vesicle's median over the peer's (plain network for K = 1, best sweep for cohorts)
if command -v python3 >/dev/null 2>&1; then
  peer=$tmp/fake_peer.py
  cat >"$peer" <<'PEER'
import json, sys
args = sys.argv[1:]
assert args[args.index("--K") + 1] == "3", args
assert args[args.index("--sequential") + 1] == "0", args
print(json.dumps({"results": [
    {"K": 1, "mode": "plain", "network_steps_per_s": 10.0},
    {"K": 1, "mode": "sweep", "network_steps_per_s": 15.0},
    {"K": 3, "mode": "sweep", "network_steps_per_s": 20.0}]}))
PEER
  VESICLE_TORCH_BENCH=$peer run "$cli" bench --K 1,3 --steps 5 --warmup 2 --rounds 2 --vs-torch --python python3
  [[ $rc -eq 0 ]] || fail "bench --vs-torch: exits 0 ($(cat "$err"))"
  python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["rounds"] == 2 and len(r["peer"]["rounds"]) == 2, r
one, three = r["results"]
assert one["peer_network_steps_per_s"] == 10.0 and three["peer_network_steps_per_s"] == 20.0, r
assert abs(one["speedup"] - one["network_steps_per_s"] / 10.0) < 1e-9, one
assert abs(three["speedup"] - three["network_steps_per_s"] / 20.0) < 1e-9, three
assert r["peer"]["best_sweep_network_steps_per_s"] == 20.0, r["peer"]
' <"$out" || fail "bench --vs-torch: compares K = 1 with the plain peer and K = 3 with its best sweep"
  pass "bench --vs-torch runs the peer every round and compares each K with the right peer figure"

  echo 'import sys; sys.exit("no torch here")' >"$peer"
  VESICLE_TORCH_BENCH=$peer run "$cli" bench --K 1 --steps 2 --warmup 1 --vs-torch --python python3
  [[ $rc -eq 1 ]] || fail "bench --vs-torch, failing peer: exit status 1"
  grep -qF "$peer" "$err" && grep -qF "no torch here" "$err" \
    || fail "bench --vs-torch, failing peer: message names the script and its error ($(cat "$err"))"
  pass "bench --vs-torch with a failing peer fails naming the script and what it said"
fi

# ---- tune -----------------------------------------------------------------------------------
# A cache of our own for the tunings, PoCL's compiled kernels where they always are (a cold
# PoCL cache would compile every candidate again: minutes each).
# (PoCL's own default: $XDG_CACHE_HOME/pocl/kcache; POCL_CACHE_DIR names that folder itself)
pocl_cache=${POCL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pocl/kcache}
tune_env=(env XDG_CACHE_HOME="$tmp/cache" POCL_CACHE_DIR="$pocl_cache" VESICLE_GEMM=clblast)
shipped=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tunings"][0]["label"])' \
          "$data/clblast-tuning.json")

run "$cli" tune --list
[[ $rc -eq 0 ]] && grep -q '^own ' "$out" && grep -q "^$shipped " "$out" \
  || fail "tune --list: lists CLBlast's own and the shipped $shipped"
pass "tune --list names the candidates, CLBlast's own first"

run "$cli" tune --candidates own,nosuch
[[ $rc -eq 1 ]] && grep -qF "'nosuch'" "$err" && grep -qF "$shipped" "$err" \
  || fail "tune --candidates nosuch: fails naming it and the candidates there are"
pass "tune with an unknown candidate fails naming it and the known ones"

# a machine that never tuned runs the table shipped for its platform
run "${tune_env[@]}" "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 0 ]] || fail "bench on CLBlast with no tuning of its own: exits 0"
grep -q "\"gemm_tuning\": \"$shipped, shipped for this platform" "$out" \
  || fail "bench on CLBlast, untuned machine: applies the shipped $shipped"
pass "an untuned machine runs CLBlast with the tuning shipped for its platform"

# which GEMM runs is measured: PoCL's shipped entry timed both, and Vesicle's ran faster
run env XDG_CACHE_HOME="$tmp/cache" POCL_CACHE_DIR="$pocl_cache" "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 0 ]] && grep -q '"gemm": "vesicle"' "$out" \
  && grep -q '"gemm_choice": "measured faster (.*x) on this platform.s CPU devices, Vesicle.s table' "$out" \
  || fail "bench, untuned PoCL: runs Vesicle's GEMM, as the shipped table measured ($(grep gemm "$out"))"
run "${tune_env[@]}" "$cli" bench --K 1 --steps 2 --warmup 1
grep -q '"gemm_choice": "set by VESICLE_GEMM=clblast"' "$out" \
  || fail "bench with VESICLE_GEMM: says the choice was set by it"
pass "bench names the GEMM it ran and why: measured in the shipped table, or set by VESICLE_GEMM"

# a device neither tuned nor in the shipped table (an empty table here): the first run times
# both GEMMs, as a phase of its own, keeps the result, and runs the faster; the next run does not
# time again
echo '{"tunings": []}' >"$tmp/empty-table.json"
first_use=(env XDG_CACHE_HOME="$tmp/first-use-cache" POCL_CACHE_DIR="$pocl_cache"
           VESICLE_CLBLAST_TABLE="$tmp/empty-table.json")
run "${first_use[@]}" "$cli" train --hidden 4 --epochs 1 --max-train 40 --out "$tmp/first-use-1"
[[ $rc -eq 0 ]] || fail "train on a device never timed: exits 0"
cat "$out" "$err" >"$tmp/first-use-1.log"
grep -q "Timing Vesicle.* and CLBlast.* matrix products on .* (first use of this device)" \
  "$tmp/first-use-1.log" || fail "train on a device never timed: says it times the GEMMs first"
grep -q "runs \(Vesicle\|CLBlast\).* GEMM, measured .*faster in a quick timing on its first use" \
  "$tmp/first-use-1.log" || fail "train on a device never timed: says which GEMM won, and by how much"
python3 -c '
import glob, json, sys
files = glob.glob(sys.argv[1] + "/vesicle/clblast/*.json")
assert len(files) == 1, files
t = json.load(open(files[0]))
assert t["quick"] is True and t["label"] == "own", t
assert [c["label"] for c in t["candidates"]] == ["own", "vesicle"], t["candidates"]
assert t["gemm"] in ("vesicle", "clblast") and t["gemm_speedup"] >= 1, t
run = json.load(open(sys.argv[2] + "/run.json"))
assert run["device"]["gemm"] == t["gemm"], (run["device"], t["gemm"])
assert "in a quick timing on 20" in run["device"]["gemm_choice"], run["device"]["gemm_choice"]
' "$tmp/first-use-cache" "$tmp/first-use-1" \
  || fail "train on a device never timed: keeps the quick timing in the user's cache, and run.json names the GEMM it chose and why"
run "${first_use[@]}" "$cli" train --hidden 4 --epochs 1 --max-train 40 --out "$tmp/first-use-2"
[[ $rc -eq 0 ]] && ! grep -q "Timing Vesicle" "$out" "$err" \
  && grep -q '"gemm_choice" *: *"measured .* in a quick timing on 20' "$tmp/first-use-2/run.json" \
  || fail "the second run on that device: does not time again, and runs what the first measured"
pass "a device never timed gets a quick timing of both GEMMs on its first run, kept for every later run"

run "${tune_env[@]}" "$cli" tune --candidates "$shipped" --rounds 1
[[ $rc -eq 0 ]] || fail "tune --candidates $shipped: exits 0"
tuned=$(python3 -c '
import json, sys
r = json.load(sys.stdin)
own, vesicle, other = r["candidates"]
assert own["label"] == "own" and vesicle["label"] == "vesicle", r["candidates"]
assert other["label"] == sys.argv[1], r["candidates"]
for c in (own, vesicle, other):
    assert c["status"] == "ok" and c["max_error"] < 1e-3, c
    assert len(c["step_ms"]) == 2 and all(t > 0 for t in c["step_ms"]), c
    assert all(g > 0 for g in c["gflops"]), c
assert own["speedup"] == [1, 1], own
assert r["label"] in ("own", sys.argv[1]), r["label"]
best = own if r["label"] == "own" else other
assert r["speedup"] == best["speedup"][1], r
# the GEMM cohorts will run: the faster of Vesicle and the best CLBlast set, by the mean speed-up
mean = lambda c: sum(c["speedup"]) / 2
assert r["gemm"] == ("vesicle" if mean(vesicle) > mean(best) else "clblast"), r["gemm"]
assert abs(r["gemm_speedup"] - max(mean(vesicle), mean(best)) / min(mean(vesicle), mean(best))) < 1e-9
saved = json.load(open(r["path"]))
assert saved["parameters"] == r["parameters"] and saved["label"] == r["label"], saved
assert saved["gemm"] == r["gemm"], saved
print(r["gemm"], file=open(sys.argv[2], "w"))
for kernel in ("GemmRoutine", "XgemmDirect", "Xgemm"):
    assert r["parameters"][kernel], kernel
if r["label"] != "own":
    assert r["parameters"]["XgemmDirect"]["WGD"] == 32, r["parameters"]
print(r["path"])
' "$shipped" "$tmp/tuned-gemm" <"$out") || fail "tune: reports the candidates and Vesicle's GEMM checked and timed, and saves the winners"
[[ $tuned == "$tmp/cache/vesicle/clblast/"*.json ]] || fail "tune: saves into the user's cache ($tuned)"
pass "tune checks each candidate and Vesicle's GEMM against float64, times them beside CLBlast's own, and saves the faster GEMM and CLBlast's best"

run "${tune_env[@]}" "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 0 ]] && grep -q "tuned on this machine on 20.*$tuned" "$out" \
  || fail "bench after tune: applies the machine's own tuning ($(grep gemm_tuning "$out"))"
run env XDG_CACHE_HOME="$tmp/cache" POCL_CACHE_DIR="$pocl_cache" "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 0 ]] && grep -q "\"gemm\": \"$(cat "$tmp/tuned-gemm")\"" "$out" \
  && grep -q "\"gemm_choice\": \"measured faster (.*x) on this device by vesicle-cli tune on 20.*$tuned" "$out" \
  || fail "bench after tune: runs the GEMM the tuning measured faster ($(grep gemm "$out"))"
pass "the next run applies the tuning from the user's cache, and runs the GEMM it measured faster"

echo '{"label": "own", "gemm": "fastest"}' >"$tuned"
run env XDG_CACHE_HOME="$tmp/cache" POCL_CACHE_DIR="$pocl_cache" "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 1 ]] && grep -qF "$tuned" "$err" && grep -qF "gemm: 'fastest'" "$err" \
  || fail "bench with a tuning naming no GEMM there is: fails naming the file and the field"
echo '{"label": "own", "gemm": "vesicle", "gemm_speedup": -2}' >"$tuned"
run env XDG_CACHE_HOME="$tmp/cache" POCL_CACHE_DIR="$pocl_cache" VESICLE_GEMM=clblast "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 1 ]] && grep -qF "$tuned" "$err" && grep -qF "gemm_speedup: must be a number of 1 or more" "$err" \
  || fail "bench with a tuning whose GEMM margin is negative: fails naming the file and the field"
pass "a tuning that names an unknown GEMM or an impossible margin fails the run, naming the file and the field"

echo '{"label": "x", "parameters": {"GemmRoutine": {"XGEMM_MIN_INDIRECT_SIZE": -1}}}' >"$tuned"
run "${tune_env[@]}" "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 1 ]] && grep -qF "$tuned" "$err" && grep -qF "XGEMM_MIN_INDIRECT_SIZE" "$err" \
  || fail "bench with a bad tuning file: fails naming the file and the parameter"
echo 'not json' >"$tuned"
run "${tune_env[@]}" "$cli" bench --K 1 --steps 2 --warmup 1
[[ $rc -eq 1 ]] && grep -qF "$tuned" "$err" && grep -qF "vesicle-cli tune" "$err" \
  || fail "bench with a tuning file that is not JSON: fails naming the file and the way out"
pass "a tuning file that cannot be used fails the run, naming the file, the field and the way out"

run "$cli" bench --steps 0
[[ $rc -eq 1 ]] || fail "bench --steps 0: exit status 1"
grep -qF -- '--steps' "$err" || fail "bench --steps 0: message names --steps"
pass "bench --steps 0 fails naming --steps"

run "$cli" bench --sigma 0
[[ $rc -eq 1 ]] && grep -qF -- '--sigma' "$err" || fail "bench --sigma 0: fails naming --sigma"
pass "bench --sigma 0 fails naming --sigma"

run "$cli" bench --rho 0
[[ $rc -eq 1 ]] && grep -qF -- '--rho' "$err" || fail "bench --rho 0: fails naming --rho"
pass "bench --rho 0 fails naming --rho"

echo "1..$n"
