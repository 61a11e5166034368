"""The default answer store: one SQLite file under MEDCITE_HOME (WAL, BEGIN IMMEDIATE writes)."""

from __future__ import annotations

from pathlib import Path

from medcite.store.db import SQLiteDatabase
from medcite.store.sql import SQLStore


class SQLiteStore(SQLStore):
    """`Store` on a SQLite file; created and migrated on open."""

    def __init__(self, path: Path) -> None:
        super().__init__(SQLiteDatabase(path))
