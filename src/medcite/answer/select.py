"""Select evidence: split retrieved passages into sentences, score them against the question,
and classify each into an answer section (facet) with its polarity and evidence level.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from medcite.answer.ages import age_fit
from medcite.answer.thresholds import value_fit
from medcite.records import Aspect, BlockKind, Chunk, Evidence, Facet, Hit, Query, SourceType
from medcite.retrieve.grade import evidence_level
from medcite.settings import SelectSettings
from medcite.text import STOPWORDS, split_sentences, stem, tokens
from medcite.understand.rules import asks_yes_or_no, proposal, proposing
from medcite.understand.tables import aspects as aspect_rules
from medcite.understand.tables import contrasts, patient_tables
from medcite.understand.vocabulary import names_term

# Facets, in default display order, with the cues that put a sentence there. The first facet
# whose cue matches wins, so the more specific facets come first.
FACET_ORDER: list[Facet] = list(Facet)

_CUES: list[tuple[Facet, re.Pattern[str]]] = [
    (
        Facet.RED_FLAGS,
        re.compile(
            r"\b(cauda equina|emergency (referral|care|admission|treatment)|immediate(ly)? (referral|refer|"
            r"assessment|transfer)|call 9-?1-?1|999 ambulance|life-threatening|medical emergency|urgent(ly)? "
            r"(referral|refer|assessment|evaluation))",
            re.I,
        ),
    ),
    (
        Facet.PITFALLS,
        re.compile(
            r"\b(do not|don't|should not|must not|avoid|not recommended|"
            r"(?:recommend|suggest|advise)(?:s|ed|d)? (?:against|not\b)|not (?:suggested|advised)|discourage[sd]?|"
            r"not be (offered|used|given|routinely|performed|prescribed)|is not indicated|are not indicated|"
            r"should be avoided|is not (recommended|advised)|are not (recommended|advised)|no role|"
            r"cannot (recommend|suggest)(?! for or against)|can ?not (recommend|suggest)(?! for or against))\b",
            re.I,
        ),
    ),
    (
        Facet.TIMING,
        re.compile(
            r"\b(refer(ral|red)?|specialist|within \d+|after \d+|(\d+|two|three|four|six|several) (weeks?|months?|"
            r"days?|hours?)|if (symptoms|pain) (persist|worsen)|not improved|has not improved|no improvement|"
            r"follow[- ]up|reassess|escalat|persistent|ongoing)\b",
            re.I,
        ),
    ),
    (
        Facet.SCREENING,
        re.compile(r"\b(screen(ing)?|every \d+ years|interval|vaccin\w*|immuni[sz]\w*|prevent\w*)\b", re.I),
    ),
    (
        Facet.DIAGNOSIS,
        re.compile(
            r"\b(imaging|mri|ct scan|computed tomography|x-?ray|radiograph\w*|ultrasound|diagnos\w*|test(ing|s)?|"
            r"biopsy|assessment|evaluat\w*|measurement\w*|laboratory|criteria|score)\b",
            re.I,
        ),
    ),
    (
        Facet.POPULATIONS,
        re.compile(
            r"\b(pregnan\w*|breastfeed\w*|lactat\w*|child(ren)?|infants?|neonat\w*|adolescen\w*|older (adults|people|"
            r"patients)|elderly|renal impairment|kidney disease|hepatic impairment|frail\w*)\b",
            re.I,
        ),
    ),
    (
        Facet.TREATMENT,
        re.compile(
            r"\b(treat\w*|therap\w*|offer|prescrib\w*|dose|dosing|mg|first[- ]line|second[- ]line|management|"
            r"manage|surgery|surgical|injection\w*|infusion\w*|transfus\w*|medication|drug|administer\w*|regimen|"
            r"discectomy|decompression|exercise|programme|program)\b",
            re.I,
        ),
    ),
]

_AGAINST = _CUES[1][1]
_RATING = re.compile(r"\bRating: ([1-9])\b")
# Flowchart arrows, table pipes, code fences and editorial notes are not statements to quote.
_NOT_PROSE = re.compile(
    r"-->|→|^\||\|\s*$|```|^notes?\s*:|^note from (the )?[^:]{3,90}:|\bsee the \"[^\"]{3,60}\" (field|section)|"
    r"^refer to the .{0,60}\b(section|field|table|appendix|full (version|text|guideline))",
    re.I,
)
# Sentences that lean on the previous one ("These are not first-line...") cannot stand alone. An
# "it" that points at nothing ("It is recommended that patients begin physical therapy...", "It is
# reasonable to...", "It is the opinion of the work group that...") opens a whole recommendation.
_EXPLETIVE_IT = (
    r"it (is|was|may be|might be|would be|should be|remains|seems|appears)"
    r"( not| also| generally| strongly| therefore| usually| often)? "
    r"(recommended|suggested|advised|advisable|important|essential|reasonable|appropriate|necessary|"
    r"unclear|uncertain|unknown|possible|preferable|acceptable|critical|crucial|vital|prudent|sensible|"
    r"helpful|useful|desirable|mandatory|imperative|good practice|best practice|"
    r"the (opinion|consensus|view|recommendation) of)\b"
)
_ANAPHORA = re.compile(
    rf"^(these|this|they|(?!{_EXPLETIVE_IT})it|such|those|both|either|neither|the latter|the former|"
    r"otherwise|similarly|in (this|that|these|such) (case|cases|situation|situations|setting|group)s?)\b",
    re.I,
)
# "However, using the 12 weeks mark as the latest timeframe to start adjuvant chemotherapy is
# suggested.": a connective links the sentence to the one before without its meaning depending on it.
# The rest of the sentence is quoted (still verbatim, up to case), and only if it stands alone itself
# ("However, these are ..." does not). "Similarly" and "otherwise" carry the previous sentence's
# subject, so they stay out (above).
_CONNECTIVE = re.compile(r"^(however|in addition|additionally|also|furthermore|moreover|in general),?\s+", re.I)
_RECOMMEND = re.compile(
    r"\b(recommend\w*|suggest\w*|offer|consider|should|must|is indicated|are indicated|advise\w*|"
    r"first[- ]line|preferred|do not|avoid|(strong|moderate|limited|good|sufficient) evidence supports?|"
    r"evidence supports|(is|are) (an )?(options?|effective|beneficial|appropriate|the treatment of choice)|"
    # The weaker grades of many guideline families: "Amantadine may be considered ..." (AAN level B), "It
    # is reasonable to ..." (ACC/AHA class IIa), "... can be offered".
    r"(may|can|could) (also )?be (considered|offered|recommended|tried)|(is|are|seems|appears) reasonable)\b",
    re.I,
)
# NICE-style recommendations are imperatives ("Use a high-specification foam mattress for ...").
_IMPERATIVE = re.compile(
    # NICE words most recommendations as imperatives, often after the population they are for:
    # "Use a high-specification foam mattress...", "In adults with type 2 diabetes, measure HbA1c...".
    r"^(?:\[[^\]]*\]\s*)?(?:(?:in|for|if|when|after|before|during|once|unless)\b[^,.;]{3,140},\s*)?"
    r"(use(?! of\b)|give|offer|ensure|carry out|provide|start|stop|refer|assess|measure|check|arrange|"
    r"discuss|explain|encourage|prescribe|treat|perform|obtain|monitor|reassess|document|record|inform|"
    r"take|keep|continue|discontinue|repeat|seek|admit|transfer|test|screen|examine|investigate|withhold|"
    r"reduce|increase|titrate|switch|add|limit|restrict|maintain|think about)\b",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")
# "If hyponatraemia develops, follow algorithm 6": the advice is in a figure the summary does not hold.
# A parenthesised "(see table 2)" inside a statement is only a reference and does not count.
_POINTER = re.compile(
    r"(?<!\()\b(?:follow(?:ing)?|see|refer to|consult|use)\s+(?:the\s+)?(?:algorithm|table|figure|appendix|box|"
    r"flow ?chart|pathway|chapter)s?\s+[\dA-Z]",
    re.I,
)
_GRADE_TAIL = re.compile(r"\s*\((?:strong|conditional|weak|grade|level|class)[^)]{0,60}\)\s*\.?$", re.I)


#: Guideline-summary fields that describe the guideline rather than recommend: useful to find a
#: guideline, poor as statements of what to do.
DESCRIPTIVE_FIELDS = {
    "Guideline Objective(s)",
    "Target Population",
    "Interventions and Practices Considered",
    "Disease/Condition(s)",
    "Potential Benefits",
    "Clinical Algorithm(s)",
}

#: Sentence texts -> cosine similarity to the question, one value per text.
Similarity = Callable[[list[str]], Sequence[float]]
#: Does document `doc_id` say (title, condition list) it is about one of `terms`?
About = Callable[[str, list[str]], bool]
# A patient's own value: a number ("170/112", "0.2") or a number with a unit or an age ("62-year-old",
# "9-month-old", "74m", "13:00", "5mg") -- but not a name that starts with one ("5-fluorouracil").
_UNIT = (
    r"(?:years?|yrs?|yo|y|months?|mo|weeks?|wks?|w|days?|d|old|m|f|h|hrs?|hours?|mins?|minutes?|mg|mcg|g|kg|"
    r"ml|l|mmol|iu|units?|cm|mm|bpm)"
)
_VALUE = re.compile(rf"^[<>=~]?\d[\d.,/:%]*(?:-?{_UNIT})?(?:-{_UNIT})*$|^[\d.,/<>=%-]+$")


@dataclass(frozen=True)
class Weights:
    """IDF weight per stemmed question term; computed once per question."""

    terms: dict[str, float]

    def discounting(self, topic: set[str], factor: float) -> Weights:
        """Weights with a document's topic words (its title) discounted: every sentence of that
        document shares them, so they cannot tell its sentences apart."""
        return Weights({s: w * factor if s in topic else w for s, w in self.terms.items()})

    def without_values(self, factor: float) -> Weights:
        """Weights with bare numbers discounted: in a question they are usually the patient's own
        values ("170/112", "Hb 75", "14 yo"), rare in the corpus and so heavily weighted, yet a
        passage that answers the question rarely repeats them."""
        return Weights({s: w * factor if _VALUE.match(s) else w for s, w in self.terms.items()})

    def negated(self, question: str, factor: float) -> Weights:
        """Weights with the words a negation governs in the question discounted: "pulmonary TB without
        CNS involvement" asks about the regimen that is not for CNS TB, so a sentence about CNS TB
        must not win on those words."""
        spans = patient_tables().negated_spans(question)
        if not spans:
            return self
        gone = {stem(t) for s, e in spans for t in tokens(question[s:e])}
        return Weights({s: w * factor if s in gone else w for s, w in self.terms.items()})

    def focused(self, focus: set[str], factor: float) -> Weights:
        """Weights with the words outside `focus` discounted: in a case vignette, the words that
        describe the patient found the problem's guideline; within it, the sentence that answers is
        the one about what is asked ("which non-surgical treatment first?"), not one that repeats the
        presentation ("tingling in the thumb, positive Phalen's")."""
        if not focus:
            return self
        return Weights({s: w if s in focus else w * factor for s, w in self.terms.items()})

    def within(self, present: set[str]) -> Weights:
        """Only the terms some retrieved passage holds: a question word no passage uses ("seizing",
        "max") cannot tell passages apart, yet would shrink every passage's coverage."""
        kept = {s: w for s, w in self.terms.items() if s in present}
        return Weights(kept) if kept else self

    def coverage(self, stems: set[str]) -> float:
        total = sum(self.terms.values())
        if total <= 0:
            return 0.0
        return sum(w for s, w in self.terms.items() if s in stems) / total


