"""The async core shared by the HTTP API, the answer page and the MCP server.

`Medcite.ask` is synchronous and CPU-bound (0.1–1 s), so it runs in worker threads under a
`CapacityLimiter`: the event loop stays free and at most `max_concurrency` answers are computed
at once (the rest wait in line instead of thrashing two cores). Index reads are thread-safe
(tantivy searchers, FAISS search, one SQLite connection opened with `check_same_thread=False`).

Store calls run on one dedicated thread, which also opens the store: an SQLite connection made
there is only ever used there, whatever the store implementation, and writes are serialised.

`AnswerService.stream` carries the pipeline's progress events from the worker thread to the
event loop as they happen (`loop.call_soon_threadsafe` onto an asyncio queue: the answer never
waits for the loop), so the answer stream can send the bottom line before the sections are checked.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

import anyio
import anyio.to_thread

from medcite.answer.pipeline import OnEvent, StageEvent, resolve_follow_up
from medcite.engine import Medcite
from medcite.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from medcite.privacy import Redaction, redact, with_note
from medcite.records import Answer, Audience, QueryFilters
from medcite.retrieve import SearchResult
from medcite.review.publish import may_use_thread, published
from medcite.settings import Settings
from medcite.store import normalise_question, open_store
from medcite.store.base import SavedAnswer, Store, ThreadTurn, User
from medcite.store.keys import slugify

P = ParamSpec("P")
T = TypeVar("T")


def open_answer_store(settings: Settings) -> Store:
    """The answer store the settings name (SQLite under MEDCITE_HOME, or PostgreSQL)."""
    store: Store = open_store(settings)
    return store


def follow_up_question(question: str, context: Sequence[str]) -> str:
    """The question a follow-up is saved under.

    A short follow-up ("and in pregnancy?") is answered in the light of the previous question, so
    it is saved as "and in pregnancy? (follow-up to: <previous question>)": the answer depends on
    exactly that pair, reviewers see what was really asked, and another thread's "and in
    pregnancy?" after a different question does not collide with it. A self-contained question
    (which the engine reads without context) is saved as itself.
    """
    question = question.strip()
    if not context or resolve_follow_up(question, context) == question:
        return question
    return f"{question}{FOLLOW_UP_MARK}{context[-1].strip()})"


FOLLOW_UP_MARK = " (follow-up to: "


def split_follow_up(saved_question: str) -> tuple[str, str | None]:
    """Inverse of `follow_up_question`: (question as asked, previous question or None)."""
    head, mark, tail = saved_question.partition(FOLLOW_UP_MARK)
    if mark and tail.endswith(")"):
        return head, tail[:-1]
    return saved_question, None


def default_concurrency() -> int:
    """One answer per core: the work is CPU-bound, more threads only add queueing inside the GIL."""
    return max(1, min(4, os.cpu_count() or 1))


class StoreThread:
    """Runs every call to the answer store on one thread (opened there, used only there)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medcite-store")

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


@dataclass(frozen=True)
class Progress:
    """A pipeline event (see `medcite.answer.pipeline.answer_question`) on its way to a stream."""

    event: StageEvent
    data: dict[str, Any]


def _as_saved(on_event: OnEvent | None, question: str) -> OnEvent | None:
    """Events that name the question name it as the answer will be saved (a follow-up's full form)."""
    if on_event is None:
        return None
    listener = on_event

    def relay(event: StageEvent, data: dict[str, Any]) -> None:
        listener(event, {**data, "question": question} if "question" in data else data)

    return relay


