"""The contract of the answer store (saved answers, versions, threads, users, review workflow).

SQLite by default (one file under MEDCITE_HOME), PostgreSQL when MEDCITE_DATABASE_URL points
at one. Both implement `Store`; the API, the CLI and the MCP server use only this protocol.

The store is rule-agnostic: it persists atomically and audits, while `medcite.review` decides
who may do what. Every change of a saved answer goes through `apply(Transition)`, which runs
in one transaction that updates the answer row, adds the version/comment it carries and
appends the audit event: a crash leaves the old state or the new one, never half of it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, Field

from medcite.records import Answer, AnswerStatus, Audience

#: The actor recorded for changes made by medcite itself (living answers); no user may take it.
SYSTEM_ACTOR = "medcite"


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class User(BaseModel):
    id: int
    name: str
    role: Role
    created_at: datetime


class AnswerVersion(BaseModel):
    """One immutable version of a saved answer."""

    answer_id: str
    version: int
    answer: Answer
    created_at: datetime
    created_by: str | None = None
    reason: str = Field(description="'generated', 'edited', 'regenerated: source changed', ...")
    diff: dict[str, Any] | None = Field(
        default=None, description="Summary of the change from the previous version (review.diff.AnswerDiff)"
    )


class SavedAnswer(BaseModel):
    """A saved answer: stable id and slug, its current state and latest version."""

    id: str
    slug: str
    question: str
    normalised_question: str
    audience: Audience
    status: AnswerStatus
    stale: bool = False
    stale_reason: str | None = None
    awaiting_regeneration: bool = Field(default=False, description="Stale and not yet regenerated (living answers)")
    current_version: int
    approved_version: int | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    submitted_by: str | None = None
    assigned_to: str | None = None
    created_by: str | None = None
    created_at: datetime
    updated_at: datetime
    answer: Answer = Field(description="The latest version's answer, status fields filled in")
    served_version: int | None = Field(
        default=None,
        description="The version `answer` holds when it was chosen for a reader (`medcite.review.publish`)",
    )


class AuditEvent(BaseModel):
    """Append-only record of every transition and every refused attempt."""

    seq: int
    answer_id: str | None
    actor: str | None
    action: str
    from_status: str | None = None
    to_status: str | None = None
    allowed: bool
    detail: str | None = None
    at: datetime


class Thread(BaseModel):
    """A follow-up conversation; under `server.require_auth_for_ask` it belongs to its creator."""

    id: str
    created_by: str | None = None
    created_at: datetime


class ThreadTurn(BaseModel):
    question: str
    answer_id: str
    at: datetime


class Comment(BaseModel):
    """A reviewer's or editor's comment on one version of a saved answer."""

    id: int
    answer_id: str
    version: int
    author: str | None
    body: str
    created_at: datetime


class NewVersion(BaseModel):
    """A version a transition adds (edit, regeneration)."""

    answer: Answer
    reason: str
    diff: dict[str, Any] | None = None


#: Columns of a saved answer a transition may set (besides status and version).
UPDATABLE_FIELDS = frozenset(
    {
        "assigned_to",
        "submitted_by",
        "approved_version",
        "approved_by",
        "approved_at",
        "stale",
        "stale_reason",
        "awaiting_regeneration",
    }
)


class Transition(BaseModel):
    """One atomic change of a saved answer, as the workflow asks the store to persist it.

    `from_status`/`from_version` are what the workflow saw when it checked the rules; the store
    refuses (Conflict) when the row no longer matches, so a concurrent change is never overwritten.
    """

    answer_id: str
    action: str
    actor: str | None
    from_status: AnswerStatus
    from_version: int
    to_status: AnswerStatus
    updates: dict[str, Any] = Field(default_factory=dict, description="Keys from UPDATABLE_FIELDS")
    new_version: NewVersion | None = None
    comment: str | None = None
    detail: str | None = None


class Session(BaseModel):
    """A browser login session (the cookie holds a secret; the store keeps only its hash)."""

    user: User
    csrf_token: str
    expires_at: datetime


class Store(Protocol):
    # answers
    def save_answer(self, answer: Answer, *, actor: str | None = None) -> SavedAnswer: ...
    def get_answer(self, id_or_slug: str) -> SavedAnswer: ...
    def find_approved(self, question: str, audience: Audience) -> SavedAnswer | None: ...
    def find_saved(self, question: str, audience: Audience) -> SavedAnswer | None: ...
    def versions(self, answer_id: str) -> list[AnswerVersion]: ...
    def version(self, answer_id: str, version: int) -> AnswerVersion: ...
    def list_answers(
        self,
        *,
        status: AnswerStatus | None = None,
        stale: bool | None = None,
        limit: int = 100,
        assigned_to: str | None = None,
        awaiting_regeneration: bool | None = None,
    ) -> list[SavedAnswer]: ...
    # threads (follow-up conversation)
    def create_thread(self, *, actor: str | None = None) -> str: ...
    def add_turn(self, thread_id: str, question: str, answer_id: str) -> None: ...
    def thread(self, thread_id: str) -> list[ThreadTurn]: ...
    def thread_info(self, thread_id: str) -> Thread: ...
    # users and authentication
    def add_user(self, name: str, role: Role, *, actor: str | None = None) -> User: ...
    def issue_token(self, name: str, *, actor: str | None = None) -> str: ...
    def authenticate_token(self, token: str) -> User | None: ...
    def get_user(self, name: str) -> User: ...
    def list_users(self) -> list[User]: ...
    def count_users(self) -> int: ...
    def revoke_tokens(self, name: str, *, actor: str | None = None) -> int: ...
    def create_session(self, user: User, *, ttl_s: int = 12 * 3600) -> tuple[str, Session]: ...
    def get_session(self, secret: str) -> Session | None: ...
    def end_session(self, secret: str) -> None: ...
    # workflow (review/ implements the rules; the store persists atomically and audits)
    def apply(self, transition: Transition) -> SavedAnswer: ...
    def record_refused(
        self,
        *,
        answer_id: str | None,
        actor: str | None,
        action: str,
        from_status: str | None,
        to_status: str | None,
        detail: str,
    ) -> AuditEvent: ...
    def record_event(
        self, *, answer_id: str | None, actor: str | None, action: str, detail: str | None = None
    ) -> AuditEvent: ...
    def comments(self, answer_id: str) -> list[Comment]: ...
    def history(self, answer_id: str) -> list[AuditEvent]: ...
    def audit_log(self, *, limit: int = 200, answer_id: str | None = None) -> list[AuditEvent]: ...
    # living answers
    def mark_stale_citing(
        self,
        reasons: dict[str, str],
        *,
        cursor: int,
        actor: str | None = None,
        changed_at: dict[str, datetime] | None = None,
    ) -> list[SavedAnswer]: ...
    def get_cursor(self, name: str) -> int: ...
    def close(self) -> None: ...


def store_info(store: Any) -> str:
    """Human description of where a store keeps its data (for `medcite sources`/health)."""
    return str(getattr(store, "url", type(store).__name__))
