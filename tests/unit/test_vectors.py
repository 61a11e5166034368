"""The FAISS vector index at every size class (thresholds lowered so the test stays small)."""

import numpy as np
import pytest

from medcite.index import vectors


@pytest.mark.parametrize(
    ("large", "huge", "kind"), [(10**9, 10**9, "flat"), (100, 10**9, "ivf"), (100, 1000, "ivf-sq8")]
)
def test_every_index_kind_finds_the_nearest_passage_and_honours_filters(tmp_path, monkeypatch, large, huge, kind):
    monkeypatch.setattr(vectors, "LARGE", large)
    monkeypatch.setattr(vectors, "HUGE", huge)
    monkeypatch.setattr(vectors, "TRAIN_PER_CELL", 8)
    rng = np.random.default_rng(7)
    mat = rng.normal(size=(12_000, 32)).astype(np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    rids = np.arange(1, len(mat) + 1)
    batches = [(rids[i : i + 1000], mat[i : i + 1000]) for i in range(0, len(mat), 1000)]
    index = vectors.VectorIndex(tmp_path / "v.faiss")
    index.rebuild(batches, dim=32, model="m", generation=3, expected=len(mat))
    assert index.meta["kind"] == kind and len(index) == len(mat)
    reopened = vectors.VectorIndex(tmp_path / "v.faiss")  # memory-mapped, read-only, as searches open it
    hits = reopened.search(mat[41], 5)
    assert hits[0][0] == 42 and hits[0][1] == pytest.approx(1.0, abs=0.02)
    allowed = np.array([7, 9, 42])
    assert {rid for rid, _ in reopened.search(mat[41], 5, allowed=allowed)} <= {7, 9, 42}
