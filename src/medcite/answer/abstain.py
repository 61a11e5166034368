"""Honest abstention: decide whether the retrieved evidence can answer, and say what is missing.

Three reasons to abstain, checked in order:
1. the question is not medical (no clinical wording and nothing relevant retrieved);
2. the question names something the index has never seen (e.g. a drug approved after the
   corpora were written): "no indexed source mentions X";
3. the best passages cover too little of the question's specific vocabulary.
Each reason names the closest sources so the reader knows where the index stops.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from medcite.answer.safety import medical_signal
from medcite.answer.select import Weights
from medcite.records import Evidence, Hit, Query
from medcite.settings import Settings
from medcite.text import STOPWORDS, stem, tokens

# Words that look like a named drug or biologic (the usual INN stems).
_DRUG_STEM = re.compile(
    r"(mab|tide|glutide|gliflozin|gliptin|tinib|ciclib|parib|zomib|vir|previr|buvir|stat|sartan|pril|olol|"
    r"dipine|azole|floxacin|cycline|mycin|cillin|cef\w+|prazole|xaban|gatran|parin|lukast|tropium|terol|"
    r"sonide|setron|triptan|barb|zepam|zolam|oxetine|afaxine|tidine|semide|thiazide|nacept|tercept|kinra|"
    r"ximab|zumab|umab|limab|trigine|zapine|peridone|ipramine)$"
)


@dataclass
class Verdict:
    abstain: bool
    reason: str | None = None
    closest: list[str] = field(default_factory=list)
    relevance: float = 0.0


def _closest(hits: Sequence[Hit], n: int = 3) -> list[str]:
    out: list[str] = []
    for h in hits:
        label = f"{h.doc.title} ({h.doc.organisation or h.doc.journal or h.doc.source}, {h.doc.year or 'n.d.'})"
        if label not in out:
            out.append(label)
        if len(out) >= n:
            break
    return out


def relevance(hits: Sequence[Hit], weights: Weights, top: int = 5) -> float:
    """Best coverage of the question's weighted vocabulary by one passage (with its headings/title)."""
    best = 0.0
    for h in hits[:top]:
        stems = {stem(t) for t in tokens(" ".join([h.doc.title, *h.chunk.heading_path, h.chunk.text]))}
        best = max(best, weights.coverage(stems))
    return best


def unknown_terms(query: Query, doc_freq_zero: set[str]) -> list[str]:
    """Question words absent from the whole index that look like named things (drugs, brands).

    Only drug-like words and capitalised words inside a sentence count: a plain English word
    missing from a small index is not evidence that the topic is missing.
    """
    text = query.normalised
    named = {m.group(1).lower() for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-zA-Z]{4,})", text)}
    out = []
    for term in query.terms:
        if term in STOPWORDS or len(term) < 5 or term not in doc_freq_zero:
            continue
        if _DRUG_STEM.search(term) or term in named:
            out.append(term)
    return out


def assess(
    question: str,
    query: Query,
    hits: Sequence[Hit],
    evidence: Sequence[Evidence],
    weights: Weights,
    settings: Settings,
    *,
    red_flagged: bool = False,
    doc_freq_zero: set[str] | None = None,
) -> Verdict:
    closest = _closest(hits)
    if not hits or not evidence:
        return Verdict(True, "No indexed source addresses this question.", closest)
    rel = relevance(hits, weights)
    dense_top = max((h.scores.get("dense", 0.0) for h in hits[:5]), default=0.0)
    # Measured on the hand-written sets (docs/benchmarks.md): the dense similarity of the best
    # passages separates answerable from unanswerable questions far better than word overlap,
    # which chatty clinical shorthand ("25F, normal paps so far") defeats.
    answerability = 0.2 * rel + 0.8 * dense_top if dense_top > 0 else rel
    medical = medical_signal(question)
    if medical == 0 and not red_flagged and answerability < 0.4:
        return Verdict(
            True,
            "This does not look like a medical question. medcite answers clinical and health "
            "questions from guidelines and medical literature.",
            [],
            rel,
        )
    missing = unknown_terms(query, doc_freq_zero or set())
    if missing:
        names = ", ".join(f"“{m}”" for m in missing[:3])
        return Verdict(
            True,
            f"No indexed source mentions {names}, so medcite cannot answer this from its "
            f"evidence. Closest: {'; '.join(closest[:2]) or 'none'}.",
            closest,
            rel,
        )
    threshold = settings.answer.abstain_below if dense_top > 0 else settings.answer.abstain_below_lexical
    if answerability < threshold and not red_flagged:
        uncovered = _uncovered(hits, weights)
        what = f" (nothing retrieved covers {', '.join(uncovered[:4])})" if uncovered else ""
        return Verdict(
            True,
            f"No indexed guideline or study adequately addresses this question{what}. "
            f"Closest: {'; '.join(closest[:2]) or 'none'}.",
            closest,
            rel,
        )
    return Verdict(False, relevance=rel)


def _uncovered(hits: Sequence[Hit], weights: Weights) -> list[str]:
    seen: set[str] = set()
    for h in hits[:5]:
        seen |= {stem(t) for t in tokens(" ".join([h.doc.title, *h.chunk.heading_path, h.chunk.text]))}
    ranked = sorted(weights.terms.items(), key=lambda kv: -kv[1])
    return [t for t, _ in ranked if t not in seen]
