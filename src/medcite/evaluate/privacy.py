"""How well `medcite.privacy.redact` removes identifiers, and what clinical text it keeps.

Three hand-written sets, no corpus needed:

- `personal_data.jsonl` (60 questions, the development set the patterns were written against) and
  `personal_data_heldout.jsonl` (30 questions written afterwards, never tuned on): each lists the
  identifier strings that must be gone (`identifiers`) and clinical phrases that must survive
  verbatim (`keep`: eponyms such as "Addison", "Bell's palsy", "Crohn", drug names, values).
- every other question set under `evaluate/questions/` (clinical questions without identifiers):
  each changed question is a false alarm.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from medcite.privacy import redact

LABELLED = ("personal_data.jsonl", "personal_data_heldout.jsonl")


def _records(name: str) -> list[dict[str, Any]]:
    text = (resources.files("medcite.evaluate") / "questions" / name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def labelled_scores(name: str) -> dict[str, Any]:
    """Identifier recall (a string counts as removed when it no longer appears) and the share of
    clinical phrases kept verbatim, with the misses."""
    found = total = kept = keeps = 0
    misses: list[dict[str, Any]] = []
    for rec in _records(name):
        text = redact(rec["question"]).text
        missed = [i for i in rec["identifiers"] if i in text]
        lost = [k for k in rec["keep"] if k not in text]
        total, found = total + len(rec["identifiers"]), found + len(rec["identifiers"]) - len(missed)
        keeps, kept = keeps + len(rec["keep"]), kept + len(rec["keep"]) - len(lost)
        if missed or lost:
            misses.append({"id": rec["id"], "missed": missed, "lost": lost, "redacted": text})
    return {
        "set": name,
        "questions": len(_records(name)),
        "identifiers": total,
        "identifier_recall": round(found / total, 4) if total else 1.0,
        "clinical_phrases": keeps,
        "clinical_kept": round(kept / keeps, 4) if keeps else 1.0,
        "misses": misses,
    }


def false_alarms() -> dict[str, Any]:
    """Clinical questions (the other sets) that redaction changes."""
    names = sorted(
        p.name
        for p in (resources.files("medcite.evaluate") / "questions").iterdir()
        if p.name.endswith(".jsonl") and p.name not in LABELLED
    )
    changed, n = [], 0
    for name in names:
        for rec in _records(name):
            n += 1
            red = redact(rec["question"])
            if red.changed:
                changed.append({"set": name, "id": rec.get("id"), "kinds": list(red.kinds), "redacted": red.text})
    return {
        "questions": n,
        "changed": len(changed),
        "changed_rate": round(len(changed) / n, 4) if n else 0.0,
        "examples": changed,
    }


def privacy_eval() -> dict[str, Any]:
    return {"labelled": [labelled_scores(n) for n in LABELLED], "clinical_sets": false_alarms()}


def format_report(result: dict[str, Any]) -> str:
    lines = [
        "| set | questions | identifiers | identifier recall | clinical phrases | kept verbatim |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in result["labelled"]:
        lines.append(
            f"| `{s['set']}` | {s['questions']} | {s['identifiers']} | {s['identifier_recall']:.1%} | "
            f"{s['clinical_phrases']} | {s['clinical_kept']:.1%} |"
        )
    c = result["clinical_sets"]
    lines += ["", f"Clinical questions without identifiers changed by redaction: {c['changed']} of {c['questions']}"]
    lines += [f"- {e['set']} {e['id']}: {', '.join(e['kinds'])} → {e['redacted']}" for e in c["examples"]]
    for s in result["labelled"]:
        lines += [f"- missed in {s['set']} {m['id']}: {m['missed'] or ''} {m['lost'] or ''}" for m in s["misses"]]
    return "\n".join(lines)
