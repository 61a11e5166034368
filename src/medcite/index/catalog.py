"""The index catalogue: the single source of truth for what is indexed, on SQLite or PostgreSQL.

Documents, chunks and cached embeddings live here. The lexical (tantivy) and vector (FAISS)
indexes are derived from it and can always be rebuilt from it, which is what makes a
`kill -9` mid-ingest harmless: a document is 'pending' until both derived indexes hold it.

One SQL layer for both engines: the answer store's dialect shim (`medcite.store.db`: `?`
placeholders, one connection behind a lock, `write()` transactions) with a few catalogue type
names, and migrations as an ordered list of named functions. SQLite (a file in the index
directory) is the default; with `index.catalog_url` the catalogue lives in PostgreSQL, in a
schema of its own (`index.catalog_schema`), so several API replicas and ingest workers share one
store of record without touching the answer store's tables in the same database.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from medcite.errors import BackendError, ConfigError, IndexStoreError
from medcite.index.glossary import choose, definitions
from medcite.records import BlockKind, Chunk, Document, QueryFilters, SourceRef
from medcite.store.db import Database, PostgresDatabase, SQLiteDatabase
from medcite.store.migrations import apply_pending

if TYPE_CHECKING:
    from medcite.settings import Settings

#: Documents hash into this many buckets; shard i of n holds the buckets b with b % n == i, so a
#: document's chunks never straddle shards and any shard count is a view of the same column.
BUCKETS = 65536
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def bucket_of(doc_id: str) -> int:
    """The stable bucket of a document id (crc32: the same in every process and release)."""
    return zlib.crc32(doc_id.encode()) % BUCKETS


def shard_of(doc_id: str, shards: int) -> int:
    return bucket_of(doc_id) % max(1, shards)


# -- the two engines -------------------------------------------------------------------------
class _SQLiteCatalogDB(SQLiteDatabase):
    """The catalogue's SQLite file: WAL, NORMAL sync (every derived index is rebuildable)."""

    types: ClassVar[dict[str, str]] = {
        **SQLiteDatabase.types,
        "real": "REAL",
        "blob": "BLOB",
        "rid_pk": "INTEGER PRIMARY KEY",
        "without_rowid": "WITHOUT ROWID",
    }

    def __init__(self, path: Path) -> None:
        try:
            super().__init__(path)
            self.conn.execute("PRAGMA synchronous=NORMAL")
        except (BackendError, sqlite3.DatabaseError) as exc:
            raise IndexStoreError(
                f"index catalogue {path} is unreadable: {exc}",
                hint="move the index directory aside and run `medcite ingest` again",
            ) from exc


class _PostgresCatalogDB(PostgresDatabase):
    """The catalogue in PostgreSQL, in its own schema (created on first use)."""

    types: ClassVar[dict[str, str]] = {
        **PostgresDatabase.types,
        "real": "DOUBLE PRECISION",
        "blob": "BYTEA",
        "rid_pk": "BIGINT PRIMARY KEY",
        "without_rowid": "",
    }

    def __init__(self, url: str, schema: str) -> None:
        super().__init__(url)
        if schema:
            if not schema.replace("_", "").isalnum():
                raise ConfigError(f"invalid catalogue schema name {schema!r}", hint="letters, digits and _ only")
            self.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            self.execute(f"SET search_path TO {schema}")
        self.schema = schema


#: The few SQL fragments the two engines spell differently.
_SQL = {
    "sqlite": {"lines": "group_concat({}, char(10))", "json_text": "json_extract({col}, '$.{key}')"},
    "postgresql": {"lines": "string_agg({}, chr(10))", "json_text": "({col}::json ->> '{key}')"},
}


def connect(where: Path | str, schema: str = "") -> Database:
    """A catalogue connection: a SQLite file path, or a postgresql:// URL (and its schema)."""
    if isinstance(where, str) and where.startswith(POSTGRES_SCHEMES):
        return _PostgresCatalogDB(where, schema)
    if isinstance(where, str) and "://" in where:
        raise ConfigError(
            f"unsupported catalogue URL {where.split('://')[0]}://...",
            hint="use postgresql://user@host/db, or unset index.catalog_url for SQLite",
        )
    return _SQLiteCatalogDB(Path(where))


