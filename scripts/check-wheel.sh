#!/usr/bin/env bash
# Packaging check (CI runs it): build the wheel, install it into a clean venv, and answer the README's
# question from the installed wheel alone, on an empty home (so the embedded default index is built).
#   scripts/check-wheel.sh
# Fails when the wheel does not build or install, when the install pulls PyTorch, transformers or
# NVIDIA libraries, or when the answer has no cited bottom line.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
QUESTION="What is the first-line treatment for an acute gout flare?"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scripts/setup.sh dev  # provides `build`
.venv/bin/python -m build --wheel --outdir "$work/dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/medcite-*.whl)
echo "check-wheel: built $(basename "$wheel")"

"$PY" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$wheel"
heavy=$("$work/venv/bin/pip" list 2>/dev/null | grep -i -E '^(torch|transformers|nvidia-)' || true)
if [ -n "$heavy" ]; then
    echo "check-wheel: the install pulled heavy packages:" >&2
    echo "$heavy" >&2
    exit 1
fi
echo "check-wheel: installed into a clean venv ($(du -sm "$work/venv" | cut -f1) MB), no torch/transformers/nvidia-*"

# Run from outside the source tree, so that only the installed wheel can answer.
(cd "$work" && venv/bin/medcite --home "$work/home" ask "$QUESTION" --json >answer.json)
"$work/venv/bin/python" - "$work/answer.json" <<'PY'
import json, sys
answer = json.load(open(sys.argv[1]))
bottom = answer["bottom_line"]
assert not answer["abstained"], answer["abstain_reason"]
assert bottom["text"] and bottom["citations"], "no cited bottom line"
assert answer["references"], "no references"
print(f"check-wheel: answered with {len(answer['references'])} references: {bottom['text'][:100]}…")
PY
