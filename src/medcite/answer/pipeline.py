"""The answer recipe: safety -> understand -> retrieve -> select -> (abstain?) -> compose -> verify -> cite -> adapt.

Verify, cite and adapt run one claim group at a time (the bottom line, then each section), so a
listener (`on_event`) can show the bottom line while the sections are still being checked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from medcite.answer import abstain, instructions, safety
from medcite.answer import audience as wording
from medcite.answer.cite import Numbering
from medcite.answer.compose import ComposeContext, create_composer
from medcite.answer.compose.base import Draft
from medcite.answer.compose.extractive import detect_intents
from medcite.answer.conflicts import find_conflicts
from medcite.answer.followups import follow_ups
from medcite.answer.select import Weights, problem_documents, select_evidence
from medcite.answer.verify import verify
from medcite.models import create
from medcite.records import (
    Answer,
    AnswerSection,
    Aspect,
    Audience,
    BottomLine,
    Claim,
    Evidence,
    Hit,
    Query,
    QueryFilters,
    RedFlag,
    Reference,
    Understanding,
)
from medcite.retrieve.grade import overall_level
from medcite.retrieve.query import drug_generics, drug_map
from medcite.text import STOPWORDS, tokens
from medcite.understand.tables import aspects as aspect_rules

if TYPE_CHECKING:
    from medcite.answer.ports import Corpus
    from medcite.settings import Settings

_T = TypeVar("_T")

StageEvent = Literal["retrieved", "composed", "bottom_line", "section"]
#: Listener for `answer_question`'s progress: `on_event(event, data)`, data JSON-ready.
OnEvent = Callable[[StageEvent, dict[str, Any]], None]
TOP_TITLES = 5


def _no_listener(event: StageEvent, data: dict[str, Any]) -> None:
    return None


def answer_question(
    corpus: Corpus,
    question: str,
    *,
    audience: Audience = Audience.CLINICIAN,
    filters: QueryFilters | None = None,
    context: Sequence[str] = (),
    on_event: OnEvent | None = None,
) -> Answer:
    """Answer one question from `corpus`. `context` holds earlier questions of a thread (follow-ups).

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
    run = _Run(corpus, question, audience, on_event)
    flags = run.stage("safety", safety.red_flags, question, audience)
    asked = resolve_follow_up(question, context)
    understood = run.stage("understand", read_question, corpus, question, context)
    found = run.stage("retrieve", retrieve, corpus, asked, question, understood, filters, audience)
    run.emit("retrieved", _retrieved(found.hits))
    evidence = run.stage("select", select, corpus, found, audience)
    base = run.base(flags, understood, found.query)
    verdict = abstain.assess(
        question, found.query, found.hits, evidence, Weights(found.weights), corpus.settings,
        red_flagged=bool(flags), doc_freq_zero=found.unseen, is_typo=lambda w: corpus.fuzzy_count(w) > 0,
        covered=covered(found, corpus), is_plain=corpus.is_plain_word,
        unnamed=[] if understood.problems else found.unnamed, patient=audience is Audience.PATIENT,
    )  # fmt: skip
    if verdict.abstain:
        return run.abstained(base, verdict.reason or "", found, closest=verdict.closest)
    draft = run.stage("compose", compose, corpus.settings, question, audience, found, evidence)
    run.emit("composed", _composed(draft))
    checked = run.stage("verify", check, draft, found.hits, corpus.settings, audience, run.announcer(flags))
    if checked.empty:
        reason = "The retrieved passages did not yield any statement that passed the support check."
        return run.abstained(base, reason, found, draft=draft, unsupported=checked.unsupported)
    return run.finish(base, checked, found, draft)


