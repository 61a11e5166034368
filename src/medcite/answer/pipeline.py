"""The answer recipe: safety -> retrieve -> select -> (abstain?) -> compose -> verify -> cite -> adapt."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from medcite.answer import abstain, safety
from medcite.answer import audience as wording
from medcite.answer.cite import number_references
from medcite.answer.compose import ComposeContext, create_composer
from medcite.answer.compose.extractive import detect_intents
from medcite.answer.conflicts import find_conflicts
from medcite.answer.followups import follow_ups
from medcite.answer.select import Similarity, Weights, select_evidence
from medcite.answer.verify import verify
from medcite.models import create
from medcite.records import (
    Answer,
    AnswerSection,
    Audience,
    BottomLine,
    Claim,
    Hit,
    Query,
    QueryFilters,
)
from medcite.retrieve.grade import overall_level
from medcite.retrieve.query import dense_text
from medcite.retrieve.rerank import term_weights

if TYPE_CHECKING:
    from medcite.engine import Medcite


def answer_question(
    mc: Medcite,
    question: str,
    *,
    audience: Audience = Audience.CLINICIAN,
    filters: QueryFilters | None = None,
    context: Sequence[str] = (),
) -> Answer:
    """Answer one question. `context` holds earlier questions of a thread (follow-ups)."""
    settings = mc.settings
    timings: dict[str, float] = {}
    t0 = time.perf_counter()

    flags = safety.red_flags(question, audience)
    retrieval_text = resolve_follow_up(question, context)
    focus = question if retrieval_text != question else None
    t = time.perf_counter()
    result = mc.retriever.search(
        retrieval_text,
        focus=focus,
        k=settings.answer.hits,
        filters=filters,
        audience=audience,
        per_document=settings.answer.per_document,
    )
    hits = deepen(mc, retrieval_text, focus, result.hits, filters, audience)
    timings["retrieve"] = _ms(t)

    t = time.perf_counter()
    weights = Weights(term_weights(result.query, mc.retriever.doc_freq, mc.retriever.total_docs()))
    evidence = select_evidence(
        result.query,
        hits,
        weights,
        similarity=_similarity(mc, result.query),
        doc_order=list(dict.fromkeys(h.doc.id for h in result.hits)),
    )
    timings["select"] = _ms(t)

    base = Answer(
        question=question,
        audience=audience,
        bottom_line=BottomLine(text=""),
        red_flags=flags,
        disclaimer=settings.answer.patient_disclaimer if audience is Audience.PATIENT else settings.answer.disclaimer,
        last_updated=date.today(),
        notes=_phi_notes(question) + wording.notes_for(audience),
    )
    unseen = {t for t in result.query.terms if mc.retriever.doc_freq(t) == 0}
    verdict = abstain.assess(
        question,
        result.query,
        hits,
        evidence,
        weights,
        settings,
        red_flagged=bool(flags),
        doc_freq_zero=unseen,
        is_typo=lambda w: mc.store.lexical.fuzzy_count(w) > 0,
    )
    if verdict.abstain:
        timings["total"] = _ms(t0)
        return base.model_copy(
            update={
                "abstained": True,
                "abstain_reason": verdict.reason,
                "closest": verdict.closest,
                "bottom_line": BottomLine(text=verdict.reason or ""),
                "timings_ms": timings,
                "provenance": _provenance(mc, result.hits, "none", result.timings_ms),
            }
        )

    t = time.perf_counter()
    composer = create_composer(settings)
    ctx = ComposeContext(
        question=question,
        query=result.query,
        audience=audience,
        hits=hits,
        evidence=evidence,
        weights=weights,
        settings=settings,
        intents=detect_intents(retrieval_text),
    )
    draft = composer.compose(ctx)
    timings["compose"] = _ms(t)

    t = time.perf_counter()
    passages = {h.chunk.id: h.chunk.text for h in hits}
    judge = create("judge", settings.llm.judge if draft.model else "lexical", settings)
    groups = [draft.bottom_line, *(s.items for s in draft.sections)]
    shown: list[list[Claim]] = []
    unsupported: list[Claim] = []
    for group in groups:
        ok, failed = verify(group, passages, judge, settings.answer.min_support)
        shown.append(ok)
        unsupported.extend(failed)
    numbered, references = number_references(shown, hits, settings.answer.max_references)
    timings["verify"] = _ms(t)

    bottom_claims = [wording.adapt_claim(c, audience) for c in numbered[0]]
    sections = [
        AnswerSection(title=s.title, items=[wording.adapt_claim(c, audience) for c in items])
        for s, items in zip(draft.sections, numbered[1:], strict=True)
        if items
    ]
    if not bottom_claims and not sections:
        reason = "The retrieved passages did not yield any statement that passed the support check."
        timings["total"] = _ms(t0)
        return base.model_copy(
            update={
                "abstained": True,
                "abstain_reason": reason,
                "unsupported": unsupported,
                "bottom_line": BottomLine(text=reason),
                "notes": base.notes + draft.notes,
                "timings_ms": timings,
                "provenance": _provenance(mc, hits, draft.model or composer.name, result.timings_ms),
            }
        )
    bottom = BottomLine(
        text=" ".join(c.text for c in bottom_claims),
        citations=sorted({n for c in bottom_claims for n in c.citations}),
        claims=bottom_claims,
    )
    used = {p for c in [*bottom_claims, *(i for s in sections for i in s.items)] for p in c.passages}
    timings["total"] = _ms(t0)
    return base.model_copy(
        update={
            "bottom_line": bottom,
            "sections": sections,
            "references": references,
            "unsupported": unsupported,
            "conflicts": find_conflicts(bottom, sections, references, question),
            "evidence_level": overall_level(c.level for c in [*bottom_claims, *(i for s in sections for i in s.items)]),
            "follow_ups": follow_ups(question, hits, used, audience, cited_docs=[r.doc_id for r in references]),
            "notes": base.notes + draft.notes,
            "timings_ms": timings,
            "provenance": _provenance(mc, hits, draft.model or composer.name, result.timings_ms),
        }
    )


_ELLIPTICAL = re.compile(r"^\s*(and|what about|how about|in|for|if|but|also|same|what if|during|with)\b", re.I)


def is_follow_up(question: str) -> bool:
    """A question that only makes sense with the thread's topic ("and in pregnancy?")."""
    return len(question.split()) <= 8 or bool(_ELLIPTICAL.match(question))


