"""Index snapshots and shards: immutable versioned snapshot folders built from the catalogue, readers
that switch atomically, garbage collection, shard assignment by document, and several engines
sharing one catalogue (SQLite or a real PostgreSQL server) and one snapshot folder."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from medcite.engine import Medcite
from medcite.errors import ShardUnavailable
from medcite.index import snapshots
from medcite.index.catalog import shard_of
from medcite.index.shards import ShardReader
from medcite.records import Block, BlockKind, Document, QueryFilters, SourceType
from medcite.settings import Settings

pytestmark = pytest.mark.integration

TOPICS = [
    "Colchicine is recommended for acute gout flares in adults.",
    "Consider epidural injections of local anaesthetic and steroid for acute severe sciatica.",
    "Screen for cervical cancer every 3 years with cytology.",
    "Offer amoxicillin for acute otitis media in children with fever.",
    "Low molecular weight heparin for pulmonary embolism in pregnancy.",
    "Nitrofurantoin for uncomplicated urinary tract infection in women.",
    "Inhaled corticosteroids for persistent asthma in adults.",
    "Cognitive behavioural therapy for depression in adolescents.",
]


def doc(i: int, text: str) -> Document:
    return Document(
        id=f"t:{i}",
        source="t",
        title=f"Guideline {i} on {text.split()[0]}",
        source_type=SourceType.GUIDELINE,
        year=2020,
        blocks=[
            Block(text=text, heading_path=("Recommendations",), kind=BlockKind.RECOMMENDATION),
            Block(text=f"Background {i}: {text} Review yearly.", heading_path=("Background",)),
        ],
    )


# A different number of extra words per document, so that no two chunks tie on the dense score
# (a tie may be ordered either way by FAISS and by the merge).
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec "
WORDS += "romeo sierra tango uniform victor whiskey xray"
CORPUS = [doc(i, TOPICS[i % len(TOPICS)] + " Ward " + " ".join(WORDS.split()[: i + 1]) + ".") for i in range(24)]


def snap_settings(settings: Settings, root: Path, shards: int, catalog: dict[str, str]) -> Settings:
    settings.index.snapshot_dir = root
    settings.index.shards = shards
    settings.index.refresh_seconds = 0
    for key, value in catalog.items():
        setattr(settings.index, key, value)
    return settings


def vector_rids(path: Path) -> set[int]:
    index = faiss.read_index(str(path / "vectors.faiss"))
    return {int(r) for r in faiss.vector_to_array(index.id_map)}


def test_snapshots_are_immutable_versioned_incremental_and_collected(make_settings, tmp_path):
    s = snap_settings(make_settings(), tmp_path / "snaps", 2, {})
    s.index.snapshot_keep = 2
    mc = Medcite(s)
    mc.store.ingest(CORPUS)
    first = snapshots.read_version(tmp_path / "snaps")
    assert first and first["shards"] == 2 and first["chunks"] == 48 and first["vectors"]["count"] == 48
    old = [tmp_path / "snaps" / p for p in first["snapshots"]]
    assert all(not json.loads((p / "manifest.json").read_text())["incremental"] for p in old)
    assert "gout" in mc.search("colchicine gout flare").hits[0].chunk.text

    before = {f: f.read_bytes() for p in old for f in p.rglob("*") if f.is_file()}
    mc.store.ingest([doc(3, "Offer pre-exposure prophylaxis (PrEP) to adults at substantial risk of HIV.")])
    second = snapshots.read_version(tmp_path / "snaps")
    assert second and second["snapshots"] != first["snapshots"] and second["chunks"] == 48
    assert all(
        json.loads((tmp_path / "snaps" / p / "manifest.json").read_text())["incremental"] for p in second["snapshots"]
    )
    assert {f: f.read_bytes() for f in before} == before, "a published snapshot never changes"
    assert mc.search("pre-exposure prophylaxis HIV").hits[0].chunk.doc_id == "t:3"
    assert "t:3" not in {
        h.chunk.doc_id for h in mc.search("amoxicillin otitis", k=50, mode="lexical").hits
    }  # old text gone

    for i in range(3):  # each write publishes a new snapshot; only the newest `snapshot_keep` stay
        mc.store.ingest([doc(100 + i, f"Extra guideline {i} on sciatica.")])
    for shard in range(2):
        kept = [p for p in snapshots.series(tmp_path / "snaps", shard, 2).iterdir() if not p.name.startswith(".")]
        assert len(kept) == 2
    assert not any(p.exists() for p in old)
    mc.close()


def test_a_documents_chunks_never_straddle_shards(make_settings, tmp_path):
    s = snap_settings(make_settings(), tmp_path / "snaps", 3, {})
    mc = Medcite(s)
    mc.store.ingest(CORPUS)
    record = snapshots.read_version(tmp_path / "snaps")
    assert record
    owner: dict[str, int] = {}
    for shard, rel in enumerate(record["snapshots"]):
        rids = vector_rids(tmp_path / "snaps" / rel)
        assert rids, "every shard holds documents"
        for chunk, _ref in mc.store.catalog.chunks_by_rid(sorted(rids)).values():
            assert owner.setdefault(chunk.doc_id, shard) == shard == shard_of(chunk.doc_id, 3)
    assert set(owner) == {d.id for d in CORPUS}
    mc.close()


@pytest.mark.parametrize("shards", [2, 3])
def test_sharded_search_equals_single_node_where_scores_are_global(make_settings, tmp_path, shards):
    """Dense scores are exact inner products, so the fan-out and merge must give the single index's
    ranking exactly; lexical doc counts are additive over shards."""
    single = Medcite(make_settings())
    single.store.ingest(CORPUS)
    sharded = Medcite(snap_settings(make_settings(), tmp_path / "snaps", shards, {}))
    sharded.store.ingest(CORPUS)
    embedder = single.store.embedder
    assert embedder is not None

    def ranked(mc: Medcite, q: str) -> list[tuple[float, str]]:
        pairs = mc.store.dense_search(embedder.embed_query(q), QueryFilters(), 48)
        found = mc.store.fetch([r for r, _ in pairs])
        # Compared with ties grouped: equal scores (bag-of-words vectors tie often) may come in either order.
        return sorted((round(-score, 5), found[rid][0].id) for rid, score in pairs)

    for q in TOPICS:
        assert ranked(sharded, q) == ranked(single, q)
    for phrase in ("acute gout", "asthma", "nothing here"):
        assert sharded.store.lexical.doc_freq(phrase) == single.store.lexical.doc_freq(phrase)
    assert sharded.store.lexical.num_docs() == single.store.lexical.num_docs() == 48
    single.close()
    sharded.close()


def test_two_engines_share_one_catalogue_and_snapshot_folder(make_settings, catalog, tmp_path):
    """Two replicas (separate homes; one catalogue; one snapshot folder) answer identically and both
    move to the new snapshot after an ingest, without a restart."""
    if not catalog:  # SQLite: the replicas share the catalogue file of one home
        a_settings = snap_settings(make_settings(), tmp_path / "snaps", 2, {})
        b_settings = a_settings.model_copy(deep=True)
    else:
        a_settings = snap_settings(make_settings(), tmp_path / "snaps", 2, catalog)
        b_settings = snap_settings(make_settings(), tmp_path / "snaps", 2, catalog)
    writer = Medcite(a_settings)
    writer.store.ingest(CORPUS)
    a, b = Medcite(a_settings.model_copy(deep=True)), Medcite(b_settings)
    for q in ("colchicine for gout", "asthma inhaler in adults", "otitis media amoxicillin"):
        assert [h.chunk.id for h in a.search(q).hits] == [h.chunk.id for h in b.search(q).hits]
    ans_a, ans_b = (
        a.ask("What is recommended for acute gout flares?"),
        b.ask("What is recommended for acute gout flares?"),
    )
    assert ans_a.bottom_line == ans_b.bottom_line and ans_a.references == ans_b.references
    seen = {id(r): r.snapshot() for r in (*a.store.backends, *b.store.backends) if isinstance(r, ShardReader)}
    assert len(seen) == 4

    writer.store.ingest([doc(500, "Tranexamic acid within 3 hours for major trauma haemorrhage.")])
    for mc in (a, b):  # no restart: the next search reads the new snapshots
        assert mc.search("tranexamic acid trauma").hits[0].chunk.doc_id == "t:500"
        assert all(r.snapshot() != seen[id(r)] for r in mc.store.backends if isinstance(r, ShardReader))
    assert [h.chunk.id for h in a.search("trauma haemorrhage").hits] == [
        h.chunk.id for h in b.search("trauma haemorrhage").hits
    ]
    for mc in (writer, a, b):
        mc.close()


def test_a_write_that_dies_before_publishing_leaves_the_previous_snapshots_serving(make_settings, catalog, tmp_path):
    s = snap_settings(make_settings(), tmp_path / "snaps", 2, catalog)
    mc = Medcite(s)
    mc.store.ingest(CORPUS[:10])
    published = snapshots.read_version(tmp_path / "snaps")
    late = doc(900, "Oral rehydration solution for dehydration from gastroenteritis in children.")
    mc.store.catalog.stage([(late, late.content_hash(), [], [])], {}, "hashing")  # staged, then the writer died
    mc.close()

    reader = Medcite(s.model_copy(deep=True))
    assert snapshots.read_version(tmp_path / "snaps") == published
    assert reader.search("rehydration gastroenteritis").hits[0].chunk.doc_id != "t:900"
    assert reader.store.catalog.pending() == ["t:900"]
    reader.store.ingest([late])  # the next write publishes what the dead one staged
    assert reader.store.catalog.pending() == []
    assert reader.search("rehydration gastroenteritis").hits[0].chunk.doc_id == "t:900"
    reader.close()


def test_chunks_staged_without_vectors_are_listed_window_by_window_and_cached_text_never(
    make_settings, catalog, tmp_path
):
    """How a Ray ingest embeds (`distributed.ingest`): batches are staged with only the cached vectors,
    then the catalogue lists the chunks lacking one, a window at a time, until none is missing."""
    from medcite.index.ingest import chunk_stage, missing_texts

    s = snap_settings(make_settings(), tmp_path / "snaps", 2, catalog)
    mc = Medcite(s)
    mc.store.ingest(CORPUS[:4])  # embedded the single-node way: cached
    cat, embedder = mc.store.catalog, mc.store.embedder
    assert embedder is not None
    copy = CORPUS[0].model_copy(update={"id": "t:700"})  # the same title and text: its keys are cached
    batch = chunk_stage([copy, *CORPUS[4:7]], s.index, {})
    cat.stage([(p.doc, p.hash, p.chunks, p.keys) for p in batch.prepared], {}, embedder.name)
    fresh = {k: t for p in batch.prepared[1:] for k, t in zip(p.keys, p.texts, strict=True)}
    seen: dict[str, str] = {}
    while rows := cat.missing_embeddings(embedder.name, limit=4):
        assert len(rows) <= 4
        texts = missing_texts(rows)
        assert not set(texts) & set(seen)  # a stored vector takes its chunk off the list
        seen.update(texts)
        cat.put_embeddings(dict(zip(texts, embedder.embed_passages(list(texts.values())), strict=True)), embedder.name)
    assert seen == fresh  # the same texts the chunk stage made, and none of the copy's (cached)
    mc.close()


def test_a_reader_never_sees_a_half_built_snapshot(make_settings, tmp_path):
    """Builds happen in hidden folders and only a complete one is renamed in and named by version.json."""
    s = snap_settings(make_settings(), tmp_path / "snaps", 1, {})
    mc = Medcite(s)
    mc.store.ingest(CORPUS[:4])
    home = snapshots.series(tmp_path / "snaps", 0, 1)
    (home / ".building-1-dead").mkdir()  # a build that died
    reader = ShardReader(tmp_path / "snaps", 0, 1, refresh_seconds=0)
    assert reader.snapshot() == snapshots.read_version(tmp_path / "snaps")["snapshots"][0]  # type: ignore[index]
    assert reader.vectors is not None and len(reader.vectors) == 8
    assert np.isfinite(reader.dense(np.ones(s.embedding.dimension, dtype=np.float32), QueryFilters(), 3)[0][1])
    mc.close()


class FlakyShard:
    """A shard that goes down when told: then every call is refused, as `RayShard` does after its retries."""

    def __init__(self, reader: ShardReader) -> None:
        self.reader, self.down = reader, False

    def __getattr__(self, name: str) -> object:
        method = getattr(self.reader, name)

        def call(*args: object) -> object:
            if self.down:
                raise ShardUnavailable(
                    "shard 1 of 2 did not answer after 3 tries: RayActorError", hint="try again shortly"
                )
            return method(*args)

        return call

    def close(self) -> None:
        self.reader.close()


def test_a_search_with_a_shard_down_is_a_503_in_the_error_shape_never_a_partial_answer(
    make_settings, tmp_path, monkeypatch
):
    from fastapi.testclient import TestClient

    from medcite.api import create_app
    from medcite.index.sharded import SnapshotIndex

    s = snap_settings(make_settings(), tmp_path / "snaps", 2, {})
    Medcite(s).store.ingest(CORPUS)
    flaky: list[FlakyShard] = []

    def open_backends(self: SnapshotIndex) -> list[object]:
        flaky.append(FlakyShard(ShardReader(self.root, 1, 2, refresh_seconds=0)))
        return [ShardReader(self.root, 0, 2, refresh_seconds=0), flaky[-1]]

    monkeypatch.setattr(SnapshotIndex, "_open_backends", open_backends)
    with TestClient(create_app(s.model_copy(deep=True))) as client:
        assert client.get("/api/search", params={"q": "colchicine gout flare"}).status_code == 200
        flaky[-1].down = True
        for response in (
            client.get("/api/search", params={"q": "colchicine gout flare"}),
            client.post("/api/ask", json={"question": "What is recommended for acute gout flares?"}),
        ):
            assert response.status_code == 503, response.text
            error = response.json()["error"]
            assert error["code"] == "shard_unavailable" and "try again" in error["hint"]


def test_shards_score_bm25_with_the_global_statistics(make_settings, tmp_path):
    """DFS scoring: with the shards' summed term statistics and field lengths, each shard scores a
    chunk as one index holding every shard would, so the merged ranking is that index's."""
    single = Medcite(make_settings())
    single.store.ingest(CORPUS)
    sharded = Medcite(snap_settings(make_settings(), tmp_path / "snaps", 3, {}))
    sharded.store.ingest(CORPUS)
    whole = single.store.lexical
    for q in ("colchicine gout flare", "acute otitis media amoxicillin", "yearly review of heparin"):
        phrases = [("acute gout", 1.5)]
        stats = whole.term_stats(q, phrases)
        dfs, plain = (
            whole.search(q, phrases, QueryFilters(), 48, (), stats),
            whole.search(q, phrases, QueryFilters(), 48),
        )
        assert [r for r, _ in dfs] == [r for r, _ in plain]  # one index: the same ranking and scores
        assert [s for _, s in dfs] == pytest.approx([s for _, s in plain], rel=1e-5)
        want = dict(whole.search(q, phrases, QueryFilters(), 48))
        names = {rid: c.id for rid, (c, _) in single.store.fetch(list(want)).items()}
        got = sharded.store.lexical.search(q, phrases, QueryFilters(), 48)
        found = {c.id: rid for rid, (c, _) in sharded.store.fetch([r for r, _ in got]).items()}
        assert sorted(found) == sorted(names.values())
        by_id = {names[rid]: score for rid, score in want.items()}
        ids = {rid: chunk_id for chunk_id, rid in found.items()}
        local = [pair for b in sharded.store.backends for pair in b.lexical(q, phrases, QueryFilters(), 48, (), None)]

        dfs_error, local_error = (max(abs(s / by_id[ids[rid]] - 1) for rid, s in pairs) for pairs in (got, local))
        assert dfs_error < 1e-4 < local_error, (q, dfs_error, local_error)  # global IDF and field lengths
        assert [ids[rid] for rid, _ in got] == [names[rid] for rid, _ in want.items()]  # one index's order
    single.close()
    sharded.close()


