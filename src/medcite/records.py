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

from pydantic import BaseModel, ConfigDict, Field

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


class Query(BaseModel):
    """A question after normalisation and expansion."""

    text: str
    normalised: str
    terms: list[str] = Field(default_factory=list, description="Content terms after stop-word removal")
    expansions: dict[str, list[str]] = Field(
        default_factory=dict, description="Original term -> added synonyms/expansions, with where they came from"
    )
    filters: QueryFilters = Field(default_factory=QueryFilters)
    excluded: list[str] = Field(default_factory=list, description="Terms the question rules out ('without X')")
    focus: list[str] = Field(default_factory=list, description="Terms that weigh more (a follow-up's own words)")
    corrections: dict[str, str] = Field(
        default_factory=dict, description="Misspelt word -> the indexed word it was read as"
    )


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
    facet: str = Field(description="Answer section it belongs to (treatment, pitfalls, timing, ...)")
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
