#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Device limits respected: every kernel launch is checked against what the device allows (the
# largest work-group, along each dimension, for the kernel as built, and local memory), and a
# device that cannot run a kernel as Vesicle launches it gets a clear error naming the kernel and
# the limit before anything runs, never a wrong result (vesicle_cl_check_launch). The small
# devices are oclgrind's simulator (Debian's oclgrind, which tools/bootstrap installs) asked for
# small limits; with a GPU's limits the same tiny training runs to the end under it.
#
# Usage: test-limits.sh PATH-TO-VESICLE-CLI
set -euo pipefail

cli=$1
export LC_ALL=C
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-limits-test.XXXXXX")
cleanup () { rm -rf "$tmp"; }
trap cleanup EXIT
source "$(dirname "$0")/tap.sh"
source "$(dirname "$0")/oclgrind-common.sh"

# two networks of 784-4-10 on 40 digits, one epoch: two steps and an evaluation. Vesicle's own
# GEMM, whose launches are Vesicle's to check (CLBlast checks its own, and says so)
tiny=(train --hidden 4 --epochs 1 --max-train 40 --c 0.01,1 -q)
under () { # OCLGRIND-OPTIONS... -- VESICLE-CLI ARGS...
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done
  shift
  run env VESICLE_GEMM=vesicle oclgrind "${opts[@]}" "$cli" "$@"
}

run_folder_status () { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status"])' "$1/run.json" 2>/dev/null || echo none; }

under --max-wgsize 16 -- "${tiny[@]}" --out "$tmp/small-groups"
[[ $rc -eq 1 ]] || fail "work-groups of at most 16: exit status 1"
grep -qE "kernel [a-z_]+ cannot run as Vesicle launches it: work-groups of [0-9]+ work-items, more than the 16 the device allows \(CL_DEVICE_MAX_WORK_GROUP_SIZE\)" "$err" \
  || fail "work-groups of at most 16: the error names the kernel, the work-group and the limit"
grep -qF "Oclgrind" "$err" || fail "work-groups of at most 16: the error names the device"
[[ $(run_folder_status "$tmp/small-groups") != completed ]] \
  || fail "work-groups of at most 16: the run is not recorded as completed"
pass "a device with work-groups of at most 16 is refused, naming the kernel and the limit"

under --local-mem-size 64 -- "${tiny[@]}" --out "$tmp/small-local"
[[ $rc -eq 1 ]] || fail "64 bytes of local memory: exit status 1"
grep -qE "kernel [a-z_]+ cannot run as Vesicle launches it: it uses [0-9]+ bytes of local memory, more than the 64 the device has \(CL_DEVICE_LOCAL_MEM_SIZE\)" "$err" \
  || fail "64 bytes of local memory: the error names the kernel, its use and the limit"
pass "a device with 64 bytes of local memory is refused, naming the kernel and the limit"

# a GPU's limits: the same training runs to the end
under --max-wgsize 256 --local-mem-size 32768 -- "${tiny[@]}" --out "$tmp/gpu-like"
[[ $rc -eq 0 ]] || fail "GPU-like limits (256 work-items, 32 KiB): the tiny training completes"
[[ $(run_folder_status "$tmp/gpu-like") == completed ]] || fail "GPU-like limits: run.json says completed"
pass "with a GPU's limits (256 work-items, 32 KiB of local memory) the training completes under oclgrind"

echo "1..$n"
