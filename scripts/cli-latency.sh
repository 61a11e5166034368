#!/usr/bin/env bash
# Warm CLI `medcite ask` latency, process start included, this checkout against another one, alternating.
#   scripts/cli-latency.sh OTHER_CHECKOUT HOME [PYTHON]
# Each version answers from its own copy of HOME (an index already built there; its sentence cache and
# kept tables are removed first), after one warm-up question; then 10 different questions, then one
# question 5 times. Prints every pair and the medians.
set -euo pipefail
other=$1; home=$2; py=${3:-$(dirname "$0")/../.venv/bin/python}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for v in a b; do
  mkdir -p "$work/$v" && cp -r "$home"/. "$work/$v"/ && rm -f "$work/$v"/models/*.gguf  # a local LLM is not used here
  rm -f "$work/$v"/models/sentence-vectors.sqlite* "$work/$v"/models/clinical-tables-* "$work/$v"/models/english-words-*
done
run() { /usr/bin/time -f "%e" -o "$work/t" env PYTHONPATH="$1/src" "$py" -m medcite --home "$2" ask "$3" >/dev/null 2>&1; cat "$work/t"; }
run "$here" "$work/a" "How is acne treated?" >/dev/null; run "$other" "$work/b" "How is acne treated?" >/dev/null
qs=("What is the first-line drug for an acute gout flare in a patient with CKD?"
  "When should a patient with atrial fibrillation be anticoagulated?"
  "How should hyperkalaemia with ECG changes be treated?"
  "What are the red flags in a headache that needs urgent imaging?"
  "Which antibiotic for community-acquired pneumonia in an outpatient without comorbidities?"
  "How long should a first episode of DVT be anticoagulated?"
  "What is the target HbA1c for an older adult with type 2 diabetes?"
  "How should status epilepticus be managed in the first 5 minutes?"
  "When should statins be started for primary prevention?"
  "What fluid should be given for diabetic ketoacidosis?")
: > "$work/new"; : > "$work/rep"
for q in "${qs[@]}"; do a=$(run "$here" "$work/a" "$q"); b=$(run "$other" "$work/b" "$q"); echo "$a $b" >> "$work/new"; echo "new question: this $a s, other $b s | $q"; done
for _ in 1 2 3 4 5; do a=$(run "$here" "$work/a" "${qs[0]}"); b=$(run "$other" "$work/b" "${qs[0]}"); echo "$a $b" >> "$work/rep"; echo "repeated: this $a s, other $b s"; done
"$py" - "$work/new" "$work/rep" <<'PY'
import statistics, sys
for label, path in (("10 new questions", sys.argv[1]), ("one question x5", sys.argv[2])):
    pairs = [tuple(map(float, line.split())) for line in open(path)]
    a, b = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    print(f"{label}: median this {a:.2f} s, other {b:.2f} s, ratio {a / b:.2f}")
PY
