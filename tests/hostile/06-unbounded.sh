# SPDX-License-Identifier: GPL-3.0-or-later
# Items 6 and 7: every file is read only if it is a regular file, and no further than its format
# allows. A device that never ends, a FIFO that never answers, a folder: each is refused at once
# with the file named, never read forever or waited on (the run's time limit would catch it).

u=$tmp/unbounded
mkdir -p "$u"
interrupted "$u/exp" cohort-0/checkpoint.bin
cp "$u/exp/cohort-0/checkpoint.bin" "$u/checkpoint.good"

rm "$u/exp/cohort-0/checkpoint.bin"
endless "$u/exp/cohort-0/checkpoint.bin"
expect_refused "an endless checkpoint.bin is refused at once" "cohort-0/checkpoint.bin" \
  "$cli" experiment --resume "$u/exp"
grep -qE "is a device|named pipe" "$err" || fail "an endless checkpoint.bin: says what it is"
pass "a checkpoint.bin that never ends (a device node) is refused at once, naming it"

rm "$u/exp/cohort-0/checkpoint.bin"
mkfifo "$u/exp/cohort-0/checkpoint.bin"
expect_refused "a FIFO as checkpoint.bin is refused at once" "named pipe (FIFO)" \
  "$cli" experiment --resume "$u/exp"
pass "a FIFO as checkpoint.bin is refused at once (it used to hang --resume)"

rm "$u/exp/cohort-0/checkpoint.bin"
ln -s "$u/exp/cohort-0/metrics.csv" "$u/exp/cohort-0/checkpoint.bin"
expect_refused "a link as checkpoint.bin is refused" "checkpoint.bin is a symbolic link" \
  "$cli" experiment --resume "$u/exp"
rm "$u/exp/cohort-0/checkpoint.bin"
cp "$u/checkpoint.good" "$u/exp/cohort-0/checkpoint.bin"
pass "a symbolic link as checkpoint.bin is refused"

mv "$u/exp/experiment.json" "$u/experiment.good"
mkfifo "$u/exp/experiment.json"
expect_refused "a FIFO as experiment.json: --resume refuses it at once" "experiment.json: is a named pipe" \
  "$cli" experiment --resume "$u/exp"
expect_refused "a FIFO as experiment.json: figure refuses it at once" "experiment.json: is a named pipe" \
  "$cli" figure fig2 --from "$u/exp" --out "$u/fig2.png"
rm "$u/exp/experiment.json"
mkdir "$u/exp/experiment.json"
expect_refused "a folder as experiment.json is refused" "experiment.json: is a folder" \
  "$cli" figure fig2 --from "$u/exp" --out "$u/fig2.png"
pass "a FIFO or a folder as experiment.json is refused at once by --resume and figure"

# the importance figure's arrays, named in summary.json
rm -rf "$u/imp"
cp -r "$figures/importance" "$u/imp"
for npy in "$u"/imp/importance-*.npy; do rm "$npy"; mkfifo "$npy"; done
expect_refused "a FIFO as an importance array: fig5 refuses it at once" ".npy: is a named pipe" \
  "$cli" figure fig5 --from "$u/imp" --out "$u/fig5.png"
for npy in "$u"/imp/importance-*.npy; do rm "$npy"; endless "$npy"; done
expect_refused "an endless importance array: fig5 refuses it at once" ".npy: is a" \
  "$cli" figure fig5 --from "$u/imp" --out "$u/fig5.png"
pass "an importance .npy that is a FIFO or a device is refused at once by fig5"

# a .npy whose header claims more than the file holds: refused before anything is allocated
rm -rf "$u/imp"
cp -r "$figures/importance" "$u/imp"
python3 - "$u"/imp/importance-*.npy <<'PY'
import sys
for p in sys.argv[1:]:
  b = open(p, "rb").read()
  hl = b[8] | (b[9] << 8)
  header = b[10:10 + hl].decode("latin-1")
  start = header.index("'shape': (") + len("'shape': (")
  end = header.index(")", start)
  header = (header[:start] + "4000000000, 4000000000" + header[end:]).ljust(hl)[:hl]
  open(p, "wb").write(b[:10] + header.encode("latin-1") + b[10 + hl:])
PY
expect_refused "a .npy claiming 1.6e19 values is refused" ".npy: not a non-empty float32" \
  "$cli" figure fig5 --from "$u/imp" --out "$u/fig5.png"
pass "a .npy whose shape claims more than the file holds is refused, nothing allocated"

# a JSON file over the documented 256 MiB limit (sparse: no disk used)
rm -rf "$u/big"
cp -r "$figures/tradeoff" "$u/big"
truncate -s 300M "$u/big/summary.json"
expect_refused "a 300 MiB summary.json is refused by its size" "larger than the 256" \
  "$cli" figure fig2 --from "$u/big" --out "$u/fig2.png"
pass "a JSON file over 256 MiB is refused by its size before it is read"

# SIGTERM ends a run at once while it waits for nothing: a read of a regular file is bounded, and
# a resume that is refused exits; here, a signal during a normal resume ends it within a second
interrupted "$u/term" cohort-0/checkpoint.bin
"$cli" experiment --resume "$u/term" -q >"$u/term.out" 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
  kill -9 "$pid"
  fail "SIGTERM: a resume ends within 5 s of SIGTERM" "$(cat "$u/term.out")"
fi
wait "$pid" 2>/dev/null || true
pass "SIGTERM ends a resume within 5 s"
