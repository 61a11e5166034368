"""Age ranges a sentence states ("men aged 55 to 69 years", "adults younger than 50 years"), and
whether a patient of a given age is inside them: "should this 62-year-old have a PSA test?" is
answered by the sentence for men aged 55 to 69, not by the one for men under 55."""

from __future__ import annotations

import re

_YEARS = r"\s*(?:years?|yrs?|y)\b(?:\s*(?:of age|old))?"
_RANGE = re.compile(
    r"\b(?:aged?|ages|between)\s+(\d{1,3})\s*(?:to|-|–|and|through)\s*(\d{1,3})"
    + _YEARS
    + r"|\b(\d{1,3})\s*(?:to|-|–)\s*(\d{1,3})"
    + _YEARS,
    re.I,
)
_BELOW = re.compile(
    r"\b(?:younger than|less than|under|below|aged? (?:less than|under|below)|<)\s*(\d{1,3})"
    + _YEARS
    + r"|\b(\d{1,3})"
    + _YEARS
    + r"\s*(?:and|or) (?:younger|under|less)",
    re.I,
)
_ABOVE = re.compile(
    r"\b(?:older than|over|above|aged? (?:over|above|at least)|at least|≥|>=|>)\s*(\d{1,3})"
    + _YEARS
    + r"|\b(\d{1,3})"
    + _YEARS
    + r"\s*(?:and|or) (?:older|over|above|more)",
    re.I,
)


def ranges(text: str) -> list[tuple[float, float]]:
    """The age ranges (in years, inclusive) the text states."""
    out: list[tuple[float, float]] = []
    for m in _RANGE.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        lo, hi = float(a), float(b)
        if lo < hi <= 120:
            out.append((lo, hi))
    for m in _BELOW.finditer(text):
        n = float(m.group(1) or m.group(2))
        if n <= 120:
            out.append((0.0, n - 0.01 if m.group(1) else n))
    for m in _ABOVE.finditer(text):
        n = float(m.group(1) or m.group(2))
        strict = bool(m.group(1)) and not _INCLUSIVE.match(m.group(0))  # "over 65" excludes 65
        if n <= 120:
            out.append((n + 0.01 if strict else n, 200.0))
    return out


_INCLUSIVE = re.compile(r"(aged? )?at least|≥|>=", re.I)


def age_fit(text: str, age: float | None) -> int:
    """+1 when a range the text states holds the patient's age, -1 when it states ranges and none
    does, 0 when it states none (or the age is unknown)."""
    if age is None:
        return 0
    found = ranges(text)
    if not found:
        return 0
    return 1 if any(lo <= age <= hi for lo, hi in found) else -1
