"""Editorial review over HTTP: the API (`/api/answers/{id}/...`, `/api/review/...`, `/api/users`,
`/api/login`, `/api/logout`) and the reviewer pages (`/review`, `/review/{id}`).

Who is acting: `Authorization: Bearer <token>` for API clients, or the `medcite_session` cookie
of a browser login, resolved by `medcite.api.auth` (which also enforces the session's CSRF token
on state-changing requests). The rules themselves live in
`medcite.review`; this module only parses, authenticates and renders. Errors are MedciteErrors
(the app maps them to its one error shape: 401, 403, 404, 409, 422).
"""

from __future__ import annotations

import functools
import hmac
import secrets
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, StringConstraints

from medcite import limits
from medcite.api.auth import SESSION_COOKIE, acting_user, identify, in_store, login_url, refuse, store_of
from medcite.api.params import AnswerId, UserName, Version, VersionQuery
from medcite.errors import AuthenticationRequired, Conflict, InvalidInput, PermissionDenied
from medcite.records import AnswerStatus, Audience
from medcite.review import Action, Workflow, require
from medcite.review.diff import render_text, unified
from medcite.review.edit import item_keys
from medcite.review.rules import PERMISSIONS, TRANSITIONS
from medcite.store.base import AnswerVersion, Role, SavedAnswer, Session, Store, User

router = APIRouter()
LOGIN_COOKIE = "medcite_login_csrf"


def summary(saved: SavedAnswer) -> dict[str, Any]:
    """What the review API says about a saved answer (the answer itself is at its permalink)."""
    return {
        "id": saved.id,
        "slug": saved.slug,
        "question": saved.question,
        "audience": saved.audience.value,
        "status": saved.status.value,
        "status_label": saved.answer.status_label,
        "current_version": saved.current_version,
        "approved_version": saved.approved_version,
        "approved_by": saved.approved_by,
        "submitted_by": saved.submitted_by,
        "assigned_to": saved.assigned_to,
        "stale": saved.stale,
        "stale_reason": saved.stale_reason,
        "awaiting_regeneration": saved.awaiting_regeneration,
        "updated_at": saved.updated_at.isoformat(),
        "permalink": f"/answers/{saved.id}",
        "review_url": f"/review/{saved.id}",
    }


def _version_out(v: AnswerVersion, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": v.version,
        "reason": v.reason,
        "created_by": v.created_by,
        "created_at": v.created_at.isoformat(),
        "diff": v.diff,
    }
    if full:
        out["answer"] = v.answer.model_dump(mode="json")
        out["items"] = {k: {"section": t, "text": c.text} for k, (t, c) in item_keys(v.answer).items()}
    return out


def _user_out(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role.value, "created_at": user.created_at.isoformat()}


# -- API: authentication and users ----------------------------------------------------------
class LoginIn(BaseModel):
    token: str = Field(min_length=1, max_length=limits.TOKEN_MAX)


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=limits.USER_MAX)
    role: Role = Role.READER


def _login_response(response: Response, request: Request, secret: str, session: Session) -> None:
    # HttpOnly: scripts never see it; SameSite=Strict: other sites' forms do not carry it.
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=12 * 3600,
        path="/",
    )


async def _login(request: Request, token: str) -> tuple[str, Session]:
    store = store_of(request)
    user = await in_store(request, store.authenticate_token, token)
    if user is None:
        await refuse(request, None, "login", "invalid token")
        raise AuthenticationRequired("the token is not valid", hint="get one with `medcite users token NAME`")
    return await in_store(request, store.create_session, user)


@router.post("/api/login", tags=["review"], summary="Start a browser session from an API token")
async def api_login(body: LoginIn, request: Request) -> JSONResponse:
    secret, session = await _login(request, body.token)
    response = JSONResponse(
        {
            "user": _user_out(session.user),
            "csrf_token": session.csrf_token,
            "expires_at": session.expires_at.isoformat(),
        }
    )
    _login_response(response, request, secret, session)
    return response