def facet_of(sentence: str, research: bool = False) -> Facet:
    rating = _RATING.search(sentence)
    if rating:
        return Facet.DIAGNOSIS if int(rating.group(1)) >= 4 else Facet.PITFALLS
    for facet, cue in _CUES:
        if facet is Facet.PITFALLS and not _advises_against(sentence):
            continue
        if cue.search(sentence):
            # A "do not" inside a red-flag sentence is still a red flag, not a pitfall.
            return facet
    return Facet.RESEARCH if research else Facet.BACKGROUND


# "There is insufficient evidence to recommend for or against ...": a statement of uncertainty, not
# advice either way. So is a call for research ("Enrollment of subjects in properly designed clinical
# investigations assessing the optimal duration of this therapy is recommended"): it recommends a
# study, not what to do for the patient.
_UNDECIDED = re.compile(
    r"\b((insufficient|inconclusive|not enough|limited|no) evidence to (recommend|support|suggest)|"
    r"for or against|neither for nor against|no recommendation|unable to (recommend|make a recommendation)|"
    r"enrol\w* (of )?(\w+ ){0,3}in(to)? (\w+ ){0,3}(clinical )?(trials?|investigations?|studies|research)|"
    r"(further|more|additional|future) (research|studies|trials|investigation) (is |are )?"
    r"(needed|required|warranted|recommended|necessary)|"
    r"(research|studies|trials|investigations) (\w+ ){0,8}(is|are) "
    r"(needed|required|warranted|recommended|necessary))\b",
    re.I,
)


