#!/usr/bin/env bash
# Issue 16's usability cases through the command line: defaults that work on valid input, errors that help,
# inspect on sslmem's own files, progress in batch logs, mismatched inputs. Each case failed before the fix.
# Usage: scripts/checks/usability_check.sh path/to/sslmem
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; }
fx=fixtures
simclr=$fx/expected/simclr_allpairs_l2_range.csv
vicreg=$fx/expected/vicreg_allpairs_cosine_none.csv

# run NAME STATUS PATTERN -- COMMAND...: exit status STATUS ("0" or "non-zero") and PATTERN in stdout+stderr.
run() {
  local name=$1 status=$2 pattern=$3; shift 4
  "$@" >"$tmp/out" 2>&1; local rc=$?
  if [ "$status" != 0 ] && [ "$status" != non-zero ] && [ $rc != "$status" ]; then fail "$name: exit $rc, not $status"; sed 's/^/      /' "$tmp/out" | head -5; return; fi
  if [ "$status" = 0 ] && [ $rc != 0 ]; then fail "$name: exit $rc"; sed 's/^/      /' "$tmp/out" | head -5; return; fi
  if [ "$status" != 0 ] && [ $rc = 0 ]; then fail "$name: exit 0"; return; fi
  if ! grep -qE -- "$pattern" "$tmp/out"; then fail "$name: output lacks /$pattern/"; sed 's/^/      /' "$tmp/out" | head -5; return; fi
  ok "$name"
}

# 4. Defaults that adapt to the pool; explicit impossible sizes stay errors.
run "select: default sizes adapt to a 200-point pool" 0 "note: .*skipped" -- "$bin" select $simclr --out "$tmp/lists"
awk -F, 'NR == 1 || $2 != "candidate" || ++n > 35' $simclr > "$tmp/s165.csv"
run "compare: default top-X adapts to 165 shared candidates" 0 "note: the runs share 165 candidate points" -- \
  "$bin" compare "$tmp/s165.csv" $vicreg
run "compare: an explicit top 200 over 165 points is an error" non-zero "top 200 exceeds the 165 points" -- \
  "$bin" compare "$tmp/s165.csv" $vicreg --top 200
run "select: an explicit size above the pool is an error" non-zero "a list of 500 points" -- \
  "$bin" select $simclr --top 500 --out "$tmp/lists2"

# 6. Errors that help.
run "unknown option: did you mean" 64 "unknown option '--ouput' for 'sslmem score'; did you mean '--out'\?" -- \
  "$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --ouput "$tmp/x.csv"
run "unknown command: did you mean" 64 "unknown command 'socre'; did you mean 'score'\?" -- \
  "$bin" socre --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --out "$tmp/x.csv"
run "help of an unknown command is an error" 64 "unknown command 'scroe'; did you mean 'score'" -- "$bin" help scroe
run "a bad value prints the subcommand's usage" 64 "Usage: sslmem figures " -- \
  "$bin" figures --scores $simclr --format jpg --out "$tmp/figs"
run "a bad --templates prints no generic usage" non-zero "templates.*no such folder" -- \
  "$bin" report --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --templates "$tmp/none" --out "$tmp/r"
for c in "stats $tmp/missing.csv" "compare $tmp/missing.csv $simclr" "inspect $tmp/missing.csv" \
         "score --f $tmp/missing.csv --g $fx/simclr_g.h5 --out $tmp/x.csv" "figures --scores $tmp/missing.csv --out $tmp/f" \
         "select $tmp/missing.csv --out $tmp/l" "report --compare $tmp/missing.csv $simclr --out $tmp/r"; do
  run "missing file, one wording: ${c%% *}" non-zero "missing.csv: no such file$" -- "$bin" $c
done
run "--logs without --checkpoints is an error" 64 "--logs goes with --checkpoints" -- \
  "$bin" figures --scores $simclr --logs $fx/log_simclr_f.json,$fx/log_simclr_g.json --out "$tmp/figs"
run "a sweep over runs without attributes never prints '(it has: )'" non-zero "no numeric attribute epoch" -- \
  "$bin" report --sweep epoch $simclr $vicreg --out "$tmp/sweep"
if grep -q "it has: )" "$tmp/out"; then fail "sweep: empty attribute list printed"; fi

# 8. inspect knows sslmem's own files; README and outputs agree (Hedges' g).
"$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --out "$tmp/s.h5" >/dev/null 2>&1
"$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --shard 0/2 --out "$tmp/part-0.h5" >/dev/null 2>&1
"$bin" select $simclr --top 5 --out "$tmp/sel" >/dev/null 2>&1
run "inspect: a scores .h5" 0 "scores file \(sslmem score\)" -- "$bin" inspect "$tmp/s.h5"
run "inspect: a scores .csv" 0 "scores file \(sslmem score\)" -- "$bin" inspect $simclr
run "inspect: a shard of alignments" 0 "shard 0 of 2 of alignments" -- "$bin" inspect "$tmp/part-0.h5"
run "inspect: a selection" 0 "selection \(sslmem select\)" -- "$bin" inspect "$tmp/sel/selection.h5"
run "stats --json has Hedges' g" 0 '"hedges_g": ' -- "$bin" stats $simclr --json
run "stats prints Hedges' g" 0 "Hedges' g" -- "$bin" stats $simclr

# Smaller: figures --out figs/ prints clean paths.
if "$bin" figures --scores $simclr --format svg --out "$tmp/figs/" >"$tmp/out" 2>&1 && grep -q "figs/score_distribution.svg" "$tmp/out" &&
   ! grep -q "//" "$tmp/out"; then ok "figures --out figs/ prints figs/x.svg, not figs//x.svg"
else fail "figures --out figs/: $(head -2 "$tmp/out")"; fi

# 5. Mismatched inputs.
run "score warns when f and g differ in method" 0 'warning: the dumps differ in method' -- \
  "$bin" score --f $fx/simclr_f.h5 --g $fx/vicreg_g.h5 --out "$tmp/mixed.csv"
"$bin" score --f $fx/vicreg_f.h5 --g $fx/vicreg_g.h5 --out "$tmp/vicreg.h5" >/dev/null 2>&1
run "figures refuses checkpoints of another method" non-zero "checkpoints are of another run" -- \
  "$bin" figures --scores "$tmp/vicreg.h5" --checkpoints $fx/checkpoints --out "$tmp/figs-mixed"
run "report refuses checkpoints of another method" non-zero "checkpoints are of another run" -- \
  "$bin" report --f $fx/vicreg_f.h5 --g $fx/vicreg_g.h5 --checkpoints $fx/checkpoints --out "$tmp/r-mixed"
run "report refuses logs of another run" non-zero "is not a training log of" -- \
  "$bin" report --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --checkpoints $fx/checkpoints \
  --logs $fx/log_vicreg_f.json,$fx/log_vicreg_g.json --out "$tmp/r-logs"

# Issue 13.4: the scoring options everywhere they apply; cross-option rules before any work.
run "audit takes the scoring options" 0 "AUC" -- \
  "$bin" audit --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --pairing all-pairs --distance cosine --normalize none --threads 2
run "report --compare refuses scoring options" 64 "apply to a run's report" -- \
  "$bin" report --compare $simclr $vicreg --distance cosine --out "$tmp/cmp"
run "select --seed needs --random" 64 "--seed goes with --random" -- "$bin" select $simclr --seed 3 --out "$tmp/l3"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
