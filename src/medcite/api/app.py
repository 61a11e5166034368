"""`create_app(settings)`: the FastAPI application behind `medcite serve`.

No module globals: everything an app needs hangs off `app.state`, built in its lifespan.

    app.state.settings   the Settings it was built with
    app.state.medcite    one Medcite (index + models) per app; the index is built from the
                         embedded default corpus on first start (`Medcite.ensure_index`)
    app.state.store      the answer store (`medcite.store.open_store`, or the in-memory fallback)
    app.state.answers    the AnswerService that every route (API, page, MCP) goes through
    (middleware)         `medcite.api.security`: security headers, per-client rate limits
    app.state.templates  the page templates; app.state.examples the home page's example questions
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from medcite.api import routes_answers, routes_index
from medcite.api.problems import install_error_handlers
from medcite.api.security import RateLimits, SecurityMiddleware, install_log_filter
from medcite.api.service import AnswerService, StoreThread, open_answer_store
from medcite.engine import Medcite
from medcite.settings import Settings
from medcite.web import STATIC_DIR, templates
from medcite.web.pages import router as pages_router
from medcite.web.view import EXAMPLES

log = logging.getLogger("medcite.api")

DESCRIPTION = """Clinical answers with sentence-checked citations, offline.

Every error has one shape: `{"error": {"code": "...", "message": "...", "hint": "..."}}`.
Answers are the JSON of `medcite ask --json`, plus `permalink`, `thread_id` and `saved`.
"""


def prepare_engine(engine: Medcite) -> list[dict[str, str]]:
    """Build the index on first start, load the models once, and pick the example questions.

    Runs before the server accepts requests, so the first visitor does not pay for model loading.
    """
    report = engine.ensure_index(progress=None)
    if report is not None:
        log.warning("built the index from %r: %s", engine.settings.index.default_corpus, report.as_dict())
    if not engine.store.is_empty():
        engine.search("warm up the models", k=1)
    catalog = engine.store.catalog
    return [{"question": q, "doc_id": doc_id} for q, doc_id in EXAMPLES if catalog.document(doc_id) is not None]


def _version() -> str:
    try:
        return version("medcite")
    except PackageNotFoundError:
        return "0"


def create_app(settings: Settings, *, max_concurrency: int | None = None) -> FastAPI:
    """A new app for `settings`. Nothing is opened until the app's lifespan starts.

    `max_concurrency` bounds how many answers are computed at once (default: one per core, up to 4).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = Medcite(settings)
        store_thread = StoreThread()
        app.state.examples = await anyio.to_thread.run_sync(prepare_engine, engine)
        store = await store_thread.call(open_answer_store, settings)
        service = AnswerService(engine, store, store_thread, max_concurrency=max_concurrency)
        app.state.medcite, app.state.store, app.state.answers = engine, store, service
        try:
            yield
        finally:
            await store_thread.call(store.close)
            service.close()
            engine.close()

    # /docs is medcite's own page (medcite.web.pages): Swagger UI and ReDoc load from a CDN, offline.
    app = FastAPI(
        title="medcite", version=_version(), description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.settings = settings
    app.state.templates = templates()
    install_error_handlers(app)
    app.include_router(routes_answers.router)
    app.include_router(routes_index.router)
    _include_review(app)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Outermost: headers on every response (errors and static files included), limits before routing.
    app.add_middleware(SecurityMiddleware, limits=RateLimits(settings.server))
    install_log_filter()
    return app


def _include_review(app: FastAPI) -> None:
    """The reviewer routes live in their own module, owned by the review workflow."""
    try:
        from medcite.api.routes_review import router  # type: ignore[attr-defined,unused-ignore]
    except ImportError as exc:
        # Absent module: nothing to mount. Present but broken: say so, keep serving answers.
        if getattr(exc, "name", None) != "medcite.api.routes_review":
            log.warning("review routes not loaded: %s", exc)
        return
    app.include_router(router)