#: "who do not have IV access", "if they cannot swallow": a negation inside a clause that says who
#: the advice is for, not advice against.
_CLAUSE_NEGATION = re.compile(
    r"\b(who|that|which|whose|if|when|where|unless|whom|they|people|children|adults)\s+(\w+\s+){0,2}$", re.I
)


_PURPOSE = re.compile(r"\b(to|so as to|in order to|helps? to|aims? to)\s+$", re.I)


def _advises_against(sentence: str) -> bool:
    """A "do not / avoid / not recommended" that governs the advice ("Do not offer X"), not one in a
    clause saying whom it is for ("who do not have IV access") or why ("to avoid the risks")."""
    return any(
        not _CLAUSE_NEGATION.search(sentence[: m.start()]) and not _PURPOSE.search(sentence[: m.start()])
        for m in _AGAINST.finditer(sentence)
    )


def polarity(sentence: str) -> str:
    if _UNDECIDED.search(sentence):
        return "neutral"
    if _advises_against(sentence):
        return "against"
    if _RECOMMEND.search(sentence) or _IMPERATIVE.match(sentence):
        return "for"
    return "neutral"


def clean_sentence(sentence: str) -> str:
    """Drop list markers; the sentence is otherwise kept verbatim (support stays exact)."""
    return _BULLET.sub("", sentence).strip()


_FIELD = re.compile(r"^(\[[^\]]*\]\s*)?[A-Z][\w /()-]{2,40}: \S")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_ROW = re.compile(r"^[^;:\n]{2,40}: [^\n]*; [A-Z][^;:\n]{1,30}: ")


