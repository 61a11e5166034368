"""Schema migrations: an ordered list of named functions, recorded by name once applied.

Each function receives the open write transaction (`Database`) and writes DDL through the
dialect's type names, so SQLite and PostgreSQL get the same schema. All pending migrations run
in one transaction: a crash mid-migration leaves the previous schema intact. Never edit or
reorder a released migration; append a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from medcite.errors import BackendError
from medcite.store.db import Database


def _ddl(db: Database, sql: str) -> None:
    for statement in sql.format(**db.types).split(";\n"):
        if statement.strip():
            db.execute(statement)


def m001_initial(db: Database) -> None:
    _ddl(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE users (
            id {serial_pk},
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'reviewer', 'admin')),
            created_at {timestamp} NOT NULL
        );
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            hash TEXT NOT NULL,
            created_at {timestamp} NOT NULL,
            revoked {bool} NOT NULL DEFAULT FALSE
        );
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_at {timestamp} NOT NULL,
            expires_at {timestamp} NOT NULL
        );
        CREATE TABLE answers (
            id TEXT PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            question TEXT NOT NULL,
            normalised_question TEXT NOT NULL,
            audience TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('draft', 'submitted', 'under_review', 'changes_requested', 'approved', 'rejected')),
            stale {bool} NOT NULL DEFAULT FALSE,
            stale_reason TEXT,
            awaiting_regeneration {bool} NOT NULL DEFAULT FALSE,
            current_version INTEGER NOT NULL,
            approved_version INTEGER,
            approved_by TEXT,
            approved_at {timestamp},
            submitted_by TEXT,
            assigned_to TEXT,
            created_by TEXT,
            created_at {timestamp} NOT NULL,
            updated_at {timestamp} NOT NULL
        );
        CREATE UNIQUE INDEX answers_question ON answers(normalised_question, audience);
        CREATE INDEX answers_status ON answers(status);
        CREATE TABLE answer_versions (
            answer_id TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            answer {json} NOT NULL,
            created_at {timestamp} NOT NULL,
            created_by TEXT,
            reason TEXT NOT NULL,
            diff {json},
            PRIMARY KEY (answer_id, version)
        );
        CREATE TABLE version_citations (
            answer_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            doc_id TEXT NOT NULL,
            PRIMARY KEY (answer_id, version, doc_id),
            FOREIGN KEY (answer_id, version) REFERENCES answer_versions(answer_id, version) ON DELETE CASCADE
        );
        CREATE INDEX version_citations_doc ON version_citations(doc_id);
        CREATE TABLE comments (
            id {serial_pk},
            answer_id TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            author TEXT,
            body TEXT NOT NULL,
            created_at {timestamp} NOT NULL
        );
        CREATE INDEX comments_answer ON comments(answer_id);
        CREATE TABLE audit (
            seq {serial_pk},
            answer_id TEXT,
            actor TEXT,
            action TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT,
            allowed {bool} NOT NULL,
            detail TEXT,
            at {timestamp} NOT NULL
        );
        CREATE INDEX audit_answer ON audit(answer_id);
        CREATE TABLE threads (
            id TEXT PRIMARY KEY,
            created_by TEXT,
            created_at {timestamp} NOT NULL
        );
        CREATE TABLE thread_turns (
            thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            question TEXT NOT NULL,
            answer_id TEXT NOT NULL,
            at {timestamp} NOT NULL,
            PRIMARY KEY (thread_id, turn)
        )
    """,
    )


def m002_append_only_audit(db: Database) -> None:
    # The audit trail is append-only in the database itself, not just by convention.
    if db.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER audit_no_{op.lower()} BEFORE {op} ON audit "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        return
    db.execute(
        "CREATE FUNCTION medcite_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
    )
    db.execute(
        "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION medcite_audit_append_only()"
    )


#: Ordered, named migrations. Append only.
MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("001_initial", m001_initial),
    ("002_append_only_audit", m002_append_only_audit),
]


def migrate(db: Database) -> list[str]:
    """Apply pending migrations in one transaction; returns the names applied."""
    with db.write():
        db.migration_lock()
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {r["name"] for r in db.fetchall("SELECT name FROM schema_migrations")}
        known = {name for name, _ in MIGRATIONS}
        if applied - known:
            raise BackendError(
                f"the answer store at {db.url} has a newer schema ({', '.join(sorted(applied - known))})",
                hint="upgrade medcite, or point MEDCITE_DATABASE_URL at another database",
            )
        return apply_pending(db, MIGRATIONS, applied)


def apply_pending(
    db: Database, migrations: Sequence[tuple[str, Callable[[Database], None]]], applied: set[str]
) -> list[str]:
    """Run, in order, the named migrations not in `applied`, recording each in `schema_migrations`
    (shared by the answer store and the index catalogue); returns the names run."""
    done = []
    for name, fn in migrations:
        if name not in applied:
            fn(db)
            db.execute(
                "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat()),
            )
            done.append(name)
    return done
