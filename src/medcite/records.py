"""Typed records that travel between the pipeline stages.

sources/ -> Document -> index/ -> Chunk -> retrieve/ -> Hit -> answer/ -> Evidence -> Claim -> Answer

Every record is a pydantic model so it can be printed, saved (JSON), compared and
exposed through the API schema without a second set of classes.
"""

from __future__ import annotations

import hashlib
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from medcite import limits


class SourceType(StrEnum):
    """What kind of publication a document is; drives reference labels and evidence level."""

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic_review"
    RANDOMISED_TRIAL = "randomised_trial"
    RESEARCH = "research"
    REVIEW = "review"
    CONSUMER_HEALTH = "consumer_health"
    DRUG_LABEL = "drug_label"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Human label used in reference lists ("Guideline", "Randomised trial", ...)."""
        return _SOURCE_TYPE_LABELS[self]


_SOURCE_TYPE_LABELS = {
    SourceType.GUIDELINE: "Guideline",
    SourceType.SYSTEMATIC_REVIEW: "Systematic review",
    SourceType.RANDOMISED_TRIAL: "Randomised trial",
    SourceType.RESEARCH: "Research",
    SourceType.REVIEW: "Review",
    SourceType.CONSUMER_HEALTH: "Consumer health",
    SourceType.DRUG_LABEL: "Drug label",
    SourceType.OTHER: "Other",
}


class Audience(StrEnum):
    """Who a document is written for, and who an answer is worded for."""

    CLINICIAN = "clinician"
    PATIENT = "patient"
    STUDENT = "student"


class EvidenceLevel(StrEnum):
    """Evidence level computed from what is cited (source type + the grading the source states)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"
    UNGRADED = "ungraded"


class BlockKind(StrEnum):
    """Role of a block of text inside a document; chunking never splits a recommendation."""

    RECOMMENDATION = "recommendation"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    DEFINITION = "definition"


class Block(BaseModel):
    """A unit of a document's text under a heading path (a paragraph, bullet, table row, recommendation)."""

    model_config = ConfigDict(frozen=True)

    text: str
    heading_path: tuple[str, ...] = ()
    kind: BlockKind = BlockKind.PARAGRAPH
    evidence: str | None = Field(default=None, description="Grading stated next to this block, e.g. 'Strong, High'")


class Document(BaseModel):
    """One source document with full provenance, as a reader yields it."""

    id: str = Field(description="Stable id, namespaced by source: 'ngc:11116', 'pmid:29768149'")
    source: str = Field(description="Collection it came from: 'open-medicine', 'ngc', 'uspstf', ...")
    title: str
    source_type: SourceType
    blocks: list[Block]
    audience: Audience = Audience.CLINICIAN
    organisation: str | None = None
    journal: str | None = None
    year: int | None = None
    published: str | None = Field(default=None, description="Release/publication date as the source states it")
    authors: list[str] = Field(default_factory=list)
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    native_id: str | None = None
    evidence: str | None = Field(default=None, description="Document-level grading, e.g. USPSTF grade 'B'")
    licence: str | None = None
    origin: str | None = Field(default=None, description="File (and archive member) the document was read from")
    extra: dict[str, Any] = Field(default_factory=dict)

    def content_hash(self) -> str:
        """Hash of everything that ends up in the index; unchanged hash means re-ingest is a no-op."""
        payload = self.model_dump_json(exclude={"origin"})
        return hashlib.sha256(payload.encode()).hexdigest()

    def ref(self) -> SourceRef:
        return SourceRef(
            id=self.id,
            source=self.source,
            type=self.source_type,
            title=self.title,
            organisation=self.organisation,
            journal=self.journal,
            year=self.year,
            doi=self.doi,
            pmid=self.pmid,
            pmcid=self.pmcid,
            url=self.url,
            evidence=self.evidence,
            audience=self.audience,
            licence=self.licence,
        )


class SourceRef(BaseModel):
    """The part of a document's provenance that travels with every hit and reference."""

    id: str
    source: str
    type: SourceType
    title: str
    organisation: str | None = None
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    evidence: str | None = None
    audience: Audience = Audience.CLINICIAN
    licence: str | None = None