def read_question(corpus: Corpus, question: str, context: Sequence[str]) -> Understanding:
    """How the question is read. A follow-up ("and in people with CKD?") keeps the thread's problem
    and asked aspects; what it adds (a patient group, a comorbidity, a new aspect) refines them."""
    topic = thread_topic(context) if is_follow_up(question) else None
    if topic is None:
        return corpus.understand(question)
    base, extra = corpus.understand(topic), corpus.understand(question)
    comorbid = [*base.patient.comorbidities, *extra.patient.comorbidities, *(p.name for p in extra.problems)]
    patient = base.patient.model_copy(
        update={
            **{k: v for k, v in extra.patient.model_dump().items() if v not in (None, False, [])},
            "comorbidities": list(dict.fromkeys(comorbid)),
        }
    )
    return base.model_copy(
        update={
            "patient": patient,
            "aspects": extra.aspects or base.aspects,
            "qualifiers": list(dict.fromkeys([*base.qualifiers, *extra.qualifiers])),
            "setting": extra.setting or base.setting,
            "asked": f"{extra.asked} ({base.asked})",
        }
    )


@dataclass
class Found:
    """What retrieval hands the later stages: the query as understood, the (deepened) hits, the
    first-pass hits' document order, the query's term weights, and question words no source holds."""

    query: Query
    hits: list[Hit]
    first_docs: list[str]
    weights: dict[str, float]
    unseen: set[str]
    timings_ms: dict[str, float]
    dropped: list[dict[str, Any]] = field(default_factory=list)
    #: Medicines the asking clause asks about that no selected sentence names (set by `select`).
    unnamed: list[str] = field(default_factory=list)


def retrieve(
    corpus: Corpus,
    text: str,
    question: str,
    understood: Understanding,
    filters: QueryFilters | None,
    audience: Audience,
) -> Found:
    """Search the corpus for the question as read, then search its top documents again in full."""
    cfg = corpus.settings.answer
    focus = question if text != question else None
    result = corpus.search(
        text, k=cfg.hits, filters=filters, audience=audience, per_document=cfg.per_document, focus=focus,
        understood=understood,
    )  # fmt: skip
    # Within the top documents, a vignette's asking clause says which passage answers ("What dose do
    # I give?"): its words weigh more there; the story's words already found the documents.
    within_focus = focus or (understood.asked if result.query.vignette else None)
    hits = deepen(corpus, text, within_focus, result.hits, filters, audience, understood)
    return Found(
        query=result.query,
        hits=hits,
        first_docs=list(dict.fromkeys(h.doc.id for h in result.hits)),
        weights=result.weights,
        unseen={t for t in result.query.terms if t not in result.query.spellings and corpus.doc_freq(t) == 0},
        timings_ms=result.timings_ms,
    )


# A problem read at least this surely (a named one, a full presentation, or one described diagnosis:
# `understand.rules.DESCRIBED_SCORE`) with a top document about it is covered. Measured: 2.5 -> 2.0
# answers 2 more of 36 unseen vignettes and declines the same unanswerable ones (docs/benchmarks.md).
COVERED_SCORE = 2.0
COVERED_DOCUMENTS = 3


def covered(found: Found, corpus: Corpus) -> bool:
    """The reading found a problem surely enough, and one of the top documents is about it."""
    u = found.query.understood
    if u is None or not u.problems or u.problems[0].score < COVERED_SCORE:
        return False
    top = set(found.first_docs[:COVERED_DOCUMENTS])
    return bool(problem_documents(found.query, [h for h in found.hits if h.doc.id in top], corpus.about))


def select(corpus: Corpus, found: Found, audience: Audience = Audience.CLINICIAN) -> list[Evidence]:
    """Score the sentences of the retrieved passages, for a patient leaning on the pages written for
    patients (`answer.patient_consumer_bonus`); text addressed to an AI is never evidence (its
    documents leave `found.hits` and are listed in `found.dropped`)."""
    patient = audience is Audience.PATIENT
    evidence = select_evidence(
        found.query,
        found.hits,
        Weights(found.weights),
        corpus.settings.select,
        similarity=corpus.similarity(found.query),
        doc_order=found.first_docs,
        about=corpus.about,
        is_drug=corpus.is_drug,
        consumer_bonus=corpus.settings.answer.patient_consumer_bonus if patient else 0.0,
    )
    evidence, found.hits, found.dropped = instructions.screen(evidence, found.hits)
    evidence, found.unnamed = mark_asked(evidence, found.query, corpus)
    return evidence


