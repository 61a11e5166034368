"""Dense vectors with FAISS, derived from the catalogue.

Exact inner product (`IndexFlatIP`) below `HNSW_THRESHOLD` vectors, HNSW above it (measured
here as the fastest embedded options). The index is rebuilt from the catalogue's cached
embeddings whenever the catalogue's generation moves on, and written atomically, so a crash
can never leave it half-written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

HNSW_THRESHOLD = 500_000

# One query at a time: FAISS's OpenMP threads cost more than they save here (measured 9 ms with one
# thread vs 15 ms with two on 100k vectors, 2 cores), and they fight onnxruntime for the cores.
faiss.omp_set_num_threads(1)


class VectorIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.meta_path = path.with_suffix(".json")
        self._index: faiss.Index | None = None
        self.meta: dict[str, object] = {}
        if path.exists() and self.meta_path.exists():
            self.meta = json.loads(self.meta_path.read_text())
            self._index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)

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
        if expected > HNSW_THRESHOLD:
            hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 80
            hnsw.hnsw.efSearch = 64
            index: faiss.Index = faiss.IndexIDMap2(hnsw)
        else:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        faiss.omp_set_num_threads(os.cpu_count() or 1)  # building benefits from every core
        try:
            for rids, mat in batches:
                if len(rids):
                    index.add_with_ids(np.ascontiguousarray(mat, dtype=np.float32), rids.astype(np.int64))
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
            "kind": "hnsw" if expected > HNSW_THRESHOLD else "flat",
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
        if allowed is not None:
            if len(allowed) == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed.astype(np.int64)))  # type: ignore[call-arg]
        scores, ids = self._index.search(q, min(limit, self._index.ntotal), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
