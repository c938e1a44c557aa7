#!/usr/bin/env bash
# The cases of issue 16 where an output destroyed data, run end to end through the command line on a
# scratch copy of the fixtures: each must be refused (non-zero exit, one error line) and leave every
# file byte for byte as it was. Usage: scripts/checks/data_safety_check.sh path/to/sslmem
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; }

# A fresh scratch folder for each case: two dumps, images, scores, a user's folder and notes.
setup() {
  cd "$tmp" && rm -rf "$tmp/work" && mkdir -p "$tmp/work/fixtures" "$tmp/work/myfolder"
  cp "$repo"/fixtures/simclr_f.h5 "$repo"/fixtures/simclr_g.h5 "$repo"/fixtures/images.h5 "$tmp/work/fixtures/"
  cp "$repo"/fixtures/layers_synthetic/conv_f.h5 "$repo"/fixtures/layers_synthetic/conv_g.h5 "$tmp/work/fixtures/"
  cp "$repo"/fixtures/expected/simclr_allpairs_l2_range.csv "$tmp/work/scores.csv"
  echo "my notes" > "$tmp/work/myfolder/notes.txt"
  echo "my own notes" > "$tmp/work/notes.txt"
  cd "$tmp/work"
}
state() { find . -type f -print0 | sort -z | xargs -0 sha256sum; }

# refused NAME -- COMMAND...: non-zero exit, one error line, every file in the scratch folder unchanged.
refused() {
  local name=$1; shift 2
  setup
  local before; before=$(state)
  if "$@" >"$tmp/stdout" 2>"$tmp/stderr"; then fail "$name: exit 0"
  elif [ "$(grep -c . "$tmp/stderr")" != 1 ]; then fail "$name: not one error line"; cat "$tmp/stderr"
  elif [ "$(state)" != "$before" ]; then fail "$name: files changed"
  else ok "$name: $(head -c 150 "$tmp/stderr")"; fi
}

F="--f fixtures/simclr_f.h5 --g fixtures/simclr_g.h5"
refused "report --out . (the current directory)" -- "$bin" report $F --out .
refused "report --out .. (above the current directory)" -- "$bin" report $F --out ..
refused "report --out fixtures (holds the inputs)" -- "$bin" report $F --out fixtures
refused "report --out myfolder (not empty, not a report)" -- "$bin" report $F --out myfolder
refused "select --out fixtures/simclr_f.h5 (an input dump)" -- "$bin" select scores.csv --top 10 --out fixtures/simclr_f.h5
refused "select --out . " -- "$bin" select scores.csv --top 10 --out .
refused "select --out myfolder (not empty, not a selection)" -- "$bin" select scores.csv --top 10 --out myfolder
refused "score --out fixtures/simclr_g.h5 (an input)" -- "$bin" score $F --out fixtures/simclr_g.h5
refused "score --out g.h5 --force (an input, forced)" -- "$bin" score $F --out fixtures/simclr_g.h5 --force
refused "score --out images.h5 (not a scores file)" -- "$bin" score $F --out fixtures/images.h5
refused "score --out notes.txt (not a scores file)" -- "$bin" score $F --out notes.txt
refused "figures --out . " -- "$bin" figures --scores scores.csv --out .
refused "figures --out myfolder (not empty, not figures)" -- "$bin" figures --scores scores.csv --out myfolder
L="--f fixtures/conv_f.h5 --g fixtures/conv_g.h5"
refused "layers --figures myfolder (not empty, not figures)" -- "$bin" layers $L --figures myfolder
refused "layers --figures . " -- "$bin" layers $L --figures .
refused "units --figures myfolder (not empty, not figures)" -- "$bin" units --f fixtures/conv_f.h5 --figures myfolder

# Allowed: a new folder, the same kind again, and --force beside foreign files (which stay).
setup
before=$(sha256sum myfolder/notes.txt)
if "$bin" select scores.csv --top 10 --out lists >/dev/null && "$bin" select scores.csv --top 5 --out lists >/dev/null &&
   [ -e lists/top-5.txt ] && [ ! -e lists/top-10.txt ] &&
   "$bin" select scores.csv --top 10 --out myfolder --force >/dev/null && [ -e myfolder/top-10.txt ] &&
   [ "$(sha256sum myfolder/notes.txt)" = "$before" ] &&
   "$bin" score $F --out s.csv >/dev/null 2>&1 && "$bin" score $F --out s.csv >/dev/null 2>&1; then
  ok "a new folder, an earlier output of the same kind, and --force beside other files (kept)"
else fail "allowed outputs"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
