"""The default composer: verbatim evidence sentences, selected, ordered and grouped.

Deterministic, needs nothing beyond the index, and every sentence it shows is a quote of the
passage it cites, so the support check is exact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medcite.answer.compose.base import ComposeContext, Draft, DraftSection, section_title
from medcite.answer.select import FACET_ORDER, SHORT_LIST_WORDS, dedupe, strip_grade
from medcite.records import Aspect, Audience, Claim, Evidence, SourceType, Understanding
from medcite.settings import Settings
from medcite.text import stem, tokens

_INTENTS: list[tuple[str, re.Pattern[str]]] = [
    (
        "timing",
        re.compile(
            r"\b(when|how (soon|long)|refer\w*|escalat\w*|next step|unresponsive|not (improv|respond)\w*|"
            r"refractory|persist\w*|fail\w*)\b",
            re.I,
        ),
    ),
    (
        "treatment",
        re.compile(
            r"\b(treat\w*|therap\w*|manag\w*|next step|first[- ]line|drug|medication|dose|"
            r"dosing|prescri\w*|take|options?|surgery|cure)\b",
            re.I,
        ),
    ),
    (
        "diagnosis",
        re.compile(
            r"\b(diagnos\w*|test\w*|imaging|mri|ct|x-?ray|work[- ]?up|evaluat\w*|assess\w*|"
            r"investigat\w*)\b",
            re.I,
        ),
    ),
    ("screening", re.compile(r"\b(screen\w*|how often|interval|prevent\w*|vaccin\w*)\b", re.I)),
    ("populations", re.compile(r"\b(pregnan\w*|breastfeed\w*|child\w*|infant|older|elderly|kidney|renal)\b", re.I)),
]


def detect_intents(question: str) -> list[str]:
    intents = [facet for facet, cue in _INTENTS if cue.search(question)]
    if _ESCALATION_ASKED.search(question):
        intents.append("escalation")
    return intents


_ESCALATION_ASKED = re.compile(
    r"\b(next step|unresponsive|not respond\w*|refractory|fail\w*|despite|still (bad|there|present|not)|"
    r"not (settling|improving|improved|working|better)|persist\w*|second[- ]line|inadequate)\b",
    re.I,
)


def section_order(intents: list[str]) -> list[str]:
    """Red flags first, then what the question asks about, then the rest; pitfalls close the answer."""
    order = ["red_flags", *[i for i in intents if i in FACET_ORDER and i not in ("red_flags", "pitfalls")]]
    order += [f for f in FACET_ORDER if f not in order and f != "pitfalls"]
    return list(dict.fromkeys([*order, "pitfalls"]))


def claim_from(e: Evidence) -> Claim:
    text = strip_grade(e.text) if e.grading else e.text
    return Claim(text=text, passages=[e.hit.chunk.id], evidence=e.grading, level=e.level)


class ExtractiveComposer:
    name = "extractive"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def compose(self, ctx: ComposeContext) -> Draft:
        u = ctx.query.understood
        evidence = place_recommendations(ctx.evidence, ctx.intents)
        evidence = focus(evidence, u)
        answering = answering_document(ctx, evidence)
        bottom = choose_bottom_line(
            evidence,
            ctx.intents,
            u,
            answering_doc=answering,
            lead=ctx.settings.answer.answering_document_lead,
            close=ctx.settings.answer.bottom_line_close,
        )
        used = {id(e) for e in bottom}
        rest = merge_lists([e for e in evidence if id(e) not in used])
        sections = build_sections(rest, ctx, budget(u, ctx.settings, len(bottom)), answering=answering)
        return Draft(bottom_line=[claim_from(e) for e in bottom], sections=sections, model=None)


def answering_document(ctx: ComposeContext, evidence: list[Evidence]) -> str | None:
    """The document the bottom line should come from: of the search's first documents (those searched
    again in full, `answer.deepen_documents`), the one whose best passage score plus
    `answer.answering_document_sentence` x its best sentence's score, plus `answering_document_meaning` x
    its closest passage in meaning and `answering_document_cover` x the most of the question's terms one
    passage covers, is highest.

    Why these: the search ranks passages against the whole story; a sentence's score says how well the
    document's best sentence answers what is asked, for this patient. Together they pick the answering
    guideline more often than either alone (docs/benchmarks.md, stop 32: 715 of 999 vignettes, against
    690 for the search's first document and 680 for the bottom line chosen across documents). A long
    story's words find the broad guideline; one passage close to it in meaning, or covering much of it,
    marks the one written for this patient (stop 33: 952 of 1,257 against 928)."""
    cfg = ctx.settings.answer
    first = ctx.doc_order[0] if ctx.doc_order else None
    if cfg.answering_document_sentence <= 0 or first is None:
        return first
    top = ctx.doc_order[: max(1, cfg.deepen_documents)]
    combined: dict[str, float] = {}
    meaning: dict[str, float] = {}
    cover: dict[str, float] = {}
    for h in ctx.hits:
        if h.doc.id in top:
            combined[h.doc.id] = max(combined.get(h.doc.id, 0.0), h.score)
            meaning[h.doc.id] = max(meaning.get(h.doc.id, 0.0), h.scores.get("dense", 0.0))
            cover[h.doc.id] = max(cover.get(h.doc.id, 0.0), h.scores.get("passage_cover", 0.0))
    for doc in combined:
        combined[doc] += cfg.answering_document_meaning * meaning[doc] + cfg.answering_document_cover * cover[doc]
    said: dict[str, float] = {}
    for e in evidence:
        if e.hit.doc.id in combined:
            said[e.hit.doc.id] = max(said.get(e.hit.doc.id, 0.0), e.score)
    if not said:
        return first
    for doc, best in said.items():
        combined[doc] += cfg.answering_document_sentence * best
    # A tie goes to the search's order.
    return min(combined, key=lambda d: (-combined[d], top.index(d)))


def asked_aspects(u: Understanding | None) -> list[Aspect]:
    """The specific aspects a question asks ("management" and "other" ask for everything)."""
    if u is None:
        return []
    return [a for a in u.aspects if a not in (Aspect.MANAGEMENT, Aspect.OTHER, Aspect.PROGNOSIS)]


#: Aspects that ask the same thing in other words ("which drug first?" is first choice and drug):
#: one more of them does not make the question ask more.
_SAME_QUESTION = {Aspect.DRUG: Aspect.FIRST_CHOICE, Aspect.WHETHER_TO_TEST: Aspect.TEST}


def budget(u: Understanding | None, settings: Settings, used: int) -> int:
    """How many items the sections may hold: a question about one thing gets a short answer."""
    cfg = settings.answer
    n = len({_SAME_QUESTION.get(a, a) for a in asked_aspects(u)})
    total = cfg.items_general if n == 0 else cfg.items_one_aspect + cfg.items_per_aspect * (n - 1)
    return max(1, min(total, cfg.items_general) - max(0, used - 1))


def focus(evidence: list[Evidence], u: Understanding | None) -> list[Evidence]:
    """What answers this question: when some evidence comes from documents about the question's
    problem, a sentence of another document stays only if it outranks them all and speaks to the
    asked aspect (a neighbouring guideline rarely answers for this patient)."""
    on = [e for e in evidence if e.on_problem]
    if not on:
        return evidence
    best = max(e.score for e in on)
    asked = asked_aspects(u)
    return [e for e in evidence if e.on_problem or (e.score > best and (not asked or e.aspects))]


def place_recommendations(evidence: list[Evidence], intents: list[str]) -> list[Evidence]:
    """A guideline recommendation that no section cue recognised ("an albumin infusion of 6-8 g per
    liter ... is recommended") belongs with what the question asks about, not in the background
    section, which is the first to be dropped from a long answer."""
    target = next((i for i in intents if i in FACET_ORDER and i not in ("red_flags", "pitfalls")), "treatment")
    return [
        e.model_copy(update={"facet": target}) if e.facet == "background" and e.recommendation else e for e in evidence
    ]


ESCALATION_BONUS = 0.12
_ESCALATES = re.compile(
    # "failure of first-line therapy", not "heart failure of ischemic origin"; "remains >= 70 mg/dL on
    # maximally tolerated statin" is a statement about what to do when the first step was not enough.
    r"\b(not (improved|worked|responded|respond)|has not|have not|inadequate response|failed|"
    r"(?<!heart )(?<!cardiac )(?<!renal )(?<!kidney )(?<!liver )(?<!hepatic )(?<!respiratory )failure of|"
    r"refractory|second[- ]line|persist\w*|despite|unresponsive|non[- ]?responders?|after \d+ (weeks|months)|"
    r"remains? (above|elevated|uncontrolled|high|at or above|>|≥)|on maximal(ly tolerated)?)",
    re.I,
)


_DECLINED = re.compile(
    r"\b(who|that) (decline|refuse|do not want|prefer not|cannot tolerate|are intolerant)\w*\b", re.I
)


def _top_rated(text: str) -> bool:
    """An appropriateness-table row the source rates 7-9 ("usually appropriate") can be the answer."""
    m = re.search(r"\bRating: ([1-9])\b", text)
    return m is not None and int(m.group(1)) >= 7


#: Aspects whose answer is something to do: the bottom line should be a recommendation for it.
_TO_DO = {
    Aspect.FIRST_CHOICE,
    Aspect.DRUG,
    Aspect.DOSE,
    Aspect.ROUTE_SITE,
    Aspect.DURATION,
    Aspect.REPEAT,
    Aspect.NEXT_STEP,
    Aspect.CONTINUE_STOP,
    Aspect.MANAGEMENT,
}
ASPECT_LEAD_BONUS = 0.12
ASPECT_BONUS = 0.06
DO_BONUS = 0.08
UNDECIDED_PENALTY = 0.1
LONG_WORDS = 60


def _bottom_score(e: Evidence, asked: Sequence[Aspect], intents: list[str]) -> float:
    """How well a sentence would open the answer: its own score, plus saying what was asked (the
    first aspect asked most), plus being a recommendation to act when the question asks what to do."""
    score = e.score
    if asked and e.aspects:
        score += ASPECT_LEAD_BONUS if e.aspects[0] == asked[0] else ASPECT_BONUS
        score += ASPECT_BONUS / 2 * (len(e.aspects) - 1)
    doing = not asked or asked[0] in _TO_DO
    if doing and e.recommendation and e.polarity == "for" and e.facet != "pitfalls":
        score += DO_BONUS
    if asked and asked[0] is Aspect.WHETHER_TO_TEST and e.polarity != "neutral":
        score += DO_BONUS / 2
    if e.polarity == "neutral" and e.recommendation:
        score -= UNDECIDED_PENALTY  # "insufficient evidence to recommend for or against"
    if "escalation" in intents and _ESCALATES.search(e.text):
        score += ESCALATION_BONUS
    elif asked and asked[0] is Aspect.FIRST_CHOICE and (_ESCALATES.search(e.text) or _DECLINED.search(e.text)):
        score -= ESCALATION_BONUS  # "what first?" is not answered by what to do after the first has failed
    if len(e.text.split()) > LONG_WORDS:
        score -= DO_BONUS  # a bottom line is read at a glance
    return score


def choose_bottom_line(
    evidence: list[Evidence],
    intents: list[str],
    u: Understanding | None = None,
    max_sentences: int = 3,
    answering_doc: str | None = None,
    lead: float = 0.0,
    close: float = 0.0,
) -> list[Evidence]:
    """1-3 sentences that answer directly: the best recommendations that say what to do, about the
    question's problem and, when the question asks something specific (a dose, an interval), saying it
    — the first aspect asked first, then sentences that say the other aspects asked.

    `lead` is added to the sentences of `answering_doc` when choosing the one that opens the bottom
    line; the sentences that join it are ranked on their own ("an example of a topical steroid":
    another guideline's sentence naming one).

    "What should be offered instead of X?" leads with the first choice that is not X, then X's place.
    """
    if not evidence:
        return []
    complete = [
        e for e in evidence if e.text.rstrip().endswith((".", "!", "?", ")")) or " … " in e.text or _top_rated(e.text)
    ]
    complete = complete or evidence
    complete = [e for e in complete if e.on_problem] or complete
    # "Any side effects from Robaxin?" opens with what the sources say of methocarbamol.
    complete = [e for e in complete if e.names_asked] or complete
    asked = asked_aspects(u)
    if not asked:
        preferred = [e for e in complete if e.recommendation and e.polarity == "for" and e.facet != "pitfalls"]
        wanted = [e for e in preferred if e.facet in intents or e.facet == "red_flags"] or preferred
        complete = wanted or [e for e in complete if e.facet not in ("red_flags", "background")] or complete
    ranked = sorted(complete, key=lambda e: -_bottom_score(e, asked, intents))
    # A bottom line is a direct statement: a quoted list (lead-in … items) reads better in a section,
    # unless the list is what says the asked aspect ("measure HbA1c at: … 3- to 6-monthly intervals").
    ranked = [e for e in ranked if " … " not in e.text or (asked and e.aspects and e.aspects[0] == asked[0])] or ranked
    if asked and asked[0] in _TO_DO:
        # "What should I offer first?" is answered by what to do, not by what to avoid.
        ranked = [e for e in ranked if e.polarity == "for" and e.facet != "pitfalls"] or ranked
    if "escalation" in intents:
        # "What next when X has not worked?": the answer is a statement about what to do after failure.
        ranked = [e for e in ranked if _ESCALATES.search(e.text)] or ranked
    if lead and answering_doc is not None:
        opener = max(
            ranked, key=lambda e: _bottom_score(e, asked, intents) + (lead if e.hit.doc.id == answering_doc else 0)
        )
        ranked = [opener, *(e for e in ranked if e is not opener)]
    instead = [w for w in (u.instead_of if u else []) if len(w) > 2]
    if instead:
        return _instead_of(ranked, instead)
    if asked:
        return _cover_aspects(ranked, asked, max_sentences, close)
    return _lead_and_more(ranked, max_sentences)


def _mentions(e: Evidence, words: Sequence[str]) -> bool:
    """The sentence names one of `words` (by its first six letters: "hyaluronate" for "hyaluronic")."""
    low = e.text.lower()
    return any(re.search(rf"\b{re.escape(w.split()[0][:6])}", low) for w in words)


def _instead_of(ranked: list[Evidence], instead: Sequence[str]) -> list[Evidence]:
    """First the first choice that is not what was asked for, then what the source says of that."""
    lead = [e for e in ranked if not _mentions(e, instead) and e.polarity == "for"]
    lead = lead or [e for e in ranked if not _mentions(e, instead)]
    chosen = lead[:1]
    place = [e for e in ranked if _mentions(e, instead) and e not in chosen]
    if place:
        # X's place is best told by a sentence that relates it to the first choice or says when
        # ("a hypnotic such as zolpidem only when CBT-I is unavailable") over one that merely endorses it.
        lead_words = {stem(t) for t in tokens(chosen[0].text)} if chosen else set()

        def relates(e: Evidence) -> tuple[bool, int]:
            return (not _CONDITION.search(e.text), -len({stem(t) for t in tokens(e.text)} & lead_words))

        chosen.append(sorted(place, key=relates)[0])
    return chosen or ranked[:1]


_CONDITION = re.compile(
    r"\b(only (when|if|after|for)|unless|if .{0,40} (not|unavailable|failed)|not (as )?first)\b", re.I
)


def _cover_aspects(
    ranked: list[Evidence], asked: Sequence[Aspect], max_sentences: int, close: float = 0.0
) -> list[Evidence]:
    """The best sentence, then the best ones that say an asked aspect not yet said; with `close`, a
    first sentence that says it all is joined by its document's next sentence on the first aspect
    asked when that scored within `close` of it."""
    chosen = [ranked[0]]
    said = set(ranked[0].aspects)
    floor = ranked[0].score * 0.6
    for e in ranked[1:]:
        if len(chosen) >= max_sentences or set(asked) <= said:
            break
        new = set(e.aspects) - said
        if new and e.score >= floor and _words(chosen) + len(e.text.split()) <= BOTTOM_WORDS:
            chosen.append(e)
            said |= new
    if close > 0 and len(chosen) == 1 and asked[0] in said:
        top = chosen[0]
        seen = {stem(t) for t in tokens(top.text)}
        for e in ranked[1:]:
            if e.score < top.score * close:
                continue
            if (
                e.hit.doc.id == top.hit.doc.id
                and asked[0] in e.aspects
                and len({stem(t) for t in tokens(e.text)} - seen) >= 4
                and _words(chosen) + len(e.text.split()) <= BOTTOM_WORDS
            ):
                chosen.append(e)
                break
    return chosen


#: Most words of a bottom line made of several sentences.
BOTTOM_WORDS = 90


def _words(chosen: Sequence[Evidence]) -> int:
    return sum(len(c.text.split()) for c in chosen)


def _lead_and_more(pool: list[Evidence], max_sentences: int) -> list[Evidence]:
    top = pool[0]
    chosen = [top]
    words = len(top.text.split())
    covered = {stem(t) for t in tokens(top.text)}
    for e in pool[1:]:
        if len(chosen) >= max_sentences or e.score < top.score * 0.8:
            break
        new = {stem(t) for t in tokens(e.text)} - covered
        if len(new) < 4 or words + len(e.text.split()) > 90:
            continue
        chosen.append(e)
        covered |= new
        words += len(e.text.split())
    return chosen


def lead_in(text: str) -> str:
    """The lead-in a quoted list item carries ("Offer IV fluid therapy as part of a protocol: … item"),
    or "" for a sentence quoted alone; a whole short list (lead-in … item … item) counts as its own."""
    parts = text.split(" … ")
    return parts[0] if len(parts) == 2 and parts[0].endswith(":") else ""


def merge_lists(evidence: list[Evidence], max_words: int = SHORT_LIST_WORDS) -> list[Evidence]:
    """Items of one long list (the same passage and lead-in) quoted as one: "lead-in: … a … b", in the
    source's order, where the best of them ranks.

    Each item of a long list is scored on its own and carries its lead-in; quoted one by one, six items
    of "Offer IV fluid therapy as part of a protocol: …" would fill a short answer, and a referral
    list's third criterion would lose its place to another document's sentence. Joined, they take one
    place, and the quote stays verbatim (every part is in the one passage it cites). Items beyond
    `max_words` stay separate."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(evidence):
        lead = lead_in(e.text)
        if lead:
            groups.setdefault((e.hit.chunk.id, lead), []).append(i)
    out: list[Evidence] = []
    done: set[int] = set()
    for i, e in enumerate(evidence):
        if i in done:
            continue
        lead = lead_in(e.text)
        members = groups.get((e.hit.chunk.id, lead), []) if lead else []
        if len(members) < 2:
            out.append(e)
            continue
        kept: list[tuple[int, str]] = []
        words = len(lead.split())
        for j in members:
            item = evidence[j].text.split(" … ", 1)[1]
            if kept and words + len(item.split()) > max_words:
                continue
            kept.append((j, item))
            words += len(item.split())
        done.update(j for j, _ in kept)
        source = e.hit.chunk.text
        items = [item for _, item in sorted(kept, key=lambda k: source.find(k[1]))]
        out.append(e.model_copy(update={"text": " … ".join([lead, *items])}))
    # The same list in two passages (guidelines repeat themselves) is joined twice: keep one.
    return dedupe(out)


def _for_patient(e: Evidence, audience: Audience) -> bool:
    """A consumer-health sentence for a patient: what a page written for patients says answers them
    even without a clinician's cue words ("Once you have cirrhosis, nothing can make all the scar
    tissue go away.")."""
    return audience is Audience.PATIENT and e.hit.doc.type is SourceType.CONSUMER_HEALTH


def build_sections(
    evidence: list[Evidence], ctx: ComposeContext, limit: int | None = None, answering: str | None = None
) -> list[DraftSection]:
    """The best `limit` sentences (red flags besides), grouped into sections, what was asked first.

    Sentence scores already weigh the asked aspect and the question's problem, so a section about
    something else keeps nothing unless its sentences outrank those that answer. For a clinician, a
    document other than the `answering` one (the bottom line's) gives at most
    `answer.items_other_document` items: neighbouring guidelines score well on a story's words and
    filled a third of the items; limited, each still adds its best points (and is cited), and the
    answering guideline's next sentences take the places they left.
    """
    cfg = ctx.settings.answer
    if not evidence:
        return []
    floor = evidence[0].score * 0.45
    left = limit if limit is not None else cfg.items_general
    flags = [e for e in evidence if e.facet == "red_flags"][: cfg.max_items_per_section]
    ranked = sorted((e for e in evidence if e.score >= floor and e.facet != "red_flags"), key=lambda e: -e.score)
    per_facet: dict[str, int] = {}
    per_doc: dict[str, int] = {}
    # A patient's condition is spread over several pages written for patients (MedlinePlus, NIH
    # SeniorHealth, GHR for one topic): each of them answers, so their items are not limited.
    limited = bool(cfg.items_other_document and answering and ctx.audience is not Audience.PATIENT)
    chosen: list[Evidence] = []
    for e in ranked:
        if len(chosen) >= left:
            break
        if per_facet.get(e.facet, 0) >= cfg.max_items_per_section:
            continue
        doc = e.hit.doc.id
        if limited and doc != answering and per_doc.get(doc, 0) >= cfg.items_other_document:
            continue  # another guideline adds a point or two, not a second answer
        if e.facet == "background" and len({c.facet for c in chosen}) >= 2 and not _for_patient(e, ctx.audience):
            continue  # background only fills an answer that has little else
        per_facet[e.facet] = per_facet.get(e.facet, 0) + 1
        per_doc[doc] = per_doc.get(doc, 0) + 1
        chosen.append(e)
    by_facet: dict[str, list[Evidence]] = {}
    for e in [*flags, *chosen]:
        by_facet.setdefault(e.facet, []).append(e)
    return [
        DraftSection(
            facet=facet, title=section_title(facet, ctx.audience), items=[claim_from(e) for e in by_facet[facet]]
        )
        for facet in section_order(ctx.intents)
        if by_facet.get(facet)
    ]
