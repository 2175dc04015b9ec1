# SPDX-License-Identifier: GPL-3.0-or-later
# Item 2: one writer per folder. Two resumes of one folder, and two run-cells of one cell, started
# together: exactly one trains, the other is refused naming it, and the result equals a single
# run's.

w=$tmp/writers
mkdir -p "$w"

# holds LOCKFILE PID: waits (up to 20 s) until process PID has written its name into LOCKFILE
holds () {
  for _ in $(seq 1 400); do
    grep -qs "^pid $2 on " "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# the reference: the same experiment, never interrupted
completed "$w/whole" 40 2>/dev/null

interrupted "$w/twice" cohort-0/checkpoint.bin
"$cli" experiment --resume "$w/twice" -q >"$w/first.out" 2>&1 &
first=$!
# the second starts once the first holds the lock (it has written its name there)
holds "$w/twice/.vesicle.lock" "$first" || fail "two resumes: the first took the folder's lock" "$(cat "$w/first.out")"
run "$cli" experiment --resume "$w/twice"
second_rc=$rc
wait "$first" && first_rc=0 || first_rc=$?
[[ $first_rc -eq 0 ]] || fail "two resumes: the first trains to the end" "$(cat "$w/first.out")"
[[ $second_rc -eq 1 ]] || fail "two resumes: the second is refused (exit 1)"
grep -qF "is being written by another process (pid $first on " "$err" \
  || fail "two resumes: the refusal names the holder's pid and host"
grep -qF "experiment --resume $w/twice" "$err" || fail "two resumes: the refusal names the holder's command"
grep -qF -- "--wait" "$err" || fail "two resumes: the refusal says how to wait instead"
for f in summary.json cohort-0/metrics.csv cohort-1/metrics.csv cohort-0/mu.npy cohort-1/sigma.npy; do
  cmp -s "$w/whole/$f" "$w/twice/$f" || fail "two resumes: $f equals the uninterrupted run's"
done
[[ $(wc -l <"$w/twice/cohort-1/metrics.csv") -eq $(wc -l <"$w/whole/cohort-1/metrics.csv") ]] \
  || fail "two resumes: no duplicated metrics rows"
pass "two resumes at once: one trains, the other is refused naming pid, host and command; results equal one run's"

# --wait: the second waits for the first, then finds nothing left to do
interrupted "$w/waits" cohort-0/checkpoint.bin
"$cli" experiment --resume "$w/waits" -q >"$w/first.out" 2>&1 &
first=$!
holds "$w/waits/.vesicle.lock" "$first" || fail "resume --wait: the first took the lock"
run "$cli" experiment --resume "$w/waits" --wait -q
wait "$first" || fail "resume --wait: the first trains to the end" "$(cat "$w/first.out")"
[[ $rc -eq 1 ]] && grep -qF "nothing to resume" "$err" \
  || fail "resume --wait: the second waits, then finds the experiment completed"
cmp -s "$w/whole/cohort-1/mu.npy" "$w/waits/cohort-1/mu.npy" || fail "resume --wait: results equal one run's"
pass "resume --wait waits for the holder, then finds nothing to resume"

# two run-cells of one index at once (a scheduler that runs a task twice)
sweep_sets=(--set hidden=[16] --set max_train=600 --set rho=[0.5,2] --set c=[0.01,1]
            --set seeds=[1,2] --set max_cohort=4 --set epochs=30)
n_cells=$("$cli" sweep expand tradeoff "${sweep_sets[@]}" --out "$w/sweep" 2>/dev/null) \
  || fail "fixture: sweep expand"
cp -r "$w/sweep" "$w/sweep-once"
"$cli" sweep run-cell "$w/sweep-once" --index 1 -q || fail "fixture: one run-cell alone"
"$cli" sweep run-cell "$w/sweep" --index 1 -q >"$w/first.out" 2>&1 &
first=$!
holds "$w/sweep/cells/1.lock" "$first" || fail "two run-cells: the first took the cell's lock" "$(cat "$w/first.out")"
run "$cli" sweep run-cell "$w/sweep" --index 1
wait "$first" || fail "two run-cells: the first trains to the end" "$(cat "$w/first.out")"
[[ $rc -eq 1 ]] || fail "two run-cells: the second is refused (exit 1)"
grep -qF "cell 1: $w/sweep is being written by another process (pid $first on " "$err" \
  || fail "two run-cells: the refusal names the cell and the holder"
for f in metrics.csv mu.npy sigma.npy; do
  cmp -s "$w/sweep-once/cohort-1/$f" "$w/sweep/cohort-1/$f" \
    || fail "two run-cells: cohort-1/$f equals a single run-cell's"
done
pass "two run-cells of one cell at once: one trains, the other is refused; results equal a single run-cell's"

# a merge while a cell trains is refused; the cells of different index train side by side
"$cli" sweep run-cell "$w/sweep" --index 0 -q >"$w/first.out" 2>&1 &
first=$!
holds "$w/sweep/cells/0.lock" "$first" || fail "merge during a cell: the cell took its lock"
run "$cli" sweep merge "$w/sweep"
wait "$first" || fail "merge during a cell: the cell trains to the end" "$(cat "$w/first.out")"
[[ $rc -eq 1 ]] || fail "merge during a cell: refused"
[[ ! -e $w/sweep/summary.json ]] || fail "merge during a cell: writes no summary"
for cell in $(seq 2 $((n_cells - 1))); do
  "$cli" sweep run-cell "$w/sweep" --index "$cell" -q || fail "fixture: run-cell $cell"
done
run "$cli" sweep merge "$w/sweep"
[[ $rc -eq 0 ]] || fail "merge after the cells: merges" "$(cat "$err")"
pass "a merge while a cell still trains is refused and writes nothing; afterwards it merges"