def catalog_target(settings: Settings) -> Path | str:
    """Where the settings put the catalogue: a PostgreSQL URL or the SQLite file of the index."""
    url = (settings.index.catalog_url or "").strip()
    if url == "database":
        url = (settings.database_url or "").strip()
        if not url.startswith(POSTGRES_SCHEMES):
            raise ConfigError(
                "index.catalog_url is 'database' but MEDCITE_DATABASE_URL is not a postgresql:// URL",
                hint="set MEDCITE_DATABASE_URL=postgresql://..., or give the catalogue its own URL",
            )
    return url or settings.index_dir / "catalog.sqlite"


def open_catalog(settings: Settings, *, create: bool = True) -> Catalog | None:
    """The catalogue the settings name; with `create=False`, None when no SQLite index exists yet."""
    target = catalog_target(settings)
    if isinstance(target, Path) and not create and not target.exists():
        return None
    return Catalog(target, schema=settings.index.catalog_schema)


# -- schema -----------------------------------------------------------------------------------
def _ddl(db: Database, sql: str) -> None:
    # One statement at a time: executescript() would COMMIT the surrounding migration transaction.
    for statement in sql.format(**db.types).split(";\n"):
        if statement.strip():
            db.execute(statement)


def _m001_initial(db: Database) -> None:
    _ddl(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            hash TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'indexed')),
            source_type TEXT NOT NULL,
            year INTEGER,
            title TEXT NOT NULL,
            ref TEXT NOT NULL,
            record TEXT NOT NULL,
            updated_at {real} NOT NULL
        );
        CREATE INDEX documents_source ON documents(source);
        CREATE INDEX documents_state ON documents(state);
        CREATE TABLE chunks (
            rid {rid_pk},
            id TEXT NOT NULL UNIQUE,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            text TEXT NOT NULL,
            heading TEXT NOT NULL,
            kind TEXT NOT NULL,
            evidence TEXT,
            hash TEXT NOT NULL
        );
        CREATE INDEX chunks_doc ON chunks(doc_id);
        CREATE TABLE embeddings (
            hash TEXT NOT NULL,
            model TEXT NOT NULL,
            vector {blob} NOT NULL,
            PRIMARY KEY (hash, model)
        ) {without_rowid};
        CREATE TABLE sources (
            name TEXT PRIMARY KEY,
            reader TEXT,
            licence TEXT,
            target TEXT,
            updated_at {real} NOT NULL
        )
        """,
    )


def _m002_changes(db: Database) -> None:
    # Append-only log of document changes: the review store reads it to mark answers stale, and
    # snapshot builds read it to update only the documents that changed.
    _ddl(
        db,
        """
        CREATE TABLE changes (
            seq {serial_pk},
            doc_id TEXT NOT NULL,
            source TEXT NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
            old_hash TEXT,
            new_hash TEXT,
            at {real} NOT NULL
        )
        """,
    )


def _m003_abbreviations(db: Database) -> None:
    # What each document abbreviates ("preexposure prophylaxis (PrEP)"): the corpus glossary that
    # query understanding reads. Existing documents are read once here, from their chunks.
    _ddl(
        db,
        """
        CREATE TABLE abbreviations (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            short TEXT NOT NULL,
            long TEXT NOT NULL,
            PRIMARY KEY (doc_id, short)
        ) {without_rowid};
        CREATE INDEX abbreviations_short ON abbreviations(short)
        """,
    )
    for (doc_id,) in db.tuples("SELECT id FROM documents"):
        texts = [r[0] for r in db.tuples("SELECT text FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))]
        _write_definitions(db, doc_id, texts)


def _m004_buckets(db: Database) -> None:
    # The shard key: a stable hash bucket per document (see `bucket_of`), filled for existing rows.
    db.execute("ALTER TABLE documents ADD COLUMN bucket INTEGER")
    rows = [(bucket_of(doc_id), doc_id) for (doc_id,) in db.tuples("SELECT id FROM documents")]
    db.executemany("UPDATE documents SET bucket = ? WHERE id = ?", rows)
    db.execute("CREATE INDEX documents_bucket ON documents(bucket)")


def _write_definitions(db: Database, doc_id: str, texts: Sequence[str]) -> None:
    db.execute("DELETE FROM abbreviations WHERE doc_id = ?", (doc_id,))
    db.executemany(
        "INSERT INTO abbreviations(doc_id, short, long) VALUES (?, ?, ?)",
        [(doc_id, short, long) for short, long in definitions(texts).items()],
    )


#: Ordered, named migrations (append only). SQLite catalogues made before migrations had names
#: recorded how many they had applied in `PRAGMA user_version`; those count as applied.
MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("001_initial", _m001_initial),
    ("002_changes", _m002_changes),
    ("003_abbreviations", _m003_abbreviations),
    ("004_buckets", _m004_buckets),
]


def migrate(db: Database) -> list[str]:
    """Apply pending migrations in one transaction; returns the names applied."""
    with db.write():
        db.migration_lock()
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {r[0] for r in db.tuples("SELECT name FROM schema_migrations")}
        if not applied and db.name == "sqlite":
            legacy = int(db.tuples("PRAGMA user_version")[0][0])
            applied = {name for name, _ in MIGRATIONS[:legacy]}
            for name in sorted(applied):
                db.execute("INSERT INTO schema_migrations(name, applied_at) VALUES (?, 'legacy')", (name,))
        unknown = applied - {name for name, _ in MIGRATIONS}
        if unknown:
            raise IndexStoreError(
                f"the index catalogue at {db.url} has a newer schema ({', '.join(sorted(unknown))})",
                hint="upgrade medcite, or point it at another index",
            )
        return apply_pending(db, MIGRATIONS, applied)


# -- the catalogue ----------------------------------------------------------------------------
class Catalog:
    """The catalogue of an index: one writer at a time (see `IndexStore.write_lock`), many readers."""

    def __init__(
        self, where: Path | str | Database, *, schema: str = "medcite_catalog", migrated: bool = False
    ) -> None:
        self.schema = schema
        if isinstance(where, Database):
            self.db = where
            self.where: Path | str = where.url
        else:
            self.where = where
            try:
                self.db = connect(where, schema)
            except BackendError as exc:
                raise IndexStoreError(exc.message, hint=exc.hint) from exc
        #: The SQLite file, or None for PostgreSQL.
        self.path: Path | None = Path(where) if isinstance(where, Path) else None
        self.url = self.db.url
        if migrated:  # another connection of this process already brought the schema up to date
            return
        try:
            migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise IndexStoreError(
                f"index catalogue {self.url} is unreadable: {exc}",
                hint="move the index directory aside and run `medcite ingest` again",
            ) from exc

    @property
    def engine(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.db.name

    def reopen(self) -> Catalog:
        """Another connection to the same catalogue (for a thread or process of its own)."""
        return Catalog(self.where, schema=self.schema, migrated=True)

    def close(self) -> None:
        self.db.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query, as tuples (for evaluations and tests)."""
        return self.db.tuples(sql, params)

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = self.db.tuples("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def generation(self) -> int:
        """Bumped on every committed change; derived indexes record the generation they reflect."""
        return int(self.get_meta("generation", "0") or 0)

    def _bump(self) -> int:
        rows = self.db.tuples("SELECT value FROM meta WHERE key = 'generation'" + self.db.for_update)
        gen = (int(rows[0][0]) if rows else 0) + 1
        self.set_meta("generation", str(gen))
        return gen

    def _allocate_rids(self, n: int) -> int:
        """The first of `n` fresh chunk rids. Rids are never reused (a high-water mark in meta),
        so an index snapshot built before a change can never point a rid at another chunk."""
        db = self.db
        db.execute("INSERT INTO meta(key, value) VALUES ('next_rid', '1') ON CONFLICT (key) DO NOTHING")
        mark = int(db.tuples("SELECT value FROM meta WHERE key = 'next_rid'" + db.for_update)[0][0])
        floor = int(db.tuples("SELECT COALESCE(MAX(rid), 0) + 1 FROM chunks")[0][0])
        start = max(mark, floor)
        db.execute("UPDATE meta SET value = ? WHERE key = 'next_rid'", (str(start + n),))
        return start

    def change_seq(self) -> int:
        """The newest change-log sequence number (0 when nothing was ever indexed)."""
        return int(self.db.tuples("SELECT COALESCE(MAX(seq), 0) FROM changes")[0][0])

    # -- documents ------------------------------------------------------------------------
    def document_hashes(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """id -> (hash, state) for the ids that are catalogued."""
        out: dict[str, tuple[str, str]] = {}
        for part in _batches(ids, 500):
            sql = f"SELECT id, hash, state FROM documents WHERE id IN ({_marks(part)})"
            for row in self.db.tuples(sql, part):
                out[row[0]] = (row[1], row[2])
        return out

    def stage(
        self, items: Sequence[tuple[Document, str, list[Chunk], list[str]]], vectors: dict[str, np.ndarray], model: str
    ) -> list[tuple[str, list[int]]]:
        """Write documents as 'pending' with their chunks and new embeddings, in one transaction.

        Each item is (document, document hash, chunks, chunk content keys); a chunk's key is the
        hash of the text the dense model reads, which is also the embedding cache key.
        Returns (doc_id, chunk rids) for each staged document.
        """
        staged: list[tuple[str, list[int]]] = []
        now = time.time()
        with self.db.write() as db:
            self._bump()
            db.executemany(
                "INSERT INTO embeddings(hash, model, vector) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(h, model, vec.astype(np.float16).tobytes()) for h, vec in vectors.items()],
            )
            rid = self._allocate_rids(sum(len(chunks) for _, _, chunks, _ in items))
            chunk_rows: list[tuple[Any, ...]] = []
            for doc, doc_hash, chunks, keys in items:
                old = db.tuples("SELECT hash FROM documents WHERE id = ?", (doc.id,))
                db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.id,))
                db.execute(
                    "INSERT INTO documents(id, source, hash, state, source_type, year, title, ref, record, updated_at,"
                    " bucket) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " source = excluded.source, hash = excluded.hash, state = excluded.state,"
                    " source_type = excluded.source_type, year = excluded.year, title = excluded.title,"
                    " ref = excluded.ref, record = excluded.record, updated_at = excluded.updated_at,"
                    " bucket = excluded.bucket",
                    (
                        doc.id,
                        doc.source,
                        doc_hash,
                        doc.source_type.value,
                        doc.year,
                        doc.title,
                        doc.ref().model_dump_json(),
                        _record_json(doc),
                        now,
                        bucket_of(doc.id),
                    ),
                )
                rids = []
                for c, key in zip(chunks, keys, strict=True):
                    heading = json.dumps(list(c.heading_path))
                    chunk_rows.append((rid, c.id, c.doc_id, c.ordinal, c.text, heading, c.kind.value, c.evidence, key))
                    rids.append(rid)
                    rid += 1
                _write_definitions(db, doc.id, [c.text for c in chunks])
                change = "changed" if old else "added"
                db.execute(
                    "INSERT INTO changes(doc_id, source, change, old_hash, new_hash, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (doc.id, doc.source, change, old[0][0] if old else None, doc_hash, now),
                )
                staged.append((doc.id, rids))
            db.executemany(
                "INSERT INTO chunks(rid, id, doc_id, ordinal, text, heading, kind, evidence, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                chunk_rows,
            )
        return staged

    def mark_indexed(self, doc_ids: Sequence[str]) -> None:
        with self.db.write() as db:
            for part in _batches(doc_ids, 500):
                db.execute(f"UPDATE documents SET state = 'indexed' WHERE id IN ({_marks(part)})", part)

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.tuples("SELECT id FROM documents WHERE state = 'pending'")]

    def doc_ids(self, shard: int = 0, shards: int = 1) -> list[str]:
        """Every catalogued document id (of one shard when `shards` > 1)."""
        if shards <= 1:
            return [r[0] for r in self.db.tuples("SELECT id FROM documents ORDER BY id")]
        sql = "SELECT id FROM documents WHERE bucket % ? = ? ORDER BY id"
        return [r[0] for r in self.db.tuples(sql, (shards, shard))]

    def is_empty(self) -> bool:
        return not self.db.tuples("SELECT 1 FROM documents LIMIT 1")

    def chunk_count(self, shard: int = 0, shards: int = 1) -> int:
        if shards <= 1:
            return int(self.db.tuples("SELECT COUNT(*) FROM chunks")[0][0])
        sql = "SELECT COUNT(*) FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.bucket % ? = ?"
        return int(self.db.tuples(sql, (shards, shard))[0][0])

    def remove(self, *, source: str | None = None, doc_ids: Sequence[str] = ()) -> list[str]:
        """Delete a whole source or given documents; returns the removed document ids."""
        with self.db.write() as db:
            if source is not None:
                rows = db.tuples("SELECT id, source, hash FROM documents WHERE source = ?", (source,))
            else:
                rows = []
                for part in _batches(doc_ids, 500):
                    rows += db.tuples(f"SELECT id, source, hash FROM documents WHERE id IN ({_marks(part)})", part)
            now = time.time()
            for doc_id, src, h in rows:
                db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                db.execute("DELETE FROM abbreviations WHERE doc_id = ?", (doc_id,))
                db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                db.execute(
                    "INSERT INTO changes(doc_id, source, change, old_hash, new_hash, at)"
                    " VALUES (?, ?, 'removed', ?, NULL, ?)",
                    (doc_id, src, h, now),
                )
            if source is not None:
                db.execute("DELETE FROM sources WHERE name = ?", (source,))
            if rows:
                self._bump()
        return [r[0] for r in rows]

    def note_source(self, name: str, reader: str | None, licence: str | None, target: str) -> None:
        self.db.execute(
            "INSERT INTO sources(name, reader, licence, target, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET reader = excluded.reader, licence = excluded.licence,"
            " target = excluded.target, updated_at = excluded.updated_at",
            (name, reader, licence, target, time.time()),
        )

    # -- embeddings -----------------------------------------------------------------------
    def put_embeddings(self, vectors: dict[str, np.ndarray], model: str) -> None:
        with self.db.write() as db:
            db.executemany(
                "INSERT INTO embeddings(hash, model, vector) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(h, model, vec.astype(np.float16).tobytes()) for h, vec in vectors.items()],
            )

    def cached_embeddings(self, hashes: Iterable[str], model: str) -> set[str]:
        found: set[str] = set()
        for part in _batches(list(hashes), 500):
            sql = f"SELECT hash FROM embeddings WHERE model = ? AND hash IN ({_marks(part)})"
            found.update(r[0] for r in self.db.tuples(sql, [model, *part]))
        return found

    def missing_embeddings(self, model: str, limit: int | None = None) -> list[tuple[str, str, str, str]]:
        """(content key, heading JSON, text, document title) of chunks with no vector under `model`
        (at most `limit` of them: storing their vectors takes them off the list)."""
        sql = (
            "SELECT c.hash, c.heading, c.text, d.title FROM chunks c JOIN documents d ON d.id = c.doc_id"
            " WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.hash = c.hash AND e.model = ?)"
        )
        params: list[Any] = [model]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [(r[0], r[1], r[2], r[3]) for r in self.db.tuples(sql, params)]

    def vectors(
        self, model: str, batch: int = 20000, *, shard: int = 0, shards: int = 1
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(rids, float32 matrix) for every chunk (of one shard) that has an embedding under `model`.

        Paged by rid (keyset pagination), so neither engine holds a cursor open between pages.
        """
        where = "" if shards <= 1 else " AND d.bucket % ? = ?"
        join = "" if shards <= 1 else " JOIN documents d ON d.id = c.doc_id"
        extra: list[Any] = [] if shards <= 1 else [shards, shard]
        sql = (
            f"SELECT c.rid, e.vector FROM chunks c{join} JOIN embeddings e ON e.hash = c.hash AND e.model = ?"
            f" WHERE c.rid > ?{where} ORDER BY c.rid LIMIT ?"
        )
        last = -1
        while rows := self.db.tuples(sql, [model, last, *extra, batch]):
            rids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            mat = np.frombuffer(b"".join(bytes(r[1]) for r in rows), dtype=np.float16).reshape(len(rows), -1)
            yield rids, mat.astype(np.float32)
            last = int(rids[-1])

    # -- reads ----------------------------------------------------------------------------
    def chunks_by_rid(self, rids: Sequence[int]) -> dict[int, tuple[Chunk, SourceRef]]:
        out: dict[int, tuple[Chunk, SourceRef]] = {}
        for part in _batches([int(r) for r in rids], 500):
            sql = (
                "SELECT c.rid, c.id, c.doc_id, c.ordinal, c.text, c.heading, c.kind, c.evidence, d.ref"
                f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.rid IN ({_marks(part)})"
            )
            for row in self.db.tuples(sql, part):
                out[row[0]] = (_chunk(row[1:8]), SourceRef.model_validate_json(row[8]))
        return out

    def chunks_of(self, doc_ids: Sequence[str]) -> Iterator[tuple[int, Chunk, str]]:
        """(rid, chunk, document ref JSON) for documents, in order."""
        for part in _batches(doc_ids, 200):
            sql = (
                "SELECT c.rid, c.id, c.doc_id, c.ordinal, c.text, c.heading, c.kind, c.evidence, d.title, d.ref"
                f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.doc_id IN ({_marks(part)})"
                " ORDER BY c.doc_id, c.ordinal"
            )
            for row in self.db.tuples(sql, part):
                yield row[0], _chunk(row[1:8]), row[9]

    def glossary(self) -> dict[str, str]:
        """Abbreviations the indexed documents define: each short form's most widely used long form."""
        rows = self.db.tuples(
            "SELECT a.short, a.long, COUNT(*) FROM abbreviations a JOIN documents d ON d.id = a.doc_id"
            " WHERE d.state = 'indexed' GROUP BY a.short, a.long"
        )
        return choose((r[0], r[1], int(r[2])) for r in rows)

    def topics(self) -> list[tuple[str, str, str]]:
        """(document id, title, what it says it is about) for every indexed document.

        "What it is about" is the text of the passages under a "Disease/Condition(s)" heading, which
        guideline summaries carry; other documents have only their title.
        """
        lines = _SQL[self.db.name]["lines"].format("c.text")
        rows = self.db.tuples(
            f"SELECT d.id, d.title, {lines} FROM documents d"
            " LEFT JOIN chunks c ON c.doc_id = d.id AND c.heading LIKE '[\"Disease/Condition%'"
            " WHERE d.state = 'indexed' GROUP BY d.id, d.title"
        )
        return [(r[0], r[1], r[2] or "") for r in rows]

    def document(self, doc_id: str) -> Document | None:
        """The document's provenance record (blocks are not kept: its chunks hold the text)."""
        rows = self.db.tuples("SELECT record FROM documents WHERE id = ?", (doc_id,))
        if not rows:
            return None
        return Document.model_validate({**json.loads(rows[0][0]), "blocks": []})

    def rids_matching(self, filters: QueryFilters) -> np.ndarray | None:
        """Chunk rids whose document passes `filters`; None when the filters restrict nothing."""
        where, params = self._filter_sql(filters)
        if not where:
            return None
        sql = f"SELECT c.rid FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE {where}"
        return np.fromiter((r[0] for r in self.db.tuples(sql, params)), dtype=np.int64)

    def rids_under_headings(self, headings: frozenset[str]) -> frozenset[int]:
        """Chunk rids whose last heading is one of `headings` (compared case-insensitively)."""
        wanted = {h.lower() for h in headings}
        if not wanted:
            return frozenset()
        # The heading path is stored as a JSON list, so its last heading ends the text ('…, "Overview"]');
        # LIKE narrows the rows, the parsed path decides.
        likes = " OR ".join("lower(heading) LIKE ?" for _ in wanted)
        rows = self.db.tuples(f"SELECT rid, heading FROM chunks WHERE {likes}", [f"%{json.dumps(h)}]" for h in wanted])
        return frozenset(
            int(rid) for rid, heading in rows if ((json.loads(heading) or [""])[-1] or "").lower() in wanted
        )

    def _filter_sql(self, filters: QueryFilters) -> tuple[str, list[Any]]:
        json_text = _SQL[self.db.name]["json_text"]
        clauses: list[str] = []
        params: list[Any] = []
        if filters.source_types:
            clauses.append(f"d.source_type IN ({_marks(filters.source_types)})")
            params += [t.value for t in filters.source_types]
        if filters.doc_ids:
            clauses.append(f"d.id IN ({_marks(filters.doc_ids)})")
            params += list(filters.doc_ids)
        if filters.sources:
            clauses.append(f"d.source IN ({_marks(filters.sources)})")
            params += list(filters.sources)
        if filters.year_min is not None:
            clauses.append("d.year >= ?")
            params.append(filters.year_min)
        if filters.year_max is not None:
            clauses.append("d.year <= ?")
            params.append(filters.year_max)
        if filters.organisation:
            clauses.append(f"lower({json_text.format(col='d.ref', key='organisation')}) LIKE ?")
            params.append(f"%{filters.organisation.lower()}%")
        if filters.audience:
            clauses.append(f"{json_text.format(col='d.ref', key='audience')} = ?")
            params.append(filters.audience.value)
        return " AND ".join(clauses), params

    def stats(self) -> dict[str, Any]:
        db = self.db
        by_source = db.tuples(
            "SELECT d.source, d.source_type, COUNT(DISTINCT d.id), COUNT(c.rid) FROM documents d"
            " LEFT JOIN chunks c ON c.doc_id = d.id GROUP BY d.source, d.source_type ORDER BY d.source"
        )
        sources = {
            r[0]: {"reader": r[1], "licence": r[2], "target": r[3]}
            for r in db.tuples("SELECT name, reader, licence, target FROM sources")
        }
        return {
            "documents": int(db.tuples("SELECT COUNT(*) FROM documents")[0][0]),
            "chunks": int(db.tuples("SELECT COUNT(*) FROM chunks")[0][0]),
            "pending": int(db.tuples("SELECT COUNT(*) FROM documents WHERE state='pending'")[0][0]),
            "generation": self.generation(),
            "catalogue": self.url,
            "by_source": [
                {"source": r[0], "type": r[1], "documents": int(r[2]), "chunks": int(r[3]), **sources.get(r[0], {})}
                for r in by_source
            ],
        }

    def changes_since(self, seq: int) -> list[dict[str, Any]]:
        rows = self.db.tuples(
            "SELECT seq, doc_id, source, change, old_hash, new_hash, at FROM changes WHERE seq > ? ORDER BY seq",
            (seq,),
        )
        keys = ("seq", "doc_id", "source", "change", "old_hash", "new_hash", "at")
        return [dict(zip(keys, r, strict=True)) for r in rows]


def _chunk(row: Sequence[Any]) -> Chunk:
    cid, doc_id, ordinal, text, heading, kind, evidence = row
    return Chunk(
        id=cid,
        doc_id=doc_id,
        ordinal=ordinal,
        text=text,
        heading_path=tuple(json.loads(heading)),
        kind=BlockKind(kind),
        evidence=evidence,
    )


def _record_json(doc: Document) -> str:
    return doc.model_dump_json(exclude={"blocks"})


def _marks(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items))


def _batches(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]
