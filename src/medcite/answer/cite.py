"""Number references and attach citation numbers to claims — done by the program, never a model.

One reference per cited document, numbered in order of first citation (bottom line first).
Every passage a claim cites must be a retrieved hit; the reference lists those passages
verbatim so that opening a citation shows exactly what the sentence rests on.
"""

from __future__ import annotations

from collections.abc import Sequence

from medcite.records import Claim, EvidenceLevel, Hit, Passage, Reference
from medcite.retrieve.grade import evidence_level


def _source_label(hit: Hit) -> str | None:
    return hit.doc.organisation or hit.doc.journal or None


class Numbering:
    """Numbers references one claim group at a time, in the order the groups are given.

    Feeding the bottom line, then each section, gives exactly what `number_references` gives for
    the same groups (it is that function's loop), so an answer can be shown group by group as it
    is checked without its citation numbers changing afterwards.
    """

    def __init__(self, hits: Sequence[Hit], max_references: int) -> None:
        self._by_chunk = {h.chunk.id: h for h in hits}
        self._refs: dict[str, Reference] = {}
        self._max = max_references

    def number(self, group: Sequence[Claim]) -> list[Claim]:
        """The group's claims with `citations` filled (new documents get the next numbers).

        Claims whose documents would exceed `max_references` keep only the passages already
        numbered; a claim left with none is dropped (it cannot be cited).
        """
        kept: list[Claim] = []
        for claim in group:
            numbers: list[int] = []
            passages: list[str] = []
            for chunk_id in claim.passages:
                hit = self._by_chunk.get(chunk_id)
                if hit is None:
                    continue
                ref = self._refs.get(hit.doc.id)
                if ref is None:
                    if len(self._refs) >= self._max:
                        continue
                    ref = _reference(len(self._refs) + 1, hit)
                    self._refs[hit.doc.id] = ref
                _add_passage(ref, hit)
                if ref.n not in numbers:
                    numbers.append(ref.n)
                passages.append(chunk_id)
            if numbers:
                kept.append(claim.model_copy(update={"citations": numbers, "passages": passages}))
        return kept

    @property
    def references(self) -> list[Reference]:
        """The references numbered so far, by number. A reference gains passages (and possibly a
        higher evidence level) when a later group cites more of its document."""
        return sorted(self._refs.values(), key=lambda r: r.n)


def number_references(
    groups: Sequence[list[Claim]], hits: Sequence[Hit], max_references: int
) -> tuple[list[list[Claim]], list[Reference]]:
    """Return the claim groups with `citations` filled, and the reference list (see `Numbering`)."""
    numbering = Numbering(hits, max_references)
    out = [numbering.number(group) for group in groups]
    return out, numbering.references


def _reference(n: int, hit: Hit) -> Reference:
    d = hit.doc
    url = (
        d.url
        or (f"https://doi.org/{d.doi}" if d.doi else None)
        or (f"https://pubmed.ncbi.nlm.nih.gov/{d.pmid}/" if d.pmid else None)
    )
    return Reference(
        n=n,
        type=d.type.label,
        source_type=d.type,
        title=d.title,
        source=_source_label(hit),
        year=d.year,
        url=url,
        doi=d.doi,
        pmid=d.pmid,
        evidence=d.evidence,
        level=EvidenceLevel.UNGRADED,
        doc_id=d.id,
        licence=d.licence,
    )


def _add_passage(ref: Reference, hit: Hit) -> None:
    if any(p.chunk_id == hit.chunk.id for p in ref.passages):
        return
    heading = " > ".join(hit.chunk.heading_path) or None
    ref.passages.append(
        Passage(chunk_id=hit.chunk.id, heading=heading, text=hit.chunk.text, evidence=hit.chunk.evidence)
    )
    level = evidence_level(hit.doc, hit.chunk.evidence)
    order = [
        EvidenceLevel.UNGRADED,
        EvidenceLevel.VERY_LOW,
        EvidenceLevel.LOW,
        EvidenceLevel.MODERATE,
        EvidenceLevel.HIGH,
    ]
    if order.index(level) > order.index(ref.level):
        ref.level = level
    stated = [p.evidence for p in ref.passages if p.evidence]
    if stated and not hit.doc.evidence:
        ref.evidence = "; ".join(dict.fromkeys(stated))[:160]
