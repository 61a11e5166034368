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
from functools import lru_cache
from pathlib import Path

from medcite.kept import keep

ENGLISH_ZIPF = 2.5  # at or above: an ordinary English word ("alright", "ambient"), left alone
MIN_LENGTH = 5

_WORD = re.compile(r"[a-z][a-z-]*[a-z]")


def _english(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= ENGLISH_ZIPF


@lru_cache(maxsize=4)
def english_words(cache_dir: Path) -> frozenset[str]:
    """The plain words (letters only) at or above `ENGLISH_ZIPF` in wordfreq's English table, kept as a
    word list in `cache_dir` once written: wordfreq's own table takes ~0.25 s to load, the list
    ~10 ms, which is most of what the check costs a one-off CLI answer. Best-effort: an unwritable
    directory only costs the speed-up."""
    from importlib.metadata import version

    path = cache_dir / f"english-words-wordfreq{version('wordfreq')}-zipf{ENGLISH_ZIPF}.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split())
    except OSError:
        pass
    from wordfreq import get_frequency_dict

    # wordfreq's zipf value of a single plain word is log10 of its frequency per billion words.
    floor = 10 ** (ENGLISH_ZIPF - 9)
    words = frozenset(w for w, f in get_frequency_dict("en").items() if f >= floor and w.isalpha())
    keep(path, "\n".join(sorted(words)).encode("utf-8"))
    return words


def is_english(word: str, cache_dir: Path | None) -> bool:
    """`word` is an ordinary English word; a plain word is looked up in `english_words(cache_dir)`."""
    if cache_dir is None or not word.isalpha():
        return _english(word)
    return word in english_words(cache_dir)


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
    neighbours: Callable[[str, int], list[str]],
    known: Callable[[str], bool] = lambda w: False,
    english: Callable[[str], bool] = _english,
) -> dict[str, str]:
    """Misspelt word -> correction, for the words of `text` the index does not hold.

    `neighbours(word, edits)` returns texts of passages that hold a word within `edits` of `word` (a
    fuzzy search, which returns only so many passages); `known(word)` says whether another vocabulary
    (drug names, the corpus glossary) knows it.
    """
    out: dict[str, str] = {}
    for word in dict.fromkeys(_WORD.findall(text.lower())):
        if len(word) < MIN_LENGTH or word in out or doc_freq(word) > 0 or known(word):
            continue
        fixed = None
        # The nearest words first: within two edits of a short stem ("menig") lie so many words that the
        # passages a fuzzy search returns may hold none of the one meant ("mening", one edit away).
        for edits in range(1, max_edits(word) + 1):
            texts = neighbours(word, edits)
            fixed = best_match(word, texts, doc_freq) if texts else None
            if fixed:
                break
        # The English word list is asked last: loading it is the slow part of a one-off CLI answer.
        if fixed and not english(word):
            out[word] = fixed
    return out


def apply(text: str, fixes: dict[str, str]) -> str:
    """`text` with each misspelt word replaced (whole words, any case)."""
    for wrong, right in fixes.items():
        text = re.sub(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", right, text, flags=re.I)
    return text