_BULLET_LINE = re.compile(r"^\s*[-•*]\s+")
SHORT_LIST_WORDS = 120
SHORT_LIST_ITEMS = 8
MAX_SENTENCE_WORDS = 90
#: Most words of a lead-in ("... consider:") quoted before each of its list items.
LEAD_WORDS = 30


#: The end of a sentence that introduces a list whose items follow on lines of their own without list
#: markers, as consumer-health pages write them ("many people can improve their symptoms by" +
#: "Eating smaller meals" / "Not eating close to bedtime"; "Symptoms may include - fever" + ...).
_OPENS_LIST = re.compile(r"(:|\b(include|includes|including|such as|by|are|following))$", re.I)
_INLINE_FIRST = re.compile(
    r"^(?P<lead>.*?\b(?:include|includes|including|are|such as)|.*?:)\s+-\s+(?P<item>\S.*)$", re.I
)
#: Most words of an item written on a line of its own without a list marker.
PLAIN_ITEM_WORDS = 15


#: "NIH: National Institute of ...": who wrote the page, not an item of the list above it.
_ATTRIBUTION = re.compile(r"^[A-Z]{2,}\b[\w ]*: ")

_MODALS = frozenset({"may", "might", "must", "should", "will", "would", "shall", "can", "could"})
#: A sentence whose subject was lost where the source's table or list was flattened ("are often used
#: with other treatments.", "and vitamin D analogues."): it reads as nothing alone.
_HEADLESS = re.compile(r"^(?:" + "|".join(sorted(STOPWORDS | _MODALS)) + r") ")  # not "a. Prescribe ..."


def _plain_item(line: str) -> bool:
    """A line that can be a list item without a marker: short, and not a sentence, a lead-in or an
    attribution."""
    line = line.strip()
    return (
        bool(line)
        and len(line.split()) <= PLAIN_ITEM_WORDS
        and not line.endswith((".", "!", "?", ":"))
        and not _ATTRIBUTION.match(line)
    )


def _plain_list(lines: list[str], i: int) -> tuple[list[str], str, list[str], int] | None:
    """Line `i` ends in a lead-in followed by at least two unmarked item lines: (the line's sentences
    before the lead-in, the lead-in, the items, the index after them); None otherwise."""
    sentences = split_sentences(lines[i].strip())
    if not sentences:
        return None
    before, last = sentences[:-1], sentences[-1]
    items: list[str] = []
    inline = _INLINE_FIRST.match(last)
    if inline:
        last, items = inline["lead"], [inline["item"].rstrip(";,")]
    elif not _OPENS_LIST.search(last) or _ANAPHORA.match(last):
        return None
    j = i + 1
    while j < len(lines) and _plain_item(lines[j]) and not _BULLET_LINE.match(lines[j]):
        items.append(lines[j].strip().rstrip(";,"))
        j += 1
    if len(items) < 2 or len(last.split()) > LEAD_WORDS:
        return None
    return before, last, items, j