def mark_asked(evidence: list[Evidence], query: Query, corpus: Corpus) -> tuple[list[Evidence], list[str]]:
    """Mark the sentences that name a medicine the asking clause asks about (by brand or generic), so
    the bottom line opens with one; return them with the asked medicines no selected sentence names:
    an answer would then be about something else. (The same for any rare word of the asking clause —
    "folliculitis" — was measured and left out: docs/benchmarks.md, stop 29.)"""
    u = query.understood
    models = str(corpus.settings.models_dir)
    # What the question sets aside ("instead of tramadol") is not what it asks about.
    against = {w for x in (u.instead_of if u is not None else []) for w in tokens(x)}
    asked = [t for t in (asked_treatments(u, models) if u is not None and u.asked else []) if t not in against]
    names = drug_map(models)
    unnamed = [t for t in asked if not any(mentions(e.text.lower(), t, names) for e in evidence)]
    named = [t for t in asked if t not in unnamed]
    if named:
        evidence = [
            e.model_copy(update={"names_asked": True}) if any(mentions(e.text.lower(), t, names) for t in named) else e
            for e in evidence
        ]
    return evidence, unnamed


def compose(settings: Settings, question: str, audience: Audience, found: Found, evidence: list[Evidence]) -> Draft:
    ctx = ComposeContext(
        question=question,
        query=found.query,
        audience=audience,
        hits=found.hits,
        evidence=evidence,
        weights=Weights(found.weights),
        settings=settings,
        intents=intents_for(found.query),
        doc_order=found.first_docs,
    )
    return create_composer(settings).compose(ctx)


@dataclass
class Checked:
    bottom: list[Claim]
    sections: list[AnswerSection]
    references: list[Reference]
    unsupported: list[Claim]

    @property
    def empty(self) -> bool:
        return not self.bottom and not self.sections


class _Run:
    """One answer in progress: times each stage, tells the listener, and assembles the record."""

    def __init__(self, corpus: Corpus, question: str, audience: Audience, on_event: OnEvent | None) -> None:
        self.corpus, self.question, self.audience = corpus, question, audience
        self.emit: OnEvent = on_event or _no_listener
        self.timings: dict[str, float] = {}
        self.t0 = time.perf_counter()

    def stage(self, name: str, fn: Callable[..., _T], *args: Any) -> _T:
        t = time.perf_counter()
        out = fn(*args)
        self.timings[name] = _ms(t)
        return out

    def announcer(self, flags: Sequence[RedFlag]) -> _Announcer:
        return _Announcer(self.emit, self.question, self.audience, flags)

    def base(self, flags: list[RedFlag], understood: Understanding, query: Query) -> Answer:
        settings = self.corpus.settings
        patient = self.audience is Audience.PATIENT
        return Answer(
            question=self.question,
            audience=self.audience,
            understood=understood,
            bottom_line=BottomLine(text=""),
            red_flags=flags,
            disclaimer=settings.answer.patient_disclaimer if patient else settings.answer.disclaimer,
            last_updated=date.today(),
            notes=_phi_notes(self.question)
            + _spelling_notes(query)
            + _reading_notes(understood)
            + wording.notes_for(self.audience),
        )

    def abstained(
        self,
        base: Answer,
        reason: str,
        found: Found,
        *,
        closest: list[str] | None = None,
        draft: Draft | None = None,
        unsupported: list[Claim] | None = None,
    ) -> Answer:
        self.timings["total"] = _ms(self.t0)
        return base.model_copy(
            update={
                "abstained": True,
                "abstain_reason": reason,
                "closest": closest or [],
                "unsupported": unsupported or [],
                "bottom_line": BottomLine(text=reason),
                "notes": base.notes + (draft.notes if draft else []),
                "timings_ms": self.timings,
                "provenance": self.provenance(found, draft),
            }
        )

    def finish(self, base: Answer, checked: Checked, found: Found, draft: Draft) -> Answer:
        bottom = bottom_line(checked.bottom)
        items = [*checked.bottom, *(i for s in checked.sections for i in s.items)]
        used = {p for c in items for p in c.passages}
        cited = [r.doc_id for r in checked.references]
        self.timings["total"] = _ms(self.t0)
        return base.model_copy(
            update={
                "bottom_line": bottom,
                "sections": checked.sections,
                "references": checked.references,
                "unsupported": checked.unsupported,
                "conflicts": find_conflicts(bottom, checked.sections, checked.references, self.question),
                "evidence_level": overall_level(c.level for c in items),
                "follow_ups": follow_ups(self.question, found.hits, used, self.audience, cited_docs=cited),
                "notes": unaddressed_notes(base.understood, items, self.corpus.settings) + base.notes + draft.notes,
                "timings_ms": self.timings,
                "provenance": self.provenance(found, draft),
            }
        )

    def provenance(self, found: Found, draft: Draft | None) -> dict[str, object]:
        settings = self.corpus.settings
        model = (draft.model or settings.answer.composer) if draft else "none"
        return {
            "dropped_instructions": found.dropped,
            "index_version": self.corpus.index_version(),
            "settings": settings.fingerprint(),
            "composer": settings.answer.composer,
            "models": {"embedder": self.corpus.embedder_name(), "composer": model, "judge": settings.llm.judge},
            "hits": [{"rank": h.rank, "chunk_id": h.chunk.id, "score": h.score} for h in found.hits],
            "retrieval_ms": found.timings_ms,
        }


