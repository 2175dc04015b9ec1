# SPDX-License-Identifier: GPL-3.0-or-later
# Item 4: a resume that fails before it trains changes nothing: every file of the folder stays
# byte-identical (the device, the checkpoints and the configuration are checked first).

f=$tmp/failed-resume
mkdir -p "$f"
interrupted "$f/exp" cohort-1/checkpoint.bin
snapshot_folder "$f/exp" "$f/exp.snap"

expect_refused "resume on a missing device fails" "nonexistent" \
  env VESICLE_DEVICE=nonexistent "$cli" experiment --resume "$f/exp"
folder_unchanged "resume on a missing device leaves every file as it was" "$f/exp" "$f/exp.snap"
expect_refused "resume --device on a missing device fails" "no-such-device" \
  "$cli" experiment --resume "$f/exp" --device no-such-device
folder_unchanged "resume --device on a missing device leaves every file as it was" "$f/exp" "$f/exp.snap"
pass "a resume on a device that does not exist fails and leaves every file byte-identical"

# the finished cohort's checkpoint damaged: one byte of its payload flipped
cp "$f/exp/cohort-0/checkpoint.bin" "$f/good.bin"
python3 - "$f/exp/cohort-0/checkpoint.bin" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[-5] ^= 0xff
open(p, "wb").write(bytes(b))
PY
snapshot_folder "$f/exp" "$f/exp.snap"
expect_refused "resume with a damaged checkpoint of a finished cohort fails naming it" \
  "cohort-0/checkpoint.bin: not a usable checkpoint: its checksum does not match" \
  "$cli" experiment --resume "$f/exp"
folder_unchanged "resume with a damaged checkpoint leaves every file as it was" "$f/exp" "$f/exp.snap"
pass "a resume with a damaged checkpoint of a finished cohort fails naming it, every file byte-identical"

# a checkpoint cut short (a full disk, an interrupted copy)
cp "$f/good.bin" "$f/exp/cohort-0/checkpoint.bin"
cp "$f/exp/cohort-1/checkpoint.bin" "$f/cut.bin"
head -c 2000 "$f/cut.bin" >"$f/exp/cohort-1/checkpoint.bin"
snapshot_folder "$f/exp" "$f/exp.snap"
expect_refused "resume with a checkpoint cut short fails naming it" "cohort-1/checkpoint.bin" \
  "$cli" experiment --resume "$f/exp"
folder_unchanged "resume with a checkpoint cut short leaves every file as it was" "$f/exp" "$f/exp.snap"
pass "a resume with a checkpoint cut short fails naming it, every file byte-identical"

# a fresh run that fails before it trains leaves no folder behind
expect_refused "a fresh run on a missing device fails" "no-such-device" \
  "$cli" experiment tradeoff "${tradeoff_sets[@]}" --set epochs=1 --device no-such-device \
  --out "$f/fresh"
[[ ! -e $f/fresh ]] || fail "a fresh run on a missing device leaves no folder" "$(ls -la "$f/fresh")"
pass "a fresh run that fails before it trains leaves no folder behind"
