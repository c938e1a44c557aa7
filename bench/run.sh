#!/usr/bin/env bash
# `make bench`: runs bench/bench.py with a Python that has numpy and h5py,
# making a private virtual environment (.venv-bench) when the system one has not.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
if ! "$py" -c "import numpy, h5py, scipy" 2>/dev/null; then
  if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q numpy h5py scipy
  fi
  py=.venv-bench/bin/python
fi
"$py" bench/bench.py --sslmem .build/release/sslmem --data bench-data --python "$py"
echo
"$py" bench/kendall.py --bench .build/release/sslmem-bench --data bench-data
echo
"$py" bench/dejavu_bench.py --sslmem .build/release/sslmem --data bench-data --python "$py"
echo
bash bench/dump.sh
