"""A small dialect shim so that SQLite and PostgreSQL run the same queries.

Queries are written once with `?` placeholders and portable SQL (`RETURNING`, `ON CONFLICT`,
ISO timestamps); a `Database` adapts placeholders, parameters and transactions to its engine.

Both back-ends keep one connection behind a lock. That is the single writer path: in SQLite
every write is `BEGIN IMMEDIATE` on that connection; in PostgreSQL rows a transition touches
are locked with `SELECT ... FOR UPDATE` (see `Database.for_update`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from medcite.errors import BackendError, Conflict, ModelUnavailable

Row = dict[str, Any]

#: Environment hook for the crash test: "<point>:<seconds>" makes the writer announce the point
#: on stderr and sleep there, inside the open transaction, so a test can `kill -9` it mid-write.
CRASH_HOOK_ENV = "MEDCITE_STORE_CRASH_HOOK"


def crash_point(name: str) -> None:
    spec = os.environ.get(CRASH_HOOK_ENV)
    if not spec:
        return
    point, _, seconds = spec.partition(":")
    if point == name:
        print(f"crash-point {name} reached", file=sys.stderr, flush=True)
        time.sleep(float(seconds or "5"))


class Database:
    """One connection, one lock, portable `execute` / `fetchall` / `write()`."""

    name = "base"
    #: Appended to a SELECT that reads rows about to be updated in the same transaction.
    for_update = ""
    #: DDL fragments used by migrations.
    types: ClassVar[dict[str, str]] = {}
    integrity_errors: tuple[type[BaseException], ...] = ()

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._in_tx = False
        self.url = ""

    # -- engine specific ------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        raise NotImplementedError

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def migration_lock(self) -> None:
        """Serialise schema migrations across processes (no-op where BEGIN IMMEDIATE does it)."""

    # -- portable -------------------------------------------------------------------------
    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            cur = self._run(sql, params)
            return [dict(r) for r in cur.fetchall()]

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; returns the number of rows it touched."""
        with self._lock:
            cur = self._run(sql, params)
            return int(cur.rowcount or 0)

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows as tuples in column order (cheaper than dicts on hot read paths)."""
        with self._lock:
            return [tuple(r) for r in self._run_tuples(sql, params).fetchall()]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many parameter rows (batched by the driver)."""
        if not rows:
            return
        with self._lock:
            self._run_many(sql, rows)

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self._run(sql, row)

    def _run_tuples(self, sql: str, params: Sequence[Any]) -> Any:
        """A cursor whose rows index by position (duplicate column names stay distinct)."""
        return self._run(sql, params)

    @contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction: commit on success, roll back on any exception.

        Integrity errors (duplicate name, slug...) become `Conflict`.
        """
        with self._lock:
            if self._in_tx:  # nested use joins the open transaction
                yield self
                return
            self._begin()
            self._in_tx = True
            try:
                yield self
            except self.integrity_errors as exc:
                self._safe_rollback()
                raise Conflict(
                    f"the change clashes with stored data: {exc}", hint="the name or item already exists"
                ) from exc
            except BaseException:
                self._safe_rollback()
                raise
            else:
                self._commit()
            finally:
                self._in_tx = False

    def _safe_rollback(self) -> None:
        # The connection may be gone; the server then discards the transaction itself.
        with contextlib.suppress(Exception):
            self._rollback()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def _sqlite_param(value: Any) -> Any:
    # Timestamps are stored as ISO-8601 text in SQLite (they sort and compare as text).
    return value.isoformat(timespec="microseconds") if isinstance(value, datetime) else value


class SQLiteDatabase(Database):
    """SQLite in WAL mode with foreign keys on; writes are BEGIN IMMEDIATE."""

    name = "sqlite"
    types: ClassVar[dict[str, str]] = {
        "serial_pk": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "timestamp": "TEXT",
        "bool": "BOOLEAN",
        "json": "TEXT",
    }
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed review decision survives power loss, not just a process crash.
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise BackendError(
                f"answer store {self.path} is unreadable: {exc}",
                hint="move the file aside; it is recreated empty",
            ) from exc

    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        return self.conn.execute(sql, [_sqlite_param(p) for p in params])

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, [[_sqlite_param(p) for p in r] for r in rows])

    def _begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            self.conn.close()


class PostgresDatabase(Database):
    """PostgreSQL through psycopg 3, autocommit outside explicit write transactions."""

    name = "postgresql"
    for_update = " FOR UPDATE"
    types: ClassVar[dict[str, str]] = {
        "serial_pk": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "timestamp": "TIMESTAMPTZ",
        "bool": "BOOLEAN",
        "json": "TEXT",
    }

    def __init__(self, url: str) -> None:
        super().__init__()
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:
            raise ModelUnavailable(
                "PostgreSQL support needs the psycopg driver", hint="pip install 'medcite[postgres]'"
            ) from exc
        self.integrity_errors = (psycopg.errors.IntegrityError,)
        self.url = _redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=10)
        except psycopg.Error as exc:
            raise BackendError(
                f"cannot connect to PostgreSQL at {self.url}: {exc}".strip(),
                hint="check MEDCITE_DATABASE_URL and that the server is running",
            ) from exc

    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        # '?' placeholders become '%s'; a literal '%' must be doubled for psycopg.
        return self.conn.execute(sql.replace("%", "%%").replace("?", "%s"), list(params))

    def _run_tuples(self, sql: str, params: Sequence[Any]) -> Any:
        from psycopg.rows import tuple_row

        cur = self.conn.cursor(row_factory=tuple_row)
        return cur.execute(sql.replace("%", "%%").replace("?", "%s"), list(params))

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:  # psycopg pipelines executemany: one round trip per batch
            cur.executemany(sql.replace("%", "%%").replace("?", "%s"), [list(r) for r in rows])

    # Explicit BEGIN/COMMIT on an autocommit connection: the same shape as the SQLite path.
    def _begin(self) -> None:
        self.conn.execute("BEGIN")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def migration_lock(self) -> None:
        self._run("SELECT pg_advisory_xact_lock(724316001)", ())

    def close(self) -> None:
        with self._lock:
            self.conn.close()


def _redact(url: str) -> str:
    """The URL without its password, for messages and `store_info`."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"
