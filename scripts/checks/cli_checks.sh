#!/usr/bin/env bash
# End-to-end checks of the sslmem command line: exit codes, one-line errors that
# name file/dataset/point, no partial output, and output bytes independent of the
# thread count. Usage: scripts/checks/cli_checks.sh path/to/sslmem
set -u
bin=$1
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; }
fx=fixtures

# leftovers: prints the outputs or temporary files of a failed command still in $tmp (out.*, .out.*).
leftovers() { compgen -G "$tmp/out.*"; compgen -G "$tmp/.out.*"; }

# expect_error NAME PATTERN -- COMMAND...: non-zero exit, one stderr line matching PATTERN (the file,
# dataset or point it names: not the wording, which may change), and nothing left in $tmp named out.* or .out.*
expect_error() {
  local name=$1 pattern=$2; shift 3
  rm -rf "$tmp"/out.* "$tmp"/.out.*
  if "$@" >"$tmp/stdout" 2>"$tmp/stderr"; then fail "$name: exit 0"; return; fi
  local lines; lines=$(grep -c . "$tmp/stderr")
  if [ "$lines" != 1 ]; then fail "$name: $lines error lines"; cat "$tmp/stderr"; return; fi
  if ! grep -q -- "$pattern" "$tmp/stderr"; then fail "$name: message: $(cat "$tmp/stderr")"; return; fi
  [ -n "${VERBOSE:-}" ] && cat "$tmp/stderr"
  local left; left=$(leftovers)
  if [ -n "$left" ]; then fail "$name: partial output left: $left"; return; fi
  ok "$name"
}

if "$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --threads 1 --out "$tmp/one.csv" >/dev/null 2>&1 &&
   "$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --threads 2 --out "$tmp/two.csv" >/dev/null 2>&1 &&
   cmp -s "$tmp/one.csv" "$tmp/two.csv" &&
   [ "$(head -1 "$tmp/one.csv")" = "index,subset,label,align_f,align_g,diff,score" ] &&
   [ "$(wc -l < "$tmp/one.csv")" = 801 ]; then
  ok "score: 800 rows, same bytes with 1 and 2 threads"
else fail "score: 1 vs 2 threads"; fi

"$bin" score --f $fx/vicreg_f.h5 --g $fx/vicreg_g.h5 --out "$tmp/s.h5" >/dev/null 2>&1; rc_score=$?
"$bin" inspect "$tmp/s.h5" > "$tmp/inspect_scores.txt" 2>&1; rc_inspect=$?
if [ $rc_score = 0 ] && [ -s "$tmp/s.h5" ] && [ $rc_inspect = 0 ] && grep -q "scores file" "$tmp/inspect_scores.txt" \
   && ! grep -q "NOT valid" "$tmp/inspect_scores.txt"; then
  ok "score writes HDF5; inspect recognises it as a scores file (exit 0)"
else fail "score --out .h5 / inspect exit code"; fi

# inspect's verdict is its last line and its exit status: 0 and exactly "valid layout v1" for a fixture,
# 2 and "NOT valid layout v1: …" for a file that is not (a grep for "valid layout v1" matches both).
"$bin" inspect $fx/simclr_f.h5 > "$tmp/inspect.txt" 2>&1; rc=$?
if [ $rc = 0 ] && [ "$(tail -1 "$tmp/inspect.txt")" = "valid layout v1" ] && ! grep -q "NOT valid" "$tmp/inspect.txt"
then ok "inspect: fixture is valid layout v1 (exit 0)"
else fail "inspect fixture: exit $rc, last line: $(tail -1 "$tmp/inspect.txt")"; fi
"$bin" inspect $fx/malformed/libver_latest.h5 > "$tmp/inspect.txt" 2>&1; rc=$?
if [ $rc = 2 ] && grep -q "^NOT valid layout v1: " "$tmp/inspect.txt" && ! grep -qx "valid layout v1" "$tmp/inspect.txt"
then ok "inspect: a file with problems is NOT valid (exit 2)"
else fail "inspect of fixtures/malformed/libver_latest.h5: exit $rc"; fi