def intents_for(query: Query) -> list[str]:
    """Answer sections the question asks about, first: from the asked aspects when the reading found
    any ("how often" -> screening, timing), else from the question's wording."""
    u = query.understood
    if u is None or not u.aspects:
        return detect_intents(query.normalised)
    rules = aspect_rules()
    facets = [f for a in u.aspects if a in rules for f in rules[a].facets]
    if Aspect.NEXT_STEP in u.aspects:
        facets.append("escalation")
    return list(dict.fromkeys(facets))


def _composed(draft: Draft) -> dict[str, Any]:
    return {
        "composer": draft.model or "extractive",
        "claims": len(draft.bottom_line) + sum(len(s.items) for s in draft.sections),
        "sections": len(draft.sections),
    }


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


def check(draft: Draft, hits: Sequence[Hit], settings: Settings, audience: Audience, announce: _Announcer) -> Checked:
    """Verify, number and reword the draft group by group: bottom line, then each section.

    Groups are numbered in the same order `number_references` would number them all at once
    (bottom line first, then each section), so what is announced early never changes later.
    """
    cfg = settings.answer
    judge = create("judge", settings.llm.judge if draft.model else "lexical", settings)
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
    return Checked(bottom_claims, sections, numbering.references, unsupported)


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


def deepen(
    corpus: Corpus,
    text: str,
    focus: str | None,
    hits: Sequence[Hit],
    filters: QueryFilters | None,
    audience: Audience,
    understood: Understanding | None = None,
) -> list[Hit]:
    """Search the top documents again, in full: their most specific passages come first.

    The first search ranks documents well but, across a whole corpus, often surfaces a guideline's
    generic passages ("low back pain with or without sciatica") rather than the one that answers
    ("consider epidural injections ... in acute and severe sciatica"). A second search restricted to
    the top documents finds those; the other first-stage hits follow.
    """
    cfg = corpus.settings.answer
    top = list(dict.fromkeys(h.doc.id for h in hits))[: cfg.deepen_documents]
    if not top:
        return list(hits)
    within = (filters or QueryFilters()).model_copy(update={"doc_ids": top})
    second = corpus.search(
        text, k=cfg.deepen_hits, filters=within, audience=audience, diversify=False, focus=focus,
        understood=understood,
    ).hits  # fmt: skip
    seen = {h.chunk.id for h in second}
    merged = [*second, *(h for h in hits if h.chunk.id not in seen)]
    return [h.model_copy(update={"rank": i}) for i, h in enumerate(merged, start=1)]