@router.post("/api/logout", tags=["review"], summary="End the browser session")
async def api_logout(request: Request) -> JSONResponse:
    await acting_user(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await in_store(request, store_of(request).end_session, cookie)
    response = JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/me", tags=["review"], summary="Who is signed in, and what they may do")
async def me(request: Request) -> dict[str, Any]:
    user, session = await identify(request)
    if user is None:
        raise AuthenticationRequired("not signed in", hint="send Authorization: Bearer <token>")
    return {
        "user": _user_out(user),
        "may": sorted(a.value for a in PERMISSIONS[user.role]),
        "csrf_token": session.csrf_token if session else None,
    }


async def _admin(request: Request, actor: User | None) -> User:
    """The actor if they may manage users; a refusal is audited."""
    try:
        return require(actor, Action.MANAGE_USERS)
    except (AuthenticationRequired, PermissionDenied) as exc:
        await refuse(request, actor.name if actor else None, "manage_users", f"{exc.code}: {exc.message}")
        raise


@router.get("/api/users", tags=["review"], summary="Users (admin)")
async def list_users(request: Request) -> dict[str, Any]:
    await _admin(request, await acting_user(request))
    users = await in_store(request, store_of(request).list_users)
    return {"users": [_user_out(u) for u in users]}


@router.post("/api/users", tags=["review"], status_code=201, summary="Add a user (admin); returns a token")
async def add_user(body: UserIn, request: Request) -> JSONResponse:
    admin = await _admin(request, await acting_user(request))
    store = store_of(request)
    try:
        user = await in_store(request, store.add_user, body.name, body.role, actor=admin.name)
    except (InvalidInput, Conflict) as exc:  # a reserved or taken name: refused, and audited
        await refuse(request, admin.name, "user.add", f"{body.name!r}: {exc.code}: {exc.message}")
        raise
    token = await in_store(request, store.issue_token, user.name, actor=admin.name)
    return JSONResponse({"user": _user_out(user), "token": token}, status_code=201)


@router.post("/api/users/{name}/token", tags=["review"], status_code=201, summary="Issue a new API token")
async def issue_token(name: UserName, request: Request) -> JSONResponse:
    actor = await acting_user(request)
    if actor is None or actor.name != name.strip().lower():
        await _admin(request, actor)  # users may renew their own token; admins anyone's (refusals audited)
    assert actor is not None
    token = await in_store(request, store_of(request).issue_token, name, actor=actor.name)
    return JSONResponse({"name": name, "token": token}, status_code=201)


# -- API: answers under review ---------------------------------------------------------------
class SaveIn(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    audience: Audience = Audience.CLINICIAN


class CommentIn(BaseModel):
    comment: str | None = Field(None, max_length=limits.TEXT_MAX)


class AssignIn(BaseModel):
    reviewer: str | None = Field(None, max_length=limits.USER_MAX, description="Reviewer's name; default: yourself")


ItemRef = Annotated[str, StringConstraints(min_length=1, max_length=limits.ITEM_REF_MAX)]


class EditIn(BaseModel):
    remove: list[ItemRef] = Field(
        default_factory=list, max_length=limits.ITEMS_MAX, description="Items to remove, as 'S.I'"
    )
    keep: list[ItemRef] | None = Field(None, max_length=limits.ITEMS_MAX, description="Keep only these items ('S.I')")
    restore: list[ItemRef] = Field(
        default_factory=list, max_length=limits.ITEMS_MAX, description="Items of earlier versions, as 'vN:S.I'"
    )
    note: str | None = Field(None, max_length=limits.TEXT_MAX, description="Editor's note shown with the answer")


@router.get("/api/answers", tags=["review"], summary="Saved answers (editors, reviewers, admins)")
async def list_answers(
    request: Request,
    status: AnswerStatus | None = None,
    stale: bool | None = None,
    limit: int = Query(100, ge=1, le=limits.PAGE_MAX, description="Most answers listed"),
) -> dict[str, Any]:
    require(await acting_user(request), Action.VIEW_DRAFTS)
    rows = await in_store(
        request, store_of(request).list_answers, status=status, stale=stale, limit=max(1, min(limit, 1000))
    )
    return {"answers": [summary(s) for s in rows]}


async def _may(request: Request, user: User | None, action: Action, detail: str) -> User:
    """`require(user, action)` for a write that is not a workflow step; a refusal is audited."""
    try:
        return require(user, action)
    except (AuthenticationRequired, PermissionDenied) as exc:
        await refuse(request, user.name if user else None, action.value, f"{detail}: {exc.code}: {exc.message}")
        raise


@router.post("/api/answers", tags=["review"], status_code=201, summary="Ask and save as a draft")
async def save_answer(body: SaveIn, request: Request) -> JSONResponse:
    # Before composing: refusals are cheap (and audited, anonymous and reader attempts included).
    user = await _may(request, await acting_user(request), Action.SAVE, "POST /api/answers")
    answer = await anyio.to_thread.run_sync(
        functools.partial(request.app.state.medcite.ask, body.question, audience=body.audience)
    )
    saved = await in_store(request, Workflow(store_of(request)).save, answer, user)
    return JSONResponse(summary(saved), status_code=201, headers={"Location": f"/review/{saved.id}"})


@router.get("/api/answers/{answer_id}/versions", tags=["review"], summary="Versions of a saved answer")
async def versions(answer_id: AnswerId, request: Request) -> dict[str, Any]:
    require(await acting_user(request), Action.VIEW_DRAFTS)
    rows = await in_store(request, store_of(request).versions, answer_id)
    return {"versions": [_version_out(v) for v in rows]}


@router.get("/api/answers/{answer_id}/versions/{version}", tags=["review"], summary="One version, in full")
async def one_version(answer_id: AnswerId, version: Version, request: Request) -> dict[str, Any]:
    require(await acting_user(request), Action.VIEW_DRAFTS)
    return _version_out(await in_store(request, store_of(request).version, answer_id, version), full=True)


@router.get("/api/answers/{answer_id}/diff", tags=["review"], summary="What changed between two versions")
async def diff(
    answer_id: AnswerId, request: Request, from_version: VersionQuery = None, to_version: VersionQuery = None
) -> dict[str, Any]:
    user = await acting_user(request)
    d, old, new = await in_store(
        request, Workflow(store_of(request)).diff, answer_id, user, from_version=from_version, to_version=to_version
    )
    return {
        "diff": d.model_dump(mode="json"),
        "summary": d.summary(),
        "text": render_text(d),
        "unified": unified(old, new, from_label=f"v{d.from_version}", to_label=f"v{d.to_version}"),
    }


@router.get("/api/answers/{answer_id}/history", tags=["review"], summary="Audit trail of an answer")
async def history(answer_id: AnswerId, request: Request) -> dict[str, Any]:
    events = await in_store(request, Workflow(store_of(request)).history, answer_id, await acting_user(request))
    return {"events": [e.model_dump(mode="json") for e in events]}


@router.get("/api/answers/{answer_id}/comments", tags=["review"], summary="Review comments")
async def comments(answer_id: AnswerId, request: Request) -> dict[str, Any]:
    rows = await in_store(request, Workflow(store_of(request)).comments, answer_id, await acting_user(request))
    return {"comments": [c.model_dump(mode="json") for c in rows]}


def _step_kwargs(action: Action, comment: str | None, reviewer: str | None = None) -> dict[str, Any]:
    """Keyword arguments of the `Workflow` method for a simple step (API body or page form)."""
    if action == Action.ASSIGN:
        return {"reviewer": reviewer or None}
    if action == Action.COMMENT:
        return {"body": comment or ""}
    return {} if action == Action.START_REVIEW else {"comment": comment or None}


async def _transition(
    request: Request, action: Action, answer_id: str, user: User | None, **kwargs: Any
) -> SavedAnswer:
    wf = Workflow(store_of(request))
    if action == Action.REGENERATE:  # composes an answer: not on the store thread
        saved: SavedAnswer = await anyio.to_thread.run_sync(
            functools.partial(wf.regenerate, answer_id, user, request.app.state.medcite)
        )
        return saved
    return await in_store(request, getattr(wf, action.value), answer_id, user, **kwargs)


def _simple_route(action: Action) -> None:
    async def endpoint(answer_id: AnswerId, request: Request, body: CommentIn | None = None) -> dict[str, Any]:
        user = await acting_user(request)
        kwargs = _step_kwargs(action, body.comment if body else None)
        return summary(await _transition(request, action, answer_id, user, **kwargs))

    endpoint.__name__ = f"answer_{action.value}"
    router.add_api_route(
        f"/api/answers/{{answer_id}}/{action.value.replace('_', '-')}",
        endpoint,
        methods=["POST"],
        tags=["review"],
        summary=f"{action.verb.capitalize()} a saved answer",
    )


#: Steps whose only input is an optional comment: POST /api/answers/{id}/<step> {"comment": ...}.
SIMPLE_STEPS = (
    Action.SUBMIT,
    Action.START_REVIEW,
    Action.APPROVE,
    Action.REQUEST_CHANGES,
    Action.REJECT,
    Action.REOPEN,
    Action.COMMENT,
)
for _action in SIMPLE_STEPS:
    _simple_route(_action)


@router.post("/api/answers/{answer_id}/assign", tags=["review"], summary="Assign to a reviewer")
async def assign(answer_id: AnswerId, request: Request, body: AssignIn | None = None) -> dict[str, Any]:
    user = await acting_user(request)
    reviewer = body.reviewer if body else None
    return summary(await _transition(request, Action.ASSIGN, answer_id, user, reviewer=reviewer))


@router.post("/api/answers/{answer_id}/edit", tags=["review"], summary="Choose/remove items, add a note")
async def edit(answer_id: AnswerId, body: EditIn, request: Request) -> dict[str, Any]:
    user = await acting_user(request)
    return summary(
        await _transition(
            request,
            Action.EDIT,
            answer_id,
            user,
            remove=body.remove,
            keep=body.keep,
            restore=body.restore,
            note=body.note,
        )
    )


@router.post("/api/answers/{answer_id}/regenerate", tags=["review"], summary="Re-ask as a new version")
async def regenerate(answer_id: AnswerId, request: Request) -> dict[str, Any]:
    return summary(await _transition(request, Action.REGENERATE, answer_id, await acting_user(request)))


@router.get("/api/review/queue", tags=["review"], summary="What awaits review (a reviewer's queue)")
async def queue(request: Request) -> dict[str, Any]:
    rows = await in_store(request, Workflow(store_of(request)).queue, await acting_user(request))
    return {"answers": [summary(s) for s in rows]}


def _sync_stale(store: Store, settings: Any) -> None:
    """Handle the index catalogue's new changes (answers citing changed documents go stale)."""
    from medcite.review.living import open_catalog, sync_with_catalog

    catalog = open_catalog(settings)
    if catalog is not None:
        try:
            sync_with_catalog(store, catalog)
        finally:
            catalog.close()


@router.get("/api/review/stale", tags=["review"], summary="Answers whose cited sources changed")
async def stale(request: Request) -> dict[str, Any]:
    user = require(await acting_user(request), Action.VIEW_DRAFTS)
    await in_store(request, _sync_stale, store_of(request), request.app.state.settings)
    rows = await in_store(request, Workflow(store_of(request)).stale, user)
    return {"answers": [summary(s) for s in rows]}


@router.post("/api/review/stale/regenerate", tags=["review"], summary="Regenerate every stale answer")
async def regenerate_stale(request: Request) -> dict[str, Any]:
    from medcite.review.living import check_regenerate

    user, store = await acting_user(request), store_of(request)
    if user is None:
        await refuse(request, None, "regenerate_stale", "POST /api/review/stale/regenerate without signing in")
        raise AuthenticationRequired("sign in to regenerate answers", hint="send Authorization: Bearer <token>")
    await in_store(request, check_regenerate, store, user)
    await in_store(request, _sync_stale, store, request.app.state.settings)
    done = await anyio.to_thread.run_sync(
        functools.partial(Workflow(store).regenerate_stale, request.app.state.medcite, user)
    )
    return {"regenerated": [r.model_dump(mode="json") for r in done]}


# -- pages: login, the reviewer's queue, the version diff view ---------------------------
def _render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates = getattr(request.app.state, "templates", None)
    if templates is None:  # an app without the page templates (tests, API-only embedding)
        from medcite.web import templates as make_templates

        templates = request.app.state.templates = make_templates()
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status_code)
    return response


def _local(url: str) -> str:
    """Only same-site paths as redirect targets (no open redirect)."""
    return url if url.startswith("/") and not url.startswith("//") else "/review"


@router.get("/review/login", response_class=HTMLResponse, include_in_schema=False)
async def login_page(request: Request, next: str = Query("/review", max_length=limits.URL_MAX)) -> HTMLResponse:
    # Login CSRF: a pre-session double-submit token (cookie + hidden field) that must match.
    token = secrets.token_urlsafe(24)
    response = _render(request, "review/login.html", {"csrf_token": token, "next": _local(next)})
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=3600, path="/review")
    return response


