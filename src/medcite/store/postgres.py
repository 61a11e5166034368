"""The team answer store: PostgreSQL via psycopg 3 (install with `pip install 'medcite[postgres]'`)."""

from __future__ import annotations

from medcite.store.db import PostgresDatabase
from medcite.store.sql import SQLStore


class PostgresStore(SQLStore):
    """`Store` on the PostgreSQL database named by a postgresql:// URL; migrated on open."""

    def __init__(self, url: str) -> None:
        super().__init__(PostgresDatabase(url))
