"""The default entailment judge: deterministic, lexical, no model needed."""

from __future__ import annotations

import re

from medcite.settings import Settings
from medcite.text import STOPWORDS, light_stem, tokens

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NEGATION = re.compile(r"\b(not|no|never|avoid|against|without|n't)\b", re.I)
_ANNOTATION = re.compile(r"\s*\[[^\]]*\]")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def is_quote(sentence: str, passage: str) -> bool:
    """True when the sentence (minus reader annotations in [brackets]) appears verbatim in the passage.

    A quote may join verbatim parts with an ellipsis ("lead-in: … list item"); every part must be there.
    """
    text = _norm(passage)
    parts = [_norm(p).rstrip(".") for p in _norm(_ANNOTATION.sub("", sentence)).split("…")]
    return all(parts) and all(p in text for p in parts)


class LexicalJudge:
    """Deterministic entailment proxy: content-word, number and negation agreement."""

    name = "lexical"

    def entailment(self, premise: str, hypothesis: str) -> float:
        if is_quote(hypothesis, premise):
            return 1.0
        hyp = [light_stem(t) for t in tokens(hypothesis) if t not in STOPWORDS and len(t) > 2]
        if not hyp:
            return 0.0
        prem = {light_stem(t) for t in tokens(premise)}
        score = sum(1 for t in hyp if t in prem) / len(hyp)
        numbers = set(_NUMBER.findall(hypothesis))
        if numbers and not numbers <= set(_NUMBER.findall(premise)):
            score *= 0.5
        if bool(_NEGATION.search(hypothesis)) != bool(_NEGATION.search(premise)):
            score *= 0.6
        return round(score, 3)


def lexical_judge(settings: Settings) -> LexicalJudge:
    return LexicalJudge()
