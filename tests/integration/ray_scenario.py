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

from medcite.engine import Medcite
from medcite.errors import ShardUnavailable
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


def main(work: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    s = Settings(home=work / "ray-home", database_url=None)
    s.embedding.model = "hashing"
    s.index.snapshot_dir, s.index.shards, s.index.refresh_seconds = work / "snaps", 2, 0
    s.ray.address, s.ray.replicas, s.ray.retries, s.ray.timeout_s = "local", 2, 3, 5.0
    corpus = [doc(i, TOPICS[i % len(TOPICS)]) for i in range(30)]

    t = time.perf_counter()
    mc = Medcite(s)
    mc.store.ingest(corpus)
    found["ingest_s"] = round(time.perf_counter() - t, 1)

    local_settings = s.model_copy(deep=True)
    local_settings.ray.address = None
    local = Medcite(local_settings)  # the same snapshots read in this process
    expected = {q: [h.chunk.id for h in local.search(q).hits] for q in QUESTIONS}
    t = time.perf_counter()
    found["same_as_local"] = all([h.chunk.id for h in mc.search(q).hits] == expected[q] for q in QUESTIONS)
    found["deploy_and_first_search_s"] = round(time.perf_counter() - t, 1)

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
