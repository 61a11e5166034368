"""Abuse limits and browser hardening for every response the app sends.

- `SecurityMiddleware` (pure ASGI, outermost) adds the security headers to every response (pages,
  API, static files, errors, the answer stream) and applies the per-client rate limits before any
  route runs: `login` (the two login routes), `ask` (every route that composes an answer) and
  `write` (every other state-changing request). Past a limit the client gets 429 in the one error
  shape with `Retry-After`; the first refusal of each client's window is audited
  (`action = "rate_limit"`), later ones in that window are not, so a flood cannot grow the
  append-only audit table faster than one row per window.
- `QueryStringFilter` keeps query strings out of the access log: `GET /ask?q=…` is logged as
  `GET /ask`, so a question typed into the address bar never lands in a log file.

Rate limiting uses the `limits` package (fixed windows; counters in memory by default, or any
storage `limits` supports, such as Redis, when several servers share the load). Clients are told
apart by their address as the server sees it: behind a reverse proxy, let the proxy limit too.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medcite.errors import ConfigError
from medcite.settings import ServerSettings

log = logging.getLogger("medcite.api")

#: Same-origin scripts, styles and forms only; nothing may frame the pages; no referrer leaves
#: the site (a permalink or a question in the address bar is never sent to a cited source's site).
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_RAW_HEADERS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOGIN = re.compile(r"^/(?:api/login|review/login)$")
# Routes that compose (or may compose) an answer, by method.
_ASK = (
    ("POST", re.compile(r"^/api/(?:ask|ask/stream|threads|threads/[^/]+/ask|answers)$")),
    ("GET", re.compile(r"^/(?:api/ask/stream|ask|answers/[^/]+/audience)$")),
    ("POST", re.compile(r"^/answers/[^/]+/follow-up$")),
)


def scope_of(method: str, path: str) -> str | None:
    """Which limit a request counts against: 'login', 'ask', 'write' or None (unlimited reads)."""
    if method == "POST" and _LOGIN.match(path):
        return "login"
    if any(method == m and rx.match(path) for m, rx in _ASK):
        return "ask"
    return "write" if method in UNSAFE_METHODS else None


@dataclass(frozen=True)
class Refusal:
    scope: str
    limit: str
    retry_after: int
    first_in_window: bool


class RateLimits:
    """Per-client fixed-window limits for the three scopes, from `ServerSettings`."""

    def __init__(self, server: ServerSettings) -> None:
        configured = {
            "login": server.rate_limit_login,
            "ask": server.rate_limit_ask,
            "write": server.rate_limit_write,
        }
        self.items: dict[str, RateLimitItem] = {}
        for name, text in configured.items():
            if not text or not text.strip():
                continue
            try:
                self.items[name] = parse(text)
            except ValueError as exc:
                raise ConfigError(
                    f"server.rate_limit_{name} = {text!r} is not a rate limit",
                    hint="write it like '10/minute' or '100 per hour'; '' disables it",
                ) from exc
        self.limiter = FixedWindowRateLimiter(storage_from_string(server.rate_limit_storage))
        self._audited: dict[tuple[str, str], float] = {}  # (scope, client) -> window end already audited

    def hit(self, scope: str, client: str) -> Refusal | None:
        """Count one request; a Refusal when it is over the limit."""
        item = self.items.get(scope)
        if item is None or self.limiter.hit(item, scope, client):
            return None
        reset = self.limiter.get_window_stats(item, scope, client).reset_time
        first = self._audited.get((scope, client)) != reset
        if first:
            if len(self._audited) > 10_000:  # forget windows that have ended
                now = time.time()
                self._audited = {k: v for k, v in self._audited.items() if v > now}
            self._audited[(scope, client)] = reset
        return Refusal(scope, str(item), max(1, math.ceil(reset - time.time())), first)


class SecurityMiddleware:
    """Security headers on every response; rate limits before any route (see the module docstring)."""

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in _RAW_HEADERS if h[0] not in present)]
            await send(message)

        which = scope_of(scope["method"], scope["path"])
        if which is not None:
            client = scope["client"][0] if scope.get("client") else "unknown"
            refusal = self.limits.hit(which, client)
            if refusal is not None:
                response = await _refuse(Request(scope, receive), refusal, client)
                await response(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)


async def _refuse(request: Request, refusal: Refusal, client: str) -> Any:
    from medcite.api.auth import in_store, store_of
    from medcite.api.problems import error_body, respond

    if refusal.first_in_window and getattr(request.app.state, "store", None) is not None:
        try:
            await in_store(
                request,
                store_of(request).record_refused,
                answer_id=None,
                actor=None,
                action="rate_limit",
                from_status=None,
                to_status=None,
                detail=f"{refusal.scope}: more than {refusal.limit} from {client}; "
                "further refusals in this window are not recorded one by one",
            )
        except Exception:  # the refusal stands even if the audit cannot be written
            log.exception("could not audit a rate-limit refusal")
    body = error_body(
        "too_many_requests",
        f"too many {refusal.scope} requests from this address (limit {refusal.limit})",
        f"wait {refusal.retry_after} s and try again",
    )
    return respond(request, 429, body, headers={"Retry-After": str(refusal.retry_after)})


class QueryStringFilter(logging.Filter):
    """Drop the query string from uvicorn's access-log lines (`"%s - "%s %s HTTP/%s" %d"`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def install_log_filter() -> None:
    """Attach `QueryStringFilter` to uvicorn's access logger (once per process)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, QueryStringFilter) for f in access.filters):
        access.addFilter(QueryStringFilter())
