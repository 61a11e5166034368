"""The sentence vector cache: same vectors as the model, kept across processes, never costs an answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from medcite.models.embedders import HashingEmbedder
from medcite.models.vector_cache import CachedEmbedder
from medcite.settings import Settings

TEXTS = [
    "Colchicine, NSAIDs or glucocorticoids are first-line therapy for gout flares.",
    "Offer CBT for insomnia before any hypnotic.",
    "Screen adults aged 50 to 75 years for colorectal cancer.",
]


class Counting(HashingEmbedder):
    """The hashing test double, counting the passages it was asked to embed."""

    def __init__(self, settings: Settings, name: str | None = None) -> None:
        super().__init__(settings)
        if name:
            self.name = name
        self.embedded: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return super().embed_passages(texts)


def _cache(tmp_path, rows=100, name=None):
    inner = Counting(Settings(home=tmp_path / "home"), name)
    return inner, CachedEmbedder(inner, tmp_path / "models" / "sentence-vectors.sqlite", rows=rows)


def test_cached_vectors_are_the_models_vectors_and_are_not_embedded_twice(tmp_path):
    inner, cache = _cache(tmp_path)
    first = cache.embed_passages(TEXTS)
    assert np.array_equal(first, inner.embed_passages(TEXTS))
    inner.embedded.clear()
    again = cache.embed_passages([TEXTS[2], "A new sentence about asthma.", TEXTS[0]])
    assert inner.embedded == ["A new sentence about asthma."]
    assert np.array_equal(again[0], first[2]) and np.array_equal(again[2], first[0])
    assert again.dtype == np.float32 and again.shape == (3, cache.dim)


def test_the_cache_outlives_the_process_that_filled_it(tmp_path):
    _, cache = _cache(tmp_path)
    want = cache.embed_passages(TEXTS)
    cache.close()
    inner, reopened = _cache(tmp_path)
    assert np.array_equal(reopened.embed_passages(TEXTS), want)
    assert inner.embedded == []


def test_vectors_of_another_model_are_never_used(tmp_path):
    _, cache = _cache(tmp_path)
    cache.embed_passages(TEXTS)
    cache.close()
    other, cache2 = _cache(tmp_path, name="another-model")
    cache2.embed_passages(TEXTS)
    assert other.embedded == TEXTS


def test_only_the_newest_rows_are_kept(tmp_path):
    inner, cache = _cache(tmp_path, rows=2)
    cache.embed_passages(TEXTS)  # three rows written, the oldest dropped
    with sqlite3.connect(cache.path) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == 2
    inner.embedded.clear()
    cache.embed_passages(TEXTS)
    assert TEXTS[0] in inner.embedded and TEXTS[2] not in inner.embedded


def test_a_damaged_cache_file_costs_the_cache_not_the_answer(tmp_path):
    path = tmp_path / "models" / "sentence-vectors.sqlite"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    inner = Counting(Settings(home=tmp_path / "home"))
    cache = CachedEmbedder(inner, path, rows=100)
    assert np.array_equal(cache.embed_passages(TEXTS), inner.embed_passages(TEXTS))


def test_a_cache_locked_by_another_writer_still_answers_and_skips_its_write(tmp_path):
    inner, cache = _cache(tmp_path)
    other = sqlite3.connect(cache.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        got = cache.embed_passages(TEXTS)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert np.array_equal(got, inner.embed_passages(TEXTS))
    with sqlite3.connect(cache.path) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0


def test_rows_zero_reads_nothing_new_into_the_file(tmp_path):
    inner, cache = _cache(tmp_path, rows=0)
    cache.embed_passages(TEXTS)
    cache.embed_passages(TEXTS)
    assert inner.embedded == TEXTS * 2


# -- warming: every candidate sentence embedded ahead of the answers ---------------------------------
def _chunks():
    from medcite.records import Chunk

    return [
        Chunk(
            id="g:1#1",
            doc_id="g:1",
            ordinal=1,
            text="Offer colchicine for an acute gout flare. It is recommended that urate is lowered to below "
            "360 micromol/l.\nConsider:\n- allopurinol as first-line urate-lowering therapy\n- febuxostat when "
            "allopurinol is not tolerated",
            heading_path=("Gout",),
        ),
        Chunk(id="g:2#1", doc_id="g:2", ordinal=1, text="Offer colchicine for an acute gout flare. Too short."),
    ]


def test_warming_embeds_each_candidate_sentence_once_and_answers_then_find_them_all(tmp_path):
    from medcite.answer.select import candidate_units
    from medcite.answer.warm import warm_sentences

    inner, cache = _cache(tmp_path, rows=100)
    seen = []
    report = warm_sentences(_chunks(), cache, progress=lambda done, total: seen.append((done, total)))
    texts = list(dict.fromkeys(u.text for c in _chunks() for u in candidate_units(c)))
    # The repeated sentence counts once; "Too short." is never a candidate; the list is quoted with its lead-in.
    assert report.passages == 2 and report.sentences == len(texts) == 3 and report.embedded == 3
    listed = (
        "Consider: … allopurinol as first-line urate-lowering therapy … febuxostat when allopurinol is not tolerated"
    )
    assert listed in texts
    assert seen[-1] == (3, 3)
    inner.embedded.clear()
    # What an answer does: every vector comes from the cache, and it is the model's vector.
    assert np.allclose(cache.embed_passages(texts), HashingEmbedder.embed_passages(inner, texts))
    assert inner.embedded == []
    assert warm_sentences(_chunks(), cache).embedded == 0  # resumable: nothing is embedded twice


def test_warming_refuses_a_cache_too_small_to_keep_every_sentence_before_embedding_any(tmp_path):
    import pytest

    from medcite.answer.warm import warm_sentences
    from medcite.errors import ConfigError

    inner, cache = _cache(tmp_path, rows=2)
    with pytest.raises(ConfigError, match="keeps 2") as err:
        warm_sentences(_chunks(), cache)
    assert "SENTENCE_CACHE_ROWS to at least 3" in (err.value.hint or "")
    assert inner.embedded == []
    with pytest.raises(ConfigError, match="cache is off"):
        warm_sentences(_chunks(), inner)
    with pytest.raises(ConfigError, match="no dense model"):
        warm_sentences(_chunks(), None)