class Chunk(BaseModel):
    """A retrievable passage: consecutive blocks of one document under one heading path."""

    id: str = Field(description="'<document id>#<ordinal>'")
    doc_id: str
    ordinal: int
    text: str
    heading_path: tuple[str, ...] = ()
    kind: BlockKind = BlockKind.PARAGRAPH
    evidence: str | None = None


class QueryFilters(BaseModel):
    """Restrictions a search honours; empty means no restriction."""

    source_types: list[SourceType] = Field(default_factory=list, max_length=limits.SOURCE_TYPES_MAX)
    sources: list[Annotated[str, Field(max_length=limits.NAME_MAX)]] = Field(
        default_factory=list, max_length=limits.LIST_MAX
    )
    organisation: str | None = Field(None, max_length=limits.NAME_MAX)
    year_min: int | None = Field(None, ge=limits.YEAR_MIN, le=limits.YEAR_MAX)
    year_max: int | None = Field(None, ge=limits.YEAR_MIN, le=limits.YEAR_MAX)
    audience: Audience | None = None
    doc_ids: list[Annotated[str, Field(max_length=limits.PATH_MAX)]] = Field(
        default_factory=list, max_length=limits.DOC_IDS_MAX, description="Only these documents (answer-time deepening)"
    )


class Facet(StrEnum):
    """An answer section: what a sentence is about. Order here is the default display order."""

    RED_FLAGS = "red_flags"
    PITFALLS = "pitfalls"
    TIMING = "timing"
    TREATMENT = "treatment"
    DIAGNOSIS = "diagnosis"
    SCREENING = "screening"
    POPULATIONS = "populations"
    RESEARCH = "research"
    BACKGROUND = "background"


class Aspect(StrEnum):
    """What the question asks about its problem (one question may ask several)."""

    FIRST_CHOICE = "first_choice"
    DRUG = "drug"
    DOSE = "dose"
    ROUTE_SITE = "route_site"
    DURATION = "duration"
    REPEAT = "repeat"
    TEST = "test"
    WHETHER_TO_TEST = "whether_to_test"
    SCREENING_INTERVAL = "screening_interval"
    REFERRAL = "referral"
    NEXT_STEP = "next_step"
    CONTINUE_STOP = "continue_stop"
    PREGNANCY_SAFETY = "pregnancy_safety"
    MANAGEMENT = "management"
    PROGNOSIS = "prognosis"
    DEFINITION = "definition"
    CAUSE = "cause"
    SELF_CARE = "self_care"
    OTHER = "other"


class Problem(BaseModel):
    """A problem the question is about: named in it, or inferred from the presentation or a value."""

    name: str = Field(description="Clinical name, e.g. 'anaphylaxis'")
    how: Literal["named", "inferred", "value"] = "named"
    cue: str = Field("", description="The words of the question that led to it")
    score: float = Field(1.0, description="Strength of the reading (named 1.0; inferred: sum of matched features)")
    terms: list[str] = Field(default_factory=list, description="Names to search for (the name and its synonyms)")
    links: list[str] = Field(
        default_factory=list,
        description="other wordings of the problem's guidelines' titles or condition lines; used only to link "
        "documents to the problem, never searched or shown",
    )
    contrasts: list[str] = Field(
        default_factory=list, description="Names of neighbouring problems it must not be confused with"
    )

    @property
    def link_terms(self) -> list[str]:
        """The wordings that link a document to the problem (its title or a condition line holds one):
        the terms, then the link-only wordings."""
        return [*self.terms, *self.links]


class Finding(BaseModel):
    """A value read from the question with its unit and what it means ('BP 80/50' -> hypotension), or a
    described finding (measure "description": 'coarse hair on her chin' -> hirsutism)."""

    measure: str
    text: str = Field(description="As written in the question")
    values: dict[str, float] = Field(default_factory=dict)
    reading: str | None = Field(default=None, description="What the value means, e.g. 'hypotension'")


AgeBand = Literal["neonate", "infant", "child", "adolescent", "adult", "older"]


class Patient(BaseModel):
    """The patient the question describes (empty fields: not said)."""

    age_years: float | None = None
    age_band: AgeBand | None = None
    sex: Literal["female", "male"] | None = None
    pregnant: bool = False
    breastfeeding: bool = False
    planning_pregnancy: bool = Field(False, description="She wants to conceive (not pregnant yet)")
    frail: bool = False
    comorbidities: list[str] = Field(default_factory=list)


