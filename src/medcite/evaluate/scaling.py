"""`medcite bench shards`: sharded vs single-node search on the same catalogue, and Ray serving figures.

Equivalence: the home's index (single node) and snapshot indexes of 2 and 4 shards built from the
same catalogue (its cached embeddings: nothing is embedded again) answer the `eval retrieval`
questions; the table gives how often the sharded top-10 equals the single-node top-10 (same chunks
in the same order, and as a set). With `--ray`, the same searches go through Ray Serve shards
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
from medcite.evaluate.runner import build_set, ensure_corpora
from medcite.settings import Settings


def _snapshot_settings(settings: Settings, root: Path, shards: int, ray: str | None = None) -> Settings:
    s = settings.model_copy(deep=True)
    s.index.snapshot_dir, s.index.shards, s.ray.address = root / f"shards-{shards}", shards, ray
    return s


def equivalence(
    settings: Settings, sets: Sequence[str], n: int, shard_counts: Sequence[int], root: Path
) -> dict[str, Any]:
    """Top-10 agreement of sharded with single-node search, per shard count."""
    single = Medcite(settings)
    ensure_corpora(single, sets)
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
