#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The paper's Fig 2/3 grid on one device: 4 rho x 30 c x 2 sigma settings = 240 networks of
# 784-100-100-10, batch 20, trained as ONE cohort on full-size data (Fashion-MNIST, 60,000
# training images) for one epoch, then the same epoch again with the per-kernel profile, and
# the wall time extrapolated to the paper's 50 epochs. Written for a GPU; runs on any device.
#
#   tools/bench/gpu.sh [DEVICE]          DEVICE: index or name, as vesicle-cli devices lists
#
# Environment: VESICLE_CLI (default _build/src/cli/vesicle-cli), FASHION_MNIST (default
# /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist), EPOCHS (default 1),
# MAX_TRAIN (default 0: all 60,000; a smaller number tries the script out on a slow device).
# Prints the benchmark JSON (roofline included), the timed epoch, the profile and the estimate.
set -eu

cli=${VESICLE_CLI:-_build/src/cli/vesicle-cli}
data=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
epochs=${EPOCHS:-1}
max_train=${MAX_TRAIN:-0}
device=${1:-}
out=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-gpu-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT

if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "gpu.sh: no Fashion-MNIST in $data (apt install dataset-fashion-mnist, or set FASHION_MNIST)" >&2
  exit 1
fi
set -- --preset paper --set "dataset=$data" --set "epochs=$epochs" --set max_cohort=240 \
  --set "max_train=$max_train" --quiet
if [ -n "$device" ]; then
  set -- "$@" --device "$device"
fi

echo "== device and steady-state speed (vesicle-cli bench)"
if [ -n "$device" ]; then
  "$cli" bench --device "$device" --K 1,16,64,256
else
  "$cli" bench --K 1,16,64,256
fi

# a first, untimed pass builds and caches the kernels (a cold cache is not the device's speed)
echo "== warm-up: a 200-image run fills the kernel cache"
"$cli" experiment tradeoff "$@" --set max_train=200 --out "$out/warm" >/dev/null

echo "== timed: 240 networks, $epochs epoch(s), max_train $max_train (0: all 60,000 images), evaluation on all 10,000 test images each epoch"
start=$(date +%s.%N)
"$cli" experiment tradeoff "$@" --out "$out/timed"
end=$(date +%s.%N)
seconds=$(echo "$end - $start" | bc -l)
printf 'wall time: %.1f s for %s epoch(s)\n' "$seconds" "$epochs"
printf 'extrapolated to 50 epochs: %.0f s\n' "$(echo "$seconds * 50 / $epochs" | bc -l)"

echo "== the same with VESICLE_PROFILE=1 (serialised: read the shares, not the sum)"
VESICLE_PROFILE=1 "$cli" experiment tradeoff "$@" --out "$out/profiled" 2>&1 | grep '^profile' | sort -k3 -g -r