class Understanding(BaseModel):
    """How a question was read, before retrieval: shown back to the reader as "Read as: ..."."""

    problems: list[Problem] = Field(default_factory=list)
    aspects: list[Aspect] = Field(default_factory=list)
    asked: str = Field("", description="The clause that asks (the rest describes the patient)")
    patient: Patient = Field(default_factory=Patient)
    setting: list[str] = Field(default_factory=list, description="home, primary_care, ed, hospital, icu, ...")
    acquired: Literal["community", "hospital"] | None = Field(
        default=None, description="Where an infection was acquired, when the question says or implies it"
    )
    findings: list[Finding] = Field(default_factory=list)
    tried: list[str] = Field(default_factory=list, description="What was already tried or is being taken")
    ruled_out: list[str] = Field(default_factory=list)
    instead_of: list[str] = Field(
        default_factory=list, description="What the patient asks for or the question sets against ('instead of X')"
    )
    triggers: list[str] = Field(default_factory=list, description="Triggers or exposures named (food, sting, tick)")
    qualifiers: list[str] = Field(
        default_factory=list,
        description="States of the problem the question gives (asymptomatic, recurrent, severe...)",
    )
    set_aside: list[str] = Field(
        default_factory=list, description="Words no table or indexed source knows, read past rather than failing"
    )
    read_as: dict[str, str] = Field(default_factory=dict, description="Unknown word -> the known word it was read as")
    backend: str = "rules"

    @property
    def main(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """One line for the reader: 'anaphylaxis — first choice, route and site, repeat; adolescent; food trigger'."""
        parts: list[str] = []
        head = ", ".join(p.name for p in self.problems[:2]) or "no specific problem recognised"
        asked = ", ".join(a.value.replace("_", " ") for a in self.aspects if a is not Aspect.OTHER)
        parts.append(f"{head} — {asked}" if asked else head)
        who: list[str] = [self.patient.age_band or "", self.patient.sex or ""]
        if self.patient.pregnant:
            who.append("pregnant")
        if self.patient.breastfeeding:
            who.append("breastfeeding")
        if self.patient.planning_pregnancy:
            who.append("planning pregnancy")
        if self.patient.frail:
            who.append("frail")
        who += self.patient.comorbidities[:3]
        if any(who):
            parts.append(" ".join(w for w in who if w))
        where = [s.replace("_", " ") for s in self.setting]
        if self.acquired:
            where.append(f"{self.acquired}-acquired")
        if where:
            parts.append(", ".join(where))
        shown = {p.name.lower() for p in self.problems[:2]}
        seen = [f.reading for f in self.findings if f.reading and f.reading.lower() not in shown]
        if seen:
            parts.append("findings: " + ", ".join(list(dict.fromkeys(seen))[:4]))
        if self.triggers:
            parts.append(", ".join(self.triggers[:2]) + " trigger")
        if self.tried:
            parts.append("already tried: " + ", ".join(self.tried[:3]))
        return "; ".join(parts)


class Query(BaseModel):
    """A question after normalisation and expansion."""

    text: str
    normalised: str
    terms: list[str] = Field(default_factory=list, description="Content terms after stop-word removal")
    expansions: dict[str, list[str]] = Field(
        default_factory=dict, description="Original term -> added synonyms/expansions, with where they came from"
    )
    spellings: dict[str, list[str]] = Field(
        default_factory=dict, description="Question word -> its British/American spellings the index holds"
    )
    filters: QueryFilters = Field(default_factory=QueryFilters)
    excluded: list[str] = Field(default_factory=list, description="Terms the question rules out ('without X')")
    focus: list[str] = Field(default_factory=list, description="Terms that weigh more (a follow-up's own words)")
    corrections: dict[str, str] = Field(
        default_factory=dict, description="Misspelt word -> the indexed word it was read as"
    )
    understood: Understanding | None = Field(
        default=None, description="What the question is about (problem, asked aspect, patient, setting)"
    )

    @property
    def vignette(self) -> bool:
        """A case vignette: the reading found an asking clause well short of the whole question (a
        story, then one question), so the story's words found the guideline and the clause says what
        within it answers."""
        u = self.understood
        return bool(u and u.asked) and len(u.asked if u else "") < len(self.normalised) * VIGNETTE_ASKED_SHARE


#: An asking clause shorter than this share of the question makes it a case vignette.
VIGNETTE_ASKED_SHARE = 0.8


class Hit(BaseModel):
    """One retrieved chunk with its source record and how it scored."""

    rank: int
    score: float
    chunk: Chunk
    doc: SourceRef
    scores: dict[str, float] = Field(default_factory=dict, description="Per-retriever scores/ranks for auditing")


class Evidence(BaseModel):
    """One sentence of a retrieved passage, scored and classified for composing an answer."""

    text: str = Field(description="The sentence, verbatim from the passage")
    hit: Hit
    score: float
    facet: Facet = Field(description="Answer section it belongs to (treatment, pitfalls, timing, ...)")
    aspects: list[Aspect] = Field(default_factory=list, description="Asked aspects the sentence addresses")
    on_problem: bool = Field(default=False, description="Its document is about the question's problem")
    names_asked: bool = Field(
        default=False, description="It names a medicine the asking clause names, by brand or generic name"
    )
    polarity: Literal["for", "against", "neutral"] = "neutral"
    level: EvidenceLevel = EvidenceLevel.UNGRADED
    grading: str | None = Field(default=None, description="Grading stated for the passage")
    recommendation: bool = False


class SupportVerdict(StrEnum):
    SUPPORTED = "supported"
    PARTIAL = "partial"
    UNSUPPORTED = "unsupported"


class Claim(BaseModel):
    """One sentence (or list item) of an answer with the evidence it cites and its support verdict."""

    text: str
    citations: list[int] = Field(default_factory=list, description="Reference numbers")
    passages: list[str] = Field(default_factory=list, description="Chunk ids of the cited passages")
    support: SupportVerdict = SupportVerdict.SUPPORTED
    support_score: float = 1.0
    evidence: str | None = Field(default=None, description="Grading stated next to the cited recommendation")
    level: EvidenceLevel = EvidenceLevel.UNGRADED
    generated: bool = Field(default=False, description="Written by a generator (checked by the judge)")


class BottomLine(BaseModel):
    text: str
    citations: list[int] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)


