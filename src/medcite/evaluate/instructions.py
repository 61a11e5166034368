"""False positives of the instruction-like-text rules (`medcite.answer.instructions`) on real corpora.

Every sentence (and heading) of every document of the named sources is run through the detector;
guideline corpora hold no text addressed to an AI assistant, so every flagged sentence is a false
positive that would drop a real document from answers. `medcite eval instructions` prints the
counts and examples for docs/benchmarks.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from medcite.answer.instructions import find, rules_version
from medcite.records import Document
from medcite.settings import Settings
from medcite.sources import read_target
from medcite.text import split_sentences

EXAMPLES = 5


def scan(targets: Sequence[str], settings: Settings) -> dict[str, Any]:
    """Sentences and documents flagged per source, by rule, with a few examples of each rule."""
    per_source: dict[str, dict[str, int]] = {}
    by_rule: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for target in targets:
        counts = {"documents": 0, "sentences": 0, "flagged_sentences": 0, "flagged_documents": 0}
        for item in read_target(target, settings):
            if not isinstance(item, Document):
                continue
            counts["documents"] += 1
            flagged_here = False
            headings = {h for block in item.blocks for h in block.heading_path}
            pieces = [s for block in item.blocks for s in split_sentences(block.text)]
            counts["sentences"] += len(pieces) + len(headings)
            for text, heads in [*((s, ()) for s in pieces), *(("", (h,)) for h in headings)]:
                findings = find(text, heads)
                if not findings:
                    continue
                flagged_here = True
                counts["flagged_sentences"] += 1
                for f in {f.rule: f for f in findings}.values():
                    by_rule[f.rule] += 1
                    shown = examples.setdefault(f.rule, [])
                    if len(shown) < EXAMPLES:
                        shown.append(f"{item.id}: {f.excerpt}")
            counts["flagged_documents"] += flagged_here
        per_source[target] = counts
    return {"rules_version": rules_version(), "sources": per_source, "by_rule": dict(by_rule), "examples": examples}


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Rules version {result['rules_version']}.",
        "",
        "| source | documents | sentences + headings | flagged sentences | flagged documents |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, c in result["sources"].items():
        counts = f"{c['documents']:,} | {c['sentences']:,} | {c['flagged_sentences']} | {c['flagged_documents']}"
        lines.append(f"| {name} | {counts} |")
    for rule, shown in result["examples"].items():
        lines.append("")
        lines.append(f"`{rule}` ({result['by_rule'][rule]}):")
        lines.extend(f"- {s}" for s in shown)
    return "\n".join(lines)
