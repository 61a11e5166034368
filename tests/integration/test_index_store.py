"""The index directory on real tantivy + FAISS (hashing embedder for speed), its catalogue on SQLite
and on a real PostgreSQL server (each test in a schema of its own)."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import catalog_env
from medcite.engine import Medcite
from medcite.errors import SourceError
from medcite.index import IndexStore
from medcite.records import Audience, Block, BlockKind, Document, QueryFilters, SourceType

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(make_settings, catalog):
    """Every test here runs with the catalogue on SQLite and on PostgreSQL."""
    s = make_settings()
    for key, value in catalog.items():
        setattr(s.index, key, value)
    return s


def doc(i, text, *, source="test", type_=SourceType.GUIDELINE, year=2020, audience=Audience.CLINICIAN):
    return Document(
        id=f"{source}:{i}",
        source=source,
        title=f"Guideline {i} on {text.split()[0]}",
        source_type=type_,
        year=year,
        organisation="Test Org",
        audience=audience,
        blocks=[Block(text=text, heading_path=("Recommendations",), kind=BlockKind.RECOMMENDATION)],
    )


CORPUS = [
    doc(1, "Colchicine is recommended for acute gout flares in adults."),
    doc(2, "Consider epidural injections of local anaesthetic and steroid for acute severe sciatica."),
    doc(3, "Screen for cervical cancer every 3 years with cytology.", type_=SourceType.GUIDELINE, year=2018),
    doc(
        4,
        "Gout is a painful swelling of the joints caused by uric acid crystals.",
        source="consumer",
        type_=SourceType.CONSUMER_HEALTH,
        audience=Audience.PATIENT,
        year=2012,
    ),
]


def test_ingest_is_incremental_and_searchable(settings):
    store = IndexStore(settings)
    r1 = store.ingest(CORPUS)
    assert (r1.added, r1.unchanged, r1.chunks) == (4, 0, 4)
    r2 = store.ingest(CORPUS)
    assert (r2.added, r2.changed, r2.unchanged, r2.embedded) == (0, 0, 4, 0)
    changed = [doc(1, "Colchicine or NSAIDs are recommended for acute gout flares in adults.")]
    r3 = store.ingest(changed)
    assert (r3.changed, r3.embedded) == (1, 1)
    store.close()
    mc = Medcite(settings)
    hits = mc.search("NSAIDs for gout flare").hits
    assert hits[0].chunk.doc_id == "test:1" and "NSAIDs" in hits[0].chunk.text
    assert len(mc.store.vectors) == 4  # the old chunk's vector is gone from the derived index
    changes = [c["change"] for c in mc.store.catalog.changes_since(0)]
    assert changes.count("added") == 4 and changes.count("changed") == 1


def test_errors_are_reported_and_the_batch_continues(settings):
    store = IndexStore(settings)
    items = [CORPUS[0], SourceError("bad.xml", "truncated XML"), CORPUS[1]]
    seen = []
    report = store.ingest(items, on_error=seen.append)
    assert report.added == 2 and [e.path for e in report.errors] == ["bad.xml"] and len(seen) == 1


def test_stages_are_timed_and_a_document_repeated_across_batches_is_indexed_once(settings):
    settings.index.batch_documents = 2
    store = IndexStore(settings)
    again = doc(1, "Colchicine is recommended for acute gout flares in adults.")
    progress = []
    report = store.ingest([*CORPUS, again], progress=lambda done, errors: progress.append(done))
    # The repeat comes in a later batch than the first copy: found unchanged on the writer's connection.
    assert (report.added, report.changed, report.unchanged, report.chunks) == (4, 0, 1, 4)
    assert progress == [2, 4, 5]
    assert set(report.stages) == {"read", "chunk", "embed", "write", "vectors", "wait"}
    assert all(v >= 0 for v in report.stages.values()) and report.stages["write"] > 0
    assert "stages" in report.as_dict()
    store.close()


def test_a_reader_that_fails_mid_stream_keeps_what_was_indexed_and_raises(settings):
    settings.index.batch_documents = 2

    def items():
        yield from CORPUS[:2]
        yield CORPUS[2]
        raise RuntimeError("reader broke")

    store = IndexStore(settings)
    with pytest.raises(RuntimeError, match="reader broke"):
        store.ingest(items())
    store.close()
    store = IndexStore(settings)
    assert store.catalog.document_hashes(["test:1", "test:2", "test:3"]).keys() == {"test:1", "test:2"}
    report = store.ingest(CORPUS)  # the next run resumes
    assert (report.added, report.unchanged) == (2, 2)
    store.close()


def test_filters_by_type_year_source_and_audience(settings):
    mc = Medcite(settings)
    mc.store.ingest(CORPUS)
    hits = mc.search("gout", filters=QueryFilters(source_types=[SourceType.CONSUMER_HEALTH])).hits
    assert {h.doc.id for h in hits} == {"consumer:4"}
    hits = mc.search("gout", filters=QueryFilters(year_max=2015)).hits
    assert {h.doc.id for h in hits} == {"consumer:4"}
    hits = mc.search("screening cytology", filters=QueryFilters(sources=["test"], year_min=2019)).hits
    assert "test:3" not in {h.doc.id for h in hits}
    hits = mc.search("gout", filters=QueryFilters(audience=Audience.PATIENT), mode="dense").hits
    assert {h.doc.id for h in hits} == {"consumer:4"}


def test_remove_source_and_single_document(settings):
    mc = Medcite(settings)
    mc.store.ingest(CORPUS)
    assert mc.remove("consumer") == ["consumer:4"]
    assert mc.remove("test:2") == ["test:2"]
    assert mc.remove("nothing") == []
    ids = {h.doc.id for h in mc.search("gout sciatica cytology", k=10).hits}
    assert ids == {"test:1", "test:3"}
    assert mc.sources()["documents"] == 2


def test_pending_documents_are_replayed_after_a_crash(settings):
    """Simulate a writer that died after the catalogue commit but before tantivy's."""
    store = IndexStore(settings)
    store.ingest(CORPUS[:1])
    staged = store.catalog.stage([(CORPUS[1], CORPUS[1].content_hash(), [], [])], {}, "x")
    assert staged and store.catalog.pending() == ["test:2"]
    store.close()
    mc = Medcite(settings)  # opening repairs
    assert mc.store.catalog.pending() == []


