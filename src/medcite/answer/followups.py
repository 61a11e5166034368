"""Follow-up questions: topics the retrieved evidence covers but the answer did not use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from medcite.records import Audience, Hit
from medcite.text import stem, tokens

_GENERIC_HEADINGS = re.compile(
    r"^(major recommendations?|recommendations?|summary|background|introduction|overview|definitions?|"
    r"key points?|general|other|notes?|table \d+|figure \d+|potential (benefits|harms)|contraindications|"
    r"interventions and practices considered|target population|guideline objective\(s\)|"
    r"disease/condition\(s\)|clinical algorithm\(s\)|abstract|results|methods|conclusions?|objectives?)$",
    re.I,
)


def _short_org(org: str) -> str:
    """'National Institute for Health and Care Excellence (NICE)' -> 'NICE'."""
    m = re.search(r"\(([A-Z][A-Za-z/&\- ]{1,15})\)\s*$", org)
    return m.group(1) if m else org


def _phrase(heading: str) -> str:
    """Lower-case a Title Case heading but keep acronyms ('Imaging', 'MRI')."""
    return " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in heading.split())


def _short_title(title: str) -> str:
    t = re.split(r"[:.(]", title)[0].strip()
    return t if len(t) <= 70 else t[:67].rsplit(" ", 1)[0] + "…"


def follow_ups(
    question: str,
    hits: Sequence[Hit],
    used_chunks: Iterable[str],
    audience: Audience,
    limit: int = 3,
    cited_docs: Iterable[str] = (),
) -> list[str]:
    """Up to `limit` questions built from headings of retrieved-but-unused passages.

    Only documents the answer cites are used (when given), so follow-ups stay on topic.
    """
    used = set(used_chunks)
    docs = set(cited_docs)
    asked = {stem(t) for t in tokens(question)}
    out: list[str] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.chunk.id in used or not hit.chunk.heading_path or (docs and hit.doc.id not in docs):
            continue
        heading = hit.chunk.heading_path[-1].strip().rstrip(":")
        if not heading or _GENERIC_HEADINGS.match(heading) or len(heading) > 80:
            continue
        key = heading.lower()
        new_terms = {stem(t) for t in tokens(heading)} - asked
        if key in seen or not new_terms:
            continue
        seen.add(key)
        topic = _short_title(hit.doc.title)
        if audience is Audience.PATIENT:
            out.append(f"What should I know about {_phrase(heading)} ({topic})?")
        else:
            org = _short_org(hit.doc.organisation or hit.doc.journal or hit.doc.source)
            out.append(f"What does {org} advise on {_phrase(heading)} ({topic})?")
        if len(out) >= limit:
            break
    return out
