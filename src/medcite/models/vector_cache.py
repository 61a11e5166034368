"""A persistent cache of the dense model's sentence vectors, shared by every process of one home.

Choosing an answer's sentences embeds the ~100 best candidate sentences to compare them with the
question; with all-MiniLM-L6-v2 on two cores that is most of an answer's time (~0.3–0.8 s), and
the same guideline sentences come back again and again (one guideline answers many questions).
The index's own embedding cache holds passages, not sentences, and lives in the catalogue, which a
reader must not write to; this cache is a small SQLite file of its own under the home's model
folder, keyed by the model's name (which names its file, precision and token limit) and a digest
of the text.

Contract: `embed_passages` returns what the wrapped embedder returns for the same texts: vectors
are stored as the float32 bytes the model produced, so a cached answer is the answer the model
would give. The cache is best-effort: a locked, read-only or damaged file costs the cache, never
an answer (misses are embedded; a write that cannot happen at once is skipped). It keeps the
newest `rows` vectors (first in, first out).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from medcite.models.base import Embedder

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    id INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    digest BLOB NOT NULL,
    vector BLOB NOT NULL,
    UNIQUE (model, digest)
)
"""
#: Lookups per statement (SQLite's default limit on bound parameters is far above this).
_BATCH = 500


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class CachedEmbedder:
    """An `Embedder` whose passage vectors are kept in a SQLite file (queries are not cached)."""

    def __init__(self, inner: Embedder, path: Path, *, rows: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.path = path
        self.rows = rows
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # A short timeout: another process writing must not hold an answer up; it only costs a write.
            db = sqlite3.connect(self.path, timeout=0.05, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            return db
        except (sqlite3.Error, OSError) as exc:
            log.warning("sentence vector cache %s unusable (%s); sentences are embedded every time", self.path, exc)
            return None

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    @property
    def usable(self) -> bool:
        """Whether the cache file opened (otherwise every text is embedded every time)."""
        return self._db is not None

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(list(texts))[0]

    def fill(self, texts: Sequence[str]) -> int:
        """Embed and keep the texts not cached yet (ahead of the answers that will need them); how many."""
        return self._embed(list(texts))[1]

    def _embed(self, texts: list[str]) -> tuple[np.ndarray, int]:
        if self._db is None or not texts:
            return self.inner.embed_passages(texts), len(texts)
        digests = [_digest(t) for t in texts]
        found = self._lookup(digests)
        missing = [i for i, d in enumerate(digests) if d not in found]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, d in enumerate(digests):
            if d in found:
                out[i] = found[d]
        if missing:
            fresh = self.inner.embed_passages([texts[i] for i in missing])
            out[missing] = fresh
            self._store([(digests[i], fresh[k]) for k, i in enumerate(missing)])
        return out, len(missing)

    def _lookup(self, digests: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(digests))
        try:
            with self._lock:
                assert self._db is not None
                for start in range(0, len(unique), _BATCH):
                    part = unique[start : start + _BATCH]
                    marks = ",".join("?" * len(part))
                    rows = self._db.execute(
                        f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN ({marks})",
                        [self.name, *part],
                    ).fetchall()
                    for digest, blob in rows:
                        vec = np.frombuffer(blob, dtype=np.float32)
                        if vec.shape == (self.dim,):  # a row of another width is ignored, never used
                            found[bytes(digest)] = vec
        except sqlite3.Error as exc:
            log.debug("sentence vector cache lookup failed: %s", exc)
            return {}
        return found

    def _store(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        if self.rows <= 0:
            return
        try:
            with self._lock:
                assert self._db is not None
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.executemany(
                        "INSERT OR IGNORE INTO vectors (model, digest, vector) VALUES (?, ?, ?)",
                        [(self.name, d, np.asarray(v, dtype=np.float32).tobytes()) for d, v in items],
                    )
                    # First in, first out: ids grow with every insert, so the oldest rows have the lowest.
                    self._db.execute("DELETE FROM vectors WHERE id <= (SELECT max(id) FROM vectors) - ?", (self.rows,))
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            log.debug("sentence vector cache write skipped: %s", exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
