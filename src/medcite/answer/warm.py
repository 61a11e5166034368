"""Sentence vectors made ahead of time (`medcite warm`), so an answer does not wait for the dense model.

Choosing an answer's sentences compares its best ~60 candidates with the question through the dense
model; embedding them is most of an answer's time when they are not yet in the home's sentence
vector cache (~0.4 s of ~0.6 s on two AVX2 cores). Every candidate is a pure function of its passage
(`select.candidate_units`), so all of them can be embedded once, after ingest, and every later
answer finds its sentences in the cache. The cache is the one answers use (`models/vector_cache`):
the texts and the model name are the same, so a warmed vector is the vector an answer would make.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from medcite.answer.select import candidate_units
from medcite.errors import ConfigError
from medcite.models.base import Embedder
from medcite.models.vector_cache import CachedEmbedder
from medcite.records import Chunk

#: Sentences per call to the cache (one lookup, one embedding run, one write transaction).
BATCH = 512

WarmProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class WarmReport:
    passages: int
    sentences: int  #: distinct sentence texts an answer may compare with a question, and document titles
    embedded: int  #: of them, newly embedded (the rest were in the cache already)
    seconds: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def candidate_texts(chunks: Iterable[Chunk], titles: Iterable[str] = ()) -> tuple[int, list[str]]:
    """(passages read, distinct candidate sentence texts in first-seen order, then the titles: the
    search compares each candidate document's title with the question too)."""
    seen: dict[str, None] = {}
    passages = 0
    for chunk in chunks:
        passages += 1
        for unit in candidate_units(chunk):
            seen.setdefault(unit.text, None)
    for title in titles:
        seen.setdefault(title, None)
    return passages, list(seen)


def warm_sentences(
    chunks: Iterable[Chunk],
    embedder: Embedder | None,
    *,
    titles: Iterable[str] = (),
    progress: WarmProgress | None = None,
) -> WarmReport:
    """Embed every candidate sentence of `chunks` into `embedder`'s cache.

    Fails with `ConfigError` before embedding anything when there is no dense model, no cache, or a
    cache too small to keep them all (it keeps the newest rows: a too-small cache would throw the
    first ones away while adding the last). Resumable: sentences already cached are not embedded again.
    """
    if embedder is None:
        raise ConfigError("there is no dense model to warm", hint="sentence vectors need embedding.model")
    if not isinstance(embedder, CachedEmbedder) or not embedder.usable:
        raise ConfigError(
            "the sentence vector cache is off or its file cannot be opened",
            hint="set MEDCITE_EMBEDDING__SENTENCE_CACHE_ROWS above 0 and make the home's models folder writable",
        )
    start = time.perf_counter()
    passages, texts = candidate_texts(chunks, titles)
    if len(texts) > embedder.rows:
        raise ConfigError(
            f"the index holds {len(texts):,} candidate sentences; the sentence cache keeps {embedder.rows:,}",
            hint=f"set MEDCITE_EMBEDDING__SENTENCE_CACHE_ROWS to at least {len(texts)} for every medcite process "
            f"on this home (~1.6 KB of disk per sentence)",
        )
    embedded = 0
    for i in range(0, len(texts), BATCH):
        embedded += embedder.fill(texts[i : i + BATCH])
        if progress is not None:
            progress(min(i + BATCH, len(texts)), len(texts))
    return WarmReport(passages, len(texts), embedded, round(time.perf_counter() - start, 1))
