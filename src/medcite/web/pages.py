"""Page routes. Asking redirects to the answer's permalink, so reloading or sharing never re-asks.

GET  /                              question box and example questions
GET  /ask?q=&audience=&thread=      answer (or follow up in a thread), then 303 to the permalink
GET  /answers/{id}?thread=          the answer page (permalink)
GET  /answers/{id}/audience         the same question worded for another reader
POST /answers/{id}/follow-up        continue the conversation (starts a thread on first use)

With `server.require_auth_for_ask` set, the three routes that compute answers (/ask, the
audience switch, the follow-up form) send an anonymous visitor to the login page, which brings
them back once signed in; permalinks stay readable by anyone.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medcite import limits
from medcite.api.auth import asking_user, auth_required_for_ask, identify, login_url
from medcite.api.params import AnswerId, ThreadQuery
from medcite.api.service import AnswerService, parse_audience
from medcite.engine import MAX_QUESTION_CHARS
from medcite.errors import AuthenticationRequired, NotFound, PermissionDenied
from medcite.privacy import redact, rules, with_note
from medcite.store.base import SavedAnswer, User
from medcite.web.view import AUDIENCES, api_operations, audience_from_cookie, build_view

router = APIRouter(include_in_schema=False)
AUDIENCE_COOKIE = "medcite_audience"
AUDIENCE_MAX = 40  # "clinician", "patient", "student": anything longer is refused, not parsed


def _service(request: Request) -> AnswerService:
    service: AnswerService = request.app.state.answers
    return service


def _render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    base = {"audiences": AUDIENCES, "audience": audience_from_cookie(request.cookies.get(AUDIENCE_COOKIE))}
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, {**base, **context}, status_code=status_code
    )
    return response


def _to_answer(saved: SavedAnswer, thread_id: str | None, removed: tuple[str, ...] = ()) -> RedirectResponse:
    # `removed` carries the kinds of identifiers taken out of the question (never their values), so
    # the permalink can say so: the saved answer itself does not carry this asker's note.
    params = {k: v for k, v in (("thread", thread_id), ("removed", ",".join(removed))) if v}
    url = f"/answers/{saved.id}" + (f"?{urlencode(params)}" if params else "")
    response = RedirectResponse(url, status_code=303)
    # Remember who is reading, so the next question box starts on the same audience.
    response.set_cookie(AUDIENCE_COOKIE, saved.answer.audience.value, max_age=365 * 86400, samesite="lax")
    return response


async def _asker(request: Request, csrf: str | None = None, back: str | None = None) -> User | RedirectResponse | None:
    """Who is asking (None when asking needs no sign-in), or the way to the login page (coming
    back to `back`, default this page) for an anonymous visitor when it does."""
    try:
        return await asking_user(request, csrf)
    except AuthenticationRequired:
        return RedirectResponse(login_url(request, back), status_code=303)


def _name(user: User | None) -> str | None:
    return user.name if user else None


def _shown(request: Request, saved: SavedAnswer, thread_id: str | None, question: str = "") -> Response:
    """The permalink for a saved answer; an unsaved one (storing off, or a fresh answer for a
    question whose saved answer is not public) is shown at once: it has no page of its own."""
    if saved.id:
        return _to_answer(saved, thread_id, redact(question).kinds)
    return _render(request, "answer.html", {"view": build_view(saved, None, None), "csrf_token": None})


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return _render(request, "index.html", {"examples": request.app.state.examples})


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    """The API reference, rendered from the OpenAPI schema (Swagger UI would need a CDN, offline)."""
    return _render(
        request, "api_docs.html", {"schema": request.app.openapi(), "groups": api_operations(request.app.openapi())}
    )


@router.get("/ask")
async def ask_page(
    request: Request,
    q: str = Query("", max_length=MAX_QUESTION_CHARS),
    audience: str | None = Query(None, max_length=AUDIENCE_MAX),
    thread: ThreadQuery = None,
) -> Response:
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    asker = await _asker(request)
    if isinstance(asker, RedirectResponse):
        return asker
    service = _service(request)
    aud = parse_audience(audience or request.cookies.get(AUDIENCE_COOKIE))
    if thread:
        saved = await service.follow_up(thread, q, audience=aud, actor=_name(asker), user=asker)
    else:
        saved = await service.ask(q, audience=aud, actor=_name(asker))
    return _shown(request, saved, thread, q)


@router.get("/answers/{answer_id}", response_class=HTMLResponse)
async def answer_page(
    request: Request, answer_id: AnswerId, thread: ThreadQuery = None, removed: str = Query("", max_length=200)
) -> HTMLResponse:
    service = _service(request)
    viewer, session = await identify(request)
    saved = await service.get(answer_id, viewer)  # what this visitor may see (medcite.review.publish)
    kinds = tuple(k for k in removed.split(",") if k in rules().kind_labels)
    if kinds:  # the asker's own question had identifiers taken out: say so (kinds only)
        saved = saved.model_copy(update={"answer": with_note(saved.answer, kinds)})
    turns = None
    if thread:
        try:
            turns = await service.turns(thread, viewer)
        except (NotFound, PermissionDenied):  # a stale or foreign thread link shows the answer alone
            thread = None
    csrf = None
    if auth_required_for_ask(request):  # the follow-up form then posts with the session's CSRF token
        csrf = session.csrf_token if session else None
    return _render(request, "answer.html", {"view": build_view(saved, thread, turns), "csrf_token": csrf})


@router.get("/answers/{answer_id}/audience")
async def switch_audience(
    request: Request,
    answer_id: AnswerId,
    audience: str = Query("clinician", max_length=AUDIENCE_MAX),
    thread: ThreadQuery = None,
) -> Response:
    asker = await _asker(request)
    if isinstance(asker, RedirectResponse):
        return asker
    saved = await _service(request).reword(answer_id, parse_audience(audience), actor=_name(asker), user=asker)
    return _shown(request, saved, thread)


@router.post("/answers/{answer_id}/follow-up")
async def follow_up(
    request: Request,
    answer_id: AnswerId,
    question: str = Form(..., max_length=MAX_QUESTION_CHARS),
    audience: str = Form("clinician", max_length=AUDIENCE_MAX),
    thread: str = Form("", max_length=limits.ID_MAX),
    csrf_token: str = Form("", max_length=limits.TOKEN_MAX),
) -> Response:
    asker = await _asker(request, csrf_token, back=f"/answers/{answer_id}")
    if isinstance(asker, RedirectResponse):
        return asker
    service = _service(request)
    aud = parse_audience(audience)
    thread_id = thread or None
    if thread_id:
        try:
            await service.turns(thread_id, asker, write=True)  # someone else's thread: 403
        except NotFound:
            thread_id = None
    if thread_id is None:
        # First follow-up from a stand-alone answer: the thread starts with that answer as its first turn.
        thread_id = await service.start_thread(answer_id, actor=_name(asker), user=asker)
    saved = await service.follow_up(thread_id, question, audience=aud, actor=_name(asker), user=asker)
    return _shown(request, saved, thread_id, question)
