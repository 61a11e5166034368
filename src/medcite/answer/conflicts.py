"""Say when cited sources disagree, and show both with their dates.

Two kinds are detected:
- the same intervention advised for by one document and against by another (polarity clash
  on a shared, specific term);
- two versions of the same guideline (near-identical titles, different years) both cited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medcite.answer.select import polarity
from medcite.records import AnswerSection, BottomLine, Claim, Reference
from medcite.text import STOPWORDS, stem, tokens

_GENERIC = {
    stem(w)
    for w in """
    patient people person adult adults treatment treatments therapy recommend recommended recommendation
    consider offer manage management should care clinical evidence use used using given give provide
    including include disease condition symptom symptoms risk benefit harm health healthcare
    professional routinely routine appropriate option options also other based assessment pain
    """.split()
}


def _salient(text: str, question_stems: set[str]) -> set[str]:
    return {stem(t) for t in tokens(text) if t not in STOPWORDS and len(t) >= 5} - _GENERIC - question_stems


def find_conflicts(
    bottom: BottomLine, sections: Sequence[AnswerSection], references: Sequence[Reference], question: str
) -> list[str]:
    refs = {r.n: r for r in references}
    q = {stem(t) for t in tokens(question)}
    claims: list[Claim] = [*bottom.claims, *(c for s in sections for c in s.items)]
    notes: list[str] = []
    seen: set[tuple[int, int]] = set()
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            pair = _clash(a, b, q)
            if not pair:
                continue
            ra, rb = refs.get(a.citations[0]), refs.get(b.citations[0])
            if not ra or not rb or ra.doc_id == rb.doc_id:
                continue
            key = (min(ra.n, rb.n), max(ra.n, rb.n))
            if key in seen:
                continue
            seen.add(key)
            against, favour = (ra, rb) if polarity(a.text) == "against" else (rb, ra)
            notes.append(
                f"Sources differ on {pair}: {_who(against)} [{against.n}] advises against it, while "
                f"{_who(favour)} [{favour.n}] supports it. Check dates and populations before applying either."
            )
    notes.extend(_versions(references))
    return notes


# What a recommendation is about sits between its verb and its condition: "Do not offer *traction*
# for managing low back pain with or without sciatica". Two claims clash only over that part;
# sharing the condition ("sciatica") is agreement about who, not disagreement about what.
_VERB = re.compile(
    r"\b(do not|don't|should not|must not|avoid|not recommended|recommend(?:s|ed)? against|recommend\w*|suggest\w*|"
    r"offer|consider|use|give|prescribe|should (be )?\w+)\b",
    re.I,
)
_CONDITION = re.compile(
    r"\b(for|in|to|when|unless|if|among|with|who|because|after|before|during|as part of)\b|[.;:,(…]", re.I
)


def intervention(text: str) -> str:
    """The part of a recommendation that names what is done (the whole text when no verb is found)."""
    verb = _VERB.search(text)
    if not verb:
        return text
    rest = text[verb.end() :]
    end = _CONDITION.search(rest)
    what = rest[: end.start()] if end else rest
    # Passive voice puts it first: "Aspirin is not recommended for primary prevention".
    return what if re.search(r"[A-Za-z]{4}", what) else text[: verb.start()]


def _clash(a: Claim, b: Claim, question_stems: set[str]) -> str | None:
    if not a.citations or not b.citations:
        return None
    pa, pb = polarity(a.text), polarity(b.text)
    if {pa, pb} != {"for", "against"}:
        return None
    shared = _salient(intervention(a.text), question_stems) & _salient(intervention(b.text), question_stems)
    if not shared:
        return None
    # Report the shared term as it is written in the first claim.
    for t in tokens(a.text):
        if stem(t) in shared:
            return t
    return sorted(shared)[0]


def _who(ref: Reference) -> str:
    return f"{ref.source or ref.title} ({ref.year or 'undated'})"


def _versions(references: Sequence[Reference]) -> list[str]:
    notes = []
    for i, a in enumerate(references):
        for b in references[i + 1 :]:
            ta, tb = set(tokens(a.title)), set(tokens(b.title))
            if not ta or not tb or a.year == b.year or not a.year or not b.year:
                continue
            if len(ta & tb) / len(ta | tb) >= 0.7:
                old, new = (a, b) if a.year < b.year else (b, a)
                notes.append(
                    f"Two versions are cited: [{new.n}] ({new.year}) and the older [{old.n}] "
                    f"({old.year}); where they differ, the newer one reflects later evidence."
                )
    return notes
