"""The index catalogue: SQLite is the single source of truth for what is indexed.

Documents, chunks and cached embeddings live here. The lexical (tantivy) and vector (FAISS)
indexes are derived from it and can always be rebuilt from it, which is what makes a
`kill -9` mid-ingest harmless: a document is 'pending' until both derived indexes hold it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from medcite.errors import IndexStoreError
from medcite.index.glossary import choose, definitions
from medcite.records import BlockKind, Chunk, Document, SourceRef


def _script(db: sqlite3.Connection, sql: str) -> None:
    # executescript() would COMMIT the surrounding migration transaction; run statements one by one.
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


def _m001_initial(db: sqlite3.Connection) -> None:
    _script(
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
            updated_at REAL NOT NULL
        );
        CREATE INDEX documents_source ON documents(source);
        CREATE INDEX documents_state ON documents(state);
        CREATE TABLE chunks (
            rid INTEGER PRIMARY KEY,
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
            vector BLOB NOT NULL,
            PRIMARY KEY (hash, model)
        ) WITHOUT ROWID;
        CREATE TABLE sources (
            name TEXT PRIMARY KEY,
            reader TEXT,
            licence TEXT,
            target TEXT,
            updated_at REAL NOT NULL
        );
        """,
    )


def _m002_changes(db: sqlite3.Connection) -> None:
    # Append-only log of document changes: the review store reads it to mark answers stale.
    _script(
        db,
        """
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id TEXT NOT NULL,
            source TEXT NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
            old_hash TEXT,
            new_hash TEXT,
            at REAL NOT NULL
        );
        """,
    )


