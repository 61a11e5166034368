"""Ingest as four stages, each a function of its own: read → chunk → embed → write.

- read + chunk run on a producer thread: documents come from the readers, are hashed, and those the
  catalogue does not already hold unchanged are chunked, a batch (`index.batch_documents`) at a time;
- embed (the caller's thread) embeds the chunk texts the content-hash cache lacks; the embedder runs
  its batches on every core and releases the GIL, so the producer keeps parsing meanwhile;
- write stages the batch in the catalogue, then tantivy, then marks it indexed (see `store`).

The stages share nothing but the records passed between them, so another executor (processes,
a cluster) can run chunk and embed elsewhere and hand batches to write. Each stage's wall seconds
are reported; they overlap, because read + chunk run beside embed + write.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from medcite.errors import SourceError
from medcite.index.catalog import Catalog
from medcite.index.chunking import chunk_document
from medcite.records import Chunk, Document
from medcite.settings import IndexSettings

if TYPE_CHECKING:
    from medcite.models import Embedder

ProgressFn = Callable[[int, int], None]


def embed_text(title: str, chunk: Chunk) -> str:
    """What the dense model reads for a chunk: its document title and heading give context."""
    head = " > ".join(chunk.heading_path)
    prefix = f"{title}. {head}:" if head else f"{title}:"
    return f"{prefix} {chunk.text}"


def missing_texts(rows: Iterable[tuple[str, str, str, str]]) -> dict[str, str]:
    """Content key -> the text the dense model reads, for `Catalog.missing_embeddings` rows
    (the same text `chunk_stage` made when the chunk was staged, so the key still matches it)."""
    texts: dict[str, str] = {}
    for key, heading, text, title in rows:
        chunk = Chunk(id="x#0", doc_id="x", ordinal=0, text=text, heading_path=tuple(json.loads(heading)))
        texts.setdefault(key, embed_text(title, chunk))
    return texts


def content_key(text: str) -> str:
    """The embedding cache key of a text (identical text anywhere is embedded once)."""
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Prepared:
    """A document after the chunk stage: its hash, chunks, and each chunk's text for the dense model."""

    doc: Document
    hash: str
    chunks: list[Chunk]
    texts: list[str]
    keys: list[str]


@dataclass
class Batch:
    """What the chunk stage hands on: the documents to (re)index and how many it found unchanged."""

    prepared: list[Prepared]
    seen: int
    unchanged: int = 0


@dataclass
class IngestReport:
    """What one ingest run did; printed by the CLI and returned by the API."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    chunks: int = 0
    embedded: int = 0
    errors: list[SourceError] = field(default_factory=list)
    seconds: float = 0.0
    #: wall seconds in each stage: read, chunk (on the producer thread), embed, write, vectors (the FAISS
    #: build at the end), and wait (the writer waiting for the producer); read + chunk overlap the others
    stages: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "chunks": self.chunks,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 2),
            "stages": {k: round(v, 2) for k, v in self.stages.items()},
            "errors": [{"path": e.path, "reason": e.reason} for e in self.errors],
        }


# -- chunk ------------------------------------------------------------------------------------
def chunk_stage(docs: Sequence[Document], settings: IndexSettings, known: dict[str, tuple[str, str]]) -> Batch:
    """Hash documents and chunk those not already indexed with the same content.

    `known` is the catalogue's id -> (hash, state) for these ids. The same id twice in one batch:
    the last one wins (as it would across batches).
    """
    unique = list({d.id: d for d in docs}.values())
    batch = Batch(prepared=[], seen=len(docs))
    for doc in unique:
        h = doc.content_hash()
        if known.get(doc.id) == (h, "indexed"):
            batch.unchanged += 1
            continue
        chunks = chunk_document(doc, settings)
        texts = [embed_text(doc.title, c) for c in chunks]
        # The chunks hold the text now; the blocks would only double the memory of batches in flight.
        slim = doc.model_copy(update={"blocks": []})
        batch.prepared.append(Prepared(slim, h, chunks, texts, [content_key(t) for t in texts]))
    return batch


# -- embed ------------------------------------------------------------------------------------
def embed_stage(prepared: Sequence[Prepared], embedder: Embedder | None, catalog: Catalog) -> dict[str, np.ndarray]:
    """Vectors for the chunk texts the cache lacks, keyed by content key."""
    if embedder is None:
        return {}
    keyed: dict[str, str] = {}
    for p in prepared:
        for key, text in zip(p.keys, p.texts, strict=True):
            keyed.setdefault(key, text)
    cached = catalog.cached_embeddings(keyed, embedder.name)
    missing = [k for k in keyed if k not in cached]
    if not missing:
        return {}
    mat = embedder.embed_passages([keyed[k] for k in missing])
    return dict(zip(missing, mat, strict=True))


# -- read + chunk on a producer thread ---------------------------------------------------------
class _End:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class Producer:
    """Reads and chunks on a thread of its own, a bounded number of batches ahead of the consumer.

    One batch waiting is enough to keep both sides busy; more would only hold more documents in memory.
    """

    def __init__(
        self, items: Iterable[Document | SourceError], catalog: Catalog, settings: IndexSettings, ahead: int = 1
    ) -> None:
        self._items = items
        self._catalog = catalog
        self._settings = settings
        self._queue: queue.Queue[Batch | SourceError | _End] = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self.seconds = {"read": 0.0, "chunk": 0.0}
        self._thread = threading.Thread(target=self._run, name="medcite-read-chunk", daemon=True)

    def __enter__(self) -> Producer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        while self._thread.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.1)

    def __iter__(self) -> Iterator[Batch | SourceError]:
        """Batches and reader errors in stream order; an exception the reader raised is raised here."""
        while True:
            item = self._queue.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item

    def _put(self, item: Batch | SourceError | _End) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        # A connection of its own: reads see committed batches, and never wait for the writer
        # (SQLite in WAL mode; PostgreSQL's MVCC).
        db = self._catalog.reopen()
        try:
            docs: list[Document] = []
            it = iter(self._items)
            while not self._stop.is_set():
                t = time.perf_counter()
                item = next(it, None)
                self.seconds["read"] += time.perf_counter() - t
                if item is None:
                    break
                if isinstance(item, SourceError):
                    if not self._put(item):
                        return
                    continue
                docs.append(item)
                if len(docs) >= self._settings.batch_documents:
                    if not self._put(self._chunk(db, docs)):
                        return
                    docs = []
            if docs and not self._stop.is_set():
                self._put(self._chunk(db, docs))
            self._put(_End())
        except BaseException as exc:  # handed to the consumer, which raises it where ingest was called
            self._put(_End(exc))
        finally:
            db.close()

    def _chunk(self, db: Catalog, docs: list[Document]) -> Batch:
        t = time.perf_counter()
        batch = chunk_stage(docs, self._settings, db.document_hashes([d.id for d in docs]))
        self.seconds["chunk"] += time.perf_counter() - t
        return batch
