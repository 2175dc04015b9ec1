# SPDX-License-Identifier: GPL-3.0-or-later
# Item 10, last part: the temporary files that a writer killed midway leaves (NAME.XXXXXX of a
# file Vesicle writes) are removed by the next writer that holds the folder's lock; other files
# are left alone.

s=$tmp/stale
mkdir -p "$s"
interrupted "$s/exp" cohort-0/checkpoint.bin
echo '{"half": ' >"$s/exp/experiment.json.Ab12Cd"
echo 'half' >"$s/exp/cohort-0/run.json.Zz9XyW"
printf '\x93NUMPY half' >"$s/exp/cohort-0/mu.npy.q1W2e3"
echo "the user's" >"$s/exp/notes.txt.abcdef"
echo "the user's" >"$s/exp/summary.json.bak"
run "$cli" experiment --resume "$s/exp" -q
[[ $rc -eq 0 ]] || fail "stale temporaries: the resume runs" "$(cat "$err")"
[[ ! -e $s/exp/experiment.json.Ab12Cd && ! -e $s/exp/cohort-0/run.json.Zz9XyW \
   && ! -e $s/exp/cohort-0/mu.npy.q1W2e3 ]] \
  || fail "stale temporaries: removed by the next writer" "$(ls -la "$s/exp" "$s/exp/cohort-0")"
[[ -e $s/exp/notes.txt.abcdef && -e $s/exp/summary.json.bak ]] \
  || fail "stale temporaries: files not of Vesicle's naming stay"
pass "temporary files left by kill -9 are removed by the next writer; the user's files stay"
