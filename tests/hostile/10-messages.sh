# SPDX-License-Identifier: GPL-3.0-or-later
#
# Messages that were silent or unclear (issue 18, item 10): each is now a clear refusal, exit
# status 1 with the file or field and the problem named, and no output folder made. Stray labels
# and a single class in a dataset; what stands where a dataset file should be (a link loop, a
# folder, a named pipe, no permission); numbers in --set and integer options that overflow or are
# not decimal; sweep run-cell without --index; one network too large for any device.

tiny=(experiment train --set 'hidden=[16]' --set epochs=1 --set max_train=600)

# msg_dataset NAME: a copy of the bundled subset in $tmp/NAME (printed)
msg_dataset () {
  local dir=$tmp/$1
  mkdir -p "$dir"
  cp "$subset"/*-ubyte.gz "$dir"/
  echo "$dir"
}

# msg_labels FILE CODE: rewrites the gzipped IDX labels file FILE (magic 0x00000801, the count as
# a big-endian u32, one byte a label); CODE is Python that changes the bytearray `labels`
msg_labels () {
  python3 - "$1" "$2" <<'EOF'
import gzip, struct, sys
path, code = sys.argv[1], sys.argv[2]
with gzip.open(path, "rb") as f:
    data = f.read()
magic, n = struct.unpack(">II", data[:8])
assert magic == 0x801 and len(data) == 8 + n, (hex(magic), n, len(data))
labels = bytearray(data[8:])
exec(code)
with gzip.open(path, "wb") as f:
    f.write(struct.pack(">II", magic, len(labels)) + bytes(labels))
EOF
}

# msg_no_folder DESC DIR: fails if the refused command made DIR
msg_no_folder () {
  [[ ! -e $2 && ! -L $2 ]] || fail "$1" "it made $2"
}

# ---- 1. a stray label: 255 among 0 to 9 would make a 256-class output layer ----------------------
ds=$(msg_dataset stray-label)
msg_labels "$ds/train-labels-idx1-ubyte.gz" 'labels[17] = 255'
expect_refused "messages: a training label of 255 among 0 to 9 is refused, naming it" \
  "$ds/train-labels-idx1-ubyte.gz: labels run from 0 to 9; label 255 at index 17" \
  "$cli" "${tiny[@]}" --set "dataset=$ds" --out "$tmp/stray-label-run"
grep -qF "class 10 has no training examples" "$err" \
  || fail "messages: a stray label" "stderr does not name the empty class"
msg_no_folder "messages: a stray label" "$tmp/stray-label-run"
pass "messages: a training label of 255 among 0 to 9 is refused, naming file, label and index"

ds=$(msg_dataset stray-test-label)
msg_labels "$ds/t10k-labels-idx1-ubyte.gz" 'labels[5] = 12'
expect_refused "messages: a test label outside the training classes" \
  "$ds/t10k-labels-idx1-ubyte.gz: label 12 at index 5 is not one of the training classes, 0 to 9" \
  "$cli" "${tiny[@]}" --set "dataset=$ds" --out "$tmp/stray-test-run"
msg_no_folder "messages: a test label outside the training classes" "$tmp/stray-test-run"
pass "messages: a test label outside the training classes is refused"

# ---- 2. one class only: a classifier of one class trained to accuracy 1 --------------------------
ds=$(msg_dataset one-class)
msg_labels "$ds/train-labels-idx1-ubyte.gz" 'labels[:] = bytes([3]) * len(labels)'
msg_labels "$ds/t10k-labels-idx1-ubyte.gz" 'labels[:] = bytes([3]) * len(labels)'
expect_refused "messages: a dataset of one class" \
  "$ds/train-labels-idx1-ubyte.gz holds only class 3: a classifier needs at least two classes" \
  "$cli" "${tiny[@]}" --set "dataset=$ds" --out "$tmp/one-class-run"
msg_no_folder "messages: a dataset of one class" "$tmp/one-class-run"
pass "messages: a dataset of one class is refused"

# ---- 3. what stands where a dataset file should be -----------------------------------------------
ds=$(msg_dataset link-loop)
rm "$ds/train-images-idx3-ubyte.gz"
ln -s train-images-idx3-ubyte.gz "$ds/train-images-idx3-ubyte.gz"
expect_refused "messages: a symbolic link loop" \
  "$ds/train-images-idx3-ubyte.gz: a symbolic link loop" \
  "$cli" "${tiny[@]}" --set "dataset=$ds" --out "$tmp/link-loop-run"
msg_no_folder "messages: a symbolic link loop" "$tmp/link-loop-run"
pass "messages: a dataset file that is a symbolic link loop is named as one"

ds=$(msg_dataset folder)
rm "$ds/train-images-idx3-ubyte.gz"
mkdir "$ds/train-images-idx3-ubyte.gz"
expect_refused "messages: a folder" \
  "$ds/train-images-idx3-ubyte.gz: is a folder, not an IDX file" \
  "$cli" "${tiny[@]}" --set "dataset=$ds" --out "$tmp/folder-run"
msg_no_folder "messages: a folder" "$tmp/folder-run"
pass "messages: a folder where a dataset file should be is named as one"

# a named pipe with no writer: refused at once, never opened blocking (which would hang)
ds=$(msg_dataset fifo)
rm "$ds/train-images-idx3-ubyte.gz"
mkfifo "$ds/train-images-idx3-ubyte.gz"
saved_limit=$case_limit
case_limit=30
expect_refused "messages: a named pipe" \
  "$ds/train-images-idx3-ubyte.gz: is a named pipe (FIFO), not a file" \
  "$cli" "${tiny[@]}" --set "dataset=$ds" --out "$tmp/fifo-run"
case_limit=$saved_limit
[[ -p $ds/train-images-idx3-ubyte.gz ]] || fail "messages: a named pipe" "the FIFO is gone"
msg_no_folder "messages: a named pipe" "$tmp/fifo-run"
pass "messages: a named pipe where a dataset file should be is refused at once"

# no permission, as an unprivileged user (root reads anything), writing where it may
mkdir -p "$tmp/nobody-out"
chmod 777 "$tmp/nobody-out"
ds=$(msg_dataset unreadable-file)
chmod 000 "$ds/train-images-idx3-ubyte.gz"
expect_refused "messages: a dataset file without read permission" \
  "$ds/train-images-idx3-ubyte.gz: permission denied" \
  "${as_nobody[@]}" "$cli" "${tiny[@]}" --set "dataset=$ds" \
  --out "$tmp/nobody-out/unreadable-file-run"
msg_no_folder "messages: a dataset file without read permission" \
  "$tmp/nobody-out/unreadable-file-run"
pass "messages: a dataset file without read permission says so"

ds=$(msg_dataset unreadable-folder)
chmod 000 "$ds"
expect_refused "messages: a dataset folder without permission" \
  "$ds: permission denied: cannot look inside this folder" \
  "${as_nobody[@]}" "$cli" "${tiny[@]}" --set "dataset=$ds" \
  --out "$tmp/nobody-out/unreadable-folder-run"
chmod 755 "$ds"
msg_no_folder "messages: a dataset folder without permission" \
  "$tmp/nobody-out/unreadable-folder-run"
pass "messages: a dataset folder without permission says so"

# ---- 4. an integer in --set that does not fit ----------------------------------------------------
expect_refused "messages: --set epochs=99999999999999999999" \
  "--set epochs: 99999999999999999999 is too large" \
  "$cli" "${tiny[@]}" --set epochs=99999999999999999999 --out "$tmp/overflow-run"
grep -qF -- "-1 is not allowed" "$err" && fail "messages: --set overflow" "it still says -1"
msg_no_folder "messages: --set epochs=99999999999999999999" "$tmp/overflow-run"
pass "messages: an integer in --set too large for 64 bits is named as written"

# ---- 5. sweep run-cell without --index -----------------------------------------------------------
run "$cli" sweep expand train --set 'hidden=[16]' --set epochs=1 --set max_train=600 \
  --out "$tmp/msg-sweep"
[[ $rc -eq 0 ]] || fail "messages: sweep expand for run-cell" "expected exit status 0"
snapshot "$tmp/msg-sweep" >"$tmp/msg-sweep.snap"
expect_refused "messages: sweep run-cell without --index" \
  "--index N is required: the cell of $tmp/msg-sweep to train (its only cell is 0)" \
  "$cli" sweep run-cell "$tmp/msg-sweep"
grep -qF -- "-1 is not a cell" "$err" && fail "messages: run-cell without --index" "it says -1"
unchanged "messages: sweep run-cell without --index" "$tmp/msg-sweep" "$tmp/msg-sweep.snap"
pass "messages: sweep run-cell without --index says that --index is required"

# ---- 6. one network too large for any device: it cannot be split ---------------------------------
# (784-65536-65536-10: 4,347,133,962 parameters, more than a device indexes; refused before
# anything is allocated, and before anything is written: no "failed" folder is left behind.)
expect_refused "messages: one network too large" \
  "one network of 4347133962 parameters" \
  "$cli" experiment train --set 'hidden=[65536,65536]' --set epochs=1 --set max_train=600 \
  --set 'seeds=[1]' --set 'c=[0.01]' --set 'settings=["hetero"]' --out "$tmp/too-large-run"
grep -qF "a network cannot be split: use narrower layers" "$err" \
  || fail "messages: one network too large" "stderr does not say it cannot be split"
grep -qE "1 networks|split the sweep" "$err" \
  && fail "messages: one network too large" "it still speaks of '1 networks' or splitting"
msg_no_folder "messages: one network too large" "$tmp/too-large-run"
pass "messages: one network too large says so in the singular, that it cannot be split, and leaves no folder"

# ---- 7. integers in decimal only -----------------------------------------------------------------
expect_refused "messages: --set epochs=0x10" \
  "--set epochs: '0x10' is not a number in decimal" \
  "$cli" "${tiny[@]}" --set epochs=0x10 --out "$tmp/hex-set-run"
msg_no_folder "messages: --set epochs=0x10" "$tmp/hex-set-run"
expect_refused "messages: --set epochs=010 (octal to json-glib)" \
  "--set epochs: '010' is not a number in decimal" \
  "$cli" "${tiny[@]}" --set epochs=010 --out "$tmp/octal-set-run"
msg_no_folder "messages: --set epochs=010" "$tmp/octal-set-run"
expect_refused "messages: train --epochs 0x10" \
  "--epochs: '0x10' is not a whole number in decimal" \
  "$cli" train --hidden 16 --epochs 0x10 --max-train 600 --out "$tmp/hex-option-run"
msg_no_folder "messages: train --epochs 0x10" "$tmp/hex-option-run"
expect_refused "messages: train --batch +20" \
  "--batch: '+20' is not a whole number in decimal" \
  "$cli" train --hidden 16 --batch +20 --max-train 600 --out "$tmp/plus-option-run"
msg_no_folder "messages: train --batch +20" "$tmp/plus-option-run"
expect_refused "messages: train --epochs -1" \
  "--epochs: -1 is too small; it must be at least 1" \
  "$cli" train --hidden 16 --epochs -1 --max-train 600 --out "$tmp/minus-option-run"
msg_no_folder "messages: train --epochs -1" "$tmp/minus-option-run"
expect_refused "messages: sweep run-cell --index 0x0" \
  "--index: '0x0' is not a whole number in decimal" \
  "$cli" sweep run-cell "$tmp/msg-sweep" --index 0x0
unchanged "messages: sweep run-cell --index 0x0" "$tmp/msg-sweep" "$tmp/msg-sweep.snap"
expect_refused "messages: bench --steps 0x10" \
  "--steps: '0x10' is not a whole number in decimal" \
  "$cli" bench --steps 0x10
pass "messages: integers in --set and in options are decimal only, refused naming the value"
