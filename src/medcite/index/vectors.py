"""Dense vectors with FAISS, derived from the catalogue.

Exact inner product (`IndexFlatIP`) below `LARGE` vectors; above it an inverted-file index
(`IndexIVFFlat`, k-means cells, `nprobe` cells searched), because on 2 cores an HNSW graph over
millions of vectors takes hours to build while IVF trains on a sample in about a minute. Above
`HUGE` vectors the cells hold 8-bit scalar-quantised vectors (`IndexIVFScalarQuantizer`): float32
vectors for 10 M passages would need 15 GB of memory, 8-bit ones need 3.8 GB. The
index is rebuilt from the catalogue's cached embeddings whenever the catalogue's generation
moves on, and written atomically, so a crash can never leave it half-written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from medcite.index.ranking import rank_key

LARGE = 500_000
HUGE = 4_000_000
MAX_CELLS = 2048  # training and adding cost grows with the cells: minutes, not hours, at 10 M vectors
NPROBE = 32
TRAIN_PER_CELL = 40

# One query at a time: FAISS's OpenMP threads cost more than they save here (measured 9 ms with one
# thread vs 15 ms with two on 100k vectors, 2 cores), and they fight onnxruntime for the cores.
faiss.omp_set_num_threads(1)


class VectorIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.meta_path = path.with_suffix(".json")
        self._index: faiss.Index | None = None
        self.meta: dict[str, object] = {}
        meta = self.read_meta(path)
        if meta is not None and path.exists():
            self.meta = meta
            self._index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)

    @staticmethod
    def read_meta(path: Path) -> dict[str, object] | None:
        """The metadata of the vector file at `path` (written after the file itself), or None."""
        try:
            meta: dict[str, object] = json.loads(path.with_suffix(".json").read_text())
        except FileNotFoundError:
            return None
        return meta

    @property
    def generation(self) -> int:
        return int(self.meta.get("generation", -1))  # type: ignore[call-overload]

    @property
    def model(self) -> str | None:
        m = self.meta.get("model")
        return str(m) if m else None

    def __len__(self) -> int:
        return int(self._index.ntotal) if self._index is not None else 0

    def rebuild(
        self,
        batches: Iterable[tuple[np.ndarray, np.ndarray]],
        *,
        dim: int,
        model: str,
        generation: int,
        expected: int = 0,
    ) -> None:
        """Build a new index from (rids, vectors) batches and swap it in atomically."""
        large = expected > LARGE
        faiss.omp_set_num_threads(os.cpu_count() or 1)  # building benefits from every core
        try:
            index = _build_ivf(batches, dim, expected) if large else _build_flat(batches, dim)
        finally:
            faiss.omp_set_num_threads(1)
        tmp = self.path.with_suffix(".tmp")
        faiss.write_index(index, str(tmp))
        os.replace(tmp, self.path)
        self.meta = {
            "generation": generation,
            "model": model,
            "dim": dim,
            "count": int(index.ntotal),
            "kind": ("ivf-sq8" if expected > HUGE else "ivf") if large else "flat",
        }
        tmp_meta = self.meta_path.with_suffix(".tmp")
        tmp_meta.write_text(json.dumps(self.meta))
        os.replace(tmp_meta, self.meta_path)
        self._index = index

    def search(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Nearest chunks by cosine similarity; `allowed` restricts to those rids."""
        if self._index is None or self._index.ntotal == 0 or limit <= 0:
            return []
        q = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        params = None
        ivf = isinstance(self._index, faiss.IndexIVF)
        if allowed is not None:
            if len(allowed) == 0:
                return []
            selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
            params = (
                faiss.SearchParametersIVF(sel=selector, nprobe=NPROBE)  # type: ignore[call-arg]
                if ivf
                else faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            )
        scores, ids = self._index.search(q, min(limit, self._index.ntotal), params=params)
        return sorted(((int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0), key=rank_key)


def _add(index: faiss.Index, rids: np.ndarray, mat: np.ndarray) -> None:
    if len(rids):
        index.add_with_ids(np.ascontiguousarray(mat, dtype=np.float32), rids.astype(np.int64))


def _build_flat(batches: Iterable[tuple[np.ndarray, np.ndarray]], dim: int) -> faiss.Index:
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    for rids, mat in batches:
        _add(index, rids, mat)
    return index


def _build_ivf(batches: Iterable[tuple[np.ndarray, np.ndarray]], dim: int, expected: int) -> faiss.Index:
    """Train k-means cells on the first batches, then add everything (one pass over the catalogue)."""
    nlist = int(min(MAX_CELLS, max(256, 4 * np.sqrt(expected))))
    quantizer = faiss.IndexFlatIP(dim)
    index: faiss.IndexIVF
    if expected > HUGE:
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
    else:
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.nprobe = NPROBE
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    seen = 0
    it = iter(batches)
    for rids, mat in it:
        pending.append((rids, mat))
        seen += len(rids)
        if seen >= nlist * TRAIN_PER_CELL:
            break
    index.train(np.ascontiguousarray(np.concatenate([m for _, m in pending]), dtype=np.float32))
    for rids, mat in pending:
        _add(index, rids, mat)
    for rids, mat in it:
        _add(index, rids, mat)
    return index
