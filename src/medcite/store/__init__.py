"""Saved answers, versions, users and the review audit trail.

store = open_store(settings)   # SQLite at settings.sqlite_path, or PostgreSQL when
                               # settings.database_url is postgresql://...
"""

from __future__ import annotations

from medcite.errors import ConfigError
from medcite.settings import Settings
from medcite.store.base import (
    AnswerVersion,
    AuditEvent,
    Comment,
    NewVersion,
    Role,
    SavedAnswer,
    Session,
    Store,
    ThreadTurn,
    Transition,
    User,
    store_info,
)
from medcite.store.keys import normalise_question
from medcite.store.sql import SQLStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(settings: Settings) -> SQLStore:
    """Open (creating and migrating as needed) the store the settings name."""
    url = (settings.database_url or "").strip()
    if url.startswith(POSTGRES_SCHEMES):
        from medcite.store.postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        from pathlib import Path

        from medcite.store.sqlite import SQLiteStore

        return SQLiteStore(Path(url.removeprefix("sqlite:///")))
    if url:
        raise ConfigError(
            f"unsupported database URL {url.split('://')[0]}://...",
            hint="use postgresql://user@host/db, or unset MEDCITE_DATABASE_URL for SQLite",
        )
    from medcite.store.sqlite import SQLiteStore

    return SQLiteStore(settings.sqlite_path)


__all__ = [
    "AnswerVersion",
    "AuditEvent",
    "Comment",
    "NewVersion",
    "Role",
    "SQLStore",
    "SavedAnswer",
    "Session",
    "Store",
    "ThreadTurn",
    "Transition",
    "User",
    "normalise_question",
    "open_store",
    "store_info",
]
