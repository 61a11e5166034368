"""Evidence level computed from what is cited: the source type plus the grading it states.

Mapping (documented in the README):
- guideline recommendation stated as strong / grade A / class I / high-quality evidence -> high;
  conditional / weak / grade B-C / moderate evidence -> moderate; low/very-low quality or expert
  consensus -> low; a guideline with no stated grade -> moderate (a guideline is reviewed evidence);
- systematic review / meta-analysis -> high; randomised trial -> moderate; other research -> low;
  review -> low; consumer health, drug label and other text -> ungraded.
USPSTF grades: A -> high, B -> moderate, C -> low, D -> high (a firm "do not"), I -> very_low.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from medcite.records import EvidenceLevel, SourceRef, SourceType

_ORDER = [EvidenceLevel.HIGH, EvidenceLevel.MODERATE, EvidenceLevel.LOW, EvidenceLevel.VERY_LOW, EvidenceLevel.UNGRADED]

_GRADE_LETTER = re.compile(r"\bgrade\s*([abcdi])\b")
_LETTER_LEVEL = {
    "a": EvidenceLevel.HIGH,
    "b": EvidenceLevel.MODERATE,
    "c": EvidenceLevel.LOW,
    "d": EvidenceLevel.HIGH,
    "i": EvidenceLevel.VERY_LOW,
}
_QUALITY = re.compile(r"very[- ]low|high|moderate|low")
_QUALITY_LEVEL = {"high": EvidenceLevel.HIGH, "moderate": EvidenceLevel.MODERATE, "low": EvidenceLevel.LOW}
_SCHEMES: list[tuple[re.Pattern[str], EvidenceLevel]] = [
    (re.compile(r"\b(level|class)\s*(of evidence\s*)?:?\s*(a|i|1a?|1b)\b|\[a\]"), EvidenceLevel.HIGH),
    (re.compile(r"\b(level|class)\s*(of evidence\s*)?:?\s*(b|ii[ab]?|2a?|2b)\b|\[b\]"), EvidenceLevel.MODERATE),
    (
        re.compile(r"\b(level|class)\s*(of evidence\s*)?:?\s*(c|d|iii|3|4)\b|\[c\]|expert|consensus|good practice"),
        EvidenceLevel.LOW,
    ),
    (re.compile(r"\bstrong"), EvidenceLevel.HIGH),
    (re.compile(r"\b(conditional|weak)"), EvidenceLevel.MODERATE),
]


def level_from_grading(text: str | None) -> EvidenceLevel | None:
    """Level implied by a stated grading string, or None when it says nothing recognisable.

    A quality-of-evidence word ("Strong, Low" -> low) wins over the strength of the
    recommendation, because the level describes the evidence, not the advice.
    """
    if not text:
        return None
    low = text.lower()
    letter = _GRADE_LETTER.search(low)
    if letter:
        return _LETTER_LEVEL[letter.group(1)]
    quality = _QUALITY.search(low)
    if quality:
        return _QUALITY_LEVEL.get(quality.group(0), EvidenceLevel.VERY_LOW)
    for pattern, level in _SCHEMES:
        if pattern.search(low):
            return level
    return None


def evidence_level(ref: SourceRef, stated: str | None = None) -> EvidenceLevel:
    """Level of one cited passage from its source type and the gradings stated for it."""
    graded = level_from_grading(stated) or level_from_grading(ref.evidence)
    t = ref.type
    if t is SourceType.GUIDELINE:
        return graded or EvidenceLevel.MODERATE
    if t is SourceType.SYSTEMATIC_REVIEW:
        return EvidenceLevel.HIGH
    if t is SourceType.RANDOMISED_TRIAL:
        return EvidenceLevel.MODERATE
    if t in (SourceType.RESEARCH, SourceType.REVIEW):
        return EvidenceLevel.LOW
    return EvidenceLevel.UNGRADED


def overall_level(levels: Iterable[EvidenceLevel]) -> EvidenceLevel:
    """An answer's level: the best level among what it cites (each claim keeps its own)."""
    found = list(levels)
    for level in _ORDER:
        if level in found:
            return level
    return EvidenceLevel.UNGRADED


def recency(year: int | None, now: int) -> float:
    """0..1, 1 for this year's sources, falling to 0 over 25 years."""
    if not year:
        return 0.0
    return max(0.0, min(1.0, 1.0 - (now - year) / 25.0))
