"""The index directory: catalogue (truth) + lexical index + vector index, kept in step.

Ingest protocol, per batch of documents (what makes `kill -9` safe and resumable; the read, chunk
and embed stages before it are in `ingest`):
1. chunk and embed what changed (embeddings cached by content hash, so unchanged text is free);
2. one SQLite transaction writes the documents as 'pending' with their chunks and vectors;
3. tantivy deletes the documents' old chunks, adds the new ones and commits (atomic);
4. the documents are marked 'indexed'.
On open, documents still 'pending' are replayed into tantivy, and the FAISS file is rebuilt
when its generation lags the catalogue's. Re-ingesting an unchanged document is a no-op.

Freshness across processes (a server reading while the CLI ingests): when a write is complete
(ingest, removal, rebuild, recovery), the writer publishes ``version.json`` (the catalogue
generation and the vector file's) by write-to-temp + ``os.replace``, after the FAISS file itself
was swapped in the same way. Readers stat that one file at most every ``index.refresh_seconds``;
when it changed they load the new vector file and reopen the lexical searcher, so a reader only
ever switches from one complete index to the next. (Tantivy commits per batch are atomic too, and
a hit whose chunk the catalogue no longer holds is dropped at fetch time.)
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from medcite.errors import SourceError
from medcite.index.catalog import Catalog, open_catalog
from medcite.index.ingest import (
    Batch,
    IngestReport,
    Prepared,
    Producer,
    ProgressFn,
    embed_stage,
    embed_text,
    missing_texts,
)
from medcite.index.lexical import LexicalIndex
from medcite.index.vectors import VectorIndex
from medcite.models import Embedder, create
from medcite.records import Chunk, Document, QueryFilters, SourceRef
from medcite.settings import Settings
from medcite.understand.vocabulary import Vocabulary

#: Written last by every completed write (see the module docstring); readers watch it.
VERSION_FILE = "version.json"

_KEYWORD_KEYS = ("keywords", "topics", "mesh", "mesh_terms", "disease_condition", "focus", "synonyms", "conditions")

__all__ = ["IndexStore", "IngestReport", "ProgressFn", "embed_text", "lexical_rows", "reindex_lexical"]


class IndexStore:
    """One index directory. Open it with `IndexStore(settings)`; cheap until searched."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.dir = settings.index_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.catalog: Catalog = open_catalog(settings)  # type: ignore[assignment]  # create=True: never None
        self.lexical, self.vectors = self._open_derived()
        self._embedder: Embedder | None = None
        self._embedder_loaded = False
        self._glossary: tuple[int, dict[str, str]] | None = None
        self._vocabulary: tuple[int, Vocabulary] | None = None
        self._describing: tuple[tuple[int, frozenset[str]], frozenset[int]] | None = None
        self.version_path = self._version_path()
        self.epoch = 0  # bumped whenever this process starts reading a newer index (see `refresh`)
        self._seen: tuple[int, int, int] | None = _stat_key(self.version_path)
        self._checked_at = time.monotonic()
        self._refreshing = threading.Lock()

    def _open_derived(self) -> tuple[LexicalIndex, VectorIndex]:
        """The derived indexes this store reads and writes: the index directory's own, in place."""
        return LexicalIndex(self.dir / "lexical"), VectorIndex(self.dir / "vectors.faiss")

    def _version_path(self) -> Path:
        """The file every completed write replaces last, and readers watch."""
        return self.dir / VERSION_FILE

    def close(self) -> None:
        self.lexical.close()
        self.catalog.close()

    # -- models ---------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder | None:
        """The dense model, or None when dense retrieval is switched off (`embedding.model = none`)."""
        if not self._embedder_loaded:
            name = self.settings.embedding.model
            self._embedder = None if name == "none" else create("embedder", name, self.settings)
            self._embedder_loaded = True
        return self._embedder

    def glossary(self) -> dict[str, str]:
        """Abbreviations the indexed documents define (short -> long form), for query understanding.

        Read from the catalogue once per content generation (each document's definitions are
        extracted when it is ingested).
        """
        gen = self.catalog.generation()
        if self._glossary is None or self._glossary[0] != gen:
            self._glossary = (gen, self.catalog.glossary())
        return self._glossary[1]

    def vocabulary(self) -> Vocabulary:
        """What each indexed document says it is about (titles, condition lists), for reading
        questions and for telling whether a document is about a question's problem. Built once per
        content generation."""
        gen = self.catalog.generation()
        if self._vocabulary is None or self._vocabulary[0] != gen:
            self._vocabulary = (gen, Vocabulary(self.catalog.topics()))
        return self._vocabulary[1]

    def describing_rids(self, headings: frozenset[str]) -> frozenset[int]:
        """Rids of the passages that describe a condition (those under one of `headings`, by the last
        heading: "Overview", "Symptoms"), once per content generation."""
        key = (self.catalog.generation(), headings)
        if self._describing is None or self._describing[0] != key:
            self._describing = (key, self.catalog.rids_under_headings(headings))
        return self._describing[1]

    # -- locking --------------------------------------------------------------------------
    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer per index directory (other processes wait); readers never block.

        With the catalogue on PostgreSQL, writers on other machines are kept out too (an advisory
        lock held by a connection of its own)."""
        with open(self.dir / ".write.lock", "w") as fh, catalog_writer_lock(self.catalog):
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- ingest ---------------------------------------------------------------------------
    def ingest(
        self,
        items: Iterable[Document | SourceError],
        *,
        progress: ProgressFn | None = None,
        on_error: Callable[[SourceError], None] | None = None,
    ) -> IngestReport:
        """Index documents from a reader stream; bad items are reported, never fatal.

        Reading and chunking run on a producer thread (`ingest.Producer`) while this thread embeds
        and writes the previous batch.
        """
        report = IngestReport()
        started = time.perf_counter()
        stages = {"embed": 0.0, "write": 0.0, "vectors": 0.0, "wait": 0.0}
        seen = 0
        with self.write_lock():
            self._recover_locked()
            with Producer(items, self.catalog, self.settings.index) as producer:
                t = time.perf_counter()
                for item in producer:
                    stages["wait"] += time.perf_counter() - t
                    if isinstance(item, SourceError):
                        report.errors.append(item)
                        if on_error:
                            on_error(item)
                    else:
                        seen += item.seen
                        self._index_batch(item, report, stages)
                        if progress:
                            progress(seen, len(report.errors))
                    t = time.perf_counter()
            t = time.perf_counter()
            self._complete()
            stages["vectors"] += time.perf_counter() - t
        report.seconds = time.perf_counter() - started
        report.stages = {**producer.seconds, **stages}
        return report

    def _index_batch(self, batch: Batch, report: IngestReport, stages: dict[str, float]) -> None:
        """Embed, then write, one batch from the chunk stage."""
        report.unchanged += batch.unchanged
        # Checked again on this connection: an earlier batch of this run may have written the same document.
        known = self.catalog.document_hashes([p.doc.id for p in batch.prepared])
        todo = []
        for p in batch.prepared:
            old = known.get(p.doc.id)
            if old == (p.hash, "indexed"):
                report.unchanged += 1
                continue
            report.changed += bool(old)
            report.added += not old
            todo.append(p)
        if not todo:
            return
        t = time.perf_counter()
        vectors = self._embed_batch(todo)
        stages["embed"] += time.perf_counter() - t
        report.embedded += len(vectors)
        t = time.perf_counter()
        self._write(todo, vectors)
        stages["write"] += time.perf_counter() - t
        report.chunks += sum(len(p.chunks) for p in todo)

    def _embed_batch(self, todo: Sequence[Prepared]) -> dict[str, np.ndarray]:
        """The embed stage of one batch: vectors for the chunk texts the cache lacks, by content key.

        A store may return fewer (even none): chunks staged without a vector are embedded by
        `_fill_missing_vectors` before the derived indexes are built (the Ray ingest does so in one
        Ray Data pass over the whole run)."""
        return embed_stage(todo, self.embedder, self.catalog)

    def _write(self, todo: Sequence[Prepared], vectors: dict[str, np.ndarray]) -> None:
        """The write stage: catalogue ('pending'), then tantivy, then 'indexed' (see the module docstring)."""
        staged = self.catalog.stage([(p.doc, p.hash, p.chunks, p.keys) for p in todo], vectors, self._model_name())
        rows = []
        for p, (_doc_id, rids) in zip(todo, staged, strict=True):
            rows.extend(lexical_rows(p.doc.ref(), p.doc.extra, p.chunks, rids))
        for doc in {p.doc.source: p.doc for p in todo}.values():
            self.catalog.note_source(doc.source, doc.source_type.value, doc.licence, doc.origin or doc.source)
        self.lexical.delete_documents([p.doc.id for p in todo])
        self.lexical.add(rows)
        self.lexical.commit()
        self.catalog.mark_indexed([p.doc.id for p in todo])

    def _model_name(self) -> str:
        e = self.embedder
        return e.name if e else "none"

    def _complete(self) -> None:
        """After a write (under the write lock): finish the derived indexes and tell readers."""
        if self.lexical.deleted_share() > self.settings.index.lexical_compact_share:
            self._rewrite_lexical()
        self.lexical.close()
        self._sync_vectors()
        self._publish()

    # -- recovery and derived indexes -------------------------------------------------------
    def recover(self) -> None:
        """Bring tantivy and FAISS in step with the catalogue (after a crash, or a `--rebuild`)."""
        with self.write_lock():
            self._recover_locked()
            self._complete()

    def _recover_locked(self) -> None:
        pending = self.catalog.pending()
        if pending:
            self._reindex_lexical(pending)

    def _reindex_lexical(self, doc_ids: Sequence[str]) -> None:
        for start in range(0, len(doc_ids), 500):
            part = list(doc_ids[start : start + 500])
            reindex_lexical(self.catalog, self.lexical, part)
            self.lexical.commit()
            self.catalog.mark_indexed(part)

    def _rewrite_lexical(self) -> None:
        """Replace the whole lexical index with the catalogue's chunks in one tantivy commit: readers
        see the old index or the new one, never a part; a crash before the commit leaves the old one;
        and the rows earlier writes deleted, which tantivy keeps (and counts) until a merge, are gone.
        ~10 s for 100,000 chunks here."""
        ids = self.catalog.doc_ids()
        self.lexical.delete_all()
        for start in range(0, len(ids), 500):
            reindex_lexical(self.catalog, self.lexical, ids[start : start + 500])
        self.lexical.commit()
        self.catalog.mark_indexed(ids)

    def rebuild(self) -> None:
        """Rebuild both derived indexes from the catalogue."""
        with self.write_lock():
            self._rewrite_lexical()
            self.lexical.close()
            self.vectors.meta = {}
            self._sync_vectors(force=True)
            self._publish()

    def _sync_vectors(self, force: bool = False) -> None:
        embedder = self.embedder
        if embedder is None:
            return
        gen = self.catalog.generation()
        if not force and self.vectors.generation == gen and self.vectors.model == embedder.name:
            return
        self._fill_missing_vectors(embedder)
        count = self.catalog.chunk_count()
        self.vectors.rebuild(
            self.catalog.vectors(embedder.name), dim=embedder.dim, model=embedder.name, generation=gen, expected=count
        )

    def _fill_missing_vectors(self, embedder: Embedder) -> None:
        # Chunks indexed under another embedder (or before a crash) get their vectors now.
        rows = self.catalog.missing_embeddings(embedder.name)
        if not rows:
            return
        texts = missing_texts(rows)
        hashes = list(texts)
        for start in range(0, len(hashes), 2048):
            part = hashes[start : start + 2048]
            mat = embedder.embed_passages([texts[h] for h in part])
            self.catalog.put_embeddings(dict(zip(part, mat, strict=True)), embedder.name)

    # -- removal --------------------------------------------------------------------------
    def remove(self, name: str) -> list[str]:
        """Remove a whole source (by name) or one document (by id). Returns removed ids."""
        with self.write_lock():
            removed = self.catalog.remove(source=name)
            if not removed:
                removed = self.catalog.remove(doc_ids=[name])
            if removed:
                self.lexical.delete_documents(removed)
                self.lexical.commit()
                self._complete()
        return removed

    # -- freshness across processes ---------------------------------------------------------
    def _publish(self) -> None:
        """Tell readers in other processes that a complete new index is on disk (under the write lock)."""
        record = {
            "generation": self.catalog.generation(),
            "vectors": {"generation": self.vectors.generation, "model": self.vectors.model, "count": len(self.vectors)},
            "published_at": time.time(),
        }
        tmp = self.version_path.with_name(f".{VERSION_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record))
        os.replace(tmp, self.version_path)
        self._seen = _stat_key(self.version_path)  # this process already reads what it wrote
        self.epoch += 1

    def refresh(self) -> bool:
        """Pick up an index another process published; True when this process now reads a newer one.

        Cheap enough for every search: at most one ``stat`` per ``index.refresh_seconds``, and the
        reload (the vector file, memory-mapped, and a reopened tantivy searcher) only when
        ``version.json`` changed. Searches already running finish on the index they started with.
        """
        interval = self.settings.index.refresh_seconds
        now = time.monotonic()
        if interval and now - self._checked_at < interval:
            return False
        self._checked_at = now
        key = _stat_key(self.version_path)
        if key is None or key == self._seen or not self._refreshing.acquire(blocking=False):
            return False
        try:
            self._seen = key
            on_disk = VectorIndex.read_meta(self.vectors.path)
            if on_disk is not None and on_disk != self.vectors.meta:
                self.vectors = VectorIndex(self.vectors.path)
            self.lexical.index.reload()
            self._glossary = None
            self.epoch += 1
        finally:
            self._refreshing.release()
        return True

    # -- reading --------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.catalog.is_empty()

    def ensure_fresh(self) -> None:
        """Repair derived indexes if a previous writer died (cheap check on every open)."""
        stale_vectors = False
        if self.settings.embedding.model != "none" and not self.is_empty():
            # Behind the catalogue, or made by another model or model setting: rebuild from the catalogue
            # (embedding whatever the cache lacks under the configured model).
            stale = self.vectors.generation != self.catalog.generation()
            stale_vectors = stale or (self.embedder is not None and self.vectors.model != self.embedder.name)
        if self.catalog.pending() or stale_vectors:
            self.recover()

    def lexical_search(
        self,
        text: str,
        phrases: Sequence[tuple[str, float]],
        filters: QueryFilters,
        limit: int,
        fuzzy: Sequence[str] = (),
    ) -> list[tuple[int, float]]:
        return self.lexical.search(text, phrases, filters, limit, fuzzy)

    def dense_search(self, vector: np.ndarray, filters: QueryFilters, limit: int) -> list[tuple[int, float]]:
        allowed = self._allowed_rids(filters)
        return self.vectors.search(vector, limit, allowed)

    def fetch(self, rids: Sequence[int]) -> dict[int, tuple[Chunk, SourceRef]]:
        return self.catalog.chunks_by_rid(rids)

    def _allowed_rids(self, filters: QueryFilters) -> np.ndarray | None:
        return self.catalog.rids_matching(filters)

    def stats(self) -> dict[str, Any]:
        out = self.catalog.stats()
        out["vectors"] = len(self.vectors)
        out["embedder"] = self.vectors.model
        out["home"] = str(self.dir)
        return out

    def version(self) -> str:
        """Identifies the index content an answer was computed from (for provenance)."""
        return f"g{self.catalog.generation()}"


@contextmanager
def catalog_writer_lock(catalog: Catalog) -> Iterator[None]:
    """Serialise writers across machines when the catalogue is on PostgreSQL (no-op on SQLite,
    whose writers share a machine and the index directory's file lock)."""
    if catalog.engine != "postgresql":
        yield
        return
    holder = catalog.reopen()
    try:
        holder.db.execute("SELECT pg_advisory_lock(724316011)")
        yield
    finally:
        holder.close()  # ending the session releases the lock


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    """Identity of a file's current version: a replaced file has a new inode or mtime."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def reindex_lexical(catalog: Catalog, lexical: LexicalIndex, doc_ids: Sequence[str]) -> None:
    """Replace the documents' chunks in `lexical` with what the catalogue holds now (a document the
    catalogue no longer has is only deleted). The caller commits."""
    by_doc: dict[str, list[tuple[int, Chunk]]] = {}
    refs: dict[str, SourceRef] = {}
    for rid, chunk, ref_json in catalog.chunks_of(doc_ids):
        by_doc.setdefault(chunk.doc_id, []).append((rid, chunk))
        refs.setdefault(chunk.doc_id, SourceRef.model_validate_json(ref_json))
    lexical.delete_documents(doc_ids)
    rows: list[dict[str, object]] = []
    for doc_id, pairs in by_doc.items():
        doc = catalog.document(doc_id)
        extra = doc.extra if doc else {}
        rows.extend(lexical_rows(refs[doc_id], extra, [c for _, c in pairs], [r for r, _ in pairs]))
    lexical.add(rows)


def lexical_rows(
    ref: SourceRef, extra: dict[str, Any], chunks: Sequence[Chunk], rids: Sequence[int]
) -> list[dict[str, object]]:
    keywords = " ".join(_flatten(extra.get(k)) for k in _KEYWORD_KEYS if extra.get(k))
    org = ref.organisation or ref.journal or ""
    return [
        {
            "rid": rid,
            "doc_id": ref.id,
            "source": ref.source,
            "source_type": ref.type.value,
            "audience": ref.audience.value,
            "organisation": org,
            "year": ref.year,
            "title": ref.title,
            "heading": " ".join(c.heading_path),
            "keywords": keywords,
            "text": c.text,
        }
        for c, rid in zip(chunks, rids, strict=True)
    ]


def _flatten(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(_flatten(v) for v in value)
    return str(value)
