"""Request and response models of the HTTP API (they are what the OpenAPI schema documents).

Answer bodies are produced by `medcite.answer.render.to_json`, the same contract as
`medcite ask --json`; `AnswerResponse` documents that shape plus the keys the API adds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from medcite import limits
from medcite.engine import MAX_QUESTION_CHARS
from medcite.records import Answer, Audience, QueryFilters, SourceRef


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. 'invalid_input', 'not_found'")
    message: str = Field(description="What went wrong, for a human")
    hint: str | None = Field(default=None, description="What to do about it")


class ErrorResponse(BaseModel):
    """The one error shape every API route returns, whatever failed."""

    error: ErrorDetail


class AskRequest(BaseModel):
    question: str = Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        description="A clinical question",
        examples=["What is the first-line treatment for an acute gout flare?"],
    )
    audience: Audience = Field(default=Audience.CLINICIAN, description="Who the wording is for")
    filters: QueryFilters | None = Field(default=None, description="Restrict which sources may be cited")
    store: bool = Field(
        default=True,
        description="false: save nothing about this question (no permalink, no thread turn); personal identifiers "
        "are removed from every question either way",
    )


class SavedInfo(BaseModel):
    version: int
    approved_by: str | None = None
    approved_at: datetime | None = None
    stale: bool = False
    stale_reason: str | None = None
    created_at: datetime
    updated_at: datetime


class AnswerResponse(Answer):
    """`medcite ask --json` plus where the saved answer lives."""

    permalink: str | None = Field(
        description="Path of the answer page, e.g. /answers/ans_3f9c…; null for an answer that was not saved "
        "(`store: false`, storing turned off, a filtered answer the store could not keep, or a fresh answer "
        "composed because the saved one is not public)"
    )
    thread_id: str | None = Field(default=None, description="Set when the answer is a turn of a thread")
    saved: SavedInfo | None = Field(default=None, description="Review state of the saved answer")


class SearchHit(BaseModel):
    rank: int
    score: float
    chunk_id: str
    text: str
    heading_path: list[str]
    evidence: str | None = None
    source: SourceRef
    scores: dict[str, float] = Field(default_factory=dict)


class SearchResponse(BaseModel):
    query: str
    normalised: str
    terms: list[str]
    expansions: dict[str, list[str]]
    hits: list[SearchHit]
    timings_ms: dict[str, float]


class ThreadRequest(BaseModel):
    answer_id: str | None = Field(
        default=None, max_length=limits.ID_MAX, description="Seed the thread with this saved answer's question"
    )


class ThreadTurnOut(BaseModel):
    question: str
    answer_id: str
    permalink: str
    at: datetime


class ThreadResponse(BaseModel):
    id: str
    turns: list[ThreadTurnOut]


class HealthResponse(BaseModel):
    status: str = Field(description="'ok' when the index holds documents and the store answers")
    documents: int
    chunks: int
    index_version: str
    store: str
    version: str


SourcesResponse = dict[str, Any]
