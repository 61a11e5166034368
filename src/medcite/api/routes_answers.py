"""`/api/ask`, its streaming variant, saved answers and follow-up threads.

With `server.require_auth_for_ask` set, asking (plain or streamed) and threads need a signed-in
user (`medcite.api.auth`), who is recorded as the saved answer's author; reading a saved answer
by its permalink stays open.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from medcite.answer.render import to_json
from medcite.api.auth import identify, require_asker
from medcite.api.params import AnswerId, ThreadId, ThreadQuery
from medcite.api.problems import error_body, medcite_error_body
from medcite.api.schemas import (
    AnswerResponse,
    AskRequest,
    ErrorResponse,
    ThreadRequest,
    ThreadResponse,
    ThreadTurnOut,
)
from medcite.api.service import AnswerService, Progress, check_question
from medcite.engine import MAX_QUESTION_CHARS
from medcite.errors import MedciteError
from medcite.privacy import redact
from medcite.records import Audience
from medcite.store.base import SavedAnswer, User

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (404, 422, 500, 503)}
router = APIRouter(prefix="/api", tags=["answers"], responses=ERRORS)
AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Only with `server.require_auth_for_ask`: no token or login"}
}
#: The user asking when `server.require_auth_for_ask` is set (else None); checked before the body.
Asker = Annotated[User | None, Depends(require_asker)]


def _name(user: User | None) -> str | None:
    return user.name if user else None


def service_of(request: Request) -> AnswerService:
    service: AnswerService = request.app.state.answers
    return service


def answer_payload(saved: SavedAnswer, thread_id: str | None = None) -> dict[str, Any]:
    """`ask --json` of the saved answer plus its permalink, thread and review state."""
    data = to_json(saved.answer)
    data["permalink"] = f"/answers/{saved.id}" if saved.id else None
    data["thread_id"] = thread_id
    data["saved"] = {
        "version": saved.served_version or saved.current_version,
        "approved_by": saved.approved_by,
        "approved_at": saved.approved_at.isoformat() if saved.approved_at else None,
        "stale": saved.stale,
        "stale_reason": saved.stale_reason,
        "created_at": saved.created_at.isoformat(),
        "updated_at": saved.updated_at.isoformat(),
    }
    return data


def _created(saved: SavedAnswer, thread_id: str | None = None) -> JSONResponse:
    headers = {"Location": f"/api/answers/{saved.id}"} if saved.id else None
    body = answer_payload(saved, thread_id) if saved.id else _unsaved_payload(saved, thread_id)
    return JSONResponse(body, headers=headers)


def _unsaved_payload(saved: SavedAnswer, thread_id: str | None) -> dict[str, Any]:
    """An answer that was not saved: no permalink and no review state."""
    return {**to_json(saved.answer), "id": None, "permalink": None, "thread_id": thread_id, "saved": None}


@router.post("/ask", response_model=AnswerResponse, summary="Answer a question", responses=AUTH)
async def ask(body: AskRequest, request: Request, user: Asker) -> JSONResponse:
    """Answer a clinical question with checked citations. The answer is saved: its `id` and
    `permalink` stay valid. An approved answer to the same question and audience is reused."""
    saved = await service_of(request).ask(
        body.question, audience=body.audience, filters=body.filters, actor=_name(user), store=body.store
    )
    return _created(saved)


STREAM_DOC = (
    "Server-sent events, sent as the answer is computed: `status` (at once, before any work); "
    "`retrieved` (`passages`, `documents`, and `titles` of the top documents) when the search is done; "
    "`composed` (`composer`, drafted `claims` and `sections`, before the support check); `bottom_line` "
    "(question, bottom line, red flags, abstention) as soon as the bottom line is verified and its "
    "citations numbered; one `section` (`index`, `title`, `items`) as soon as each section is verified; "
    "`references` (references, conflicts, evidence level, follow-ups, notes); then `answer` (the full "
    "body of POST /api/ask, with the saved `id` and `permalink`) and the stream ends. Streamed sentences, "
    "citation numbers and wording are final: they equal the `answer` event's. While the answer is being "
    "computed, `bottom_line` carries `id: null` and `permalink: null` (the `answer` event has them). "
    "An answer served from the store (this question and audience were answered before) sends no "
    "`retrieved` or `composed`; an abstention sends its `bottom_line` (with the reason) after the work, "
    "followed by `references` and `answer`. A failure after the stream has started is an `error` event "
    "carrying the error shape, and the stream ends."
)
_STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": STREAM_DOC, "content": {"text/event-stream": {"schema": {"type": "string"}}}},
    **AUTH,
}


def _sse(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


BOTTOM_LINE_KEYS = (
    "id",
    "question",
    "audience",
    "bottom_line",
    "red_flags",
    "abstained",
    "abstain_reason",
    "closest",
    "permalink",
    "thread_id",
)


def answer_events(payload: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Split an answer body into the stream's events: bottom line first, then each section."""
    yield "bottom_line", {k: payload.get(k) for k in BOTTOM_LINE_KEYS}
    for i, section in enumerate(payload.get("sections", [])):
        yield "section", {"index": i, **section}
    yield (
        "references",
        {
            k: payload.get(k)
            for k in (
                "references",
                "conflicts",
                "evidence_level",
                "follow_ups",
                "notes",
                "status",
                "status_label",
                "last_updated",
            )
        },
    )
    yield "answer", payload


def live_event(progress: Progress, thread_id: str | None) -> dict[str, Any]:
    """A pipeline event as the stream sends it: `bottom_line` gets the keys of `answer_events`' one
    (the id and permalink are not known before the answer is saved)."""
    if progress.event != "bottom_line":
        return progress.data
    base: dict[str, Any] = dict.fromkeys(BOTTOM_LINE_KEYS)
    return {**base, "abstained": False, "closest": [], **progress.data, "thread_id": thread_id}


async def _stream(
    service: AnswerService,
    question: str,
    audience: Audience,
    thread_id: str | None,
    user: User | None,
    store: bool,
) -> AsyncIterator[bytes]:
    yield _sse("status", {"stage": "answering", "question": redact(question).text, "audience": audience.value})
    saved: SavedAnswer | None = None
    live = False  # the bottom line and sections went out as they were checked
    try:
        stream = service.stream(
            question, audience=audience, thread_id=thread_id, actor=_name(user), user=user, store=store
        )
        async for item in stream:
            if isinstance(item, Progress):
                live = live or item.event == "bottom_line"
                yield _sse(item.event, live_event(item, thread_id))
            else:
                saved = item
    except MedciteError as exc:
        yield _sse("error", medcite_error_body(exc))
        return
    except Exception:  # the status line is already sent: report in-band rather than cut the stream
        yield _sse(
            "error",
            error_body(
                "internal_error",
                "medcite failed unexpectedly",
                "the server log has the details; please report it",
            ),
        )
        raise
    if saved is None:  # `AnswerService.stream` always ends with the answer; nothing to add otherwise
        return
    # Served from the store, or abstained: nothing was sent live, so the saved answer is split up.
    payload = answer_payload(saved, thread_id) if saved.id else _unsaved_payload(saved, thread_id)
    for event, data in answer_events(payload):
        if not (live and event in ("bottom_line", "section")):
            yield _sse(event, data)


async def _stream_response(
    service: AnswerService,
    question: str,
    audience: Audience,
    thread_id: str | None = None,
    user: User | None = None,
    store: bool = True,
) -> StreamingResponse:
    # Fail with a plain 422/404/403 before the stream starts, while a status code can still say so.
    check_question(question)
    if thread_id:
        await service.turns(thread_id, user, write=True)
    return StreamingResponse(
        _stream(service, question, audience, thread_id, user, store),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/ask/stream",
    summary="Answer a question, streamed",
    description=STREAM_DOC,
    responses=_STREAM_RESPONSES,
    response_class=StreamingResponse,
)
async def ask_stream(body: AskRequest, request: Request, user: Asker) -> StreamingResponse:
    """The answer of POST /api/ask as server-sent events (see the 200 response)."""
    return await _stream_response(service_of(request), body.question, body.audience, user=user, store=body.store)


@router.get(
    "/ask/stream",
    summary="Answer a question, streamed (EventSource)",
    description="GET form of the stream, for the browser's `EventSource`. " + STREAM_DOC,
    responses=_STREAM_RESPONSES,
    response_class=StreamingResponse,
)
async def ask_stream_get(
    request: Request,
    user: Asker,
    q: str = Query(..., min_length=1, max_length=MAX_QUESTION_CHARS, description="The question"),
    audience: Audience = Query(Audience.CLINICIAN),
    thread: ThreadQuery = None,
    store: bool = Query(True, description="false: save nothing about this question"),
) -> StreamingResponse:
    """GET form of the stream, for the browser's `EventSource`."""
    return await _stream_response(service_of(request), q, audience, thread, user, store)


@router.get("/answers/{answer_id}", response_model=AnswerResponse, summary="A saved answer")
async def get_answer(answer_id: AnswerId, request: Request) -> JSONResponse:
    """A saved answer by id (or slug) with its review state: the version a reader may see
    (`medcite.review.publish`); editors, reviewers and admins who send their token see the latest.
    A rejected answer is not public (404)."""
    viewer, _ = await identify(request)
    return JSONResponse(answer_payload(await service_of(request).get(answer_id, viewer)))


def _thread_out(thread_id: str, turns: list[Any]) -> dict[str, Any]:
    out = ThreadResponse(
        id=thread_id,
        turns=[
            ThreadTurnOut(question=t.question, answer_id=t.answer_id, permalink=f"/answers/{t.answer_id}", at=t.at)
            for t in turns
        ],
    )
    return out.model_dump(mode="json")


@router.post("/threads", response_model=ThreadResponse, status_code=201, summary="Start a conversation", responses=AUTH)
async def create_thread(request: Request, user: Asker, body: ThreadRequest | None = None) -> JSONResponse:
    """Open a thread for follow-up questions, optionally continuing a saved answer."""
    service = service_of(request)
    thread_id = await service.start_thread(body.answer_id if body else None, actor=_name(user), user=user)
    return JSONResponse(
        _thread_out(thread_id, await service.turns(thread_id, user)),
        status_code=201,
        headers={"Location": f"/api/threads/{thread_id}"},
    )


@router.get("/threads/{thread_id}", response_model=ThreadResponse, summary="A conversation", responses=AUTH)
async def get_thread(thread_id: ThreadId, request: Request, user: Asker) -> JSONResponse:
    """A thread's turns. Under `server.require_auth_for_ask` only its creator (and editors,
    reviewers and admins) may read it; others get 403."""
    return JSONResponse(_thread_out(thread_id, await service_of(request).turns(thread_id, user)))


@router.post("/threads/{thread_id}/ask", response_model=AnswerResponse, summary="Ask a follow-up", responses=AUTH)
async def thread_ask(thread_id: ThreadId, body: AskRequest, request: Request, user: Asker) -> JSONResponse:
    """Answer a follow-up ("and in pregnancy?") resolved against the thread's earlier questions;
    the question and its answer become the thread's next turn."""
    saved = await service_of(request).follow_up(
        thread_id,
        body.question,
        audience=body.audience,
        filters=body.filters,
        actor=_name(user),
        user=user,
        store=body.store,
    )
    return _created(saved, thread_id)