def _units(text: str) -> list[str]:
    """Sentences, except that a table row ("Procedure: X; Rating: 8; Comments: ...") stays whole,
    and a short list with its lead-in ("Offer ... the following drugs:" + 4 bullets) becomes one unit
    whose verbatim parts are joined by ellipses, so an answer can quote the whole list. A list written
    without markers (`_plain_list`) is read the same way; a long one gives one unit per item, each with
    its lead-in."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        items = []
        j = i + 1
        # "They are summarized as follows:" says nothing of its own: its items are read alone (below).
        while line.endswith(":") and not _ANAPHORA.match(line) and j < len(lines) and _BULLET_LINE.match(lines[j]):
            items.append(_BULLET_LINE.sub("", lines[j]).strip().rstrip(";,"))
            j += 1
        if 2 <= len(items) <= SHORT_LIST_ITEMS and len(" ".join([line, *items]).split()) <= SHORT_LIST_WORDS:
            out.append(" … ".join([line, *items]))
            i = j
            continue
        plain = None if items else _plain_list(lines, i)
        if plain is not None:
            before, lead, items, j = plain
            out.extend(before)
            if len(items) <= SHORT_LIST_ITEMS and len(" ".join([lead, *items]).split()) <= SHORT_LIST_WORDS:
                out.append(" … ".join([lead, *items]))
            else:
                out.extend(f"{lead} … {item}" for item in items)
            i = j
            continue
        # A field row stays whole; a long paragraph that only ends in a rating ("Recommendation A9: In
        # patients ... (Type: evidence based; Evidence quality: intermediate; Strength ...: moderate)")
        # is prose, read sentence by sentence.
        row = _ROW.match(line) and (_RATING.search(line) or len(line.split()) <= MAX_SENTENCE_WORDS)
        out.extend([line] if row else split_sentences(line))
        i += 1
    return out


@dataclass(frozen=True)
class Unit:
    """One sentence of a passage that an answer may quote, whatever the question."""

    text: str  #: what is quoted: a table row or a field with its heading as a bracketed note
    scored: str  #: the words scored against the question (the quote without the note)
    lead: str  #: the list lead-in an item is quoted with ("" when none)
    words: int  #: words of the sentence itself (without a lead-in)
    row: bool  #: a table row (or a rated line), scored with its heading


def candidate_units(chunk: Chunk) -> tuple[Unit, ...]:
    """The sentences of a passage that selection scores, in order, with the text each is quoted by.

    A pure function of the passage, so the dense model's vectors for them can be made ahead of time
    (`medcite warm`): these texts are exactly what an answer compares with the question."""
    heading = chunk.heading_path[-1].rstrip(".:") if chunk.heading_path else ""
    return _candidate_units(chunk.text, chunk.kind is BlockKind.TABLE, heading)


# Per process, the passages of recent answers (~50–80 each): a few thousand passages' units are a few
# MB, where every passage of a large corpus would hold its whole text in memory again.
@lru_cache(maxsize=4096)
def _candidate_units(passage: str, table: bool, heading: str) -> tuple[Unit, ...]:
    out: list[Unit] = []
    lead = ""
    for raw in _units(passage):
        text = clean_sentence(raw)
        joined = _CONNECTIVE.match(text)
        if joined and not text.endswith(":"):
            text = text[joined.end() :]
            text = text[:1].upper() + text[1:]
        words = len(text.split())
        item = raw.lstrip().startswith(("-", "•"))
        row = table or bool(_RATING.search(raw))
        if text.endswith(":"):
            # A long lead-in that gives an instruction is a recommendation of its own ("Offer
            # biologic therapy to people with psoriasis ... if methotrexate and ciclosporin have
            # failed ... and one or more of the following criteria apply:"): a candidate, too long
            # to prefix its items. Any other long one only frames a list ("In the individual with
            # a solid nodule ≤8 mm who has risk factors, the panel suggests ...:").
            lead = text if words <= LEAD_WORDS and not _ANAPHORA.match(text) else ""
            if lead or not _IMPERATIVE.match(text):
                continue  # "Based on risk, consider:" gives its items context
        limit_words = SHORT_LIST_WORDS if " … " in text else MAX_SENTENCE_WORDS
        if words < 5 or words > limit_words or not re.search(r"[a-z]", text):
            continue
        if item and lead:
            # A list item quoted with its lead-in, joined by an ellipsis: both parts are verbatim.
            text = f"{lead} … {text}"
        elif not item:
            lead = ""
        if _NOT_PROSE.search(text) or (not item and _HEADLESS.match(text)):
            continue
        scored = text
        if row and heading:
            text = f"[{heading}] {text}"
        elif not row and _FIELD.match(text) and " … " not in text and heading and not text.startswith("["):
            # "Regimen: 1.2 mg ..." needs its heading ("Colchicine for Acute Flare") to be read alone.
            text = f"[{heading}] {text}"
        if _ANAPHORA.match(text):
            continue
        out.append(Unit(text=text, scored=scored, lead=lead if item else "", words=words, row=row))
    return tuple(out)


def passage_stems(hit: Hit) -> set[str]:
    """Stemmed words of a hit's passage with its headings and document title."""
    return {stem(t) for t in tokens(" ".join([hit.doc.title, *hit.chunk.heading_path, hit.chunk.text]))}


def document_relevance(hits: Sequence[Hit], weights: Weights, stems: Sequence[set[str]]) -> dict[str, float]:
    """Per document: best coverage of the question by one of its passages (`stems[i]` for `hits[i]`)."""
    rel: dict[str, float] = {}
    for hit, words in zip(hits, stems, strict=True):
        rel[hit.doc.id] = max(rel.get(hit.doc.id, 0.0), weights.coverage(words))
    return rel


def _qualified(cue: str, text: str) -> str:
    """A named problem with the two words before it ("symptomatic knee osteoarthritis")."""
    i = text.lower().find(cue.lower()) if cue else -1
    if i < 0:
        return ""
    before = [w for w in tokens(text[:i]) if w not in STOPWORDS][-2:]
    return " ".join([*before, cue])


def problem_documents(query: Query, hits: Sequence[Hit], about: About | None) -> set[str]:
    """Documents of `hits` about the question's main problem(s), as the reading found them.

    The first problem decides; a later problem counts only when no document is about the first
    (a comorbidity must not pull in its own guideline when the presenting problem has one)."""
    u = query.understood
    if u is None or not u.problems:
        return set()
    docs = {h.doc.id: h.doc.title for h in hits}
    for problem in u.problems:
        terms = problem.link_terms or [problem.name]
        found = {d for d, title in docs.items() if _names(title, terms) or (about is not None and about(d, terms))}
        # A guideline whose title names the problem differently ("management of mucositis" for oral
        # mucositis) is still about it when its own passages name it again and again.
        found |= {d for d in docs if _passages_name(d, hits, terms) >= PASSAGES_NAMING}
        if found:
            return found
    return set()


PASSAGES_NAMING = 3


