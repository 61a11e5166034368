"""Spelling correction against the index's own vocabulary ("menigitis" -> "meningitis").

Patients type drug and disease names as they hear them. A word is corrected only when it is
unknown to the index, is not an ordinary English word (`wordfreq`), and the index holds a word
within two edits of it (Damerau-Levenshtein, `rapidfuzz`) that starts with the same letter: typos
rarely change a word's first letter, and the rule keeps brand names the corpus does not know
("Saxenda") from turning into unrelated words ("agenda").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

ENGLISH_ZIPF = 2.5  # at or above: an ordinary English word ("alright", "ambient"), left alone
MIN_LENGTH = 5

_WORD = re.compile(r"[a-z][a-z-]*[a-z]")


def _english(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= ENGLISH_ZIPF


def max_edits(word: str) -> int:
    return 1 if len(word) < 7 else 2


def best_match(word: str, texts: Iterable[str], doc_freq: Callable[[str], int]) -> str | None:
    """The indexed word nearest to `word` among `texts` (None when none is near enough)."""
    from rapidfuzz.distance import DamerauLevenshtein

    limit = max_edits(word)
    seen = Counter(w for text in texts for w in _WORD.findall(text.lower()))
    scored = []
    for cand, n in seen.items():
        if cand == word or cand[0] != word[0] or abs(len(cand) - len(word)) > limit:
            continue
        d = DamerauLevenshtein.distance(word, cand, score_cutoff=limit)
        if d <= limit:
            scored.append((d, -n, cand))
    for _, _, cand in sorted(scored):
        if doc_freq(cand) >= 1:
            return cand
    return None


def corrections(
    text: str,
    *,
    doc_freq: Callable[[str], int],
    neighbours: Callable[[str], list[str]],
    known: Callable[[str], bool] = lambda w: False,
) -> dict[str, str]:
    """Misspelt word -> correction, for the words of `text` the index does not hold.

    `neighbours(word)` returns texts of passages that hold a word near `word` (a fuzzy search);
    `known(word)` says whether another vocabulary (drug names, the corpus glossary) knows it.
    """
    out: dict[str, str] = {}
    for word in dict.fromkeys(_WORD.findall(text.lower())):
        if len(word) < MIN_LENGTH or word in out or doc_freq(word) > 0 or known(word) or _english(word):
            continue
        texts = neighbours(word)
        fixed = best_match(word, texts, doc_freq) if texts else None
        if fixed:
            out[word] = fixed
    return out


def apply(text: str, fixes: dict[str, str]) -> str:
    """`text` with each misspelt word replaced (whole words, any case)."""
    for wrong, right in fixes.items():
        text = re.sub(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", right, text, flags=re.I)
    return text
