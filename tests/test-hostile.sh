#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The hostile-folder suite: every way a file, a folder or a second process can attack an
# experiment folder, as a regression test that builds its input in a temporary folder. Each case
# asserts the exit status, the message, and that the files inside and outside the folder that must
# not change did not (tests/hostile/lib.sh: snapshot/unchanged). The cases live in
# tests/hostile/*.sh, one file per theme, sourced in name order. Nothing here touches /dev: FIFOs
# are made with mkfifo inside the test's own folder. Permission cases run as a throwaway
# unprivileged user (setpriv) when CI runs as root.
#
# Usage: test-hostile.sh PATH-TO-VESICLE-CLI   (VESICLE_SOURCE_DATA: the source tree's data/)
set -euo pipefail

if [[ $# -ne 1 || ! -x $1 ]]; then
  echo "usage: $0 PATH-TO-VESICLE-CLI" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
source "$here/hostile/lib.sh"

for cases in "$here"/hostile/[0-9]*.sh; do
  echo "# ${cases##*/}"
  source "$cases"
done
echo "1..$n"
[[ $failed -eq 0 ]]