printf 'not hdf5' > "$tmp/bad.h5"
expect_error "not an HDF5 file" "bad.h5" -- \
  "$bin" score --f "$tmp/bad.h5" --g $fx/simclr_g.h5 --out "$tmp/out.csv"
expect_error "roles swapped" "trained_on" -- \
  "$bin" score --f $fx/simclr_g.h5 --g $fx/simclr_f.h5 --out "$tmp/out.csv"
expect_error "f and g hold different points" "simclr_\\(f\\|g_epoch008\\)\\.h5" -- \
  "$bin" score --f $fx/simclr_f.h5 --g $fx/checkpoints/simclr_g_epoch008.h5 --out "$tmp/out.csv"
expect_error "missing output directory" "nowhere" -- \
  "$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --out "$tmp/nowhere/out.csv"
"$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --pairing sideways --out "$tmp/out.csv" 2>"$tmp/stderr"
if [ $? = 64 ] && head -1 "$tmp/stderr" | grep -q "pairing" && [ ! -e "$tmp/out.csv" ]; then
  ok "bad option value: usage error (exit 64)"
else fail "bad option value"; fi
head -c 300000 $fx/simclr_f.h5 > "$tmp/truncated.h5"
expect_error "truncated file" "truncated.h5" -- \
  "$bin" score --f "$tmp/truncated.h5" --g $fx/simclr_g.h5 --out "$tmp/out.csv"

if "$bin" stats "$tmp/one.csv" | grep -q "candidate > shared" &&
   "$bin" stats "$tmp/one.csv" --json | grep -q '"tests": \[{"a": "candidate", "b": "shared", "alternative": "greater", "variant": "student"' &&
   "$bin" stats "$tmp/one.csv" --json --welch | grep -q '"variant": "welch"'; then
  ok "stats: tables and JSON"
else fail "stats"; fi

if "$bin" compare "$tmp/one.csv" $fx/expected/vicreg_allpairs_cosine_none.csv --names a,b --top 5,50 --json |
   grep -q '^{"runs": \["a", "b"\], "kendall": \[\[{"tau": '; then
  ok "compare: JSON"
else fail "compare"; fi
expect_error "compare: top X larger than the subset" "500" -- \
  "$bin" compare "$tmp/one.csv" "$tmp/two.csv" --top 500
printf 'index,subset\n1,shared\n' > "$tmp/bad.csv"
expect_error "stats: not a scores file" "bad.csv" -- "$bin" stats "$tmp/bad.csv"

# Determinism: scores (CSV, HDF5), figures and the whole report folder are the same bytes with 1 and 2 threads.
export SOURCE_DATE_EPOCH=1700000000
for t in 1 2; do
  SSLMEM_THREADS=$t "$bin" score --f $fx/vicreg_f.h5 --g $fx/vicreg_g.h5 --out "$tmp/det-$t.h5" >/dev/null 2>&1
  # The same --out both times: the report records its command line.
  SSLMEM_THREADS=$t "$bin" report --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --images $fx/images.h5 \
    --out "$tmp/report" >/dev/null 2>&1 && mv "$tmp/report" "$tmp/report-$t"
done
if cmp -s "$tmp/det-1.h5" "$tmp/det-2.h5" && [ -s "$tmp/report-1/report.pdf" ] &&
   diff -r "$tmp/report-1" "$tmp/report-2" >/dev/null; then
  ok "same bytes with 1 and 2 threads: scores.h5 and every file of a report (HTML, PDF, figures, tables, JSON)"
else fail "thread-count determinism of scores.h5 or the report"; fi

# Sharded scoring: 4 shards merged give the bytes of one run, as CSV and as HDF5.
shards_ok=1
for i in 0 1 2 3; do
  "$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --shard $i/4 --out "$tmp/part-$i.h5" 2>/dev/null || shards_ok=0
done
"$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --out "$tmp/one.h5" >/dev/null 2>&1
if [ $shards_ok = 1 ] && "$bin" merge "$tmp"/part-*.h5 --out "$tmp/merged.csv" >/dev/null &&
   "$bin" merge "$tmp"/part-*.h5 --out "$tmp/merged.h5" >/dev/null &&
   cmp -s "$tmp/one.csv" "$tmp/merged.csv" && cmp -s "$tmp/one.h5" "$tmp/merged.h5"; then
  ok "score --shard i/4 + merge: same CSV and HDF5 bytes as one run"
