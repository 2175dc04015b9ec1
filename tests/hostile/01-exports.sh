# SPDX-License-Identifier: GPL-3.0-or-later
# Item 1: an export replaces only what is its own (figure --out, the export window and the
# report writer share vesicle_file_write_export).

fig=$figures/tradeoff
x=$tmp/exports
mkdir -p "$x"
cp -r "$fig" "$x/exp"
snapshot_folder "$x/exp" "$x/exp.snap"

mkfifo "$x/fifo"
expect_refused "export: a FIFO as --out is refused at once, and stays a FIFO" "named pipe" \
  "$cli" figure fig2 --from "$x/exp" --out "$x/fifo" --format png
[[ -p $x/fifo ]] || fail "export: the FIFO is still a FIFO"
pass "export: a FIFO as --out is refused at once, and stays a FIFO"

python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$x/socket"
expect_refused "export: a socket as --out is refused" "socket" \
  "$cli" figure fig2 --from "$x/exp" --out "$x/socket" --format svg
[[ -S $x/socket ]] || fail "export: the socket is still a socket"
pass "export: a socket as --out is refused, and stays a socket"

mkdir "$x/folder"
expect_refused "export: a folder as --out is refused" "is a folder" \
  "$cli" figure fig2 --from "$x/exp" --out "$x/folder" --format pdf
[[ -d $x/folder && -z $(ls -A "$x/folder") ]] || fail "export: the folder is untouched"
pass "export: a folder as --out is refused, and stays an empty folder"

if [[ $(id -u) -eq 0 ]]; then
  mknod "$x/null" c 1 3
  expect_refused "export: a device as --out is refused" "is a device" \
    "$cli" figure fig2 --from "$x/exp" --out "$x/null" --format png
  [[ -c $x/null ]] || fail "export: the device node is still a device node"
  pass "export: a character device as --out is refused, and stays a device"
else
  # mknod needs root: a link to a FIFO stands for the node, refused the same way
  ln -s fifo "$x/null"
  expect_refused "export: a link to a FIFO as --out is refused" "named pipe" \
    "$cli" figure fig2 --from "$x/exp" --out "$x/null" --format png
  pass "export: a link to a FIFO as --out is refused (not root: no device node to make)"
fi

echo "the user's own file" >"$x/target.svg"
ln -s target.svg "$x/link.svg"
run "$cli" figure fig2 --from "$x/exp" --out "$x/link.svg"
[[ $rc -eq 0 ]] || fail "export: a symbolic link is written through" "$(cat "$err")"
[[ -L $x/link.svg && $(readlink "$x/link.svg") == target.svg ]] \
  || fail "export: the link is still the same link"
grep -q '<svg' "$x/target.svg" || fail "export: the file the link names holds the figure"
pass "export: a symbolic link is written through to its file, and stays a link"

ln -s nowhere.svg "$x/dangling.svg"
expect_refused "export: a dangling link is refused" "symbolic link to nothing" \
  "$cli" figure fig2 --from "$x/exp" --out "$x/dangling.svg"
[[ ! -e $x/nowhere.svg ]] || fail "export: nothing is created where a dangling link points"
pass "export: a dangling symbolic link is refused, as cp refuses it"

for own in summary.json experiment.json metrics.csv mu.npy run.json train/metrics.csv; do
  [[ -e $x/exp/$own ]] || continue
  expect_refused "export: --out $own of the experiment it draws from is refused" \
    "one of the experiment's own files" \
    "$cli" figure fig2 --from "$x/exp" --out "$x/exp/$own" --format csv
done
ln -s exp/summary.json "$x/sneaky.json"
expect_refused "export: a link to an experiment's summary.json is refused" \
  "one of the experiment's own files" \
  "$cli" figure fig2 --from "$x/exp" --out "$x/sneaky.json" --format csv
folder_unchanged "export: the experiment's own files are untouched" "$x/exp" "$x/exp.snap"
pass "export: the experiment's own files (summary.json, …) cannot be overwritten, not even through a link"

run "$cli" figure fig2 --from "$x/exp" --out "$x/exp/fig2.png"
[[ $rc -eq 0 && -s $x/exp/fig2.png ]] || fail "export: a new figure file into the folder is fine" "$(cat "$err")"
pass "export: a figure of its own into the experiment folder is written"