CRASH_SCRIPT = textwrap.dedent("""
    import sys, time
    from medcite.index import IndexStore
    from medcite.records import Block, Document, SourceType
    from medcite.settings import Settings
    s = Settings(home=sys.argv[1]); s.embedding.model = "hashing"; s.index.batch_documents = 5
    def docs():
        for i in range(100000):
            yield Document(id=f"d:{i}", source="d", title=f"Doc {i}", source_type=SourceType.GUIDELINE,
                           blocks=[Block(text=f"Recommendation number {i} about topic {i % 17}.")])
            if i % 5 == 4:
                print(i, flush=True)
    IndexStore(s).ingest(docs())
""")


def test_kill_9_mid_ingest_leaves_a_usable_index_that_resumes(settings, catalog, tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASH_SCRIPT)
    home = str(settings.home)
    env = {**os.environ, **catalog_env(catalog)}
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, str(script), home], stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        for _ in range(40):
            proc.stdout.readline()
        time.sleep(0.05 * (_ + 1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        mc = Medcite(settings)
        stats = mc.sources()
        assert stats["pending"] == 0 and stats["documents"] > 0
        hits = mc.search("recommendation topic 3", k=5).hits
        assert hits, "index must stay searchable after kill -9"
        assert len(mc.store.vectors) == stats["chunks"]
        mc.close()


def test_the_glossary_holds_what_the_corpus_abbreviates_and_follows_its_changes(settings):
    store = IndexStore(settings)
    store.ingest([doc(5, "Offer preexposure prophylaxis (PrEP) to adults at substantial risk of HIV.")])
    assert store.glossary() == {"PrEP": "preexposure prophylaxis"}
    store.ingest([doc(5, "Offer pre-exposure prophylaxis (PrEP) to adults at substantial risk of HIV.")])
    assert store.glossary() == {"PrEP": "pre-exposure prophylaxis"}  # replaced with the document
    store.close()
    mc = Medcite(settings)
    query = mc.search("PrEP: who should be offered it?").query
    assert query.expansions["PrEP"] == ["pre-exposure prophylaxis"]
    assert mc.search("PrEP: who should be offered it?").hits[0].chunk.doc_id == "test:5"
    mc.store.remove("test:5")
    assert mc.store.glossary() == {}  # removed with the document that defined it


def test_a_misspelt_question_is_read_as_the_indexed_word_and_says_so(settings):
    store = IndexStore(settings)
    store.ingest([doc(6, "Give antibiotics promptly for suspected bacterial meningitis in adults."), *CORPUS])
    store.close()
    mc = Medcite(settings)
    result = mc.search("antibiotics for bacterial menigitis")
    assert result.query.corrections == {"menigitis": "meningitis"}
    assert result.query.text == "antibiotics for bacterial menigitis"  # what was asked is kept
    assert result.hits[0].chunk.doc_id == "test:6"
    answer = mc.ask("antibiotics for bacterial menigitis")
    assert any("“menigitis” as “meningitis”" in n for n in answer.notes)


def test_a_misspelt_problem_is_read_once_corrected_and_a_word_the_tables_know_is_not_corrected_away(settings):
    store = IndexStore(settings)
    store.ingest(
        [
            doc(7, "Children whose seizures continue after two antiseizure medicines should be referred."),
            doc(8, "An adrenal adenoma found by chance needs hormone tests."),
            doc(9, "Pleuritis with an effusion is drained when it is large."),
            *CORPUS,
        ]
    )
    store.close()
    mc = Medcite(settings)
    # "siezures" hides the problem from the reading tables until corrected as the search corrects it.
    question = "my son has had siezures for a year and two medicines have not stopped them, what next?"
    assert mc.corpus.retriever.spelling(question) == {"siezures": "seizures"}
    assert [p.name for p in mc.corpus.understand(question).problems] == ["epilepsy"]
    # The index lacks "pleuritic" and the corrector would make it "pleuritis"; the tables read the
    # question as written, so it keeps that reading.
    pe = "Two weeks after delivery, sudden pleuritic chest pain and HR 118. Which scan first?"
    assert mc.corpus.retriever.spelling(pe) == {"pleuritic": "pleuritis"}
    assert mc.corpus.understand(pe).problems[0].name == "pulmonary embolism"
    # Shorthand the reading spells out is no misspelling: "adenoca" is not searched as "adenoma".
    assert mc.corpus.retriever.spelling("Pancreatic adenoca, which first-line chemotherapy?") == {}
    assert mc.corpus.understand("Pancreatic adenoca, which chemotherapy?").problems[0].name == "pancreatic cancer"


def test_deleted_rows_are_compacted_away_so_an_updated_index_ranks_like_a_clean_build(settings, make_settings):
    words = ["gout", "sciatica", "asthma", "anaemia", "eczema", "migraine", "psoriasis", "angina"]
    first = [doc(i, f"{words[i % 8]} is treated with drug {i} in adults; review after {i} weeks.") for i in range(40)]
    later = [doc(i, f"{words[i % 8]} is treated with drug {i} or {i + 1} in adults.") for i in range(0, 40, 4)]

    def ingest_twice(s):
        store = IndexStore(s)
        store.ingest(first)
        store.ingest(later)  # 10 of 40 documents change: their old rows become deleted ones
        return store

    kept = ingest_twice(make_settings(index__lexical_compact_share=1.0))
    assert kept.lexical.deleted_share() > 0.1  # what tantivy keeps (and counts) without compaction
    kept.close()
    store = ingest_twice(settings)  # the default share, catalogue on SQLite and on PostgreSQL
    assert store.lexical.deleted_share() == 0.0
    clean = IndexStore(make_settings())
    changed = {d.id for d in later}
    clean.ingest([*(d for d in first if d.id not in changed), *later])

    def texts(s, query):
        hits = s.lexical.search(query, [], QueryFilters(), 100)  # every row: ties at a cut-off differ
        found = s.catalog.chunks_by_rid([rid for rid, _ in hits])
        # Exact ties may come in either order (tantivy breaks them by insertion order).
        return sorted((-round(score, 5), found[rid][0].text) for rid, score in hits)

    for w in words:
        assert texts(store, f"treatment of {w} in adults") == texts(clean, f"treatment of {w} in adults"), w
    store.close()
    clean.close()


def test_the_passages_that_describe_a_condition_are_found_by_their_last_heading(settings):
    store = IndexStore(settings)
    blocks = [
        Block(text="Gout is a painful swelling of the joints.", heading_path=("Gout", "Overview")),
        Block(text="Drink water and rest the joint.", heading_path=("Gout", "Treatment")),
        Block(text="A red, hot, swollen big toe at night.", heading_path=("Symptoms",)),
        Block(text="An overview of the evidence.", heading_path=("Overview of evidence", "Methods")),
    ]
    store.ingest([doc(9, "Gout overview.").model_copy(update={"blocks": blocks})])
    rids = store.describing_rids(frozenset({"overview", "SYMPTOMS"}))
    texts = sorted(c.text for c, _ in store.fetch(sorted(rids)).values())
    assert texts == ["A red, hot, swollen big toe at night.", "Gout is a painful swelling of the joints."]
    assert store.describing_rids(frozenset()) == frozenset()
    store.close()