def _passages_name(doc_id: str, hits: Sequence[Hit], terms: Sequence[str]) -> int:
    """How many retrieved passages of the document (with their headings) name one of `terms`."""
    count = 0
    for h in hits:
        if h.doc.id == doc_id:
            name = " ".join(stem(t) for t in tokens(" ".join([*h.chunk.heading_path, h.chunk.text])))
            count += any(names_term(name, term) for term in terms)
    return count


def _names(title: str, terms: Sequence[str]) -> bool:
    name = " ".join(stem(t) for t in tokens(title))
    return any(names_term(name, term) for term in terms)


def in_search_lead(hits: Sequence[Hit], doc_order: Sequence[str], cfg: SelectSettings) -> set[str]:
    """The search's first document, and those of its next (`cfg.documents_in_play` in all) that it
    scored at least `cfg.in_play_score` of the first."""
    if not doc_order:
        return set()
    searched: dict[str, float] = {}
    for h in hits:
        searched[h.doc.id] = max(searched.get(h.doc.id, 0.0), h.score)
    top = searched.get(doc_order[0], 0.0)
    close = {d for d in doc_order[1 : cfg.documents_in_play] if searched.get(d, 0.0) >= top * cfg.in_play_score}
    return {doc_order[0]} | close


def select_evidence(
    query: Query,
    hits: Sequence[Hit],
    weights: Weights,
    cfg: SelectSettings | None = None,
    *,
    doc_order: Sequence[str] = (),
    similarity: Similarity | None = None,
    about: About | None = None,
    is_drug: Callable[[str], bool] | None = None,
    consumer_bonus: float = 0.0,
) -> list[Evidence]:
    """Score every sentence of the relevant hits; return the best `cfg.limit`, best first.

    Documents covering much less of the question than the best one are left out, so an answer
    about gout does not borrow "first-line" sentences from a depression guideline. With a reading of
    the question (`query.understood`), sentences that speak to the asked aspect (a dose, an interval,
    a route) and sentences of documents about the question's problem rank higher, and sentences
    written for another age group lower. With a `similarity` function (the dense model), the best
    candidates are re-scored by how close each sentence is in meaning to the question.

    `consumer_bonus` (the reader is a patient): sentences of consumer-health pages, written for
    patients, count that much more, and are candidates even when they share no word with the question
    — a patient's words are rarely the page's ("a sour taste at the back of my mouth" for
    "regurgitation"), so the dense model's closeness in meaning ranks them. (Admitting only the page
    the search put first or one about the problem: 200 of 480 patient-voice questions answered with
    their key phrases, every page: 202; K-QA 0.117 against 0.121.)
    """
    cfg = cfg or SelectSettings()
    out: list[Evidence] = []
    n = max(1, len(hits))
    in_passages = [passage_stems(h) for h in hits]
    weights = weights.without_values(cfg.value_discount).within(set().union(*in_passages))
    weights = weights.negated(query.normalised, cfg.negated_discount)
    u = query.understood
    if u is not None and query.vignette:
        asked_words = tokens(u.asked)
        focus = {stem(t) for t in asked_words}
        # The asking clause's shorthand counts in full ("rehab": "rehabilitation").
        focus |= {stem(t) for w in asked_words for e in query.expansions.get(w, []) for t in tokens(e)}
        names = [term for p in u.problems[:1] for term in [*p.terms, _qualified(p.cue, query.normalised)]]
        focus |= {stem(t) for term in names for t in tokens(term)}
        weights = weights.focused(focus, cfg.vignette_discount)
    doc_rel = document_relevance(hits, weights, in_passages)
    doc_pos = {d: i for i, d in enumerate(doc_order)}
    best_doc = max(doc_rel.values(), default=0.0)
    on_problem = problem_documents(query, hits, about)
    # The search's first documents are in play: a reading that names the wrong problem ("antenatal
    # care" for a question on red-cell antibodies in pregnancy), a narrower one ("status epilepticus"
    # beside an ED policy on seizures) or none must not shut out the guidelines the whole question
    # found first (measured, first one then three: docs/benchmarks.md). Beyond the first, only a
    # document the search scored close to it: in a small corpus every document is among the first three.
    in_play = in_search_lead(hits, doc_order, cfg)
    if on_problem:
        on_problem |= in_play
    # Else no document is about a problem the reading named: a sentence of the search's lead documents
    # that answers the asked aspect still counts without the question's words ("A 3-month duration of
    # prophylaxis is recommended" for "how long should the clot prophylaxis continue?"). Measured: the
    # lead documents standing for the problem in full (bonus, focus) lost answers (docs/benchmarks.md).
    asked = [a for a in (u.aspects if u else []) if a in aspect_rules()]
    band = u.patient.age_band if u else None
    states = u.qualifiers if u else []
    age = u.patient.age_years if u else None
    measured = [f for f in (u.findings if u else []) if f.values]
    sites = contrasts().sites_named(query.normalised) if u is not None else set()
    sex = u.patient.sex if u else None
    # "Is it OK to go ahead with the abacavir?": the source's "abacavir is not recommended" is the answer —
    # advice against what the question (or the proposal it asks about) names, not against anything else.
    yes_no: set[str] = set()
    if u is not None and asks_yes_or_no(u.asked):
        proposed = proposing(proposal(query.normalised, u.asked))
        yes_no = {stem(t) for t in tokens(f"{u.asked} {proposed}") if t not in STOPWORDS and len(t) > 3}
    # "Which treatment?" with nothing tried yet is answered by the source's preferred option first; after
    # a failure ("next step") or when the first choice is asked outright, the aspect cues already rank.
    wants_preferred = (
        bool(asked)
        and asked[0] in (Aspect.DRUG, Aspect.MANAGEMENT)
        and not {Aspect.FIRST_CHOICE, Aspect.NEXT_STEP} & set(asked)
        and not (u and u.tried)
    )
    preference = aspect_rules()[Aspect.FIRST_CHOICE]
    aspects: dict[str, Weights] = {}
    for hit in hits:
        position = doc_pos.get(hit.doc.id)
        relevant = doc_rel.get(hit.doc.id, 0.0) >= best_doc * cfg.keep_ratio
        if not relevant and (position is None or position >= 3) and hit.doc.id not in on_problem:
            continue
        head_stems = {stem(t) for t in tokens(" ".join(hit.chunk.heading_path) + " " + hit.doc.title)}
        if hit.doc.id not in aspects:
            aspects[hit.doc.id] = weights.discounting({stem(t) for t in tokens(hit.doc.title)}, cfg.title_discount)
        specific_weights = aspects[hit.doc.id]
        rank_score = 1.0 - (hit.rank - 1) / (n + 4)
        level = evidence_level(hit.doc, hit.chunk.evidence)
        research = hit.doc.type.value in ("randomised_trial", "research", "systematic_review", "review")
        about_problem = hit.doc.id in on_problem
        # How the passage fits the patient, setting and asked kind, as the search scored it (retrieve/fit.py).
        fit_score = sum(hit.scores.get(k, 0.0) for k in ("population", "setting", "contrast", "kind"))
        problem_score = (cfg.problem_weight if about_problem else -cfg.off_problem_penalty) if on_problem else 0.0
        descriptive = bool(hit.chunk.heading_path) and hit.chunk.heading_path[0] in DESCRIPTIVE_FIELDS
        consumer = consumer_bonus if hit.doc.type is SourceType.CONSUMER_HEALTH else 0.0
        for unit in candidate_units(hit.chunk):
            text, words = unit.text, unit.words
            stems = {stem(t) for t in tokens(unit.scored)}
            own = weights.coverage(stems)
            ctx = weights.coverage(stems | head_stems | {stem(t) for t in tokens(unit.lead)})
            if unit.row:
                # A table row means nothing without its heading (the clinical scenario): score it with
                # the heading (shown as a bracketed note, not part of the quote).
                own = max(own, 0.8 * ctx)
            # A sentence of a top passage under a heading that matches the question ("Antihypertensive
            # Therapy for Severe Hypertension": "Blood pressure should be lowered to <160 mmHg") answers
            # it without repeating its words; elsewhere a sentence must share the question's terms.
            in_context = hit.rank <= cfg.context_ranks and ctx >= cfg.context_coverage
            answers = _aspects_answered(text, hit, asked, polarity(text), is_drug, yes_no=bool(yes_no & stems))
            if Aspect.CAUSE in answers and own < cfg.cause_coverage:
                # Cause words are everywhere ("bacteria can cause pneumonia"): one speaks to this question
                # only beside the question's own words.
                answers = [a for a in answers if a is not Aspect.CAUSE]
            admitted = answers and (about_problem or hit.doc.id in in_play)
            is_rec = bool(_RECOMMEND.search(text) or _IMPERATIVE.match(text)) and hit.doc.type.value == "guideline"
            # A recommendation of the search's first document about the problem competes even when it shares no
            # word with a long vignette ("begin post-operative PT one week after removal of the cast" for "when
            # should physiotherapy start?"); it still has to outscore the rest. Measured: the first document
            # only +5 `both` over all vignette sets; the first two -2 against that (docs/benchmarks.md).
            lead_recommendation = is_rec and about_problem and position == 0
            if own < 0.1 and not in_context and not admitted and not lead_recommendation and not consumer:
                continue
            score = (
                cfg.coverage_weight * own
                + cfg.specific_weight * specific_weights.coverage(stems)
                + cfg.context_weight * ctx
                + cfg.rank_weight * rank_score
                + (cfg.recommendation_bonus if is_rec else 0.0)
            )
            # The search ranks documents better than it ranks sentences: lean on its top documents.
            bonus = cfg.doc_rank_bonus
            score += bonus[position] if position is not None and position < len(bonus) else 0.0
            score += cfg.graded_bonus if hit.chunk.evidence else 0.0
            score -= cfg.short_penalty if words < 8 else 0.0
            score -= cfg.descriptive_penalty if descriptive else 0.0
            score -= cfg.pointer_penalty if _POINTER.search(text.rsplit(" … ", 1)[-1]) else 0.0
            score += problem_score + cfg.fit_weight * fit_score + consumer
            if wants_preferred and preference.prefers(text):
                score += cfg.preferred_weight
            if answers:
                # The first aspect asked is the one the question is mostly about.
                score += cfg.aspect_weight * (1.0 if answers[0] == asked[0] else 0.7)
            if band and contrasts().population_clash(band, text):
                score -= cfg.population_penalty
            elif band is None and contrasts().population_clash("adult", text):
                # No age given: clinicians then ask about adults, and guidance written for children only
                # ("… in children, either noncontrast CT head or MRI brain") answers another patient.
                score -= cfg.unstated_age_penalty
            if sites and contrasts().site_clash(sites, text):
                score -= cfg.site_penalty
            if sex and contrasts().sex_clash(sex, text):
                score -= cfg.sex_penalty
            if states:
                score += cfg.qualifier_weight * max(-1, min(1, patient_tables().qualifier_fit(states, text)))
            score += cfg.age_weight * age_fit(text, age)
            score += cfg.value_weight * value_fit(text, measured)
            rating = _RATING.search(text)
            if rating:
                # Appropriateness tables (e.g. ACR): "Rating: 7-9" is the source's "usually appropriate".
                value = int(rating.group(1))
                score += 0.1 + 0.05 * (value - 7) if value >= 7 else -0.1
            elif not text.rstrip().endswith((".", "!", "?", ")")) and " … " not in text and not _FIELD.match(text):
                score -= cfg.fragment_penalty  # a fragment; but "Regimen: 1.2 mg orally, then ..." is a fact
            out.append(
                Evidence(
                    text=text,
                    hit=hit,
                    score=round(score, 4),
                    facet=facet_of(text, research),
                    polarity=polarity(text),
                    level=level,
                    grading=hit.chunk.evidence,
                    recommendation=is_rec,
                    aspects=answers,
                    on_problem=about_problem,
                )
            )
    out.sort(key=lambda e: (-e.score, e.hit.rank, e.text))
    out = dedupe(out)
    limit = cfg.limit
    if similarity is not None and out:
        n = cfg.semantic_candidates
        head = out[:n]
        sims = similarity([e.text for e in head])
        for e, sim in zip(head, sims, strict=True):
            e.score = round(e.score + cfg.semantic_weight * (float(sim) - 0.3), 4)
        head.sort(key=lambda e: (-e.score, e.hit.rank, e.text))
        out = head + out[n:]
    return out[:limit]