def test_opening_with_another_shard_count_reshards(make_settings, tmp_path):
    s = snap_settings(make_settings(), tmp_path / "snaps", 2, {})
    Medcite(s).store.ingest(CORPUS)
    four = s.model_copy(deep=True)
    four.index.shards = 4
    mc = Medcite(four)
    assert "gout" in mc.search("colchicine gout flare").hits[0].chunk.text
    record = snapshots.read_version(tmp_path / "snaps")
    assert record and record["shards"] == 4 and record["chunks"] == 48
    mc.close()


def test_the_rebuilt_reference_is_one_shard_built_afresh_from_the_homes_catalogue(make_settings, tmp_path):
    """`bench shards --reference rebuilt` compares shards with a clean one-shard build of the same
    catalogue; on a freshly built home it ranks exactly as the home's own index."""
    from medcite.evaluate.scaling import _reference

    home = Medcite(make_settings())
    home.store.ingest(CORPUS)
    ref = _reference(home.settings, tmp_path / "work", rebuilt=True)
    try:
        record = snapshots.read_version(tmp_path / "work" / "shards-1")
        assert record is not None
        assert record["shards"] == 1 and record["chunks"] == 48
        for q in TOPICS:
            for mode in ("lexical", "hybrid"):
                assert [h.chunk.id for h in ref.search(q, k=10, mode=mode).hits] == [
                    h.chunk.id for h in home.search(q, k=10, mode=mode).hits
                ]
    finally:
        ref.close()
        home.close()
