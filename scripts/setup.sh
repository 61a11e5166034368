#!/usr/bin/env bash
# Create .venv and install medcite into it (idempotent).
#   scripts/setup.sh          # the product
#   scripts/setup.sh dev      # + test, lint and browser-driving tools
# torch is installed first and pinned: this machine (and CI) has the CPU wheel on disk, while
# letting a dependency pull torch would download a multi-GB CUDA build.
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
    .venv/bin/pip install -q "torch==${MEDCITE_TORCH_VERSION:-2.13.0}" || .venv/bin/pip install -q torch \
        --index-url https://download.pytorch.org/whl/cpu
    if [ -n "$extras" ]; then
        .venv/bin/pip install -q -e ".[$extras]"
    else
        .venv/bin/pip install -q -e .
    fi
    touch "$stamp"
fi