@router.post("/review/login", include_in_schema=False)
async def login_form(
    request: Request,
    token: str = Form(..., max_length=limits.TOKEN_MAX),
    csrf_token: str = Form("", max_length=limits.TOKEN_MAX),
    next: str = Form("/review", max_length=limits.URL_MAX),
) -> RedirectResponse:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf_token.encode(), expected.encode()):
        await refuse(request, None, "login", "login form without a valid CSRF token")
        raise PermissionDenied("the login form expired or came from another site", hint="open /review/login again")
    secret, session = await _login(request, token)
    response = RedirectResponse(_local(next), status_code=303)
    _login_response(response, request, secret, session)
    response.delete_cookie(LOGIN_COOKIE, path="/review")
    return response


@router.post("/review/logout", include_in_schema=False)
async def logout_form(request: Request, csrf_token: str = Form("", max_length=limits.TOKEN_MAX)) -> RedirectResponse:
    await acting_user(request, csrf_token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await in_store(request, store_of(request).end_session, cookie)
    response = RedirectResponse("/review/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _page_user(request: Request) -> tuple[User, Session] | RedirectResponse:
    user, session = await identify(request)
    if user is None or session is None:
        return RedirectResponse(login_url(request), status_code=303)
    return user, session


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
async def queue_page(request: Request) -> Response:
    who = await _page_user(request)
    if isinstance(who, RedirectResponse):
        return who
    user, session = who
    wf = Workflow(store_of(request))
    waiting = await in_store(request, wf.queue, user)
    await in_store(request, _sync_stale, store_of(request), request.app.state.settings)
    stale_rows = await in_store(request, wf.stale, user)
    return _render(
        request,
        "review/queue.html",
        {
            "user": user,
            "csrf_token": session.csrf_token,
            "queue": [summary(s) for s in waiting],
            "stale": [summary(s) for s in stale_rows],
        },
    )


def _page_actions(user: User, saved: SavedAnswer) -> list[str]:
    """The steps this user may take on this answer now (edits and regeneration: API and CLI)."""
    return [
        a.value
        for a, rule in TRANSITIONS.items()
        if a in PERMISSIONS[user.role] and saved.status in rule.sources and a not in (Action.EDIT, Action.REGENERATE)
    ]


@router.get("/review/{answer_id}", response_class=HTMLResponse, include_in_schema=False)
async def review_page(
    request: Request, answer_id: AnswerId, from_version: VersionQuery = None, to_version: VersionQuery = None
) -> Response:
    who = await _page_user(request)
    if isinstance(who, RedirectResponse):
        return who
    user, session = who
    wf, store = Workflow(store_of(request)), store_of(request)
    saved = await in_store(request, store.get_answer, answer_id)
    d, old, new = await in_store(request, wf.diff, saved.id, user, from_version=from_version, to_version=to_version)
    people = await in_store(request, store.list_users)
    return _render(
        request,
        "review/diff.html",
        {
            "user": user,
            "csrf_token": session.csrf_token,
            "saved": summary(saved),
            "diff": d,
            "unified": unified(old, new, from_label=f"v{d.from_version}", to_label=f"v{d.to_version}"),
            "versions": [_version_out(v) for v in await in_store(request, store.versions, saved.id)],
            "comments": await in_store(request, store.comments, saved.id),
            "history": await in_store(request, store.history, saved.id),
            "actions": _page_actions(user, saved),
            "reviewers": [u.name for u in people if u.role == Role.REVIEWER],
        },
    )


@router.post("/review/{answer_id}/{action}", include_in_schema=False)
async def review_action(
    request: Request,
    answer_id: AnswerId,
    action: str = Path(max_length=limits.ID_MAX),
    csrf_token: str = Form("", max_length=limits.TOKEN_MAX),
    comment: str = Form("", max_length=limits.TEXT_MAX),
    reviewer: str = Form("", max_length=limits.USER_MAX),
) -> RedirectResponse:
    """A step from the review page's forms (CSRF-checked), then back to the page."""
    user = await acting_user(request, csrf_token)
    if user is None:
        await refuse(request, None, "review_form", f"POST /review/{answer_id}/{action} without signing in")
        raise AuthenticationRequired("sign in to review", hint="open /review/login")
    try:
        act = Action(action.replace("-", "_"))
    except ValueError:
        await refuse(request, user.name, "review_form", f"unknown action {action!r} on {answer_id}")
        raise InvalidInput(f"unknown action {action!r}", hint="submit, assign, approve, ...") from None
    if act not in (*SIMPLE_STEPS, Action.ASSIGN):
        await refuse(request, user.name, "review_form", f"{act.value} is not a form action ({answer_id})")
        raise InvalidInput(f"{act.verb} is not a form action", hint="use the API or the CLI")
    saved = await _transition(request, act, answer_id, user, **_step_kwargs(act, comment, reviewer))
    return RedirectResponse(f"/review/{saved.id}", status_code=303)