def _m003_abbreviations(db: sqlite3.Connection) -> None:
    # What each document abbreviates ("preexposure prophylaxis (PrEP)"): the corpus glossary that
    # query understanding reads. Existing documents are read once here, from their chunks.
    _script(
        db,
        """
        CREATE TABLE abbreviations (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            short TEXT NOT NULL,
            long TEXT NOT NULL,
            PRIMARY KEY (doc_id, short)
        ) WITHOUT ROWID;
        CREATE INDEX abbreviations_short ON abbreviations(short);
        """,
    )
    doc_ids = [r[0] for r in db.execute("SELECT id FROM documents")]
    for doc_id in doc_ids:
        texts = [r[0] for r in db.execute("SELECT text FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))]
        _write_definitions(db, doc_id, texts)


def _write_definitions(db: sqlite3.Connection, doc_id: str, texts: Sequence[str]) -> None:
    db.execute("DELETE FROM abbreviations WHERE doc_id = ?", (doc_id,))
    db.executemany(
        "INSERT INTO abbreviations(doc_id, short, long) VALUES (?, ?, ?)",
        [(doc_id, short, long) for short, long in definitions(texts).items()],
    )


#: Ordered, named migrations; a database records how many it has applied.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001_initial, _m002_changes, _m003_abbreviations]


class Catalog:
    """SQLite catalogue of an index directory (one writer at a time, many readers, WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise IndexStoreError(
                f"index catalogue {path} is unreadable: {exc}",
                hint="move the index directory aside and run `medcite ingest` again",
            ) from exc

    def close(self) -> None:
        self.db.close()

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for i, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                migration(self.db)
                self.db.execute(f"PRAGMA user_version = {i}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        """Bumped on every committed change; derived indexes record the generation they reflect."""
        return int(self.get_meta("generation", "0") or 0)

    def _bump(self) -> int:
        gen = self.generation() + 1
        self.set_meta("generation", str(gen))
        return gen

    # -- documents ------------------------------------------------------------------------
    def document_hashes(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """id -> (hash, state) for the ids that are catalogued."""
        return document_hashes(self.db, ids)

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
        with self.transaction() as db:
            for h, vec in vectors.items():
                db.execute(
                    "INSERT OR IGNORE INTO embeddings(hash, model, vector) VALUES (?, ?, ?)",
                    (h, model, vec.astype(np.float16).tobytes()),
                )
            for doc, doc_hash, chunks, keys in items:
                old = db.execute("SELECT hash FROM documents WHERE id = ?", (doc.id,)).fetchone()
                db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.id,))
                db.execute(
                    "INSERT OR REPLACE INTO documents(id, source, hash, state, source_type, year, title, ref,"
                    " record, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)",
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
                    ),
                )
                rids = []
                for c, key in zip(chunks, keys, strict=True):
                    cur = db.execute(
                        "INSERT INTO chunks(id, doc_id, ordinal, text, heading, kind, evidence, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            c.id,
                            c.doc_id,
                            c.ordinal,
                            c.text,
                            json.dumps(list(c.heading_path)),
                            c.kind.value,
                            c.evidence,
                            key,
                        ),
                    )
                    rids.append(int(cur.lastrowid or 0))
                _write_definitions(db, doc.id, [c.text for c in chunks])
                change = "changed" if old else "added"
                db.execute(
                    "INSERT INTO changes(doc_id, source, change, old_hash, new_hash, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (doc.id, doc.source, change, old[0] if old else None, doc_hash, now),
                )
                staged.append((doc.id, rids))
            self._bump()
        return staged

    def mark_indexed(self, doc_ids: Sequence[str]) -> None:
        with self.transaction() as db:
            for part in _batches(doc_ids, 500):
                marks = ",".join("?" * len(part))
                db.execute(f"UPDATE documents SET state = 'indexed' WHERE id IN ({marks})", part)

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents WHERE state = 'pending'")]

    def remove(self, *, source: str | None = None, doc_ids: Sequence[str] = ()) -> list[str]:
        """Delete a whole source or given documents; returns the removed document ids."""
        with self.transaction() as db:
            if source is not None:
                rows = db.execute("SELECT id, source, hash FROM documents WHERE source = ?", (source,)).fetchall()
            else:
                rows = []
                for part in _batches(doc_ids, 500):
                    marks = ",".join("?" * len(part))
                    rows += db.execute(f"SELECT id, source, hash FROM documents WHERE id IN ({marks})", part).fetchall()
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
            "INSERT OR REPLACE INTO sources(name, reader, licence, target, updated_at) VALUES (?, ?, ?, ?, ?)",
            (name, reader, licence, target, time.time()),
        )

    # -- reads ----------------------------------------------------------------------------
    def chunks_by_rid(self, rids: Sequence[int]) -> dict[int, tuple[Chunk, SourceRef]]:
        out: dict[int, tuple[Chunk, SourceRef]] = {}
        for part in _batches(rids, 500):
            marks = ",".join("?" * len(part))
            sql = (
                "SELECT c.rid, c.id, c.doc_id, c.ordinal, c.text, c.heading, c.kind, c.evidence, d.ref"
                f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.rid IN ({marks})"
            )
            for row in self.db.execute(sql, part):
                out[row[0]] = (_chunk(row[1:8]), SourceRef.model_validate_json(row[8]))
        return out

    def chunks_of(self, doc_ids: Sequence[str]) -> Iterator[tuple[int, Chunk, str]]:
        """(rid, chunk, document ref JSON) for documents, in order."""
        for part in _batches(doc_ids, 200):
            marks = ",".join("?" * len(part))
            sql = (
                "SELECT c.rid, c.id, c.doc_id, c.ordinal, c.text, c.heading, c.kind, c.evidence, d.title, d.ref"
                f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.doc_id IN ({marks})"
                " ORDER BY c.doc_id, c.ordinal"
            )
            for row in self.db.execute(sql, part):
                yield row[0], _chunk(row[1:8]), row[9]

    def glossary(self) -> dict[str, str]:
        """Abbreviations the indexed documents define: each short form's most widely used long form."""
        rows = self.db.execute(
            "SELECT a.short, a.long, COUNT(*) FROM abbreviations a JOIN documents d ON d.id = a.doc_id"
            " WHERE d.state = 'indexed' GROUP BY a.short, a.long"
        )
        return choose(rows)

    def topics(self) -> list[tuple[str, str, str]]:
        """(document id, title, what it says it is about) for every indexed document.

        "What it is about" is the text of the passages under a "Disease/Condition(s)" heading, which
        guideline summaries carry; other documents have only their title.
        """
        rows = self.db.execute(
            "SELECT d.id, d.title, group_concat(c.text, char(10)) FROM documents d"
            " LEFT JOIN chunks c ON c.doc_id = d.id AND c.heading LIKE '[\"Disease/Condition%'"
            " WHERE d.state = 'indexed' GROUP BY d.id, d.title"
        )
        return [(r[0], r[1], r[2] or "") for r in rows]

    def document(self, doc_id: str) -> Document | None:
        """The document's provenance record (blocks are not kept: its chunks hold the text)."""
        row = self.db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if not row:
            return None
        return Document.model_validate({**json.loads(row[0]), "blocks": []})

    def vectors(self, model: str, batch: int = 20000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(rids, float32 matrix) for every chunk that has an embedding under `model`."""
        cur = self.db.execute(
            "SELECT c.rid, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.model = ? ORDER BY c.rid",
            (model,),
        )
        while rows := cur.fetchmany(batch):
            rids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1)
            yield rids, mat.astype(np.float32)

    def cached_embeddings(self, hashes: Iterable[str], model: str) -> set[str]:
        found: set[str] = set()
        for part in _batches(list(hashes), 500):
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT hash FROM embeddings WHERE model = ? AND hash IN ({marks})", [model, *part])
            found.update(r[0] for r in rows)
        return found

    def rids_matching(self, where: str, params: Sequence[Any]) -> np.ndarray:
        sql = f"SELECT c.rid FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE {where}"
        return np.fromiter((r[0] for r in self.db.execute(sql, params)), dtype=np.int64)

    def stats(self) -> dict[str, Any]:
        db = self.db
        by_source = db.execute(
            "SELECT d.source, d.source_type, COUNT(DISTINCT d.id), COUNT(c.rid) FROM documents d"
            " LEFT JOIN chunks c ON c.doc_id = d.id GROUP BY d.source, d.source_type ORDER BY d.source"
        ).fetchall()
        sources = {
            r[0]: {"reader": r[1], "licence": r[2], "target": r[3]}
            for r in db.execute("SELECT name, reader, licence, target FROM sources")
        }
        return {
            "documents": db.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "chunks": db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0],
            "pending": db.execute("SELECT COUNT(*) FROM documents WHERE state='pending'").fetchone()[0],
            "generation": self.generation(),
            "by_source": [
                {"source": r[0], "type": r[1], "documents": r[2], "chunks": r[3], **sources.get(r[0], {})}
                for r in by_source
            ],
        }

    def changes_since(self, seq: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT seq, doc_id, source, change, old_hash, new_hash, at FROM changes WHERE seq > ? ORDER BY seq",
            (seq,),
        ).fetchall()
        keys = ("seq", "doc_id", "source", "change", "old_hash", "new_hash", "at")
        return [dict(zip(keys, r, strict=True)) for r in rows]


def document_hashes(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """id -> (hash, state) for the ids that are catalogued (on any connection to the catalogue)."""
    out: dict[str, tuple[str, str]] = {}
    for part in _batches(ids, 500):
        marks = ",".join("?" * len(part))
        for row in db.execute(f"SELECT id, hash, state FROM documents WHERE id IN ({marks})", part):
            out[row[0]] = (row[1], row[2])
    return out


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


def _batches(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]