def _spelling_notes(query: Query) -> list[str]:
    if not query.corrections:
        return []
    read = ", ".join(f"“{wrong}” as “{right}”" for wrong, right in query.corrections.items())
    return [f"Read {read}: the indexed sources do not use the word as typed."]


def _phi_notes(question: str) -> list[str]:
    # `Medcite.ask` removes identifiers before this runs (and notes what it removed); a caller
    # that bypasses it is told the question still holds some.
    if not safety.personal_data(question):
        return []
    return [
        "Your question contains personal identifiers (for example a name, a phone number, a record number or "
        "a date of birth). medcite does not need them: ask through `Medcite.ask`, which removes them."
    ]


#: Drug-vocabulary words a question mostly uses for a test, a value or a figure of speech.
_NOT_ASKED_AS_TREATMENT = set(
    "gold water glucose calcium potassium sodium iron thyroid renin aldosterone paps pap cortisol oxygen".split()
)


def asked_treatments(u: Understanding, cache_dir: str | None) -> list[str]:
    """Medicines and remedies the asking clause names ("Any thoughts on taking activated charcoal?"),
    by the drug vocabulary the query stage uses; the patient's own medicines in a vignette's
    description are not what is asked."""
    drugs = drug_map(cache_dir)
    generics = drug_generics(cache_dir)
    words = tokens(u.asked)
    out: list[str] = []
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i : i + n])
            if len(phrase) < 4 or phrase in STOPWORDS or any(phrase in o for o in out) or not phrase[0].isalpha():
                continue
            if set(phrase.split()) & _NOT_ASKED_AS_TREATMENT:
                continue
            if phrase in drugs or (n == 1 and phrase in generics):
                out.append(phrase)
    # "New lesions despite interferon — is alemtuzumab an option?" asks about alemtuzumab: a medicine
    # already tried is asked about only when the clause names no other ("continue the metformin?").
    tried = {w for t in u.tried for w in tokens(t)}
    return [t for t in out if not set(t.split()) & tried] or out


def mentions(text: str, treatment: str, names: dict[str, str]) -> bool:
    """The (lower-cased) text names the treatment, or the generic of a brand ("Robaxin": methocarbamol;
    "MetroGel", "metronidazole vaginal": metronidazole; a combination by one of its parts)."""
    generic = names.get(treatment, "")
    parts = [p.split()[0] for p in generic.split("/") if p.strip()]
    return treatment in text or any(len(p) > 3 and p in text for p in parts)


def unaddressed_notes(u: Understanding | None, items: Sequence[Claim], settings: Settings) -> list[str]:
    """Say plainly when the answer's sources say nothing of the medicine the question asks about:
    the answer shown is what they do say about the problem, not a verdict on that medicine."""
    if u is None or not u.asked:
        return []
    names = drug_map(str(settings.models_dir))
    said = " ".join(c.text.lower() for c in items)
    missing = [t for t in asked_treatments(u, str(settings.models_dir)) if not mentions(said, t, names)]
    if not missing:
        return []
    listed = ", ".join(f"“{m}”" for m in missing[:3])
    return [
        f"The sources used here say nothing about {listed}: the answer gives what they say about the problem, "
        "not whether that helps."
    ]


def _reading_notes(u: Understanding) -> list[str]:
    """Tell the reader about words the reading had to interpret or set aside."""
    notes = []
    if u.read_as:
        read = ", ".join(f"“{w}” as “{r}”" for w, r in u.read_as.items())
        notes.append(f"Read {read}: no indexed source uses the word as typed.")
    if u.set_aside:
        words = ", ".join(f"“{w}”" for w in u.set_aside[:4])
        notes.append(f"No indexed source uses {words}; the answer rests on the rest of the question.")
    return notes


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 2)