#: Aspects asking what to do: advice against doing something does not answer them.
_WHAT_TO_DO = {Aspect.FIRST_CHOICE, Aspect.DRUG, Aspect.DOSE, Aspect.ROUTE_SITE, Aspect.DURATION, Aspect.REPEAT}


def _aspects_answered(
    text: str,
    hit: Hit,
    asked: Sequence[Aspect],
    polarity: str,
    is_drug: Callable[[str], bool] | None = None,
    *,
    yes_no: bool = False,
) -> list[Aspect]:
    """The asked aspects the sentence (with its headings) speaks to, in the order they were asked.

    A sentence speaks to "which drug" when it names one the drug vocabulary knows (`is_drug`), or
    matches the table's drug cues (classes, name endings such as -pril, -sartan, -mab). Advice against
    doing something does not say what to do ("which drug first?"), unless the question asks yes or no
    about something the sentence names (`yes_no`: "Is it OK to give abacavir?" is answered by "abacavir
    is not recommended")."""
    if not asked:
        return []
    rules = aspect_rules()
    where = f"{' '.join(hit.chunk.heading_path)} {text}"
    names_drug = Aspect.DRUG in asked and is_drug is not None and any(is_drug(t) for t in tokens(text))
    return [
        a
        for a in asked
        if (rules[a].answered_by(where) or (a is Aspect.DRUG and names_drug))
        and not (polarity == "against" and a in _WHAT_TO_DO and not yes_no)
    ]


def dedupe(items: list[Evidence]) -> list[Evidence]:
    """Drop sentences that repeat a better one almost word for word (guidelines repeat themselves)."""
    kept: list[Evidence] = []
    seen: list[tuple[set[str], set[str]]] = []
    for e in items:
        s = {stem(t) for t in tokens(e.text)}
        values = set(_NUMBER.findall(e.text))
        # "...at least every 6 hours" and "...(high risk) at least every 4 hours" differ only in the
        # words that matter: sentences whose numbers differ are not repeats.
        if any(len(s & other) / max(1, len(s | other)) > 0.8 and values == nums for other, nums in seen):
            continue
        kept.append(e)
        seen.append((s, values))
    return kept


def strip_grade(text: str) -> str:
    """Sentence without a trailing '(Strong, High)' style grade (shown separately as evidence)."""
    stripped = _GRADE_TAIL.sub("", text).rstrip()
    if not stripped:
        return text
    return stripped if stripped.endswith((".", "!", "?", ":")) or not text.rstrip().endswith(".") else stripped + "."
