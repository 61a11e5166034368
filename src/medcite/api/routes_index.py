"""`/api/search`, `/api/sources` and `/healthz`: what is indexed and how to find it."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import StringConstraints

from medcite import limits
from medcite.api.routes_answers import ERRORS, service_of
from medcite.api.schemas import HealthResponse, SearchHit, SearchResponse
from medcite.engine import MAX_QUESTION_CHARS
from medcite.records import Audience, QueryFilters, SourceType
from medcite.retrieve import SearchResult
from medcite.store.base import store_info

router = APIRouter(responses=ERRORS)


@router.get("/api/search", response_model=SearchResponse, tags=["index"], summary="Search the index")
async def search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=MAX_QUESTION_CHARS, description="Question or keywords"),
    k: int = Query(10, ge=1, le=100, description="Number of hits"),
    type: list[SourceType] | None = Query(
        None, max_length=limits.SOURCE_TYPES_MAX, description="Only these source types (repeatable)"
    ),
    source: list[Annotated[str, StringConstraints(max_length=limits.NAME_MAX)]] | None = Query(
        None, max_length=limits.LIST_MAX, description="Only these collections (repeatable)"
    ),
    since: int | None = Query(
        None, ge=limits.YEAR_MIN, le=limits.YEAR_MAX, description="Published in or after this year"
    ),
    until: int | None = Query(
        None, ge=limits.YEAR_MIN, le=limits.YEAR_MAX, description="Published in or before this year"
    ),
    org: str | None = Query(None, max_length=limits.NAME_MAX, description="Organisation name contains this"),
    audience: Audience | None = Query(None, description="Only documents written for this audience"),
    mode: Literal["hybrid", "lexical", "dense"] = Query("hybrid"),
) -> SearchResponse:
    """Hybrid search (BM25 + dense vectors, fused and reranked), the same as `medcite search --json`."""
    filters = QueryFilters(
        source_types=type or [],
        sources=source or [],
        year_min=since,
        year_max=until,
        organisation=org,
        audience=audience,
    )
    result = await service_of(request).search(
        q, k=k, filters=filters, audience=audience or Audience.CLINICIAN, mode=mode
    )
    return search_response(result)


def search_response(result: SearchResult) -> SearchResponse:
    """The search JSON shared by the API and the MCP `search` tool."""
    hits = [
        SearchHit(
            rank=h.rank,
            score=h.score,
            chunk_id=h.chunk.id,
            text=h.chunk.text,
            heading_path=list(h.chunk.heading_path),
            evidence=h.chunk.evidence,
            source=h.doc,
            scores=h.scores,
        )
        for h in result.hits
    ]
    query = result.query
    return SearchResponse(
        query=query.text,
        normalised=query.normalised,
        terms=query.terms,
        expansions=query.expansions,
        hits=hits,
        timings_ms=result.timings_ms,
    )


@router.get("/api/sources", tags=["index"], summary="What is indexed")
async def sources(request: Request) -> dict[str, Any]:
    """Documents and chunks by source and type, with each source's licence or terms."""
    return await service_of(request).sources()


def _version() -> str:
    try:
        return version("medcite")
    except PackageNotFoundError:
        return "unknown"


@router.get("/healthz", response_model=HealthResponse, tags=["health"], summary="Liveness and readiness")
async def healthz(request: Request) -> HealthResponse:
    """`ok` once the index holds documents; `empty` when nothing is indexed yet."""
    service = service_of(request)
    stats = await service.sources()
    return HealthResponse(
        status="ok" if stats.get("documents") else "empty",
        documents=int(stats.get("documents", 0)),
        chunks=int(stats.get("chunks", 0)),
        index_version=await service.index_version(),
        store=store_info(service.store),
        version=_version(),
    )
