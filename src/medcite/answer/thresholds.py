"""Thresholds a sentence states on a measured value ("serum ferritin ≤75 µg/L", "a platelet count of less
than 20 × 10⁹/L", "<12 weeks gestation"), and whether the patient's own value meets them.

A guideline's recommendations for one problem differ mostly by where the patient stands: "In patients
with RLS and serum ferritin ≤75 µg/L, consider ferrous sulfate" is the answer for a ferritin of 40, not
for one of 120. The question's values are read by the understanding stage (`values.yaml`); how a source
names each quantity is in the same file (`said`), so a clinical reviewer edits one table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medcite.records import Finding
from medcite.understand.tables import Measure, measures

_NUMBER = r"(-?\d+(?:\.\d+)?)"
# Longest wordings first: "less than or equal to" before "less than".
_OPS: list[tuple[str, str]] = [
    ("<=", r"≤|<=|=<|less than or equal to|(?:no|not) (?:more|greater|higher) than|at most|up to"),
    (">=", r"≥|>=|=>|(?:greater|more) than or equal to|at least|(?:no|not) (?:less|lower) than"),
    ("<", r"<|less than|lower than|fewer than|below|under|before"),
    (">", r">|greater than|more than|higher than|above|over|exceed(?:s|ing)?|in excess of|beyond|after"),
]
_OP = "|".join(f"(?P<op{i}>{words})" for i, (_, words) in enumerate(_OPS))
# Words between a quantity's name and its number: "serum sodium concentration of less than 125".
_BETWEEN = (
    r"(?:\s+(?:concentrations?|levels?|values?|count|score|is|was|are|of|remains?|still|elevated|raised|reduced|"
    r"persistently|consistently|measured|readings?|falls?|drops?|rises?|by)\b|\s*\([^()]{1,25}\))*\s*"
)
_TAIL = (
    r"\s*(?:[^\s\d,;.()]+\s*){0,3}?(?P<tail>or (?:more|greater|higher|above|over)|or (?:less|lower|below|under|fewer)|"
    r"and (?:above|over)|and (?:below|under))\b"
)
_RANGE = rf"(?:between|from|of)?\s*{_NUMBER}\s*(?:\+\d\s*)?(?:to|and|–|-)\s*{_NUMBER}"


def _named_first(name: re.Pattern[str]) -> re.Pattern[str]:
    n = f"(?:{name.pattern})"
    return re.compile(rf"{n}{_BETWEEN}(?:(?:{_OP})\s*(?:a |an )?{_NUMBER}|{_RANGE}|{_NUMBER}{_TAIL})", re.I)


def _number_first(name: re.Pattern[str]) -> re.Pattern[str]:
    n = f"(?:{name.pattern})"
    return re.compile(rf"(?:(?:{_OP})\s*)?(?:{_RANGE}|{_NUMBER})\s*(?:\+\d\s*)?{n}", re.I)


_cache: dict[tuple[str, str], re.Pattern[str]] = {}


def _pattern(measure: Measure, group: str) -> re.Pattern[str] | None:
    key = (measure.name, group)
    if key not in _cache:
        name = measure.said_patterns().get(group)
        if name is None:
            return None
        _cache[key] = (_number_first if measure.number_first else _named_first)(name)
    return _cache[key]


def _op(m: re.Match[str]) -> str | None:
    for i, (op, _) in enumerate(_OPS):
        if m.group(f"op{i}"):
            return op
    return None


def limits(text: str, measure: Measure, group: str) -> list[tuple[float, float]]:
    """The ranges (inclusive bounds) the text states for one value group of a measure."""
    pattern = _pattern(measure, group)
    if pattern is None:
        return []
    out: list[tuple[float, float]] = []
    inf = float("inf")
    for m in pattern.finditer(text):
        nums = [float(g) for g in m.groups()[len(_OPS) :] if g is not None and _is_number(g)]
        tail = m.groupdict().get("tail")
        op = _op(m)
        if len(nums) >= 2 and not op:
            lo, hi = nums[0], nums[1]
            if lo < hi:
                out.append((lo, hi))
        elif nums and op:
            n = nums[0]
            out.append({"<=": (-inf, n), ">=": (n, inf), "<": (-inf, n - 1e-9), ">": (n + 1e-9, inf)}[op])
        elif nums and tail:
            n = nums[0]
            out.append((n, inf) if re.search(r"more|greater|higher|above|over", tail) else (-inf, n))
    return out


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def value_fit(text: str, findings: Sequence[Finding]) -> int:
    """+1 when the text states a threshold on a value the question gives and the patient's value meets
    it, -1 when it states such thresholds and the value meets none, 0 when it states none.

    A threshold far from the patient's value (more than five times apart) is in other units
    ("Hb 7.5" against "<70 g/L") and is not compared."""
    if not findings:
        return 0
    by_name = {m.name: m for m in measures()}
    verdicts: list[bool] = []
    for f in findings:
        measure = by_name.get(f.measure)
        if measure is None:
            continue
        for group, value in f.values.items():
            for lo, hi in limits(text, measure, group):
                bound = hi if lo == float("-inf") else lo
                if bound and value and not 0.2 <= abs(value / bound) <= 5:
                    continue
                verdicts.append(lo <= value <= hi)
    if not verdicts:
        return 0
    return 1 if any(verdicts) else -1
