"""Living answers: saved answers follow the sources they cite.

1. `mark_stale_from_changes` reads the index catalogue's append-only change log (documents
   changed or removed) and marks stale exactly the saved answers whose current or approved
   version cites one of those documents and was created before the change (a version saved
   after it already cites the new text). The last change handled is kept in the store, in the
   same transaction, so each change is handled once.
2. `regenerate_stale` re-asks each stale answer's question for the same audience and stores the
   result as a new version (reason 'regenerated: source changed') with its diff. It then goes
   back to review: to `under_review`, assigned to the reviewer who approved it (or who had it),
   when that reviewer still exists; otherwise to `submitted`, for the queue. Drafts and answers
   with changes requested keep their state (an editor still owns them). When the regenerated
   answer does not differ in items or citations, no version is added: the stale mark is
   cleared and the review state kept (audited). Rejected answers are marked but not regenerated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from medcite.errors import MedciteError, NotFound
from medcite.records import AnswerStatus
from medcite.review.diff import diff_answers
from medcite.review.rules import SYSTEM_ACTOR, Action, require
from medcite.store.base import NewVersion, Role, SavedAnswer, Store, Transition, User

if TYPE_CHECKING:
    from medcite.engine import Medcite
    from medcite.index.catalog import Catalog
    from medcite.settings import Settings

#: Catalogue changes that can invalidate a citation ('added' cannot).
INVALIDATING = frozenset({"changed", "removed"})
REGENERATED = "regenerated: source changed"


class Regeneration(BaseModel):
    """What `regenerate_stale` did to one answer."""

    answer_id: str
    slug: str
    from_version: int
    to_version: int | None
    status: AnswerStatus
    summary: str
    error: str | None = None


def mark_stale_from_changes(store: Store, changes: Iterable[Mapping[str, Any]]) -> list[SavedAnswer]:
    """Mark stale the answers citing documents that `changes` (Catalog.changes_since rows) changed
    or removed; returns them. Handles each change once (the store keeps the last seq)."""
    rows = sorted(changes, key=lambda c: int(c["seq"]))
    if not rows:
        return []
    invalidating = [c for c in rows if c["change"] in INVALIDATING]
    reasons = {str(c["doc_id"]): f"{c['doc_id']} {c['change']} ({c['source']})" for c in invalidating}
    # A version saved after the change already cites the new text: only older versions go stale.
    changed_at = {str(c["doc_id"]): _when(c["at"]) for c in invalidating if c.get("at") is not None}
    return store.mark_stale_citing(reasons, cursor=int(rows[-1]["seq"]), actor=SYSTEM_ACTOR, changed_at=changed_at)


def _when(at: Any) -> datetime:
    """A catalogue change's time (epoch seconds, as the catalogue writes it) as an aware datetime."""
    if isinstance(at, datetime):
        return at if at.tzinfo else at.replace(tzinfo=UTC)
    return datetime.fromtimestamp(float(at), UTC)


def sync_with_catalog(store: Store, catalog: Catalog) -> list[SavedAnswer]:
    """Handle every catalogue change since the last one handled."""
    return mark_stale_from_changes(store, catalog.changes_since(store.get_cursor("catalog")))


def open_catalog(settings: Settings) -> Catalog | None:
    """The index catalogue if an index exists (reading it never builds one)."""
    from medcite.index.catalog import open_catalog

    return open_catalog(settings, create=False)


def _back_to_review(store: Store, saved: SavedAnswer) -> tuple[AnswerStatus, dict[str, Any]]:
    if saved.status in (AnswerStatus.DRAFT, AnswerStatus.CHANGES_REQUESTED):
        return saved.status, {}
    for name in (saved.approved_by, saved.assigned_to):
        if not name:
            continue
        try:
            if store.get_user(name).role == Role.REVIEWER:
                return AnswerStatus.UNDER_REVIEW, {"assigned_to": name, "submitted_by": SYSTEM_ACTOR}
        except NotFound:
            continue
    return AnswerStatus.SUBMITTED, {"assigned_to": None, "submitted_by": SYSTEM_ACTOR}


def _regenerate_one(store: Store, medcite: Medcite, saved: SavedAnswer, actor: str) -> Regeneration:
    new = medcite.ask(saved.question, audience=saved.audience)
    diff = diff_answers(saved.answer, new, from_version=saved.current_version, to_version=saved.current_version + 1)
    base = {
        "answer_id": saved.id,
        "action": "regenerate_stale",
        "actor": actor,
        "from_status": saved.status,
        "from_version": saved.current_version,
    }
    cleared = {"awaiting_regeneration": False}
    if diff.is_empty():
        t = Transition(
            **base,
            to_status=saved.status,
            updates={**cleared, "stale": False, "stale_reason": None},
            detail=f"{saved.stale_reason}; regenerated answer is unchanged, review state kept",
        )
        after = store.apply(t)
        return Regeneration(
            answer_id=saved.id,
            slug=saved.slug,
            from_version=saved.current_version,
            to_version=None,
            status=after.status,
            summary="no change",
        )
    target, updates = _back_to_review(store, saved)
    t = Transition(
        **base,
        to_status=target,
        updates={**cleared, **updates},
        detail=saved.stale_reason,
        new_version=NewVersion(answer=new, reason=REGENERATED, diff=diff.model_dump(mode="json")),
    )
    after = store.apply(t)
    return Regeneration(
        answer_id=saved.id,
        slug=saved.slug,
        from_version=saved.current_version,
        to_version=after.current_version,
        status=after.status,
        summary=diff.summary(),
    )


def check_regenerate(store: Store, actor: User | None) -> str:
    """The name regeneration is recorded under: medcite itself for `actor=None` (an in-process
    caller such as ingest), else a user with the 'regenerate' permission (refusals are audited).
    Callers that must build a model first check this before paying for it."""
    if actor is None:
        return SYSTEM_ACTOR
    try:
        return require(actor, Action.REGENERATE).name
    except MedciteError as exc:
        store.record_refused(
            answer_id=None,
            actor=actor.name,
            action="regenerate_stale",
            from_status=None,
            to_status=None,
            detail=f"{exc.code}: {exc.message}",
        )
        raise


def regenerate_stale(store: Store, medcite: Medcite, actor: User | None = None) -> list[Regeneration]:
    """Regenerate every answer awaiting regeneration (see `check_regenerate` for who may)."""
    name = check_regenerate(store, actor)
    done = []
    for saved in store.list_answers(awaiting_regeneration=True, limit=100_000):
        try:
            done.append(_regenerate_one(store, medcite, saved, name))
        except MedciteError as exc:  # one failing answer must not stop the others
            done.append(
                Regeneration(
                    answer_id=saved.id,
                    slug=saved.slug,
                    from_version=saved.current_version,
                    to_version=None,
                    status=saved.status,
                    summary="failed",
                    error=str(exc),
                )
            )
    return done
