# SPDX-License-Identifier: GPL-3.0-or-later
#
# What every hostile case uses: the CLI under test ($cli), the bundled data ($subset), a scratch
# folder ($tmp), run/expect_refused, TAP output, and snapshots of a tree (every file's type, mode
# and checksum) to show that nothing changed.

cli=$(readlink -f "$1")
data=${VESICLE_SOURCE_DATA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../data" && pwd)}
subset=$data/mnist-subset
[[ -d $subset ]] || { echo "no dataset at $subset (set VESICLE_SOURCE_DATA)" >&2; exit 1; }
# small finished experiment folders of every type (the figures' test fixtures)
figures=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data/figures" && pwd)

export G_SLICE=always-malloc
export LC_ALL=C
# a Vesicle process never hangs on hostile input: anything slower than this is a failure
case_limit=${VESICLE_HOSTILE_LIMIT:-120}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vesicle-hostile.XXXXXX")
chmod 755 "$tmp"
cleanup () { chmod -R u+rwX "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

source "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

# run CMD...: runs it under a time limit, stdout to $out, stderr to $err, status to $rc (124:
# it hung; 128 + N: signal N)
run () {
  set +e
  timeout -s KILL "$case_limit" "$@" >"$out" 2>"$err" </dev/null
  rc=$?
  set -e
}

# expect_refused DESCRIPTION TEXT CMD...: exit status 1 (a clear error: not a crash, a hang or a
# usage error) with TEXT on stderr; the caller adds its own checks, then calls pass
expect_refused () {
  local desc=$1 text=$2
  shift 2
  run "$@"
  [[ $rc -ne 124 && $rc -ne 137 ]] || fail "$desc" "it hung (killed after ${case_limit} s)"
  [[ $rc -lt 128 ]] || fail "$desc" "it crashed (signal $((rc - 128)))"
  [[ $rc -eq 1 ]] || fail "$desc" "expected exit status 1"
  grep -qF -- "$text" "$err" || fail "$desc" "stderr does not mention '$text'"
}

# snapshot DIR: one line per entry below DIR (path, type, mode, size, checksum or link target),
# so that two snapshots are equal exactly when nothing changed
snapshot () {
  (cd "$1" && find . -printf '%p %y %m %s %l\n' | sort \
     && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# unchanged DESCRIPTION DIR SNAPSHOT-FILE: fails unless DIR is as SNAPSHOT-FILE recorded it
unchanged () {
  local desc=$1 dir=$2 before=$3
  snapshot "$dir" >"$before.after"
  cmp -s "$before" "$before.after" \
    || fail "$desc" "changed below $dir:" "$(diff "$before" "$before.after" | head -20)"
}

# "${as_nobody[@]}" CMD...: CMD as an unprivileged throwaway user when we are root (permission
# checks do not apply to root), else as ourselves; a command prefix, so that run and
# expect_refused can take it
if [[ $(id -u) -eq 0 ]]; then
  as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env --
             env HOME="$tmp/nobody-home" LC_ALL=C G_SLICE=always-malloc)
else
  as_nobody=(env)
fi

# ---- fixtures ---------------------------------------------------------------------------------

# A small tradeoff experiment: 8 networks in 2 cohorts (cohort-0, cohort-1) of 4
tradeoff_sets=(--set hidden=[16] --set max_train=600 --set rho=[0.5,2] --set c=[0.01,1]
               --set seeds=[1,2] --set max_cohort=4)

# completed DIR [EPOCHS]: a finished two-cohort experiment in DIR
completed () {
  "$cli" experiment tradeoff "${tradeoff_sets[@]}" --set epochs="${2:-2}" --out "$1" -q \
    || fail "fixture: a completed experiment in $1"
}

# interrupted DIR WHEN: a two-cohort experiment killed with SIGKILL as soon as WHEN (a path
# below DIR) exists, i.e. mid-run, with the checkpoints of what had trained
interrupted () {
  local dir=$1 when=$2 pid
  "$cli" experiment tradeoff "${tradeoff_sets[@]}" --set epochs=40 --out "$dir" -q \
    >"$tmp/interrupted.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    [[ -e $dir/$when ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || fail "fixture: the run finished before $when appeared" \
    "$(cat "$tmp/interrupted.log")"
  wait "$pid" 2>/dev/null || true
  [[ -e $dir/$when ]] || fail "fixture: $when was written before the kill"
}

# snapshot_folder DIR FILE: a snapshot of DIR without its lock file, which a writer may create
# (empty) even when it is refused
snapshot_folder () {
  snapshot "$1" | grep -v '\.vesicle\.lock' >"$2" || true
}

# folder_unchanged DESCRIPTION DIR SNAPSHOT-FILE: as unchanged, the lock file left aside
folder_unchanged () {
  local desc=$1 dir=$2 before=$3
  snapshot "$dir" | grep -v '\.vesicle\.lock' >"$before.after" || true
  cmp -s "$before" "$before.after" \
    || fail "$desc" "changed below $dir:" "$(diff "$before" "$before.after" | head -20)"
}

# deep_json FILE: 100,000 '[' then as many ']' (crashed json-glib's recursive parser)
deep_json () {
  python3 -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' >"$1"
}

# a device node made inside the test's own folder (mknod needs root; not root: a FIFO with an
# endless writer stands in for it, which hangs a reader as a device would)
endless () {
  local path=$1
  if [[ $(id -u) -eq 0 ]] && mknod "$path" c 1 5 2>/dev/null; then
    return
  fi
  mkfifo "$path"
}
