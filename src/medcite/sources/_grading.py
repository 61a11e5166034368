"""Find the evidence grading a source states next to a recommendation.

Guidelines write gradings in many shapes: "(Strong, High)", "(Class I, Level of Evidence A)",
"[A]", "(Level of Evidence: B)", "Grade B", "Strength of recommendation: Strong",
"[Conditional, Low Quality of Evidence]", "(Grade 1C)". The text stays in the block verbatim;
the marker (without its brackets) also goes into ``Block.evidence`` so ranking and answers can
show it. A bracketed phrase counts only when every word in it belongs to the grading vocabulary
and it names a value: "(see the 'Definitions' field)" or "(GRADE)" are not gradings.
"""

from __future__ import annotations

import re

_BRACKETED = re.compile(r"\(([^()\[\]\n]{1,120})\)|\[([^()\[\]\n]{1,120})\]")

_LABELLED = re.compile(
    r"(?i:strength\s+of\s+(?:the\s+)?recommendations?|levels?\s+of\s+evidence|"
    r"quality\s+of\s+(?:the\s+)?evidence|grade\s+of\s+recommendations?|"
    r"recommendation\s+(?:grade|strength|rating)|evidence\s+(?:level|grade|quality|rating)|"
    r"certainty\s+of\s+(?:the\s+)?evidence|aggregate\s+evidence\s+quality)"
    r"\s*[:=]\s*[A-Za-z0-9+\-–][A-Za-z0-9+\-– ]{0,38}?(?=\s*(?:[.;,)\]\n]|$))"
)
_BARE_GRADE = re.compile(r"\bGrade\s+[A-D][+-]?(?![\w-])")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a grading phrase may consist of; anything else ("see", "field", "i.e.") disqualifies it.
_FRAME_WORDS = _words(
    "a an and or of the for against to with use intervention interventions based level levels grade "
    "grades class classes recommendation recommendations recommended recommend evidence quality "
    "certainty strength type loe cor sor bel rating statement panel expertise point points reviewed "
    "amended new-replaced new-added not-changed deleted benefit effectiveness harm no specific positive "
    "negative formal informal adapted context-specific practice clinical"
)
# Words that state a grade's value; a phrase must contain one of these or a code ("B", "IIa", "1C").
_VALUE_WORDS = _words(
    "strong strongly weak conditional conditionally moderate high low very insufficient expert opinion "
    "consensus gpp option optional standard guideline good best inconclusive limited intermediate fair "
    "poor evidence-based"
)
_CODE_KEYS = _words("level levels grade grades class classes loe cor sor bel evidence quality strength certainty")
_CODE = re.compile(
    r"^(?:[A-D][+-]?|[A-D][1-3]|[1-5][A-Ca-c]?[+-]{0,2}|I{1,3}[ABab]?|IV[ab]?|V|U|0|"
    r"NR|R|LD|EO|[A-C]-(?:NR|R|LD|EO)|[+]{1,4}[O0]*|[1-3]\|[+]{1,4}[O0]*)$"
)
# A bracket holding a single token is a grading only when the token is unmistakable.
_SINGLE = re.compile(r"^(?:[A-D][+-]?|[1-3][A-Ca-c]|[1-5][ab]|I{1,3}[ab]?|GPP|[A-D][1-3])$")
_SPLIT = re.compile(r"[\s,;:=/–—]+|-(?=\s)|(?<=\s)-")


def _is_grading_phrase(content: str, *, square: bool) -> bool:
    words = [w for w in _SPLIT.split(content.strip().rstrip(".")) if w]
    if not words or len(words) > 16:
        return False
    if len(words) == 1:
        token = words[0]
        if token.lower() in ("strong", "weak", "conditional") or (square and token.lower() in _VALUE_WORDS):
            return True  # "(Strong)"; or the value of a labelled grading ("...: Moderate")
        return bool(_SINGLE.match(token)) and (square or not token.isdigit())
    values = codes = keyed = 0
    for word in words:
        lower = word.lower().strip("\"'")
        if lower in _VALUE_WORDS or (lower.endswith("-quality") and lower[:-8] in _VALUE_WORDS):
            values += 1
        elif _CODE.match(word):
            codes += 1
        elif lower in _FRAME_WORDS or any(part in _VALUE_WORDS for part in lower.split("-")):
            keyed += lower in _CODE_KEYS
        else:
            return False
    # A bare code needs a key: "(Level 3)" is a grading, "(Recommendation 4)" is not.
    return values > 0 or (codes > 0 and (keyed > 0 or codes == len(words)))


def grading_spans(text: str) -> list[tuple[int, int, str]]:
    """All grading markers in ``text`` as (start, end, marker text without brackets), in order."""
    spans: list[tuple[int, int, str]] = []
    if "(" in text or "[" in text:
        for match in _BRACKETED.finditer(text):
            content = match.group(1) if match.group(1) is not None else match.group(2)
            if _is_grading_phrase(content, square=match.group(2) is not None):
                spans.append((match.start(), match.end(), " ".join(content.split())))
    # The unbracketed forms are rare: a plain substring test spares most texts the regex scans.
    lower = text.lower()
    patterns = [p for p, hint in ((_LABELLED, _LABEL_HINTS), (_BARE_GRADE, ("grade ",))) if _any_in(lower, hint)]
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = re.split(r"[:=]", match.group(0), maxsplit=1)[-1]
            if pattern is _LABELLED and not _is_grading_phrase(value, square=True):
                continue  # "Strength of recommendation: see below" names no grade
            if not any(s <= match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), " ".join(match.group(0).split())))
    spans.sort()
    return spans


_LABEL_HINTS = ("strength", "level", "quality", "grade", "recommendation", "evidence", "certainty")


def _any_in(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


def find_grading(text: str, limit: int = 4) -> str | None:
    """The gradings stated in ``text`` joined with '; ' (distinct, first ``limit``), or None."""
    found: list[str] = []
    for _, _, marker in grading_spans(text):
        if marker not in found:
            found.append(marker)
    return "; ".join(found[:limit]) or None


def heading_grading(heading: str) -> str | None:
    """A heading that is itself a grading ("Class IIa", "Level A", "Class III: Harm"), else None."""
    text = heading.strip().rstrip(":").strip()
    if len(text) <= 60 and _is_grading_phrase(text, square=True):
        return text
    return None


def is_grading_only(text: str) -> bool:
    """True when the whole text is a grading, e.g. a line "(Level of Evidence = V)"."""
    stripped = text.strip().rstrip(".").strip()
    if not stripped or len(stripped) > 160:
        return False
    spans = grading_spans(stripped)
    if spans and spans[0][0] == 0 and spans[-1][1] == len(stripped):
        covered = sum(e - s for s, e, _ in spans)
        rest = len(stripped) - covered
        return rest <= 2 * len(spans)
    return False
