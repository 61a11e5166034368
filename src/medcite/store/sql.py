"""The answer store, written once over the dialect shim; `SQLiteStore` and `PostgresStore` bind it.

Every method that changes a saved answer runs in one write transaction that also appends the
audit event, so a crash (even `kill -9`) leaves the old state or the new one with a matching
audit trail, never half of either.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from medcite.errors import Conflict, InvalidInput, NotFound
from medcite.privacy import for_storage, redact
from medcite.records import Answer, AnswerStatus, Audience
from medcite.store.base import (
    UPDATABLE_FIELDS,
    AnswerVersion,
    AuditEvent,
    Comment,
    SavedAnswer,
    Thread,
    ThreadTurn,
    Transition,
)
from medcite.store.db import crash_point
from medcite.store.keys import new_answer_id, new_thread_id, normalise_question, slugify
from medcite.store.sqlbase import _dt, audit_event, now, to_comment, to_saved, to_version
from medcite.store.users import UserMethods

# The answers row with its current version's JSON; every SavedAnswer read goes through it.
_SELECT = (
    "SELECT a.*, v.answer AS answer_json, v.created_at AS version_at FROM answers a"
    " JOIN answer_versions v ON v.answer_id = a.id AND v.version = a.current_version"
)
CATALOG_CURSOR = "catalog"


def cited_doc_ids(answer: Answer) -> list[str]:
    """Document ids an answer cites (its references), in reference order."""
    seen: dict[str, None] = {}
    for ref in answer.references:
        seen.setdefault(ref.doc_id, None)
    return list(seen)


class SQLStore(UserMethods):
    """`medcite.store.base.Store` over a `Database` (SQLite or PostgreSQL)."""

    # -- answers --------------------------------------------------------------------------
    def save_answer(self, answer: Answer, *, actor: str | None = None) -> SavedAnswer:
        """Save a new answer as a draft (version 1, reason 'generated').

        One saved answer per normalised question and audience: saving a second one is a
        Conflict naming the existing answer (new versions come from edits and regeneration).
        """
        if not answer.question.strip():
            raise InvalidInput("the answer has no question", hint="save answers produced by `ask`")
        answer = for_storage(answer)
        key, audience, t = normalise_question(answer.question), Audience(answer.audience), now()
        with self.db.write() as db:
            existing = db.fetchone(
                "SELECT slug FROM answers WHERE normalised_question = ? AND audience = ?",
                (key, audience.value),
            )
            if existing:
                raise Conflict(
                    f"this question is already saved for {audience.value}s as {existing['slug']!r}",
                    hint=f"see `medcite review show {existing['slug']}`",
                )
            answer_id, slug = new_answer_id(), self._free_slug(slugify(answer.question, audience))
            db.execute(
                "INSERT INTO answers(id, slug, question, normalised_question, audience, status,"
                " current_version,"
                " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                (
                    answer_id,
                    slug,
                    answer.question,
                    key,
                    audience.value,
                    AnswerStatus.DRAFT.value,
                    actor,
                    t,
                    t,
                ),
            )
            self._insert_version(answer_id, 1, answer, actor, "generated", None)
            self._audit(
                answer_id=answer_id,
                actor=actor,
                action="save",
                allowed=True,
                to_status=AnswerStatus.DRAFT.value,
                detail="version 1",
            )
        return self.get_answer(answer_id)

    def _free_slug(self, base: str) -> str:
        taken = {
            r["slug"]
            for r in self.db.fetchall("SELECT slug FROM answers WHERE slug = ? OR slug LIKE ?", (base, f"{base}-%"))
        }
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def _insert_version(
        self,
        answer_id: str,
        n: int,
        answer: Answer,
        actor: str | None,
        reason: str,
        diff: dict[str, Any] | None,
    ) -> None:
        stored = for_storage(answer).model_copy(update={"id": answer_id})
        self.db.execute(
            "INSERT INTO answer_versions(answer_id, version, answer, created_at, created_by, reason, diff)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                answer_id,
                n,
                stored.model_dump_json(),
                now(),
                actor,
                reason,
                json.dumps(diff) if diff else None,
            ),
        )
        for doc_id in cited_doc_ids(answer):
            self.db.execute(
                "INSERT INTO version_citations(answer_id, version, doc_id) VALUES (?, ?, ?)",
                (answer_id, n, doc_id),
            )

    def get_answer(self, id_or_slug: str) -> SavedAnswer:
        row = self.db.fetchone(f"{_SELECT} WHERE a.id = ? OR a.slug = ?", (id_or_slug, id_or_slug))
        if row is None:
            raise NotFound(f"no saved answer {id_or_slug!r}", hint="see `medcite review list`")
        return to_saved(row)

    def find_approved(self, question: str, audience: Audience) -> SavedAnswer | None:
        """The saved answer to serve for this question, once it has ever been approved.

        Its `answer` is the latest version; when that is newer than the approved one the
        status label says "Updated since approved — under review".
        """
        row = self.db.fetchone(
            f"{_SELECT} WHERE a.normalised_question = ? AND a.audience = ? AND a.approved_version IS NOT NULL"
            " AND a.status <> ?",
            (normalise_question(question), Audience(audience).value, AnswerStatus.REJECTED.value),
        )
        return to_saved(row) if row else None

    def find_saved(self, question: str, audience: Audience) -> SavedAnswer | None:
        """The saved answer for this normalised question and audience, in whatever state."""
        row = self.db.fetchone(
            f"{_SELECT} WHERE a.normalised_question = ? AND a.audience = ?",
            (normalise_question(question), Audience(audience).value),
        )
        return to_saved(row) if row else None

    def versions(self, answer_id: str) -> list[AnswerVersion]:
        aid = self.get_answer(answer_id).id
        rows = self.db.fetchall("SELECT * FROM answer_versions WHERE answer_id = ? ORDER BY version", (aid,))
        return [to_version(r) for r in rows]

    def version(self, answer_id: str, version: int) -> AnswerVersion:
        aid = self.get_answer(answer_id).id
        row = self.db.fetchone("SELECT * FROM answer_versions WHERE answer_id = ? AND version = ?", (aid, version))
        if row is None:
            raise NotFound(
                f"answer {answer_id!r} has no version {version}",
                hint=f"see `medcite review history {answer_id}`",
            )
        return to_version(row)

    def list_answers(
        self,
        *,
        status: AnswerStatus | None = None,
        stale: bool | None = None,
        limit: int = 100,
        assigned_to: str | None = None,
        awaiting_regeneration: bool | None = None,
    ) -> list[SavedAnswer]:
        where, params = [], []
        for column, value in (
            ("a.status", AnswerStatus(status).value if status else None),
            ("a.stale", stale),
            ("a.assigned_to", assigned_to),
            ("a.awaiting_regeneration", awaiting_regeneration),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
        rows = self.db.fetchall(f"{sql} ORDER BY a.updated_at DESC, a.id LIMIT ?", [*params, limit])
        return [to_saved(r) for r in rows]

    # -- workflow -------------------------------------------------------------------------
    def apply(self, transition: Transition) -> SavedAnswer:
        """Persist one workflow step atomically: answer row, new version, comment and audit event.

        Refuses (Conflict, nothing written) when the answer is no longer in the state the
        workflow checked, so two reviewers acting at once cannot both win.
        """
        t = transition
        bad = set(t.updates) - UPDATABLE_FIELDS
        if bad:
            raise InvalidInput(f"cannot set {', '.join(sorted(bad))} through a transition")
        with self.db.write() as db:
            row = db.fetchone(
                "SELECT status, current_version FROM answers WHERE id = ?" + db.for_update, (t.answer_id,)
            )
            if row is None:
                raise NotFound(f"no saved answer {t.answer_id!r}", hint="see `medcite review list`")
            if row["status"] != t.from_status.value or row["current_version"] != t.from_version:
                raise Conflict(
                    f"answer {t.answer_id} changed meanwhile (now {row['status']}, version {row['current_version']})",
                    hint="reload it and try again",
                )
            version = row["current_version"]
            if t.new_version is not None:
                version += 1
                self._insert_version(
                    t.answer_id,
                    version,
                    t.new_version.answer,
                    t.actor,
                    t.new_version.reason,
                    t.new_version.diff,
                )
            fields = {
                **t.updates,
                "status": t.to_status.value,
                "current_version": version,
                "updated_at": now(),
            }
            assignments = ", ".join(f"{k} = ?" for k in fields)
            db.execute(f"UPDATE answers SET {assignments} WHERE id = ?", [*fields.values(), t.answer_id])
            if t.comment:
                db.execute(
                    "INSERT INTO comments(answer_id, version, author, body, created_at) VALUES (?, ?, ?, ?, ?)",
                    (t.answer_id, version, t.actor, t.comment, now()),
                )
            # The test suite's kill -9 lands here: the row is updated, the audit event not yet written.
            crash_point("transition")
            self._audit(
                answer_id=t.answer_id,
                actor=t.actor,
                action=t.action,
                allowed=True,
                from_status=t.from_status.value,
                to_status=t.to_status.value,
                detail=_detail(t, version),
            )
        return self.get_answer(t.answer_id)

    def record_refused(
        self,
        *,
        answer_id: str | None,
        actor: str | None,
        action: str,
        from_status: str | None,
        to_status: str | None,
        detail: str,
    ) -> AuditEvent:
        with self.db.write():
            return self._audit(
                answer_id=answer_id,
                actor=actor,
                action=action,
                allowed=False,
                from_status=from_status,
                to_status=to_status,
                detail=detail,
            )

    def record_event(
        self, *, answer_id: str | None, actor: str | None, action: str, detail: str | None = None
    ) -> AuditEvent:
        with self.db.write():
            return self._audit(answer_id=answer_id, actor=actor, action=action, allowed=True, detail=detail)

    def comments(self, answer_id: str) -> list[Comment]:
        aid = self.get_answer(answer_id).id
        return [
            to_comment(r) for r in self.db.fetchall("SELECT * FROM comments WHERE answer_id = ? ORDER BY id", (aid,))
        ]

    def history(self, answer_id: str) -> list[AuditEvent]:
        aid = self.get_answer(answer_id).id
        return self.audit_log(answer_id=aid, limit=100_000)

    def audit_log(self, *, limit: int = 200, answer_id: str | None = None) -> list[AuditEvent]:
        if answer_id is not None:
            rows = self.db.fetchall("SELECT * FROM audit WHERE answer_id = ? ORDER BY seq LIMIT ?", (answer_id, limit))
        else:
            rows = self.db.fetchall("SELECT * FROM audit ORDER BY seq DESC LIMIT ?", (limit,))
        return [audit_event(r) for r in rows]

    # -- living answers -------------------------------------------------------------------
    def mark_stale_citing(
        self,
        reasons: dict[str, str],
        *,
        cursor: int,
        actor: str | None = None,
        changed_at: dict[str, datetime] | None = None,
    ) -> list[SavedAnswer]:
        """Mark stale every saved answer whose current or approved version cites one of the
        documents in `reasons` (doc id -> why), and record `cursor` as the last catalogue change
        handled, in one transaction; a cursor at or below the stored one is a no-op (handled once).
        With `changed_at` (doc id -> when it changed), a citing version counts only if it was
        created before that change: an answer saved after a source changed is not stale.
        Rejected answers are marked stale but not queued for regeneration.
        """
        marked: list[str] = []
        with self.db.write() as db:
            if cursor <= self.get_cursor(CATALOG_CURSOR):
                return []
            for answer_id, row, docs in self._citing(list(reasons), changed_at or {}):
                why = "; ".join(reasons[d] for d in sorted(docs))
                old = row["stale_reason"] if row["stale"] else None
                reason = why if not old or why in old else f"{old}; {why}"
                awaiting = row["status"] != AnswerStatus.REJECTED.value
                db.execute(
                    "UPDATE answers SET stale = ?, stale_reason = ?, awaiting_regeneration = ?,"
                    " updated_at = ?"
                    " WHERE id = ?",
                    (True, reason, awaiting, now(), answer_id),
                )
                self._audit(
                    answer_id=answer_id,
                    actor=actor,
                    action="mark_stale",
                    allowed=True,
                    from_status=row["status"],
                    to_status=row["status"],
                    detail=why,
                )
                marked.append(answer_id)
            self._set_cursor(CATALOG_CURSOR, cursor)
        return [self.get_answer(a) for a in marked]

    def _citing(
        self, doc_ids: Sequence[str], changed_at: dict[str, datetime]
    ) -> Iterator[tuple[str, dict[str, Any], set[str]]]:
        """(answer id, answer row, cited doc ids among `doc_ids`) for the current/approved versions
        created before the document's change (when `changed_at` gives its time)."""
        found: dict[str, tuple[dict[str, Any], set[str]]] = {}
        for part in _batches(doc_ids, 400):
            marks = ",".join("?" * len(part))
            rows = self.db.fetchall(
                "SELECT a.id, a.status, a.stale, a.stale_reason, c.doc_id, v.created_at AS version_at FROM answers a"
                " JOIN version_citations c ON c.answer_id = a.id"
                " AND (c.version = a.current_version OR c.version = a.approved_version)"
                " JOIN answer_versions v ON v.answer_id = c.answer_id AND v.version = c.version"
                f" WHERE c.doc_id IN ({marks})" + (" FOR UPDATE OF a" if self.db.for_update else ""),
                part,
            )
            for r in rows:
                when = changed_at.get(r["doc_id"])
                if when is not None and not _aware(_dt(r["version_at"])) < when:
                    continue  # this version was made after the change: it cites the new text
                found.setdefault(r["id"], (r, set()))[1].add(r["doc_id"])
        for answer_id in sorted(found):
            row, docs = found[answer_id]
            yield answer_id, row, docs

    # -- threads --------------------------------------------------------------------------
    def create_thread(self, *, actor: str | None = None) -> str:
        thread_id = new_thread_id()
        with self.db.write() as db:
            db.execute("INSERT INTO threads(id, created_by, created_at) VALUES (?, ?, ?)", (thread_id, actor, now()))
        return thread_id

    def add_turn(self, thread_id: str, question: str, answer_id: str) -> None:
        with self.db.write() as db:
            if not db.fetchone("SELECT id FROM threads WHERE id = ?" + db.for_update, (thread_id,)):
                raise NotFound(f"no thread {thread_id!r}", hint="start a new conversation")
            row = db.fetchone("SELECT COALESCE(MAX(turn), 0) AS n FROM thread_turns WHERE thread_id = ?", (thread_id,))
            db.execute(
                "INSERT INTO thread_turns(thread_id, turn, question, answer_id, at) VALUES (?, ?, ?, ?, ?)",
                (thread_id, int(row["n"] if row else 0) + 1, redact(question).text, answer_id, now()),
            )

    def thread_info(self, thread_id: str) -> Thread:
        row = self.db.fetchone("SELECT id, created_by, created_at FROM threads WHERE id = ?", (thread_id,))
        if row is None:
            raise NotFound(f"no thread {thread_id!r}", hint="start a new conversation")
        return Thread(id=row["id"], created_by=row["created_by"], created_at=_dt(row["created_at"]))

    def thread(self, thread_id: str) -> list[ThreadTurn]:
        if not self.db.fetchone("SELECT id FROM threads WHERE id = ?", (thread_id,)):
            raise NotFound(f"no thread {thread_id!r}", hint="start a new conversation")
        rows = self.db.fetchall(
            "SELECT question, answer_id, at FROM thread_turns WHERE thread_id = ? ORDER BY turn", (thread_id,)
        )
        return [ThreadTurn(question=r["question"], answer_id=r["answer_id"], at=_dt(r["at"])) for r in rows]


def _detail(t: Transition, version: int) -> str:
    parts = [t.detail] if t.detail else []
    if t.new_version is not None:
        parts.append(f"version {version}: {t.new_version.reason}")
    if t.updates.get("assigned_to"):
        parts.append(f"assigned to {t.updates['assigned_to']}")
    if t.comment:
        parts.append(f"comment: {t.comment}")
    return "; ".join(parts)


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])
