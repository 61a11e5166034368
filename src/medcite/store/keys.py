"""Stable keys for saved answers: the normalised question (lookup key) and the URL slug."""

from __future__ import annotations

import re
import secrets
import unicodedata

from medcite.records import Audience

_NON_WORD = re.compile(r"[^\w+]+")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 60


def normalise_question(question: str) -> str:
    """Case-, punctuation- and whitespace-insensitive key: two wordings that differ only in those
    match the same saved answer ("What is first-line treatment for gout?" == "what is first line
    treatment for gout")."""
    text = unicodedata.normalize("NFKC", question).casefold()
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


def slugify(question: str, audience: Audience) -> str:
    """ASCII slug of the question, cut at a word boundary; non-clinician answers get a suffix."""
    ascii_text = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode().lower()
    words = [w for w in _SLUG_JUNK.split(ascii_text) if w]
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > SLUG_MAX:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or "answer"
    return slug if audience == Audience.CLINICIAN else f"{slug}-{audience.value}"


def new_answer_id() -> str:
    return "ans_" + secrets.token_hex(6)


def new_thread_id() -> str:
    return "thr_" + secrets.token_hex(6)
