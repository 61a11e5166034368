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


def number_references(
    groups: Sequence[list[Claim]], hits: Sequence[Hit], max_references: int
) -> tuple[list[list[Claim]], list[Reference]]:
    """Return the claim groups with `citations` filled, and the reference list.

    Claims whose documents would exceed `max_references` keep only the passages already
    numbered; a claim left with none is dropped (it cannot be cited).
    """
    by_chunk = {h.chunk.id: h for h in hits}
    refs: dict[str, Reference] = {}
    out: list[list[Claim]] = []
    for group in groups:
        kept: list[Claim] = []
        for claim in group:
            numbers: list[int] = []
            passages: list[str] = []
            for chunk_id in claim.passages:
                hit = by_chunk.get(chunk_id)
                if hit is None:
                    continue
                ref = refs.get(hit.doc.id)
                if ref is None:
                    if len(refs) >= max_references:
                        continue
                    ref = _reference(len(refs) + 1, hit)
                    refs[hit.doc.id] = ref
                _add_passage(ref, hit)
                if ref.n not in numbers:
                    numbers.append(ref.n)
                passages.append(chunk_id)
            if numbers:
                kept.append(claim.model_copy(update={"citations": numbers, "passages": passages}))
        out.append(kept)
    return out, sorted(refs.values(), key=lambda r: r.n)


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