class AnswerService:
    """Ask, search, save and thread answers without blocking the event loop.

    Contract: every answer it returns has been saved (it has an id and a permalink), except a
    filtered answer whose question the store already holds unfiltered, an answer composed afresh
    because the saved one may not be shown (rejected), and any answer when storing is off
    (`privacy.store_questions`, or `store=False`); a question the store holds is served from it
    as `medcite.review.publish.published` allows, never regenerated. Questions are redacted
    (`medcite.privacy`) before they are looked up, answered, saved or added to a thread.
    """

    def __init__(
        self, engine: Medcite, store: Store, store_thread: StoreThread, *, max_concurrency: int | None = None
    ) -> None:
        self.engine = engine
        self.store = store
        self._store_thread = store_thread
        self.max_concurrency = max_concurrency or default_concurrency()
        self._limiter = anyio.CapacityLimiter(self.max_concurrency)
        self._streams: set[asyncio.Task[None]] = set()  # strong references while they run

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run CPU-bound library work in a worker thread, bounded by the limiter."""
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter)

    async def in_store(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._store_thread.call(fn, *args, **kwargs)

    # -- answers --------------------------------------------------------------------------
    @property
    def keeps_questions(self) -> bool:
        """`privacy.store_questions`: off, nothing about a question is saved (answers are unsaved)."""
        return self.engine.settings.privacy.store_questions

    async def ask(
        self,
        question: str,
        *,
        audience: Audience = Audience.CLINICIAN,
        filters: QueryFilters | None = None,
        context: Sequence[str] = (),
        actor: str | None = None,
        on_event: OnEvent | None = None,
        store: bool = True,
    ) -> SavedAnswer:
        """Answer, save and return the saved record, as a reader may see it.

        Personal identifiers are removed from the question (and `context`) before anything else
        happens; the returned answer's notes say which kinds were removed (the stored one does
        not carry that note: it is this asker's).

        The store keeps one answer per normalised question and audience, so a question it already
        holds is served from it, as `medcite.review.publish.published` lets a reader see it, not
        regenerated. A question whose saved answer may not be shown (rejected) is composed afresh
        and served unsaved. Filtered questions are always computed: a filter changes the answer
        but not the store's key. With `store=False` (or `privacy.store_questions` off) nothing is
        written: the answer comes back without an id. `on_event` hears the pipeline's progress,
        on the worker thread, only when the answer is computed.
        """
        red = redact(question)
        earlier = [redact(c).text for c in context]
        key = follow_up_question(red.text, earlier)
        keep = store and self.keeps_questions
        filtered = _has_filters(filters)
        hidden = False  # saved, but nothing of it may be shown to a reader
        if not filtered:
            shown, exists = await self.in_store(self._find, key, audience)
            if shown is not None:
                return _noted(shown, red)
            hidden = exists
        answer: Answer = await self.run(
            functools.partial(
                self.engine.ask,
                red.text,
                audience=audience,
                filters=filters,
                context=earlier,
                on_event=_as_saved(on_event, key),
            )
        )
        if key != answer.question:
            answer = answer.model_copy(update={"question": key})
        if not keep or hidden:
            return _noted(_unsaved(answer), red)
        try:
            saved = await self.in_store(self.store.save_answer, answer, actor=actor)
        except Conflict:
            # Someone saved the same question meanwhile (or, filtered, earlier): serve that one,
            # unless this answer was filtered: then it is served as computed and left unsaved.
            shown, exists = await self.in_store(self._find, key, audience)
            if shown is not None and not filtered:
                return _noted(shown, red)
            if filtered or exists:
                return _noted(_unsaved(answer), red)
            raise
        return _noted(_with_id(saved), red)

    def _find(self, question: str, audience: Audience) -> tuple[SavedAnswer | None, bool]:
        """(the saved answer for this question and audience as a reader may see it, whether one
        is saved at all). Runs on the store thread."""
        saved = self._saved(question, audience)
        if saved is None:
            return None, False
        shown = published(self.store, saved)
        return (_with_id(shown) if shown else None), True

    def _saved(self, question: str, audience: Audience) -> SavedAnswer | None:
        """The saved answer for this question and audience: the approved one first, else any.

        Uses the store's `find_saved` when it has one; otherwise finds the answer through its
        slug (the store derives slugs from the question and audience).
        """
        approved = self.store.find_approved(question, audience)
        if approved is not None:
            return approved
        finder = getattr(self.store, "find_saved", None)
        if finder is not None:
            found: SavedAnswer | None = finder(question, audience)
            return found
        key, base = normalise_question(question), slugify(question, audience)
        for slug in [base, *(f"{base}-{n}" for n in range(2, 6))]:
            try:
                saved = self.store.get_answer(slug)
            except NotFound:
                return None
            if saved.normalised_question == key and saved.audience == audience:
                return saved
        return None

    async def get(self, answer_id: str, viewer: User | None = None) -> SavedAnswer:
        """A saved answer as `viewer` may see it; NotFound when it is not public."""
        return await self.in_store(self._get, answer_id, viewer)

    def _get(self, answer_id: str, viewer: User | None) -> SavedAnswer:
        shown = published(self.store, self.store.get_answer(answer_id), viewer)
        if shown is None:
            raise NotFound(
                f"the answer {answer_id!r} is not published",
                hint="ask the question again for a fresh answer; editors and reviewers can sign in to see it",
            )
        return _with_id(shown)

    async def search(
        self, text: str, *, k: int | None, filters: QueryFilters | None, audience: Audience, mode: str
    ) -> SearchResult:
        return await self.run(
            functools.partial(self.engine.search, text, k=k, filters=filters, audience=audience, mode=mode)
        )

    async def sources(self) -> dict[str, Any]:
        # Cheap catalogue counts: not queued behind answers, so /healthz stays responsive under load.
        return await anyio.to_thread.run_sync(self.engine.sources)

    async def index_version(self) -> str:
        return await anyio.to_thread.run_sync(self.engine.store.version)

    # -- threads --------------------------------------------------------------------------
    @property
    def threads_are_private(self) -> bool:
        """Under `server.require_auth_for_ask` a thread belongs to its creator."""
        return self.engine.settings.server.require_auth_for_ask

    async def start_thread(
        self, after: str | None = None, *, actor: str | None = None, user: User | None = None
    ) -> str:
        """Open a thread; `after` seeds it with an existing answer (one `user` may see) as its first turn."""
        seed = await self.get(after, user) if after else None
        thread_id = await self.in_store(self.store.create_thread, actor=actor)
        if seed is not None:
            await self.in_store(self.store.add_turn, thread_id, seed.question, seed.id)
        return thread_id

    async def turns(self, thread_id: str, user: User | None = None, *, write: bool = False) -> list[ThreadTurn]:
        """The thread's turns, once `user` may read it (or add to it, with `write`); a refusal is
        a PermissionDenied, audited."""
        return await self.in_store(self._turns, thread_id, user, write)

    def _turns(self, thread_id: str, user: User | None, write: bool) -> list[ThreadTurn]:
        thread = self.store.thread_info(thread_id)
        if self.threads_are_private and not may_use_thread(thread, user, write=write):
            action = "thread.ask" if write else "thread.read"
            self.store.record_refused(
                answer_id=None,
                actor=user.name if user else None,
                action=action,
                from_status=None,
                to_status=None,
                detail=f"{thread_id} belongs to {thread.created_by or 'nobody'}",
            )
            raise PermissionDenied(
                "this conversation belongs to another user", hint="start a conversation of your own: POST /api/threads"
            )
        return self.store.thread(thread_id)

    async def follow_up(
        self,
        thread_id: str,
        question: str,
        *,
        audience: Audience = Audience.CLINICIAN,
        filters: QueryFilters | None = None,
        actor: str | None = None,
        on_event: OnEvent | None = None,
        user: User | None = None,
        store: bool = True,
    ) -> SavedAnswer:
        """Answer a question in a thread: earlier questions are its context, and it becomes a turn
        (its redacted form; an answer that is not saved adds no turn)."""
        turns = await self.turns(thread_id, user, write=True)
        saved = await self.ask(
            question,
            audience=audience,
            filters=filters,
            context=[t.question for t in turns],
            actor=actor,
            on_event=on_event,
            store=store,
        )
        if saved.id:
            await self.in_store(self.store.add_turn, thread_id, redact(question).text, saved.id)
        return saved

    async def stream(
        self,
        question: str,
        *,
        audience: Audience = Audience.CLINICIAN,
        thread_id: str | None = None,
        actor: str | None = None,
        user: User | None = None,
        store: bool = True,
    ) -> AsyncIterator[Progress | SavedAnswer]:
        """`ask` (or `follow_up` in `thread_id`), yielding each pipeline event as it happens and
        then the saved answer, last. A failure is raised after the events sent before it.

        Closing the iterator early cancels the answer (the worker thread finishes its current
        answer, which is then not saved), as a disconnected `ask` request would be.
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Progress | SavedAnswer | Exception] = asyncio.Queue()

        def on_event(event: StageEvent, data: dict[str, Any]) -> None:
            # On the worker thread. The thread posts its result to the loop the same way, after
            # its last event, so the queue holds every event before the answer.
            loop.call_soon_threadsafe(queue.put_nowait, Progress(event, data))

        async def answer() -> None:
            try:
                if thread_id:
                    saved = await self.follow_up(
                        thread_id, question, audience=audience, actor=actor, on_event=on_event, user=user, store=store
                    )
                else:
                    saved = await self.ask(question, audience=audience, actor=actor, on_event=on_event, store=store)
            except Exception as exc:  # re-raised by the consumer, where the stream reports it
                queue.put_nowait(exc)
            else:
                queue.put_nowait(saved)

        task = loop.create_task(answer())
        self._streams.add(task)
        task.add_done_callback(self._streams.discard)
        try:
            while True:
                item = await queue.get()
                if isinstance(item, Exception):
                    raise item
                yield item
                if isinstance(item, SavedAnswer):
                    return
        finally:
            task.cancel()  # a no-op once it has finished

    async def reword(
        self, answer_id: str, audience: Audience, *, actor: str | None = None, user: User | None = None
    ) -> SavedAnswer:
        """The same question answered for another audience (a follow-up keeps its context)."""
        saved = await self.get(answer_id, user)
        asked, previous = split_follow_up(saved.question)
        return await self.ask(asked, audience=audience, context=[previous] if previous else [], actor=actor)

    def close(self) -> None:
        self._store_thread.shutdown()