else fail "sharded scoring"; fi
expect_error "merge: a shard missing" "3/4" -- \
  "$bin" merge "$tmp/part-0.h5" "$tmp/part-1.h5" "$tmp/part-2.h5" --out "$tmp/out.csv"
expect_error "merge: a shard twice" "1/4" -- \
  "$bin" merge "$tmp"/part-*.h5 "$tmp/part-1.h5" --out "$tmp/out.csv"
"$bin" score --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --pairing original --shard 3/4 --out "$tmp/other-3.h5" 2>/dev/null
expect_error "merge: shards scored with different options" "pairing" -- \
  "$bin" merge "$tmp/part-0.h5" "$tmp/part-1.h5" "$tmp/part-2.h5" "$tmp/other-3.h5" --out "$tmp/out.csv"

# Déjà Vu: JSON equal to the independent implementation's, for both methods.
dv_ok=1
for m in simclr vicreg; do
  "$bin" dejavu --f $fx/${m}_f.h5 --g $fx/${m}_g.h5 --json > "$tmp/dv.json" 2>/dev/null &&
    cmp -s "$tmp/dv.json" $fx/expected/dejavu_$m.json || dv_ok=0
done
if [ $dv_ok = 1 ]; then ok "dejavu --json: equal to scripts/reference/dejavu_reference.py on both fixtures"
else fail "dejavu --json"; fi
expect_error "dejavu: k larger than the public set" "1000" -- \
  "$bin" dejavu --f $fx/simclr_f.h5 --g $fx/simclr_g.h5 --k 5000

# LayerMem and UnitMem (issue 12): JSON keys, thread-independent bytes, one-line errors naming file and layer.
lx=$fx/layers_synthetic
if "$bin" layers --f $lx/conv_f.h5 --g $lx/conv_g.h5 --threads 1 --json > "$tmp/l1.json" 2>/dev/null &&
   "$bin" layers --f $lx/conv_f.h5 --g $lx/conv_g.h5 --threads 2 --json > "$tmp/l2.json" 2>/dev/null &&
   cmp -s "$tmp/l1.json" "$tmp/l2.json" &&
   grep -q '^{"layers": \[{"name": "stem", "order": 0, "layermem": ' "$tmp/l1.json" && grep -q '"pairs": ' "$tmp/l1.json"; then
  ok "layers --json: keys, same bytes with 1 and 2 threads"
else fail "layers --json"; fi
if "$bin" units --f $lx/conv_f.h5 --g $lx/conv_g.h5 --json > "$tmp/u.json" 2>/dev/null &&
   grep -q '^{"layers": \[{"name": "stem", "units": \[' "$tmp/u.json" && grep -q '"argmax_index": \[' "$tmp/u.json" &&
   grep -q '"g": \[' "$tmp/u.json"; then
  ok "units --json: keys, f and g"
else fail "units --json"; fi
expect_error "layers: layer missing in g" "missing_in_g_g.h5: /layers/deep: layer deep is missing here" -- \
  "$bin" layers --f $lx/bad/missing_in_g_f.h5 --g $lx/bad/missing_in_g_g.h5 --pairing all-pairs
expect_error "layers: duplicated order" "order 0 is also the order of layer conv" -- \
  "$bin" layers --f $lx/bad/duplicated_order_f.h5 --g $lx/bad/duplicated_order_g.h5
expect_error "layers: zero view" "/layers/conv/representations: point 3: view 1 is a zero vector" -- \
  "$bin" layers --f $lx/bad/zero_view_f.h5 --g $lx/bad/zero_view_g.h5 --pairing all-pairs
expect_error "units: negative mean activation" "unit 2 of layer conv has mean activation" -- \
  "$bin" units --f $lx/bad/negative_f.h5 --figures "$tmp/out.figures"
expect_error "units: no /layers" "/layers: missing group" -- "$bin" units --f $fx/simclr_f.h5

echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
