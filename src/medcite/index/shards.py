"""Reading one shard's current snapshot, and the small interface every shard backend offers.

A `ShardReader` serves one shard of the snapshot folder in this process: it opens the snapshot
that `version.json` names (tantivy read-only, FAISS memory-mapped) and switches to a newer one
when the file changes. The router (`SnapshotIndex`) talks to shards only through `ShardBackend`,
so the same fan-out and fusion run over readers in this process or over Ray Serve deployments
(`medcite.distributed.serve`), which wrap a `ShardReader` each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from medcite.index import dfs, snapshots
from medcite.index.catalog import Catalog
from medcite.index.lexical import LexicalIndex, TermStats
from medcite.index.ranking import rank_key
from medcite.index.store import VERSION_FILE
from medcite.index.vectors import VectorIndex
from medcite.records import QueryFilters

Scored = list[tuple[int, float]]


class ShardBackend(Protocol):
    """One shard as the router sees it. `want` is the snapshot the router reads (from version.json):
    a shard behind it switches before answering, so every shard answers from the same publication."""

    def lexical(
        self,
        text: str,
        phrases: Sequence[tuple[str, float]],
        filters: QueryFilters,
        limit: int,
        fuzzy: Sequence[str],
        want: str | None,
        stats: TermStats | None = None,
    ) -> Scored: ...

    def term_stats(self, text: str, phrases: Sequence[tuple[str, float]], want: str | None) -> TermStats:
        """This shard's BM25 statistics for a search (summed by the router and sent with `lexical`)."""
        ...

    def dense(self, vector: np.ndarray, filters: QueryFilters, limit: int, want: str | None) -> Scored: ...

    def counts(self, phrases: Sequence[str], fuzzy: Sequence[str], want: str | None) -> tuple[list[int], list[int]]:
        """Chunks matching every word of each phrase (doc_freq) and near each fuzzy word."""
        ...

    def num_docs(self, want: str | None) -> int: ...

    def fuzzy_rids(self, word: str, limit: int, distance: int, want: str | None) -> list[int]: ...

    def snapshot(self) -> str | None:
        """The snapshot this shard serves now."""
        ...

    def close(self) -> None: ...


class ShardReader:
    """Shard `shard` of `shards` in the snapshot folder `root`, read in this process."""

    def __init__(
        self,
        root: Path,
        shard: int,
        shards: int,
        *,
        catalog: Callable[[], Catalog] | None = None,
        refresh_seconds: float = 1.0,
    ) -> None:
        self.root, self.shard, self.shards = root, shard, shards
        self._catalog_factory = catalog
        self._catalog: Catalog | None = None
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._seen: str | None = None
        self._checked_at = 0.0
        self.name: str | None = None
        self.lexical_index: LexicalIndex | None = None
        self.vectors: VectorIndex | None = None
        self.refresh(force=True)

    # -- following version.json ---------------------------------------------------------------
    def refresh(self, *, force: bool = False, want: str | None = None) -> bool:
        """Switch to the snapshot version.json names, if newer; at most one look per interval unless
        forced or the router asks for a snapshot this shard does not serve yet."""
        now = time.monotonic()
        if want is not None and want != self.name:
            force = True
        if not force and self.refresh_seconds and now - self._checked_at < self.refresh_seconds:
            return False
        self._checked_at = now
        try:
            raw = (self.root / VERSION_FILE).read_text()
        except FileNotFoundError:
            return False
        if raw == self._seen:
            return False
        with self._lock:
            path = snapshots.current(self.root, self.shard, self.shards)
            if path is None:
                return False
            lexical = LexicalIndex(path / "lexical", read_only=True)
            vectors = VectorIndex(path / "vectors.faiss")
            # One assignment each: a search running on the old pair finishes on it.
            self.lexical_index, self.vectors = lexical, vectors
            self.name = f"{path.parent.name}/{path.name}"
            self._seen = raw
        return True

    def snapshot(self) -> str | None:
        return self.name

    # -- searching ----------------------------------------------------------------------------
    def lexical(
        self,
        text: str,
        phrases: Sequence[tuple[str, float]],
        filters: QueryFilters,
        limit: int,
        fuzzy: Sequence[str] = (),
        want: str | None = None,
        stats: TermStats | None = None,
    ) -> Scored:
        self.refresh(want=want)
        index = self.lexical_index
        return index.search(text, phrases, filters, limit, fuzzy, stats) if index is not None else []

    def term_stats(self, text: str, phrases: Sequence[tuple[str, float]], want: str | None = None) -> TermStats:
        self.refresh(want=want)
        index = self.lexical_index
        return index.term_stats(text, phrases) if index is not None else {"n": 0, "df": {}}

    def dense(self, vector: np.ndarray, filters: QueryFilters, limit: int, want: str | None = None) -> Scored:
        self.refresh(want=want)
        vectors = self.vectors
        if vectors is None:
            return []
        allowed = self.catalog().rids_matching(filters) if _restricts(filters) else None
        return vectors.search(np.asarray(vector, dtype=np.float32), limit, allowed)

    def counts(
        self, phrases: Sequence[str], fuzzy: Sequence[str] = (), want: str | None = None
    ) -> tuple[list[int], list[int]]:
        self.refresh(want=want)
        index = self.lexical_index
        if index is None:
            return [0] * len(phrases), [0] * len(fuzzy)
        return [index.doc_freq(p) for p in phrases], [index.fuzzy_count(w) for w in fuzzy]

    def num_docs(self, want: str | None = None) -> int:
        self.refresh(want=want)
        return self.lexical_index.num_docs() if self.lexical_index is not None else 0

    def fuzzy_rids(self, word: str, limit: int = 100, distance: int = 2, want: str | None = None) -> list[int]:
        self.refresh(want=want)
        index = self.lexical_index
        return index.fuzzy_rids(word, limit, distance) if index is not None else []

    def catalog(self) -> Catalog:
        """The catalogue, opened on first need (only a filtered dense search needs it here)."""
        if self._catalog is None:
            if self._catalog_factory is None:
                raise RuntimeError("this shard reader was given no catalogue for filtered dense search")
            self._catalog = self._catalog_factory()
        return self._catalog

    def close(self) -> None:
        if self._catalog is not None:
            self._catalog.close()


def _restricts(filters: QueryFilters) -> bool:
    return bool(
        filters.source_types
        or filters.doc_ids
        or filters.sources
        or filters.year_min is not None
        or filters.year_max is not None
        or filters.organisation
        or filters.audience
    )


def merge(lists: Sequence[Scored], limit: int) -> Scored:
    """Shard rankings merged into one, best first (scores are comparable across shards: BM25 with
    the global statistics, inner products of the same model), in the order one index gives (`rank_key`)."""
    pooled = [pair for ranked in lists for pair in ranked]
    pooled.sort(key=rank_key)
    return pooled[:limit]


def sum_stats(parts: Sequence[TermStats]) -> TermStats:
    """Shard statistics added up: those of one index holding every shard (documents never straddle)."""
    df: dict[str, int] = {}
    for part in parts:
        for key, count in part["df"].items():
            df[key] = df.get(key, 0) + int(count)
    return {"n": sum(int(p["n"]) for p in parts), "df": df, "avgdl": dfs.global_lengths(parts)}
