#!/usr/bin/env bash
# Runs every ```sh block of README.md as written, in order, with sslmem on PATH, from a scratch folder that
# holds a copy of fixtures/ (so outputs land there, never in the checkout). Blocks with the info string
# `text` are illustrations and are not run. Usage: scripts/checks/readme_check.sh path/to/sslmem [README.md]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
readme=${2:-$repo/README.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/work"
ln -s "$bin" "$tmp/bin/sslmem"
cp -r "$repo/fixtures" "$tmp/work/fixtures"
# Split the README into numbered block files.
awk -v dir="$tmp" '
  /^```/ && !inside { inside = 1; run = ($0 == "```sh"); if (run) { n++; file = sprintf("%s/block-%02d.sh", dir, n); line = NR } ; next }
  /^```/ && inside  { inside = 0; run = 0; next }
  inside && run     { if (!started[n]++) print "# README.md line " line > file; print > file }
' "$readme"
passed=0 failed=0
for block in "$tmp"/block-*.sh; do
  [ -e "$block" ] || { echo "FAIL  no sh blocks in $readme"; exit 1; }
  where=$(head -1 "$block")
  if (cd "$tmp/work" && PATH="$tmp/bin:$PATH" bash -euo pipefail "$block" >"$tmp/out" 2>&1); then
    passed=$((passed + 1)); echo "ok    ${where#\# }"
  else
    failed=$((failed + 1)); echo "FAIL  ${where#\# }"; sed 's/^/      /' "$tmp/out" | tail -20
  fi
done
echo "README blocks: $passed passed, $failed failed"
[ "$failed" = 0 ]
