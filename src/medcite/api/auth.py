"""Who is asking: bearer tokens for API clients, the login session's cookie for browsers.

`Authorization: Bearer <token>` identifies an API client; the `medcite_session` cookie a browser
that signed in at /review/login. A cookie is sent by the browser on its own, so every
state-changing request that relies on it must also carry the session's CSRF token
(`X-CSRF-Token` header or a `csrf_token` form field); bearer-token requests need none.

`asking_user` applies `server.require_auth_for_ask` to the routes that compute answers (the ask
and stream routes, threads, the page's ask and follow-up forms): with it off they stay open to
anyone, exactly as without this module.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import Request

from medcite.errors import AuthenticationRequired, PermissionDenied
from medcite.settings import Settings
from medcite.store.base import Session, Store, User

T = TypeVar("T")
SESSION_COOKIE = "medcite_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_PAGE = "/review/login"


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def in_store(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run store work on the app's store thread when it has one, else on a worker thread."""
    service = getattr(request.app.state, "answers", None)
    if service is not None and hasattr(service, "in_store"):
        result: T = await service.in_store(fn, *args, **kwargs)
        return result
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))


async def identify(request: Request) -> tuple[User | None, Session | None]:
    """(user, session) from the bearer token or the session cookie; (None, None) when neither.

    A bearer token that is not valid is refused (401) rather than treated as anonymous.
    """
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, token = auth.partition(" ")
        user = None
        if scheme.lower() == "bearer":
            user = await in_store(request, store_of(request).authenticate_token, token.strip())
        if user is None:
            raise AuthenticationRequired("the API token is not valid", hint="get one with `medcite users token`")
        return user, None
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        session = await in_store(request, store_of(request).get_session, cookie)
        if session is not None:
            return session.user, session
    return None, None


async def acting_user(request: Request, form_csrf: str | None = None) -> User | None:
    """The authenticated user (or None). A cookie session's unsafe request must carry its CSRF
    token; a mismatch is refused (403) and audited."""
    user, session = await identify(request)
    if session is not None and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER) or form_csrf or ""
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            await refuse(
                request, session.user.name, "csrf", f"{request.method} {request.url.path} without a valid CSRF token"
            )
            raise PermissionDenied(
                "the form's CSRF token is missing or wrong", hint="reload the page and submit the form again"
            )
    return user


async def refuse(request: Request, actor: str | None, action: str, detail: str) -> None:
    """Audit a refused attempt that is not a workflow step (login, CSRF)."""
    await in_store(
        request,
        store_of(request).record_refused,
        answer_id=None,
        actor=actor,
        action=action,
        from_status=None,
        to_status=None,
        detail=detail,
    )


def auth_required_for_ask(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    return settings.server.require_auth_for_ask


async def asking_user(request: Request, form_csrf: str | None = None) -> User | None:
    """The user asking when `server.require_auth_for_ask` is set: anonymous requests are refused
    (401, the one error shape). With the setting off, nobody is identified and None is returned.

    Any signed-in role may ask; the user is recorded as the saved answer's author.
    """
    if not auth_required_for_ask(request):
        return None
    user = await acting_user(request, form_csrf)
    if user is None:
        # Asking saves an answer: a refused ask is a refused write (the ask rate limit bounds these rows).
        await refuse(request, None, "ask", f"{request.method} {request.url.path} without signing in")
        raise AuthenticationRequired(
            "sign in to ask questions on this server",
            hint=f"send `Authorization: Bearer <token>` (`medcite users token NAME`) or sign in at {LOGIN_PAGE}",
        )
    return user


async def require_asker(request: Request) -> User | None:
    """FastAPI dependency form of `asking_user` for the API routes (runs before body validation)."""
    return await asking_user(request)


def login_url(request: Request, back: str | None = None) -> str:
    """The login page, coming back to `back` (default: this page, path and query) once signed in."""
    here = back or request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{LOGIN_PAGE}?{urlencode({'next': here})}"
