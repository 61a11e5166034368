"""The corpus's own glossary: abbreviations its documents define ("preexposure prophylaxis (PrEP)").

Packaged abbreviation lists miss many clinical ones (PrEP, MCI) and list others under a meaning the
corpus never uses (SSI: "supplemental security income"). The documents define what they abbreviate,
so each document's definitions are read with the Schwartz-Hearst algorithm (the `abbreviations`
package) when it is ingested, kept in the catalogue beside its chunks (replaced and removed with
them), and the glossary is the long form most documents give for each short form.
"""

from __future__ import annotations

from collections.abc import Iterable

DOMINANCE = 2
MAX_SHORT = 10  # "PrEP", "NSTEMI", "COVID-19"; longer strings in parentheses are rarely abbreviations


def definitions(texts: Iterable[str]) -> dict[str, str]:
    """Short form -> long form (lower case) as one document defines them (its most common one)."""
    from abbreviations import schwartz_hearst

    text = "\n".join(t.replace("\n", " ") for t in texts)
    if "(" not in text:
        return {}
    pairs = schwartz_hearst.extract_abbreviation_definition_pairs(doc_text=text, most_common_definition=True)
    out: dict[str, str] = {}
    for short, long in pairs.items():
        short = short.strip()
        long = " ".join(long.split()).lower()
        # An abbreviation has at least two capitals ("PrEP", "MCI"), which keeps out ordinary words
        # that happen to sit in parentheses ("(see)", "(Table)").
        if 2 <= len(short) <= MAX_SHORT and sum(c.isupper() for c in short) >= 2 and long:
            out[short] = long
    return out


def choose(rows: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """From (short, long, number of documents) rows: each short form's dominant long form.

    A short form the documents spell out in competing ways ("EM": emergency medicine, erythema
    migrans, electromagnetic) is left out unless one meaning is used by at least twice as many
    documents as the next: expanding it the wrong way would steer the search off the question.
    """
    senses: dict[str, list[tuple[int, str]]] = {}
    for short, long, n in rows:
        senses.setdefault(short, []).append((n, long))
    out: dict[str, str] = {}
    for short, found in senses.items():
        found.sort(key=lambda t: (-t[0], t[1]))
        if len(found) == 1 or found[0][0] >= DOMINANCE * found[1][0]:
            out[short] = found[0][1]
    return out
