"""A 2-shard Ray cluster on loopback, driven end to end; run by test_ray.py inside a network namespace
whose only interface is loopback (scripts/loopback-ns.sh). Prints one JSON line of findings.

    python tests/integration/ray_scenario.py WORKDIR
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np

from medcite.engine import Medcite
from medcite.errors import ShardUnavailable
from medcite.index.ingest import content_key, missing_texts
from medcite.records import Block, BlockKind, Document, SourceType
from medcite.settings import Settings

TOPICS = [
    "Colchicine is recommended for acute gout flares in adults",
    "Consider epidural injections of local anaesthetic and steroid for acute severe sciatica",
    "Screen for cervical cancer every 3 years with cytology",
    "Offer amoxicillin for acute otitis media in children with fever",
    "Low molecular weight heparin for pulmonary embolism in pregnancy",
    "Nitrofurantoin for uncomplicated urinary tract infection in women",
]
QUESTIONS = ["colchicine gout flare", "sciatica epidural", "otitis media amoxicillin", "heparin embolism pregnancy"]


def doc(i: int, text: str) -> Document:
    return Document(
        id=f"r:{i}",
        source="r",
        title=f"Guideline {i} on {text.split()[0]}",
        source_type=SourceType.GUIDELINE,
        year=2020,
        blocks=[
            Block(
                text=f"{text} (ward {'x' * (i + 1)}).", heading_path=("Recommendations",), kind=BlockKind.RECOMMENDATION
            )
        ],
    )


def vectors_of(mc: Medcite) -> dict[str, bytes]:
    """Content key -> stored vector bytes (float16), for every embedding in the catalogue."""
    return {str(k): bytes(v) for k, v in mc.store.catalog.query("SELECT hash, vector FROM embeddings")}


def catalogue_check(mc: Medcite) -> dict[str, object]:
    """Chunks and documents in the catalogue, and whether each chunk's stored vector is the one this
    process's model gives its text (the Ray Data actors hold the same model)."""
    catalog = mc.store.catalog
    rows = catalog.query("SELECT c.hash, c.heading, c.text, d.title FROM chunks c JOIN documents d ON d.id = c.doc_id")
    texts = missing_texts([(str(a), str(b), str(c), str(d)) for a, b, c, d in rows])
    embedder = mc.store.embedder
    assert embedder is not None
    keys = list(texts)
    mine = embedder.embed_passages([texts[k] for k in keys]).astype(np.float16)
    stored = vectors_of(mc)
    states = dict(catalog.query("SELECT state, COUNT(*) FROM documents GROUP BY state"))
    return {
        "chunks": len(rows),
        "states": {str(k): int(v) for k, v in states.items()},
        "keys_match_text": all(content_key(texts[k]) == k for k in keys),
        "embeddings_equal_local": len(stored) == len(keys)
        and all(stored.get(k) == v.tobytes() for k, v in zip(keys, mine, strict=True)),
    }


def crash_check(mc: Medcite, work: Path) -> dict[str, object]:
    import medcite.distributed.ingest as ray_ingest

    version = (work / "snaps" / "version.json").read_text()
    real = ray_ingest._embed_window

    def killed(*args: object) -> int:
        raise RuntimeError("killed in the middle of the Ray Data pass")

    ray_ingest._embed_window = killed
    try:
        mc.store.ingest([doc(101, "Dexamethasone for croup in children with stridor at rest")])
        raised = False
    except RuntimeError:
        raised = True
    finally:
        ray_ingest._embed_window = real
    query = "dexamethasone croup stridor"
    out: dict[str, object] = {
        "raised": raised,
        "version_unchanged": (work / "snaps" / "version.json").read_text() == version,
        "pending": mc.store.catalog.pending(),
        "old_snapshots_serve": bool(mc.search("colchicine gout flare").hits)
        and all(h.chunk.doc_id != "r:101" for h in mc.search(query).hits),
    }
    resumed = mc.store.ingest([])
    out["resumed_embedded"] = resumed.embedded
    out["found_after_resume"] = mc.search(query).hits[0].chunk.doc_id == "r:101"
    out["pending_after_resume"] = mc.store.catalog.pending()
    return out


