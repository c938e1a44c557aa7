#!/usr/bin/env bash
# `make bench`, training backend: dump throughput against a bare torch loop (bench/dump_bench.py).
# Needs `make backend` (.venv with Debian's torch); skipped with a note otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import sslmem_backend" 2>/dev/null; then
  echo "dump benchmark skipped: run 'make backend' first"
  exit 0
fi
.venv/bin/python bench/dump_bench.py
.venv/bin/python bench/dump_bench.py --layers --points 1200
