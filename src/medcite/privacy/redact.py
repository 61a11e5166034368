"""Remove personal identifiers from a question before anything else sees it.

`redact(text)` returns the text with every identifier (names next to identifiers or after a
title or cue, dates of birth and full dates, phone numbers, e-mail addresses, social security
numbers, record numbers, addresses) replaced by one placeholder, and the kinds it removed. The
patterns are data (`identifiers.yaml` beside this module, versioned and tested); this module
only compiles and applies them.

Where it runs: at every edge before the question is used (the answer service behind the API,
the page, the stream, threads and MCP; `medcite ask`; review saves) and again inside
`Medcite.ask`, as a safety net for library callers. Redacting twice is harmless: the placeholder
matches no pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from medcite.errors import ConfigError

DATA_FILE = "identifiers.yaml"
_SEPARATOR = re.compile(r"[\s,;:()\-–]*")
_TITLE_OR_CUE_GAP = r"\s*[:,\-–]?\s+"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Redaction:
    """A redacted text and what was taken out of it (kinds only: the values are never kept)."""

    text: str
    kinds: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


@dataclass(frozen=True)
class Rules:
    """The compiled contents of identifiers.yaml."""

    version: int
    placeholder: str
    kind_labels: dict[str, str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    title_name: re.Pattern[str]
    cue_name: re.Pattern[str]
    name_with_age: re.Pattern[str]
    name_before: re.Pattern[str]
    word: re.Pattern[str]
    not_names: frozenset[str]
    stop_words: frozenset[str]
    disease_after: re.Pattern[str]


def load_data() -> dict[str, Any]:
    """The raw data file (tests check its schema and its `finds`/`keeps` examples)."""
    text = (resources.files("medcite.privacy") / DATA_FILE).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def rules() -> Rules:
    """Compile the data file once per process."""
    data = load_data()
    try:
        names = data["names"]
        initial = names["initial"]
        word = rf"{names['word']}\b(?![-'’]\w)"  # not a possessive: "Bell's palsy"
        seq = rf"(?:{word}|{initial})(?:\s+(?:{word}|{initial})){{0,2}}"
        owner = rf"(?:{word}|{initial})(?:\s+(?:{word}|{initial})){{0,1}}\s+{names['word']}['’]s\b"
        titles = "|".join(re.escape(t) for t in names["titles"])
        cues = "|".join(re.escape(c) for c in sorted(names["cues"], key=len, reverse=True))
        diseases = "|".join(re.escape(w) for w in names["disease_words"])
        return Rules(
            version=int(data["version"]),
            placeholder=str(data["placeholder"]),
            kind_labels={str(k): str(v) for k, v in data["kinds"].items()},
            patterns=tuple((p["kind"], re.compile(p["regex"])) for p in data["patterns"]),
            # After a title even a possessive is a name: "Mr Chukwu's wife".
            title_name=re.compile(rf"\b(?:{titles})\.?\s+(?P<name>{owner}|{names['word']}['’]s\b|{seq})"),
            cue_name=re.compile(rf"(?<!\w)(?i:{cues}){_TITLE_OR_CUE_GAP}(?P<name>{seq})"),
            name_with_age=re.compile(rf"(?P<name>{seq})\s*,\s*(?:aged?\s+)?\d{{1,3}}\s*(?=,|y\b|yo\b|years?\b|-year)"),
            name_before=re.compile(rf"(?P<name>{owner}|{seq})[\s,;:(\-–]*$"),
            word=re.compile(rf"{names['word']}|{initial}"),
            not_names=frozenset(str(n) for n in names["not_names"]),
            stop_words=frozenset(str(n) for n in names["stop_words"]),
            disease_after=re.compile(rf"\s*(?:{diseases})\b", re.I),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ConfigError(
            f"medcite/privacy/{DATA_FILE} is not valid: {exc}", hint="see tests/unit/test_privacy.py"
        ) from exc


def _name_span(text: str, start: int, end: int, r: Rules, min_tokens: int = 1) -> Span | None:
    """The name inside text[start:end] without leading/trailing non-name words; None if none is
    left, or fewer than `min_tokens` words and initials (a lone capitalised word with no title or
    cue before it is too often a clinical word: "Gout, 45-year-old man")."""
    tokens = [(m.start() + start, m.end() + start, m.group(0)) for m in r.word.finditer(text[start:end])]
    while tokens and tokens[0][2] in r.stop_words:
        tokens.pop(0)
    while tokens and tokens[-1][2] in r.stop_words:
        tokens.pop()
    if len(tokens) < max(1, min_tokens):
        return None
    words = [t for t in tokens if not t[2].endswith(".")]
    if len(words) <= 1 and all(t[2] in r.not_names for t in words):
        return None
    if r.disease_after.match(text, tokens[-1][1]):
        return None  # "Addison disease", "Wells score": a disease or a score, not a person
    return Span(tokens[0][0], tokens[-1][1], "name")


def find(text: str) -> list[Span]:
    """Every identifier in `text`, as (possibly overlapping) spans."""
    r = rules()
    spans = [Span(m.start(), m.end(), kind) for kind, pattern in r.patterns for m in pattern.finditer(text)]
    names: list[Span | None] = []
    for m in r.title_name.finditer(text):  # the title goes with the name: "Mrs O'Brien"
        found = _name_span(text, m.start("name"), m.end("name"), r)
        names.append(Span(m.start(), found.end, "name") if found else None)
    names += [_name_span(text, m.start("name"), m.end("name"), r) for m in r.cue_name.finditer(text)]
    names += [_name_span(text, m.start("name"), m.end("name"), r, 2) for m in r.name_with_age.finditer(text)]
    for span in list(spans):  # a name right before an identifier: "John Smith DOB 03/04/1961"
        before = r.name_before.search(text, max(0, span.start - 80), span.start)
        if before is not None:
            names.append(_name_span(text, before.start("name"), before.end("name"), r, 2))
    return spans + [n for n in names if n is not None]


def redact(text: str) -> Redaction:
    """`text` with each identifier replaced by the placeholder; runs of identifiers separated
    only by spaces or punctuation become one placeholder."""
    spans = sorted(find(text), key=lambda s: (s.start, -s.end))
    if not spans:
        return Redaction(text)
    r = rules()
    merged: list[tuple[int, int]] = []
    for s in spans:
        if merged and (s.start <= merged[-1][1] or _SEPARATOR.fullmatch(text, merged[-1][1], s.start)):
            merged[-1] = (merged[-1][0], max(merged[-1][1], s.end))
        else:
            merged.append((s.start, s.end))
    out, last = [], 0
    for start, end in merged:
        out += [text[last:start], r.placeholder]
        last = end
    out.append(text[last:])
    # A date inside "DOB 03/04/1961" is the date of birth, not also "a full date".
    outer = [
        s
        for s in spans
        if not any(o.start <= s.start and s.end <= o.end and o.end - o.start > s.end - s.start for o in spans)
    ]
    order = list(r.kind_labels)
    kinds = sorted({s.kind for s in outer}, key=lambda k: order.index(k) if k in order else len(order))
    return Redaction("".join(out), tuple(kinds))


def describe(kinds: tuple[str, ...] | list[str]) -> str:
    """'a name, a date of birth and a phone number'."""
    labels = [rules().kind_labels.get(k, k.replace("_", " ")) for k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
