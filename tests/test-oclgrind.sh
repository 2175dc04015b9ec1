#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every kernel clean under oclgrind, the OpenCL simulator that reports what PoCL forgives and a
# GPU does not: reads and writes out of bounds, data races, values never initialised, and API
# misuse. With a GPU's limits (256 work-items, 32 KiB of local memory) and all three checks on,
#   - the engine's tests (test-engine): noise, sampling, the forward pass, both heads, the
#     backward pass, Adam, the homogeneous reductions, statistics, evaluation, prediction and a
#     split cohort, each against the float64 reference, on Vesicle's GEMM, and the gradient
#     tests again on CLBlast's;
#   - one epoch of a tiny mixed cohort through vesicle-cli train (both sigma settings, two
#     costs, a further epoch with the means held), the trainer's own path to run.json;
# and the test fails on any report at all (oclgrind --log, which must stay empty).
# docs/engine.md says what the check found, and the two faults of oclgrind itself that Vesicle
# works around (tools/oclgrind-repro.c).
#
# Usage: test-oclgrind.sh PATH-TO-TEST-ENGINE PATH-TO-VESICLE-CLI
set -euo pipefail

engine=$1
cli=$2
export LC_ALL=C
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-oclgrind-test.XXXXXX")
cleanup () { rm -rf "$tmp"; }
trap cleanup EXIT
source "$(dirname "$0")/tap.sh"
source "$(dirname "$0")/oclgrind-common.sh"

checked () { # LOG GEMM CMD...: under every check oclgrind has, with a GPU's limits
  local log=$1 gemm=$2
  shift 2
  : >"$log"
  run env VESICLE_GEMM="$gemm" oclgrind --log "$log" --data-races --uninitialized --check-api \
    --max-wgsize 256 --local-mem-size 32768 "$@"
}

reports () { # LOG: what oclgrind reported, for the failure message
  printf '%s reports; the first:' "$(grep -c 'Kernel:\|Function:' "$1" || true)"
  head -12 "$1"
}

checked "$tmp/engine.log" vesicle "$engine"
[[ $rc -eq 0 ]] || fail "the engine's tests pass under oclgrind"
[[ ! -s $tmp/engine.log ]] \
  || fail "oclgrind reports nothing for the engine's tests" "$(reports "$tmp/engine.log")"
grep -q '^ok .* /engine/gradients/gaussian' "$out" && grep -q '^ok .* /engine/split$' "$out" \
  || fail "the engine's tests all ran under oclgrind (the gradients and the split cohort among them)"
pass "every engine test passes under oclgrind's checks on Vesicle's GEMM, with no report"

# CLBlast's kernels are CLBlast's, but they run on Vesicle's buffers: the gradients again
checked "$tmp/engine-clblast.log" clblast "$engine" -p /engine/gradients/softmax \
  -p /engine/gradients/gaussian
[[ $rc -eq 0 ]] || fail "the gradient tests pass under oclgrind on CLBlast's GEMM"
[[ ! -s $tmp/engine-clblast.log ]] \
  || fail "oclgrind reports nothing for the gradient tests on CLBlast's GEMM" \
          "$(reports "$tmp/engine-clblast.log")"
pass "the gradient tests pass under oclgrind's checks on CLBlast's GEMM, with no report"

# 40 training and 20 test digits of the bundled subset, as IDX files: every test digit is
# evaluated, and the simulator is slow
subset=${VESICLE_SOURCE_DATA:-$(dirname "$0")/../data}/mnist-subset
python3 - "$subset" "$tmp/digits" <<'PY'
import gzip, os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
for part, n in (("train", 40), ("t10k", 20)):
    for kind, item in (("images-idx3", 784), ("labels-idx1", 1)):
        name = "%s-%s-ubyte.gz" % (part, kind)
        raw = gzip.open(os.path.join(src, name)).read()
        dims = raw[3]
        header = bytearray(raw[:4 + 4 * dims])
        struct.pack_into(">I", header, 4, n)
        body = raw[4 + 4 * dims:4 + 4 * dims + n * item]
        with gzip.open(os.path.join(dst, name), "wb") as out:
            out.write(bytes(header) + body)
PY
tiny=(train --dataset "$tmp/digits" --hidden 4 --epochs 1 --sigma-epochs 1 --setting both
      --rho 0.5,2 --c 0.01,1 -q)
checked "$tmp/train.log" vesicle "$cli" "${tiny[@]}" --out "$tmp/run"
[[ $rc -eq 0 ]] || fail "a tiny training completes under oclgrind"
grep -q '"status" *: *"completed"' "$tmp/run/run.json" \
  || fail "the tiny training's run.json says completed"
[[ ! -s $tmp/train.log ]] \
  || fail "oclgrind reports nothing for a tiny training" "$(reports "$tmp/train.log")"
pass "a tiny mixed cohort trains under oclgrind's checks, with no report"

echo "1..$n"
