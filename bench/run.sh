#!/usr/bin/env bash
# `make bench`: bench/table.py (every ratio in one table) with a Python that has numpy, h5py, scipy and
# faiss-cpu, making a private virtual environment (.venv-bench) when the system one has not. The training
# backend's dump rows run with .venv (`make backend`); bench/dump.sh runs that benchmark alone.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
if ! "$py" -c "import numpy, h5py, scipy, faiss" 2>/dev/null; then
  if [ ! -x .venv-bench/bin/python ] || ! .venv-bench/bin/python -c "import numpy, h5py, scipy, faiss" 2>/dev/null; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q numpy h5py scipy faiss-cpu
  fi
  py=.venv-bench/bin/python
fi
"$py" bench/table.py --sslmem .build/release/sslmem --bench .build/release/sslmem-bench --data bench-data \
  --python "$py" ${FMNIST:+--fmnist "$FMNIST"}
