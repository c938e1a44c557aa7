#!/usr/bin/env bash
# Runs docs/cluster.md's submit.sh, shard.sh and merge.sh as written, on copies of the fixtures, with stand-ins
# for Slurm: `sbatch` runs each array index of a script in turn (SLURM_ARRAY_TASK_ID, SLURM_CPUS_PER_TASK set,
# stdout and stderr into its --output file, which must be in an existing folder, as Slurm requires), `srun`
# runs its command. Only the data folder (RUN=…) is pointed at the copies. Checks that the merged scores are
# the bytes of one `sslmem score` and that every task's log shows progress.
# Usage: scripts/checks/cluster_check.sh path/to/sslmem
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/data" "$tmp/submit"
ln -s "$bin" "$tmp/bin/sslmem"
for seed in 0 1; do
  cp "$repo/fixtures/simclr_f.h5" "$tmp/data/f_seed$seed.h5"
  cp "$repo/fixtures/simclr_g.h5" "$tmp/data/g_seed$seed.h5"
done

# The first three ```bash blocks of docs/cluster.md, in order: submit.sh, shard.sh, merge.sh (the backend's
# dump-and-score array job after them needs torch and a GPU; backend/tests covers its shard-and-merge steps).
awk -v dir="$tmp/submit" '
  /^```bash$/ { n++; file = dir "/" (n == 1 ? "submit.sh" : n == 2 ? "shard.sh" : n == 3 ? "merge.sh" : "backend-" n ".sh"); inside = 1; next }
  /^```/      { inside = 0; next }
  inside      { print > file }
' "$repo/docs/cluster.md"
for f in submit.sh shard.sh merge.sh; do [ -s "$tmp/submit/$f" ] || { echo "FAIL  docs/cluster.md has no $f"; exit 1; }; done
sed -i "s|^RUN=.*|RUN=$tmp/data|" "$tmp/submit/shard.sh"

cat > "$tmp/bin/srun" <<'SH'
#!/bin/bash
exec "$@"
SH
cat > "$tmp/bin/sbatch" <<'SH'
#!/bin/bash
# A stand-in for sbatch: runs the script now, each array index in turn.
parsable=0
while [ $# -gt 1 ]; do case $1 in --parsable) parsable=1;; --dependency=*) ;; *) echo "sbatch: $1?" >&2; exit 1;; esac; shift; done
script=$1
opt() { sed -n "s/^#SBATCH --$1=\([^ ]*\).*/\1/p" "$script" | head -1; }
array=$(opt array); output=$(opt output); cpus=$(opt cpus-per-task)
first=${array%-*}; last=${array#*-}
for i in $(seq "${first:-0}" "${last:-0}"); do
  log=${output//%a/$i}; log=${log:-slurm-$i.out}
  [ -d "$(dirname "$log")" ] || { echo "sbatch: task $i: directory $(dirname "$log") does not exist" >&2; exit 1; }
  SLURM_JOB_ID=4242 SLURM_ARRAY_TASK_ID=$i SLURM_CPUS_PER_TASK=${cpus:-1} bash "$script" >"$log" 2>&1 ||
    { echo "sbatch: task $i failed:" >&2; cat "$log" >&2; exit 1; }
done
[ $parsable = 1 ] && echo 4242
exit 0
SH
chmod +x "$tmp/bin/srun" "$tmp/bin/sbatch"

cd "$tmp/submit"
PATH="$tmp/bin:$PATH" bash submit.sh
"$bin" score --f "$tmp/data/f_seed0.h5" --f "$tmp/data/f_seed1.h5" --g "$tmp/data/g_seed0.h5" --g "$tmp/data/g_seed1.h5" \
  --out "$tmp/one.csv" >/dev/null 2>&1
cmp scores.csv "$tmp/one.csv" || { echo "FAIL  merged scores differ from one sslmem score"; exit 1; }
shards=$(ls parts/part-*.h5 | wc -l)
for log in logs/shard-*.out; do
  grep -q "^sslmem: " "$log" || { echo "FAIL  $log shows no progress line"; cat "$log"; exit 1; }
done
echo "ok    docs/cluster.md: $shards shards through submit.sh, shard.sh and merge.sh; merged = one score, byte for byte; logs show progress"
