"""Cue patterns of the clinical tables, compiled on first need and skipped cheaply when they cannot match.

The tables hold thousands of regular expressions; compiling them all costs seconds at start-up and
running them all costs tens of milliseconds per question. Most begin with literal words
("anaphyla…", "(face|facial) droop…"): those words are read from the pattern's text (no regex
parsing), and a cue whose words are absent from the question is neither compiled nor run. The
answer is the same as running every pattern: the words are a necessary condition of a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from medcite.errors import ConfigError

_FLAGS = re.I
_META = set("\\.[](){}?*+|^$")
_LEAD = re.compile(r"^(?:\(\?<!\[A-Za-z0-9\]\)|\\b|\^)+")
MIN_ANCHOR = 3


#: What `_chars` walks over: an escape or a character class (skipped whole; an unclosed class runs to
#: the end), or one of the structural characters it reports. Matching these in C instead of looping
#: over every character in Python keeps reading thousands of cues at start-up cheap.
_TOKENS = re.compile(r"\\.?|\[(?:.[^\]]*\]?)?|([()|])", re.S)


def _chars(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of each parenthesis and bar of `pattern` from `start`, skipping escapes and
    character classes (the only characters its callers look at)."""
    for m in _TOKENS.finditer(pattern, start):
        if m.group(1):
            yield m.start(), m.group(1)


def _closing(pattern: str, start: int) -> int:
    """Index of the parenthesis closing the group opened at `start` (-1 if unbalanced)."""
    depth = 0
    for i, c in _chars(pattern, start):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _split_top(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, c in _chars(body):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def anchors(pattern: str) -> tuple[str, ...] | None:
    """Lower-case words one of which every match of `pattern` starts with; None when there are none
    (the pattern starts with a class, a wildcard or an optional part)."""
    p = _LEAD.sub("", pattern)
    if not p:
        return None
    alternatives = _split_top(p)
    if len(alternatives) > 1:  # "apixaban|rivaroxaban|dabigatran": any of them
        out: list[str] = []
        for alternative in alternatives:
            found = anchors(alternative)
            if found is None:
                return None
            out.extend(found)
        return tuple(dict.fromkeys(out))
    if p.startswith("("):
        if p.startswith("(?") and not p.startswith("(?:"):
            return None  # look-arounds, flags
        end = _closing(p, 0)
        if end < 0 or p[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        body = p[3:end] if p.startswith("(?:") else p[1:end]
        out = []
        for alternative in _split_top(body):
            found = anchors(alternative)
            if found is None:
                return None
            out.extend(found)
        return tuple(dict.fromkeys(out))
    literal: list[str] = []
    for c in p:
        if c in _META:
            if c in "?*{" and literal:
                literal.pop()  # the last character is optional
            break
        literal.append(c)
    word = "".join(literal).strip().lower()
    return (word,) if len(word) >= MIN_ANCHOR else None


def _word_start(pattern: str) -> str:
    """A cue that starts with a letter matches at a word's start only ("tinel" is not in "routinely")."""
    return f"(?<![A-Za-z0-9]){pattern}" if pattern[:1].isalnum() else pattern


class Cue:
    """One pattern of a table: case-insensitive unless written "case:…"; compiled when first needed."""

    __slots__ = ("_re", "anchors", "flags", "source", "where")

    def __init__(self, pattern: str, where: str) -> None:
        self.flags = 0 if pattern.startswith("case:") else _FLAGS
        self.source = _word_start(pattern[5:] if pattern.startswith("case:") else pattern)
        self.anchors = anchors(self.source)
        self.where = where
        self._re: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._re is None:
            try:
                self._re = re.compile(self.source, self.flags)
            except re.error as exc:
                hint = "fix the regular expression"
                raise ConfigError(f"bad pattern in {self.where}: {self.source!r} ({exc})", hint=hint) from exc
        return self._re

    def possible(self, low: str) -> bool:
        return self.anchors is None or any(a in low for a in self.anchors)

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        if not self.possible(low if low is not None else text.lower()):
            return None
        return self.regex.search(text)

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        if self.possible(low if low is not None else text.lower()):
            yield from self.regex.finditer(text)


class Cues:
    """Several cues read as one: "any of these" (a problem's names, a feature's list, an aspect's asks)."""

    __slots__ = ("cues",)

    def __init__(self, patterns: Sequence[str], where: str) -> None:
        self.cues = [Cue(p, where) for p in patterns]

    def check(self) -> None:
        """Compile every cue now (the test suite calls this so a bad edit fails in review)."""
        for cue in self.cues:
            _ = cue.regex

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        low = low if low is not None else text.lower()
        found = [m for c in self.cues if (m := c.search(text, low))]
        return min(found, key=lambda m: m.start()) if found else None

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        low = low if low is not None else text.lower()
        for cue in self.cues:
            yield from cue.finditer(text, low)

    def fullmatch(self, text: str) -> bool:
        return any(c.regex.fullmatch(text) for c in self.cues)

    @property
    def pattern(self) -> str:
        return "|".join(c.source for c in self.cues)
