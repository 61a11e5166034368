"""A snapshot index whose shards are served by Ray Serve and built by Ray tasks.

`RayIndex` is the single-node `SnapshotIndex` (same router, same fan-out and merge, same retriever
above it) with three parts moved onto the cluster:

- each shard is a Ray Serve application (`<namespace>-shard-<i>-of-<n>`) of `ray.replicas` replicas
  of `ShardServer`, a `ShardReader` of the shared snapshot folder; the router calls them through
  `RayShard`, which retries a failed call (another replica takes it) and then raises
  `ShardUnavailable` (HTTP 503 in the API's error shape): a search never answers from a subset of
  the shards, because a partial top-k would be a wrong answer;
- an ingest embeds on Ray Data (`medcite.distributed.ingest`): its batches are staged in the
  catalogue with the vectors already cached, the rest are embedded after the run in one Ray Data
  pass by a pool of `ray.embed_actors` actors that each hold the model once; queries, and the
  sentences an answer compares with the question, are embedded by the router's own model;
- the shards' snapshots are built side by side, one Ray task per shard, from the shared catalogue.

Every node needs the snapshot folder at the same path (a shared mount) and the catalogue
(PostgreSQL, or the SQLite file on a single machine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from medcite.distributed.cluster import connect
from medcite.distributed.ingest import EmbedRun, embed_missing
from medcite.errors import ConfigError, ShardUnavailable, SourceError
from medcite.index import snapshots
from medcite.index.catalog import open_catalog
from medcite.index.ingest import IngestReport, Prepared, ProgressFn
from medcite.index.lexical import TermStats
from medcite.index.sharded import SnapshotIndex
from medcite.index.shards import Scored, ShardBackend, ShardReader
from medcite.models import Embedder
from medcite.records import Document, QueryFilters
from medcite.settings import Settings


class RayIndex(SnapshotIndex):
    """`SnapshotIndex` with shards on Ray Serve, ingest embedding on Ray Data, builds as Ray tasks."""

    def __init__(self, settings: Settings) -> None:
        if not settings.ray.address:
            raise ConfigError("a Ray index needs ray.address", hint="pass --ray ADDRESS or set MEDCITE_RAY__ADDRESS")
        super().__init__(settings)
        self._embed_run = EmbedRun()

    def ingest(
        self,
        items: Iterable[Document | SourceError],
        *,
        progress: ProgressFn | None = None,
        on_error: Callable[[SourceError], None] | None = None,
    ) -> IngestReport:
        """The single-node ingest, with the embedding moved to one Ray Data pass before the builds
        (see `medcite.distributed.ingest`); the report's embed stage is that pass, and its vectors
        stage the snapshot builds and publication."""
        self._embed_run = EmbedRun()
        report = super().ingest(items, progress=progress, on_error=on_error)
        run = self._embed_run
        report.embedded += run.embedded
        report.stages["embed"] = report.stages.get("embed", 0.0) + run.seconds
        report.stages["vectors"] = max(0.0, report.stages.get("vectors", 0.0) - run.seconds)
        return report

    def _embed_batch(self, todo: Sequence[Prepared]) -> dict[str, np.ndarray]:
        """Nothing per batch: the batch is staged with the vectors already cached, and the chunks
        lacking one are embedded by `_fill_missing_vectors` on Ray Data before the builds."""
        return {}

    def _fill_missing_vectors(self, embedder: Embedder) -> None:
        run = embed_missing(self.settings, self.catalog, embedder)
        self._embed_run.embedded += run.embedded
        self._embed_run.seconds += run.seconds

    def _open_backends(self) -> list[ShardBackend]:
        return deploy_shards(self.settings)

    def _build(self, bases: list[Path | None]) -> list[snapshots.Snapshot]:
        ray = connect(str(self.settings.ray.address))
        embedder = self.embedder
        task = ray.remote(num_cpus=1)(build_shard)
        blob = self.settings.model_dump_json()
        model, dim = (embedder.name, embedder.dim) if embedder else (None, 0)
        refs = [
            task.remote(blob, shard, self.nshards, model, dim, str(base) if base else None)
            for shard, base in enumerate(bases)
        ]
        return list(ray.get(refs))


def build_shard(
    settings_json: str, shard: int, shards: int, model: str | None, dim: int, base: str | None
) -> snapshots.Snapshot:
    """One shard's snapshot, built in a Ray worker from the shared catalogue."""
    settings = Settings.model_validate_json(settings_json)
    catalog = open_catalog(settings)
    assert catalog is not None
    try:
        root = Path(str(settings.index.snapshot_dir))
        return snapshots.build(catalog, root, shard, shards, model=model, dim=dim, base=Path(base) if base else None)
    finally:
        catalog.close()