class AnswerSection(BaseModel):
    title: str
    items: list[Claim]


class Passage(BaseModel):
    """A retrieved passage a reference's claims rest on, shown when a citation is opened."""

    chunk_id: str
    heading: str | None = None
    text: str
    evidence: str | None = None


class Reference(BaseModel):
    """Numbered, typed reference (one per cited document) as the reader sees it."""

    n: int
    type: str = Field(description="Label: Guideline, Systematic review, Randomised trial, ...")
    source_type: SourceType
    title: str
    source: str | None = Field(default=None, description="Organisation or journal")
    year: int | None = None
    url: str | None = None
    doi: str | None = None
    pmid: str | None = None
    evidence: str | None = Field(default=None, description="Evidence level / recommendation strength stated")
    level: EvidenceLevel = EvidenceLevel.UNGRADED
    doc_id: str
    licence: str | None = None
    passages: list[Passage] = Field(default_factory=list, description="Cited passages, verbatim")


class RedFlag(BaseModel):
    condition: str
    action: str
    trigger: str = Field(description="What in the question or evidence raised it")


class AnswerStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class Answer(BaseModel):
    """The product: what `medcite ask --json` prints and the page renders."""

    question: str
    audience: Audience = Audience.CLINICIAN
    understood: Understanding | None = Field(
        default=None, description="How the question was read (problem, asked aspects, patient, setting)"
    )
    bottom_line: BottomLine
    sections: list[AnswerSection] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Framing for the reader (not claims of fact)")
    unsupported: list[Claim] = Field(
        default_factory=list, description="Sentences that failed the support check: never shown as fact"
    )
    abstained: bool = False
    abstain_reason: str | None = None
    closest: list[str] = Field(default_factory=list, description="Closest sources when abstaining")
    conflicts: list[str] = Field(default_factory=list, description="Where cited sources disagree, with dates")
    evidence_level: EvidenceLevel = EvidenceLevel.UNGRADED
    follow_ups: list[str] = Field(default_factory=list)
    status: AnswerStatus = AnswerStatus.DRAFT
    status_label: str = "Pending human review"
    last_updated: date = Field(default_factory=date.today)
    disclaimer: str = ""
    timings_ms: dict[str, float] = Field(default_factory=dict)
    provenance: dict[str, Any] = Field(default_factory=dict)
    id: str | None = Field(default=None, description="Set once the answer is saved")