def thread_topic(context: Sequence[str]) -> str | None:
    """The thread's topic: its most recent question that stood on its own."""
    for previous in reversed(context):
        if not is_follow_up(previous):
            return previous
    return context[0] if context else None


def resolve_follow_up(question: str, context: Sequence[str]) -> str:
    """Resolve a short follow-up against the thread's topic; a self-contained question stays as is."""
    topic = thread_topic(context)
    if topic is None or not is_follow_up(question):
        return question
    return f"{question} ({topic})"


def _similarity(mc: Medcite, query: Query) -> Similarity | None:
    """Cosine similarity of sentences to the question with the index's dense model (None without one)."""
    embedder = mc.store.embedder
    if embedder is None:
        return None
    qvec = embedder.embed_query(dense_text(query))

    def score(texts: list[str]) -> list[float]:
        return [float(v) for v in embedder.embed_passages(texts) @ qvec] if texts else []

    return score


def deepen(
    mc: Medcite, text: str, focus: str | None, hits: Sequence[Hit], filters: QueryFilters | None, audience: Audience
) -> list[Hit]:
    """Search the top documents again, in full: their most specific passages come first.

    The first search ranks documents well but, across a whole corpus, often surfaces a guideline's
    generic passages ("low back pain with or without sciatica") rather than the one that answers
    ("consider epidural injections ... in acute and severe sciatica"). A second search restricted to
    the top documents finds those; the other first-stage hits follow.
    """
    cfg = mc.settings.answer
    top = list(dict.fromkeys(h.doc.id for h in hits))[: cfg.deepen_documents]
    if not top:
        return list(hits)
    within = (filters or QueryFilters()).model_copy(update={"doc_ids": top})
    second = mc.retriever.search(
        text, k=cfg.deepen_hits, filters=within, audience=audience, diversify=False, focus=focus
    ).hits
    seen = {h.chunk.id for h in second}
    merged = [*second, *(h for h in hits if h.chunk.id not in seen)]
    return [h.model_copy(update={"rank": i}) for i, h in enumerate(merged, start=1)]


def _phi_notes(question: str) -> list[str]:
    found = safety.personal_data(question)
    if not found:
        return []
    return [
        "Your question appears to contain personal identifiers (for example a phone number, e-mail, record "
        "number or date of birth). medcite does not need them: please remove them before sharing this answer."
    ]


def _provenance(mc: Medcite, hits: Sequence[object], model: str, retrieval_ms: dict[str, float]) -> dict[str, object]:
    store = mc.store
    return {
        "index_version": store.version(),
        "settings": mc.settings.fingerprint(),
        "composer": mc.settings.answer.composer,
        "models": {
            "embedder": store.embedder.name if store.embedder else None,
            "composer": model,
            "judge": mc.settings.llm.judge,
        },
        "hits": [{"rank": h.rank, "chunk_id": h.chunk.id, "score": h.score} for h in hits],  # type: ignore[attr-defined]
        "retrieval_ms": retrieval_ms,
    }


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 2)
