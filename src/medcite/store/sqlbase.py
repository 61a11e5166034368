"""Shared pieces of the SQL store: the database handle, the clock, audit appends, row mapping."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from medcite.records import Answer, AnswerStatus
from medcite.store.base import AnswerVersion, AuditEvent, Comment, SavedAnswer, User
from medcite.store.db import Database, Row
from medcite.store.migrations import migrate


def now() -> datetime:
    return datetime.now(UTC)


def _dt(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


class SQLBase:
    """Owns the `Database`, runs migrations on open, appends audit events."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.url = db.url
        migrate(db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _audit(
        self,
        *,
        answer_id: str | None,
        actor: str | None,
        action: str,
        allowed: bool,
        from_status: str | None = None,
        to_status: str | None = None,
        detail: str | None = None,
    ) -> AuditEvent:
        """Append one audit event (inside the caller's transaction when there is one)."""
        row = self.db.fetchone(
            "INSERT INTO audit(answer_id, actor, action, from_status, to_status, allowed, detail, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (answer_id, actor, action, from_status, to_status, allowed, detail, now()),
        )
        assert row is not None
        return audit_event(row)

    def get_cursor(self, name: str) -> int:
        row = self.db.fetchone("SELECT value FROM meta WHERE key = ?", (f"cursor:{name}",))
        return int(row["value"]) if row else 0

    def _set_cursor(self, name: str, value: int) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"cursor:{name}", str(value)),
        )


def audit_event(row: Row) -> AuditEvent:
    return AuditEvent(
        seq=row["seq"],
        answer_id=row["answer_id"],
        actor=row["actor"],
        action=row["action"],
        from_status=row["from_status"],
        to_status=row["to_status"],
        allowed=bool(row["allowed"]),
        detail=row["detail"],
        at=_dt(row["at"]),
    )


def to_user(row: Row) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], created_at=_dt(row["created_at"]))


def to_comment(row: Row) -> Comment:
    return Comment(
        id=row["id"],
        answer_id=row["answer_id"],
        version=row["version"],
        author=row["author"],
        body=row["body"],
        created_at=_dt(row["created_at"]),
    )


def to_version(row: Row) -> AnswerVersion:
    return AnswerVersion(
        answer_id=row["answer_id"],
        version=row["version"],
        answer=Answer.model_validate_json(row["answer"]),
        created_at=_dt(row["created_at"]),
        created_by=row["created_by"],
        reason=row["reason"],
        diff=json.loads(row["diff"]) if row["diff"] else None,
    )


def to_saved(row: Row) -> SavedAnswer:
    """A saved answer from an `answers` row joined with its current version's JSON."""
    saved = SavedAnswer(
        id=row["id"],
        slug=row["slug"],
        question=row["question"],
        normalised_question=row["normalised_question"],
        audience=row["audience"],
        status=row["status"],
        stale=bool(row["stale"]),
        stale_reason=row["stale_reason"],
        awaiting_regeneration=bool(row["awaiting_regeneration"]),
        current_version=row["current_version"],
        approved_version=row["approved_version"],
        approved_by=row["approved_by"],
        approved_at=_dt(row["approved_at"]),
        submitted_by=row["submitted_by"],
        assigned_to=row["assigned_to"],
        created_by=row["created_by"],
        created_at=_dt(row["created_at"]),
        updated_at=_dt(row["updated_at"]),
        answer=Answer.model_validate_json(row["answer_json"]),
    )
    fill_status(saved, _dt(row["version_at"]))
    return saved


def status_label(saved: SavedAnswer) -> str:
    """What a reader is told about an answer's review state."""
    status = saved.status
    if status == AnswerStatus.APPROVED:
        if saved.stale:
            return "A cited source has changed since approval — update pending"
        when = saved.approved_at.date().isoformat() if saved.approved_at else "?"
        return f"Approved by {saved.approved_by} on {when}"
    if saved.approved_version is not None and status != AnswerStatus.REJECTED:
        return "Updated since approved — under review"
    return {
        AnswerStatus.DRAFT: "Draft — pending human review",
        AnswerStatus.SUBMITTED: "Submitted — awaiting review",
        AnswerStatus.UNDER_REVIEW: "Under review",
        AnswerStatus.CHANGES_REQUESTED: "Changes requested by a reviewer",
        AnswerStatus.REJECTED: "Rejected by a reviewer",
    }[status]


def fill_status(saved: SavedAnswer, version_at: datetime | None) -> None:
    """Copy the saved state into the answer a reader sees (id, status, label, last updated)."""
    a = saved.answer
    a.id = saved.id
    a.status = saved.status
    a.status_label = status_label(saved)
    if version_at is not None:
        a.last_updated = version_at.date()
    a.provenance = {
        **a.provenance,
        "saved": {
            "slug": saved.slug,
            "version": saved.current_version,
            "approved_version": saved.approved_version,
            "stale": saved.stale,
            "stale_reason": saved.stale_reason,
        },
    }
