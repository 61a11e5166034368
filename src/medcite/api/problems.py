"""The edge where errors become HTTP: one JSON shape for the API, one HTML page for people.

`MedciteError` carries its own status, code and hint; FastAPI's validation errors and Starlette's
404/405 are folded into the same `{"error": {"code", "message", "hint"}}` shape. Page routes
(anything outside /api and /healthz) asked for by a browser get an HTML page with the same
message and hint instead.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from medcite.errors import MedciteError

log = logging.getLogger("medcite.api")

_HTTP_CODES = {
    400: "bad_request",
    401: "authentication_required",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}
_HTTP_HINTS = {404: "see /docs for the API routes", 405: "see /docs for the methods each route accepts"}


def error_body(code: str, message: str, hint: str | None = None) -> dict[str, Any]:
    """The error shape (also used for the `error` event of the answer stream)."""
    return {"error": {"code": code, "message": message, "hint": hint}}


def medcite_error_body(exc: MedciteError) -> dict[str, Any]:
    return error_body(exc.code, exc.message, exc.hint)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api") or path == "/healthz" or path.startswith("/static"):
        return False
    return "text/html" in request.headers.get("accept", "")


def respond(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """The error as JSON (API, scripts) or as the HTML error page (a browser on a page route)."""
    if _wants_html(request):
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            return templates.TemplateResponse(
                request,
                "error.html",
                {"error": body["error"], "status": status},
                status_code=status,
                headers=headers,
            )
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every failure the one error shape."""

    @app.exception_handler(MedciteError)
    async def _medcite(request: Request, exc: MedciteError) -> Response:
        if exc.status_code >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        return respond(request, exc.status_code, medcite_error_body(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        hint = "see /docs for the request schema" if request.url.path.startswith("/api") else None
        return respond(request, 422, error_body("invalid_input", _validation_message(exc), hint))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return respond(
            request,
            exc.status_code,
            error_body(code, message, _HTTP_HINTS.get(exc.status_code)),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s crashed", request.method, request.url.path)
        return respond(
            request,
            500,
            error_body(
                "internal_error",
                "medcite failed unexpectedly",
                "the server log has the details; please report it",
            ),
        )
