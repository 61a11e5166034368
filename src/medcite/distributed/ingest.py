"""The embed stage of a Ray ingest, on Ray Data.

A Ray ingest runs the single-node stages in this order (see `RayIndex`):

1. read + chunk on the driver (the `ingest.Producer` thread), and stage each batch in the catalogue
   as 'pending' with the vectors the content-hash cache already holds, and no others;
2. embed, here: the chunk texts the catalogue has no vector for become a Ray Data dataset of
   (content key, text) rows; `map_batches` sends batches of them to a fixed pool of
   `ray.embed_actors` `PassageEncoder` actors (`ray.actor_cpus` each), every one holding the model
   once; the driver streams the vectors back and stores them in the catalogue's cache, a batch per
   transaction;
3. the shards' snapshots are built as Ray tasks from the catalogue and published (`RayIndex._build`).

Why embed after staging rather than batch by batch: one Ray Data run keeps one actor pool busy for
the whole ingest (no pool to start per batch, batches cut across documents), and a run killed at any
point leaves a catalogue the next run completes: staged documents stay 'pending', vectors already
stored are kept, and only the chunks still lacking one are embedded again (the previous snapshots
serve meanwhile, since nothing is published before step 3).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from medcite.distributed.cluster import connect
from medcite.errors import IndexStoreError
from medcite.index.catalog import Catalog
from medcite.index.ingest import missing_texts
from medcite.models import Embedder, create
from medcite.settings import Settings


@dataclass
class EmbedRun:
    """What one Ray Data embedding pass did (added to the ingest report)."""

    embedded: int = 0
    seconds: float = 0.0


class PassageEncoder:
    """A Ray Data actor: one copy of the embedding model, called on batches of passages.

    Built from the settings' JSON (a Ray worker has nothing else), so it loads the same model file
    with the same options as the driver, and its vectors carry the same model name in the cache.
    """

    def __init__(self, settings_json: str) -> None:
        settings = Settings.model_validate_json(settings_json)
        # One inference thread per CPU the actor reserves: the pool shares the node's cores.
        settings.embedding.threads = max(1, int(settings.ray.actor_cpus))
        self.model: Embedder = create("embedder", settings.embedding.model, settings)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.model.embed_passages([str(t) for t in batch["text"]])
        return {"key": batch["key"], "vector": vectors.astype(np.float32)}


def embed_missing(settings: Settings, catalog: Catalog, embedder: Embedder) -> EmbedRun:
    """Embed every catalogued chunk that has no vector under `embedder.name`, on Ray Data, and store
    the vectors in the catalogue's cache. Texts already cached are never sent (they are not missing).

    Works through the catalogue a window of `ray.embed_window` passages at a time, so the driver holds
    one window, never the corpus."""
    run = EmbedRun()
    started = time.perf_counter()
    while rows := catalog.missing_embeddings(embedder.name, limit=settings.ray.embed_window):
        texts = missing_texts(rows)
        stored = _embed_window(settings, catalog, embedder.name, texts)
        if stored != len(texts):  # would loop for ever on the same window
            raise IndexStoreError(f"Ray Data returned {stored} vectors for {len(texts)} passages")
        run.embedded += stored
    run.seconds = time.perf_counter() - started
    return run


def _embed_window(settings: Settings, catalog: Catalog, model: str, texts: dict[str, str]) -> int:
    """One Ray Data run: (key, text) rows → encoder actor pool → catalogue cache. Returns vectors stored."""
    ray = connect(str(settings.ray.address))
    _quiet(ray)
    items = [{"key": k, "text": t} for k, t in texts.items()]
    per_block = max(1, settings.ray.embed_batch)
    dataset = ray.data.from_items(items, override_num_blocks=max(1, -(-len(items) // per_block)))
    vectors = dataset.map_batches(
        PassageEncoder,
        fn_constructor_args=(settings.model_dump_json(),),
        batch_size=per_block,
        batch_format="numpy",
        # A fixed pool: each actor loads the model once and embeds batch after batch.
        compute=ray.data.ActorPoolStrategy(size=settings.ray.embed_actors),
        num_cpus=settings.ray.actor_cpus,
    )
    stored = 0
    for batch in vectors.iter_batches(batch_size=per_block, batch_format="numpy"):
        part = dict(zip((str(k) for k in batch["key"]), batch["vector"], strict=True))
        catalog.put_embeddings(part, model)
        stored += len(part)
    return stored


def _quiet(ray: Any) -> None:
    """No Ray Data progress bars or execution banners: the CLI draws its own progress."""
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