# -- serving ----------------------------------------------------------------------------------------
class ShardServer:
    """A Ray Serve replica serving one shard: a `ShardReader` of the shared snapshot folder."""

    def __init__(self, settings_json: str, shard: int, shards: int) -> None:
        settings = Settings.model_validate_json(settings_json)
        self.settings = settings

        def catalog() -> Any:
            return open_catalog(settings)

        self.reader = ShardReader(
            Path(str(settings.index.snapshot_dir)),
            shard,
            shards,
            catalog=catalog,
            refresh_seconds=settings.index.refresh_seconds,
        )

    def lexical(self, *args: Any) -> Scored:
        return self.reader.lexical(*args)

    def dense(self, *args: Any) -> Scored:
        return self.reader.dense(*args)

    def term_stats(self, *args: Any) -> TermStats:
        return self.reader.term_stats(*args)

    def counts(self, *args: Any) -> tuple[list[int], list[int]]:
        return self.reader.counts(*args)

    def num_docs(self, *args: Any) -> int:
        return self.reader.num_docs(*args)

    def fuzzy_rids(self, *args: Any) -> list[int]:
        return self.reader.fuzzy_rids(*args)

    def snapshot(self) -> str | None:
        return self.reader.snapshot()

    def pid(self) -> int:
        import os

        return os.getpid()


class RayShard:
    """One shard as the router sees it: calls to its Ray Serve application, with retries."""

    def __init__(self, handle: Any, shard: int, shards: int, *, timeout_s: float, retries: int) -> None:
        self.handle, self.shard, self.shards = handle, shard, shards
        self.timeout_s, self.retries = timeout_s, retries

    def _call(self, method: str, *args: Any) -> Any:
        error: BaseException | None = None
        for _ in range(self.retries + 1):
            try:
                return getattr(self.handle, method).remote(*args).result(timeout_s=self.timeout_s)
            except Exception as exc:  # a dead replica, a timeout, a replica being replaced
                error = exc
        raise ShardUnavailable(
            f"shard {self.shard} of {self.shards} did not answer after {self.retries + 1} tries: "
            f"{type(error).__name__}",
            hint="try again shortly (Ray Serve replaces failed replicas); `ray status` shows the cluster",
        )

    def lexical(
        self,
        text: str,
        phrases: Sequence[tuple[str, float]],
        filters: QueryFilters,
        limit: int,
        fuzzy: Sequence[str],
        want: str | None,
        stats: TermStats | None = None,
    ) -> Scored:
        return list(self._call("lexical", text, list(phrases), filters, limit, list(fuzzy), want, stats))

    def term_stats(self, text: str, phrases: Sequence[tuple[str, float]], want: str | None) -> TermStats:
        return dict(self._call("term_stats", text, list(phrases), want))

    def dense(self, vector: np.ndarray, filters: QueryFilters, limit: int, want: str | None) -> Scored:
        return list(self._call("dense", vector, filters, limit, want))

    def counts(self, phrases: Sequence[str], fuzzy: Sequence[str], want: str | None) -> tuple[list[int], list[int]]:
        a, b = self._call("counts", list(phrases), list(fuzzy), want)
        return list(a), list(b)

    def num_docs(self, want: str | None) -> int:
        return int(self._call("num_docs", want))

    def fuzzy_rids(self, word: str, limit: int, distance: int, want: str | None) -> list[int]:
        return list(self._call("fuzzy_rids", word, limit, distance, want))

    def snapshot(self) -> str | None:
        name = self._call("snapshot")
        return str(name) if name is not None else None

    def close(self) -> None:
        pass


def app_name(settings: Settings, shard: int) -> str:
    return f"{settings.ray.namespace}-shard-{shard}-of-{settings.index.shards}"


def deploy_shards(settings: Settings) -> list[ShardBackend]:
    """Handles to the shard applications, deploying those not running yet (another API replica
    with the same settings finds and shares them)."""
    connect(str(settings.ray.address))
    from ray import serve

    serve.start(proxy_location="Disabled", http_options={"host": "127.0.0.1"})
    running = set(serve.status().applications)
    blob = settings.model_dump_json()
    shards: list[ShardBackend] = []
    for i in range(settings.index.shards):
        name = app_name(settings, i)
        if name in running:
            handle = serve.get_app_handle(name)
        else:
            deployment: Any = serve.deployment(
                ShardServer,
                name=f"shard-{i}",
                num_replicas=settings.ray.replicas,
                ray_actor_options={"num_cpus": settings.ray.replica_cpus},
                health_check_period_s=2,
                health_check_timeout_s=10,
            )
            handle = serve.run(deployment.bind(blob, i, settings.index.shards), name=name, route_prefix=None)
        shards.append(
            RayShard(handle, i, settings.index.shards, timeout_s=settings.ray.timeout_s, retries=settings.ray.retries)
        )
    return shards


def undeploy_shards(settings: Settings) -> None:
    """Delete the shard applications of these settings."""
    connect(str(settings.ray.address))
    from ray import serve

    for i in range(settings.index.shards):
        serve.delete(app_name(settings, i))