def _has_filters(filters: QueryFilters | None) -> bool:
    return filters is not None and filters != QueryFilters()


def _unsaved(answer: Answer) -> SavedAnswer:
    """A computed answer the store could not take (see `AnswerService.ask`): it has no id."""
    now = datetime.now(UTC)
    return SavedAnswer(
        id="",
        slug="",
        question=answer.question,
        normalised_question="",
        audience=answer.audience,
        status=answer.status,
        current_version=0,
        created_at=now,
        updated_at=now,
        answer=answer,
    )


def _noted(saved: SavedAnswer, red: Redaction) -> SavedAnswer:
    """The answer as returned to this asker: with the note on what was removed from their question."""
    if not red.changed:
        return saved
    return saved.model_copy(update={"answer": with_note(saved.answer, red.kinds)})


def _with_id(saved: SavedAnswer) -> SavedAnswer:
    """Make sure the embedded Answer carries the saved id (the permalink depends on it)."""
    if not saved.id or saved.answer.id == saved.id:
        return saved
    return saved.model_copy(update={"answer": saved.answer.model_copy(update={"id": saved.id})})


def check_question(text: str) -> None:
    """Reject an empty question up front (the engine checks again; this one runs before a stream opens)."""
    if not text or not text.strip():
        raise InvalidInput("the question is empty", hint="type a clinical question")


def parse_audience(value: str | None) -> Audience:
    """Audience from a query string or form value; unknown values are an InvalidInput (422)."""
    if not value:
        return Audience.CLINICIAN
    try:
        return Audience(value.strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown audience {value!r}", hint="clinician, patient or student") from None