def main(work: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    s = Settings(home=work / "ray-home", database_url=None)
    s.embedding.model = "hashing"
    s.index.snapshot_dir, s.index.shards, s.index.refresh_seconds = work / "snaps", 2, 0
    s.ray.address, s.ray.replicas, s.ray.retries, s.ray.timeout_s = "local", 2, 3, 5.0
    corpus = [doc(i, TOPICS[i % len(TOPICS)]) for i in range(30)]

    # Ingest through Ray Data (embedding actors) and Ray tasks (shard builds).
    t = time.perf_counter()
    mc = Medcite(s)
    report = mc.store.ingest(corpus)
    found["ingest_s"] = round(time.perf_counter() - t, 1)
    found["ingest"] = {"added": report.added, "chunks": report.chunks, "embedded": report.embedded}
    found["catalogue"] = catalogue_check(mc)

    # The same documents ingested by one process into a plain index (no snapshots, no Ray).
    single = Medcite(Settings(home=work / "single-home", database_url=None, embedding={"model": "hashing"}))
    single.store.ingest(corpus)
    found["same_embeddings_as_single_node"] = vectors_of(single) == vectors_of(mc)

    local_settings = s.model_copy(deep=True)
    local_settings.ray.address = None
    local = Medcite(local_settings)  # the same snapshots read in this process
    expected = {q: [h.chunk.id for h in local.search(q).hits] for q in QUESTIONS}
    found["same_as_single_node"] = all(
        [h.chunk.id for h in single.search(q).hits] == expected[q] and expected[q] for q in QUESTIONS
    )
    t = time.perf_counter()
    found["same_as_local"] = all([h.chunk.id for h in mc.search(q).hits] == expected[q] for q in QUESTIONS)
    found["deploy_and_first_search_s"] = round(time.perf_counter() - t, 1)

    # Text the cache holds is not embedded again: a new id with a known title and text costs nothing.
    copy = corpus[0].model_copy(update={"id": "r:100"})
    again = mc.store.ingest([copy, doc(98, "Apixaban for stroke prevention in atrial fibrillation")])
    found["second_ingest"] = {"added": again.added, "embedded": again.embedded}

    # Killed during the Ray Data pass: nothing is published, the catalogue holds the document as
    # pending, the previous snapshots keep serving, and the next run finishes the job.
    found["crash"] = crash_check(mc, work)

    # An ingest moves the served shards to the new snapshot without a restart.
    before = [b.snapshot() for b in mc.store.backends]
    mc.store.ingest([doc(99, "Tranexamic acid within 3 hours for major trauma haemorrhage")])
    found["new_doc_first"] = mc.search("tranexamic acid trauma").hits[0].chunk.doc_id == "r:99"
    found["shards_moved"] = all(a != b.snapshot() for a, b in zip(before, mc.store.backends, strict=True))
    expected = {q: [h.chunk.id for h in Medcite(local_settings).search(q).hits] for q in QUESTIONS}

    # Fault: kill one replica of shard 0 while searches run; each search is right or refused (503).
    outcomes = {"ok": 0, "wrong": 0, "refused": 0, "other": 0}
    stop = threading.Event()

    def load() -> None:
        i = 0
        while not stop.is_set():
            q = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            try:
                got = [h.chunk.id for h in mc.search(q).hits]
                outcomes["ok" if got == expected[q] else "wrong"] += 1
            except ShardUnavailable:
                outcomes["refused"] += 1
            except Exception as exc:  # anything else is a failure of the contract
                outcomes["other"] += 1
                found["other_error"] = repr(exc)

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(1.0)
    victim = mc.store.backends[0].handle.pid.remote().result(timeout_s=10)  # type: ignore[attr-defined]
    os.kill(victim, signal.SIGKILL)
    time.sleep(4.0)
    stop.set()
    thread.join()
    found["outcomes"] = outcomes

    from ray import serve

    deadline, back = time.monotonic() + 60, False
    while time.monotonic() < deadline and not back:
        status = serve.status().applications["medcite-shard-0-of-2"]
        replicas = status.deployments["shard-0"].replica_states
        back = status.status == "RUNNING" and replicas.get("RUNNING", 0) == 2
        time.sleep(0.5)
    found["replica_back"] = back
    pids = {mc.store.backends[0].handle.pid.remote().result(timeout_s=10) for _ in range(20)}  # type: ignore[attr-defined]
    found["victim_gone"] = victim not in pids
    mc.close()
    return found


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))), flush=True)
    os._exit(0)  # Ray's atexit shutdown can take seconds; the namespace goes with the process
