"""The answer recipe: safety -> retrieve -> select -> (abstain?) -> compose -> verify -> cite -> adapt.

Verify, cite and adapt run one claim group at a time (the bottom line, then each section), so a
listener (`on_event`) can show the bottom line while the sections are still being checked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from medcite.answer import abstain, instructions, safety
from medcite.answer import audience as wording
from medcite.answer.cite import Numbering
from medcite.answer.compose import ComposeContext, create_composer
from medcite.answer.compose.base import Draft
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
    RedFlag,
    Reference,
)
from medcite.retrieve.grade import overall_level
from medcite.retrieve.query import dense_text
from medcite.retrieve.rerank import term_weights

if TYPE_CHECKING:
    from medcite.engine import Medcite
    from medcite.models import Judge

StageEvent = Literal["retrieved", "composed", "bottom_line", "section"]
#: Listener for `answer_question`'s progress: `on_event(event, data)`, data JSON-ready.
OnEvent = Callable[[StageEvent, dict[str, Any]], None]
TOP_TITLES = 5


def _no_listener(event: StageEvent, data: dict[str, Any]) -> None:
    return None


def answer_question(
    mc: Medcite,
    question: str,
    *,
    audience: Audience = Audience.CLINICIAN,
    filters: QueryFilters | None = None,
    context: Sequence[str] = (),
    on_event: OnEvent | None = None,
) -> Answer:
    """Answer one question. `context` holds earlier questions of a thread (follow-ups).

    `on_event`, when given, is called on the calling thread as stages complete, in this order:

    - `retrieved` `{"passages", "documents", "titles"}`: after retrieval (titles of the top documents);
    - `composed` `{"composer", "claims", "sections"}`: after composition, unless the answer abstained first;
    - `bottom_line` `{"question", "audience", "bottom_line", "red_flags"}`: as soon as the bottom line
      is verified and numbered;
    - `section` `{"index", "title", "items"}`: each shown section, in order, as soon as it is verified.

    `bottom_line` and `section` carry exactly what the returned answer holds (as `model_dump(mode="json")`:
    same citation numbers, same audience wording); an answer that abstains sends neither. The
    listener should return quickly; an exception it raises abandons the answer.
    """
    settings = mc.settings
    emit = on_event or _no_listener
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
    emit("retrieved", _retrieved(hits))

    t = time.perf_counter()
    weights = Weights(term_weights(result.query, mc.retriever.doc_freq, mc.retriever.total_docs()))
    evidence = select_evidence(
        result.query,
        hits,
        weights,
        similarity=_similarity(mc, result.query),
        doc_order=list(dict.fromkeys(h.doc.id for h in result.hits)),
    )
    evidence, hits, dropped = instructions.screen(evidence, hits)  # text addressed to an AI is never evidence
    timings["select"] = _ms(t)

    base = Answer(
        question=question,
        audience=audience,
        bottom_line=BottomLine(text=""),
        red_flags=flags,
        disclaimer=settings.answer.patient_disclaimer if audience is Audience.PATIENT else settings.answer.disclaimer,
        last_updated=date.today(),
        notes=_phi_notes(question) + _spelling_notes(result.query) + wording.notes_for(audience),
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
                "provenance": _provenance(mc, result.hits, "none", result.timings_ms, dropped),
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
    emit(
        "composed",
        {
            "composer": draft.model or composer.name,
            "claims": len(draft.bottom_line) + sum(len(s.items) for s in draft.sections),
            "sections": len(draft.sections),
        },
    )

    t = time.perf_counter()
    judge = create("judge", settings.llm.judge if draft.model else "lexical", settings)
    checked = _check(draft, hits, judge, mc, audience, _Announcer(emit, question, audience, flags))
    bottom_claims, sections, references, unsupported = checked
    timings["verify"] = _ms(t)

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
                "provenance": _provenance(mc, hits, draft.model or composer.name, result.timings_ms, dropped),
            }
        )
    bottom = bottom_line(bottom_claims)
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
            "provenance": _provenance(mc, hits, draft.model or composer.name, result.timings_ms, dropped),
        }
    )


def bottom_line(claims: list[Claim]) -> BottomLine:
    """The bottom line made of its verified, numbered and reworded claims."""
    return BottomLine(
        text=" ".join(c.text for c in claims),
        citations=sorted({n for c in claims for n in c.citations}),
        claims=claims,
    )


class _Announcer:
    """Sends the bottom line and each section as they are ready, bottom line first.

    An empty bottom line is held back until a section is ready: if none ever is, the answer
    abstains, and an abstention sends neither.
    """

    def __init__(self, emit: OnEvent, question: str, audience: Audience, flags: Sequence[RedFlag]) -> None:
        self._emit, self._question, self._audience, self._flags = emit, question, audience, flags
        self._bottom: BottomLine | None = None
        self._sent_bottom = False
        self._sections = 0

    def bottom_line(self, bottom: BottomLine) -> None:
        self._bottom = bottom
        if bottom.claims:
            self._send_bottom()

    def section(self, section: AnswerSection) -> None:
        self._send_bottom()
        self._emit("section", {"index": self._sections, **section.model_dump(mode="json")})
        self._sections += 1

    def _send_bottom(self) -> None:
        if self._sent_bottom or self._bottom is None:
            return
        self._sent_bottom = True
        data = {
            "question": self._question,
            "audience": self._audience.value,
            "bottom_line": self._bottom.model_dump(mode="json"),
            "red_flags": [f.model_dump(mode="json") for f in self._flags],
        }
        self._emit("bottom_line", data)


def _check(
    draft: Draft, hits: Sequence[Hit], judge: Judge, mc: Medcite, audience: Audience, announce: _Announcer
) -> tuple[list[Claim], list[AnswerSection], list[Reference], list[Claim]]:
    """Verify, number and reword the draft group by group: (bottom line, sections, references, unsupported).

    Groups are numbered in the same order `number_references` would number them all at once
    (bottom line first, then each section), so what is announced early never changes later.
    """
    cfg = mc.settings.answer
    passages = {h.chunk.id: h.chunk.text for h in hits}
    numbering = Numbering(hits, cfg.max_references)
    unsupported: list[Claim] = []

    def checked(group: list[Claim]) -> list[Claim]:
        ok, failed = verify(group, passages, judge, cfg.min_support)
        unsupported.extend(failed)
        return [wording.adapt_claim(c, audience) for c in numbering.number(ok)]

    bottom_claims = checked(draft.bottom_line)
    announce.bottom_line(bottom_line(bottom_claims))
    sections: list[AnswerSection] = []
    for draft_section in draft.sections:
        items = checked(draft_section.items)
        if items:
            sections.append(AnswerSection(title=draft_section.title, items=items))
            announce.section(sections[-1])
    return bottom_claims, sections, numbering.references, unsupported


def _retrieved(hits: Sequence[Hit]) -> dict[str, Any]:
    docs = list(dict.fromkeys(h.doc.id for h in hits))
    titles = {h.doc.id: h.doc.title for h in hits}
    return {"passages": len(hits), "documents": len(docs), "titles": [titles[d] for d in docs[:TOP_TITLES]]}


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


def _spelling_notes(query: Query) -> list[str]:
    if not query.corrections:
        return []
    read = ", ".join(f"“{wrong}” as “{right}”" for wrong, right in query.corrections.items())
    return [f"Read {read}: the indexed sources do not use the word as typed."]


def _phi_notes(question: str) -> list[str]:
    found = safety.personal_data(question)
    if not found:
        return []
    return [
        "Your question appears to contain personal identifiers (for example a phone number, e-mail, record "
        "number or date of birth). medcite does not need them: please remove them before sharing this answer."
    ]


def _provenance(
    mc: Medcite, hits: Sequence[object], model: str, retrieval_ms: dict[str, float], dropped: list[dict[str, Any]]
) -> dict[str, object]:
    store = mc.store
    return {
        "dropped_instructions": dropped,
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
