"""An index served from snapshots, possibly split into shards: the router side.

`SnapshotIndex` is an `IndexStore` whose derived indexes are the current snapshots of
`index.snapshot_dir` (see `snapshots`), read through one `ShardBackend` per shard: `ShardReader`s
in this process, or Ray Serve deployments (`medcite.distributed.serve`). The retriever above it is
the single-node one (`medcite.retrieve.hybrid.Retriever`), unchanged: this class fans its lexical
and dense searches out to every shard and merges the rankings, and sums the term counts the
retriever and the question reader ask for (document frequencies and fuzzy counts are additive over
a partition of the documents), so fusion, reranking and answering run the same code on one index
or many. The catalogue (chunk text, filters, glossary, vocabulary) is the shared store of record.

Writing: `ingest` stages documents in the catalogue as 'pending' (no derived index is touched in
place), then builds one new snapshot per shard (incrementally, from the change log), publishes them
in `version.json`, collects old snapshots and marks the documents 'indexed'. A crash before the
publication leaves the previous snapshots serving; the next write (or `medcite ingest --rebuild`)
includes the pending documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from medcite.errors import IndexStoreError
from medcite.index import snapshots
from medcite.index.ingest import Prepared
from medcite.index.lexical import LexicalIndex, TermStats
from medcite.index.shards import ShardBackend, ShardReader, merge, sum_stats
from medcite.index.store import IndexStore, _stat_key
from medcite.index.vectors import VectorIndex
from medcite.records import QueryFilters
from medcite.settings import Settings

T = TypeVar("T")


class SnapshotIndex(IndexStore):
    """The catalogue plus the current snapshot of every shard (see the module docstring)."""

    def __init__(self, settings: Settings, backends: Sequence[ShardBackend] | None = None) -> None:
        if settings.index.snapshot_dir is None:
            raise IndexStoreError("a snapshot index needs index.snapshot_dir", hint="set MEDCITE_INDEX__SNAPSHOT_DIR")
        self.root = Path(settings.index.snapshot_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        self.nshards = settings.index.shards
        self._given = list(backends) if backends is not None else None
        self._pool: ThreadPoolExecutor | None = None
        super().__init__(settings)

    # -- IndexStore hooks -----------------------------------------------------------------------
    def _open_derived(self) -> tuple[LexicalIndex, VectorIndex]:
        if self._given is not None and len(self._given) != self.nshards:
            raise IndexStoreError(f"{len(self._given)} shard backends for {self.nshards} shards")
        # No vector file of its own: the shards hold them. An empty one keeps `len()` and `.model` working.
        return ShardedLexical(self), VectorIndex(self.root / ".none.faiss")

    @property
    def backends(self) -> list[ShardBackend]:
        """The shards, opened on first search (a process that only ingests never opens them)."""
        if self._given is None:
            self._given = self._open_backends()
        return self._given

    def _open_backends(self) -> list[ShardBackend]:
        """Readers of the snapshot folder in this process (`RayIndex` deploys them on Ray Serve instead)."""
        return [
            ShardReader(
                self.root,
                i,
                self.nshards,
                catalog=self.catalog.reopen,
                refresh_seconds=self.settings.index.refresh_seconds,
            )
            for i in range(self.nshards)
        ]

    def _build(self, bases: list[Path | None]) -> list[snapshots.Snapshot]:
        """Build one snapshot per shard (shard i from bases[i], or from scratch), here one after the other."""
        embedder = self.embedder
        return [
            snapshots.build(
                self.catalog,
                self.root,
                shard,
                self.nshards,
                model=embedder.name if embedder else None,
                dim=embedder.dim if embedder else 0,
                base=base,
            )
            for shard, base in enumerate(bases)
        ]

    def fan_out(self, call: Callable[[ShardBackend], T]) -> list[T]:
        """`call(shard)` for every shard, in shard order: one after the other for readers in this
        process, side by side for remote shards (the request waits for the slowest, not the sum)."""
        backends = self.backends
        if len(backends) == 1 or all(isinstance(b, ShardReader) for b in backends):
            return [call(b) for b in backends]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=4 * len(backends), thread_name_prefix="medcite-shard")
        return list(self._pool.map(call, backends))

    def _version_path(self) -> Path:
        return self.root / snapshots.VERSION_FILE

    def close(self) -> None:
        for backend in self._given or []:
            backend.close()
        if self._pool is not None:
            self._pool.shutdown(wait=False)
        self.catalog.close()

    # -- writing ------------------------------------------------------------------------------
    def _write(self, todo: Sequence[Prepared], vectors: dict[str, np.ndarray]) -> None:
        """Stage in the catalogue only; the snapshots are built once the whole run is staged."""
        self.catalog.stage([(p.doc, p.hash, p.chunks, p.keys) for p in todo], vectors, self._model_name())
        for doc in {p.doc.source: p.doc for p in todo}.values():
            self.catalog.note_source(doc.source, doc.source_type.value, doc.licence, doc.origin or doc.source)

    def _recover_locked(self) -> None:
        """Nothing to replay: pending documents are in the catalogue, and the next build takes them."""

    def _complete(self) -> None:
        self.publish_snapshots(incremental=True)

    def publish_snapshots(self, *, incremental: bool = True, built: list[snapshots.Snapshot] | None = None) -> dict:
        """Build a snapshot of every shard (unless `built` gives them), publish, collect, mark indexed.

        Called under the write lock. Returns the published version record.
        """
        pending = self.catalog.pending()
        if built is None:
            embedder = self.embedder
            if embedder is not None:
                self._fill_missing_vectors(embedder)
            bases = [
                snapshots.current(self.root, i, self.nshards) if incremental else None for i in range(self.nshards)
            ]
            built = self._build(bases)
        record = snapshots.publish(self.root, built)
        snapshots.collect_garbage(self.root, self.settings.index.snapshot_keep)
        if pending:
            self.catalog.mark_indexed(pending)
        self._seen = None  # this process switches on its next search, like any other reader
        self._checked_at = 0.0
        return record

    def recover(self) -> None:
        with self.write_lock():
            self.publish_snapshots(incremental=True)

    def rebuild(self) -> None:
        with self.write_lock():
            self.publish_snapshots(incremental=False)

    def remove(self, name: str) -> list[str]:
        with self.write_lock():
            removed = self.catalog.remove(source=name) or self.catalog.remove(doc_ids=[name])
            if removed:
                self.publish_snapshots(incremental=True)
        return removed

    def ensure_fresh(self) -> None:
        """The first snapshots of a catalogue that has documents but none published (e.g. one that
        was served in place before), or of a new shard count (re-sharding): built once, by whichever
        process opens it first. (Replicas still on the old count keep their last snapshot.)"""
        record = snapshots.read_version(self.root)
        if (record is None or int(record.get("shards", 0)) != self.nshards) and not self.is_empty():
            self.rebuild()

    # -- reading ------------------------------------------------------------------------------
    def want(self) -> str | None:
        """The snapshot of shard 0 that version.json names: sent with each request to every shard."""
        record = snapshots.read_version(self.root)
        if not record or int(record.get("shards", 0)) != self.nshards:
            return None
        return str(record["snapshots"][0])

    def refresh(self) -> bool:
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
            self._want = self.want()
            for backend in self._given or []:
                if isinstance(backend, ShardReader):
                    backend.refresh(force=True)
            self._glossary = None
            self.epoch += 1
        finally:
            self._refreshing.release()
        return True

    @property
    def current_want(self) -> str | None:
        if not hasattr(self, "_want"):
            self._want = self.want()
        return self._want

    def dense_search(self, vector: np.ndarray, filters: QueryFilters, limit: int) -> list[tuple[int, float]]:
        want = self.current_want
        return merge(self.fan_out(lambda b: b.dense(vector, filters, limit, want)), limit)

    def stats(self) -> dict[str, Any]:
        out = self.catalog.stats()
        record = snapshots.read_version(self.root) or {}
        out["vectors"] = int(record.get("vectors", {}).get("count", 0))
        out["embedder"] = record.get("vectors", {}).get("model")
        out["home"] = str(self.dir)
        out["snapshots"] = {"folder": str(self.root), **record}
        return out

    def version(self) -> str:
        record = snapshots.read_version(self.root)
        return f"g{record['generation']}" if record else "g0"


class ShardedLexical(LexicalIndex):
    """The read side of a lexical index whose documents are spread over shards.

    Searches are merged by score; counts are summed (exact: every chunk lives in one shard).
    Writing goes through snapshot builds, never through this object.
    """

    def __init__(self, owner: SnapshotIndex) -> None:  # no tantivy index of its own
        self.owner = owner
        self.path = owner.root
        self.read_only = True
        self._writer = None

    def search(
        self,
        text: str,
        phrases: Sequence[tuple[str, float]],
        filters: QueryFilters,
        limit: int,
        fuzzy: Sequence[str] = (),
        stats: TermStats | None = None,
    ) -> list[tuple[int, float]]:
        want = self.owner.current_want
        # Two rounds, as a search engine's "DFS query then fetch": the shards' term statistics, summed,
        # then the search with every shard scoring BM25 by the global statistics, so the merged
        # ranking is the one a single index would give (up to each shard's average field length).
        stats = sum_stats(self.owner.fan_out(lambda b: b.term_stats(text, phrases, want)))
        if not self.owner.settings.index.exact_bm25:
            stats.pop("avgdl", None)
        return merge(self.owner.fan_out(lambda b: b.lexical(text, phrases, filters, limit, fuzzy, want, stats)), limit)

    def doc_freq(self, phrase: str) -> int:
        want = self.owner.current_want
        return sum(r[0][0] for r in self.owner.fan_out(lambda b: b.counts([phrase], [], want)))

    def fuzzy_count(self, word: str, distance: int = 2) -> int:
        want = self.owner.current_want
        return sum(r[1][0] for r in self.owner.fan_out(lambda b: b.counts([], [word], want)))

    def num_docs(self) -> int:
        want = self.owner.current_want
        return sum(self.owner.fan_out(lambda b: b.num_docs(want)))

    def fuzzy_rids(self, word: str, limit: int = 100, distance: int = 2) -> list[int]:
        want = self.owner.current_want
        found = self.owner.fan_out(lambda b: b.fuzzy_rids(word, limit, distance, want))
        return [rid for rids in found for rid in rids][:limit]

    def close(self) -> None:
        pass

    def commit(self) -> None:
        pass
