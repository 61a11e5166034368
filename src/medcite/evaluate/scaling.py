"""`medcite bench shards`: sharded vs single-node search and answers on the same catalogue, and Ray
serving figures.

Equivalence: the home's index (single node) and snapshot indexes of 2 and 4 shards built from the
same catalogue (its cached embeddings: nothing is embedded again) answer the `eval retrieval`
questions; the table gives how often the sharded top-10 equals the single-node top-10 (same chunks
in the same order, and as a set). With `--answers`, the same indexes (and, with `--ray`, the first
shard count served by Ray Serve) answer the `eval answers` questions, compared by bottom line, its
citations and every section item. With `--ray`, the searches also go through Ray Serve shards
(1 and 2 replicas each) under concurrent load: throughput and p95.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from medcite.engine import Medcite
from medcite.errors import InvalidInput
from medcite.evaluate.datasets import load_jsonl
from medcite.evaluate.runner import build_set, ensure_corpora
from medcite.records import Answer
from medcite.settings import Settings

#: `eval answers` sets `--answers` can ask, by name: their question files.
ANSWER_SETS = {
    "uspstf": "uspstf_clinician.jsonl",
    "ngc": "ngc_clinician.jsonl",
    "open-medicine": "open_medicine.jsonl",
    "vignettes": "vignettes.jsonl",
    "vignettes-heldout": "vignettes_heldout.jsonl",
    "vignettes-fresh": "vignettes_fresh.jsonl",
    "unanswerable": "unanswerable.jsonl",
    "unanswerable-vignettes": "unanswerable_vignettes.jsonl",
    "nonmedical": "nonmedical.jsonl",
    "redflag": "redflag.jsonl",
}


def _snapshot_settings(settings: Settings, root: Path, shards: int, ray: str | None = None) -> Settings:
    s = settings.model_copy(deep=True)
    s.index.snapshot_dir, s.index.shards, s.ray.address = root / f"shards-{shards}", shards, ray
    return s


def _reference(settings: Settings, root: Path, rebuilt: bool) -> Medcite:
    """The single node the shards are compared with: the home's own index, or (`rebuilt`) one snapshot
    of one shard built afresh from the same catalogue. An index grown by many ingests can rank a little
    differently from a clean build of the same documents (BM25 statistics of segments with deleted
    rows); the rebuilt reference leaves only what sharding changes."""
    if not rebuilt:
        return Medcite(settings)
    mc = Medcite(_snapshot_settings(settings, root, 1))
    mc.store.recover()
    return mc


def equivalence(
    settings: Settings, sets: Sequence[str], n: int, shard_counts: Sequence[int], root: Path, *, rebuilt: bool = False
) -> dict[str, Any]:
    """Top-10 agreement of sharded with single-node search, per shard count."""
    single = Medcite(settings)
    ensure_corpora(single, sets)  # the catalogue must hold the sets' corpora, whichever reference is used
    if rebuilt:
        single.close()
        single = _reference(settings, root, rebuilt)
    questions = [item.question for name in sets for item in build_set(name, settings, n)]
    modes = ("hybrid", "lexical", "dense")
    want = {m: [[h.chunk.id for h in single.search(q, k=10, mode=m).hits] for q in questions] for m in modes}
    out: dict[str, Any] = {"questions": len(questions), "chunks": single.sources()["chunks"], "shards": {}}
    for count in shard_counts:
        mc = Medcite(_snapshot_settings(settings, root, count))
        t = time.perf_counter()
        mc.store.recover()  # builds the shards' snapshots from the catalogue
        build_s = time.perf_counter() - t
        row: dict[str, Any] = {"build_s": round(build_s, 1)}
        for m in modes:
            got = [[h.chunk.id for h in mc.search(q, k=10, mode=m).hits] for q in questions]
            pairs = list(zip(want[m], got, strict=True))
            # "hybrid" is what `medcite search` does; the single retrievers show where differences come from.
            prefix = "" if m == "hybrid" else f"{m}_"
            row[f"{prefix}same_top10_ordered"] = round(sum(a == b for a, b in pairs) / len(pairs), 4)
            row[f"{prefix}same_top10_set"] = round(sum(set(a) == set(b) for a, b in pairs) / len(pairs), 4)
            if m == "hybrid":
                row["same_top1"] = round(sum(a[:1] == b[:1] for a, b in pairs) / len(pairs), 4)
                overlap = np.mean([len(set(a) & set(b)) / max(1, len(a)) for a, b in pairs])
                row["mean_top10_overlap"] = round(float(overlap), 4)
        out["shards"][str(count)] = row
        mc.close()
    single.close()
    return out


def answer_key(answer: Answer) -> dict[str, Any]:
    """What two answers must share to be the same answer: whether it abstained, the bottom line, and
    every section item, each with what it cites (the document and passage ids, not the reference
    numbers, which only say in what order references were listed)."""
    refs = {r.n: r for r in answer.references}

    def cited(numbers: Sequence[int]) -> list[Any]:
        return [[refs[n].doc_id, [p.chunk_id for p in refs[n].passages]] if n in refs else n for n in numbers]

    return {
        "abstained": answer.abstained,
        "bottom_line": answer.bottom_line.text,
        "bottom_line_cites": cited(answer.bottom_line.citations),
        "items": [[s.title, c.text, cited(c.citations)] for s in answer.sections for c in s.items],
    }


def answer_questions(names: Sequence[str]) -> list[tuple[str, str]]:
    """(set name, question) for every question of the named `eval answers` sets."""
    unknown = [n for n in names if n not in ANSWER_SETS]
    if unknown:
        raise InvalidInput(f"no answer set {unknown[0]!r} to compare", hint=", ".join(ANSWER_SETS))
    return [(name, str(row["question"])) for name in names for row in load_jsonl(ANSWER_SETS[name])]


def answer_equivalence(
    settings: Settings,
    names: Sequence[str],
    shard_counts: Sequence[int],
    root: Path,
    *,
    ray: str | None = None,
    rebuilt: bool = False,
) -> dict[str, Any]:
    """How often sharded answers equal the single-node answers, per shard count (and, with `ray`, for
    the first count served by Ray Serve): same bottom line, same bottom line and citations, same
    whole answer. Lists the questions that differ, and where."""
    questions = answer_questions(names)
    single = _reference(settings, root, rebuilt)
    want = [answer_key(single.ask(q)) for _, q in questions]
    single.close()
    out: dict[str, Any] = {"questions": len(questions), "sets": list(names), "shards": {}}
    runs: list[tuple[str, int, str | None]] = [(str(c), c, None) for c in shard_counts]
    if ray:
        runs.append((f"{shard_counts[0]}-ray", shard_counts[0], ray))
    for label, count, address in runs:
        s = _snapshot_settings(settings, root, count, address)
        s.ray.namespace = "answers"
        mc = Medcite(s)
        if address:  # Ray Serve reads the snapshots the in-process run built (built now if there are none)
            mc.store.ensure_fresh()
        else:
            mc.store.recover()  # the shards' snapshots, built afresh from the catalogue
        t = time.perf_counter()
        got = [answer_key(mc.ask(q)) for _, q in questions]
        row = _answer_agreement(questions, want, got)
        row["ask_s"] = round((time.perf_counter() - t) / max(1, len(questions)), 2)
        out["shards"][label] = row
        if address:
            from medcite.distributed.index import undeploy_shards

            undeploy_shards(s)
        mc.close()
    return out


def _answer_agreement(
    questions: Sequence[tuple[str, str]], want: Sequence[dict[str, Any]], got: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    n = max(1, len(want))
    pairs = list(zip(want, got, strict=True))
    bottom = [a["abstained"] == b["abstained"] and a["bottom_line"] == b["bottom_line"] for a, b in pairs]
    cites = [ok and a["bottom_line_cites"] == b["bottom_line_cites"] for ok, (a, b) in zip(bottom, pairs, strict=True)]
    whole = [a == b for a, b in pairs]
    differ = [
        {"set": name, "question": q, "differs_in": [k for k in a if a[k] != b[k]]}
        for (name, q), (a, b) in zip(questions, pairs, strict=True)
        if a != b
    ]
    return {
        "same_bottom_line": round(sum(bottom) / n, 4),
        "same_bottom_line_and_citations": round(sum(cites) / n, 4),
        "same_answer": round(sum(whole) / n, 4),
        "differ": differ,
    }


def ray_load(
    settings: Settings,
    sets: Sequence[str],
    n: int,
    root: Path,
    *,
    shards: int,
    replicas: Sequence[int],
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    """Searches per second and latency through Ray Serve shards, per replica count (`ray.address` set;
    a count of 0 times the same shards read in this process instead)."""
    from medcite.distributed.index import undeploy_shards

    questions = [item.question for name in sets for item in build_set(name, settings, n)]
    out: dict[str, Any] = {}
    for count in replicas:
        # 0 replicas: the same shards read in this process, no Ray (the baseline).
        s = _snapshot_settings(settings, root, shards, settings.ray.address if count else None)
        s.ray.replicas, s.ray.namespace = max(count, 1), f"bench{count}"
        mc = Medcite(s)
        mc.search(questions[0])  # deploys the shards
        for q in questions[:20]:
            mc.search(q)
        latencies = _load(mc, questions, clients, seconds)
        ms = np.array(latencies) * 1000
        out[str(count)] = {
            "searches": len(ms),
            "per_s": round(len(ms) / seconds, 1),
            "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1),
        }
        if count:
            undeploy_shards(s)
        mc.close()
    return out


def _load(mc: Medcite, questions: Sequence[str], clients: int, seconds: float) -> list[float]:
    """Seconds per search of `clients` threads searching for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            t = time.perf_counter()
            mc.search(questions[i % len(questions)])
            with lock:
                latencies.append(time.perf_counter() - t)
            i += clients

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies
