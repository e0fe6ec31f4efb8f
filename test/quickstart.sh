#!/usr/bin/env bash
# A newcomer's first five minutes: make a repository, back up a sample folder, restore it, compare.
set -euo pipefail
cd "$(dirname "$0")/.."
work=.quickstart
rm -rf "$work"
mkdir -p "$work/sample/docs" "$work/sample/photos"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

# A sample folder: text, a binary file, a duplicate, a symlink, an empty folder.
for i in $(seq 1 50); do echo "note $i: the quick brown fox jumps over the lazy dog" >"$work/sample/docs/note-$i.txt"; done
head -c 3000000 /dev/urandom >"$work/sample/photos/holiday.jpg"
cp "$work/sample/photos/holiday.jpg" "$work/sample/photos/holiday-copy.jpg"
ln -s docs/note-1.txt "$work/sample/latest-note"
mkdir -p "$work/sample/empty"

export CAIRN_REPOSITORY="$PWD/$work/repo"
export CAIRN_PASSWORD=quickstart-password
run cairn init
run cairn backup "$PWD/$work/sample" --tag quickstart
run cairn backup "$PWD/$work/sample" --tag quickstart
run cairn snapshots
run cairn restore latest --target "$PWD/$work/restored"
run cairn check --read-data
say "diff -r $work/sample $work/restored$PWD/$work/sample"
diff -r "$work/sample" "$work/restored$PWD/$work/sample"
printf '\n\033[1;32mquickstart: the restored folder is identical to the original.\033[0m\n'
