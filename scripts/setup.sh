#!/usr/bin/env bash
# Create .venv and install medcite into it (idempotent).
#   scripts/setup.sh          # the product
#   scripts/setup.sh dev      # + test, lint, build and browser-driving tools
# No PyTorch: the embedding model is an ONNX file inside a package, run by onnxruntime.
# (`pip install 'medcite[export]'` adds PyTorch only to export another model.)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
    .venv/bin/pip install -q --upgrade pip
fi
stamp=".venv/.medcite-installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    if [ -n "$extras" ]; then
        .venv/bin/pip install -q -e ".[$extras]"
    else
        .venv/bin/pip install -q -e .
    fi
    touch "$stamp"
fi
