"""`medcite mcp`: `search` and `ask` as Model Context Protocol tools, over stdio.

Built on the official `mcp` package (2.x: `MCPServer`, formerly FastMCP). The tools go through
the same `AnswerService` as the HTTP API and return the same JSON: `search` the body of
`GET /api/search`, `ask` the body of `POST /api/ask` (answers are saved, so they have permalinks).
A failure is a tool error whose text is the API's error shape, `{"error": {...}}`.

stdout carries the protocol: nothing else may print there (logging goes to stderr).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from medcite.api.app import prepare_engine
from medcite.api.problems import medcite_error_body
from medcite.api.routes_answers import answer_payload
from medcite.api.routes_index import search_response
from medcite.api.service import AnswerService, StoreThread, open_answer_store, parse_audience
from medcite.engine import Medcite
from medcite.errors import MedciteError
from medcite.records import QueryFilters, SourceType
from medcite.settings import Settings

log = logging.getLogger("medcite.mcp")
T = TypeVar("T")

INSTRUCTIONS = (
    "medcite answers clinical questions from indexed guidelines and literature, offline. Use `ask` for a "
    "cited answer (bottom line, sections, numbered references with the passages they rest on, evidence "
    "levels, red flags); use `search` to find passages. Quote citations as given; an answer with "
    "`abstained: true` means the indexed sources do not answer the question."
)


async def _guard(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except MedciteError as exc:
        raise ToolError(json.dumps(medcite_error_body(exc))) from exc


def build_server(service: AnswerService) -> MCPServer[Any]:
    """An MCP server whose tools call `service` (one per process, like the HTTP app)."""
    server: MCPServer[Any] = MCPServer(name="medcite", title="medcite", instructions=INSTRUCTIONS)

    @server.tool(title="Search clinical sources")
    async def search(
        query: str,
        k: int = 10,
        source_types: list[SourceType] | None = None,
        mode: Literal["hybrid", "lexical", "dense"] = "hybrid",
    ) -> dict[str, Any]:
        """Hybrid search (BM25 + dense vectors, reranked) over the indexed guidelines and literature.

        Returns the hits with their passage text, heading path, stated grading and source record.
        """
        filters = QueryFilters(source_types=source_types or [])
        k = max(1, min(k, 100))
        result = await _guard(
            lambda: service.search(query, k=k, filters=filters, audience=parse_audience(None), mode=mode)
        )
        return search_response(result).model_dump(mode="json")

    @server.tool(title="Answer a clinical question")
    async def ask(
        question: str,
        audience: Literal["clinician", "patient", "student"] = "clinician",
        previous_questions: list[str] | None = None,
    ) -> dict[str, Any]:
        """Answer a clinical question with sentence-level citations to indexed sources.

        `previous_questions` resolves a short follow-up ("and in pregnancy?") against the
        conversation so far. The answer is saved; `permalink` is its page on `medcite serve`.
        """
        saved = await _guard(
            lambda: service.ask(question, audience=parse_audience(audience), context=previous_questions or [])
        )
        return answer_payload(saved)

    return server


async def serve_stdio(settings: Settings) -> None:
    """Open the index (building it on first run) and the store, then serve MCP on stdin/stdout."""
    engine = Medcite(settings)
    store_thread = StoreThread()
    await anyio.to_thread.run_sync(prepare_engine, engine)
    store = await store_thread.call(open_answer_store, settings)
    service = AnswerService(engine, store, store_thread)
    try:
        await build_server(service).run_stdio_async()
    finally:
        await store_thread.call(store.close)
        service.close()
        engine.close()


def run(settings: Settings) -> None:
    """Blocking entry point used by `medcite mcp`."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    anyio.run(serve_stdio, settings)
