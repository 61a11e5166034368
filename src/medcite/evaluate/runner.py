"""Glue for `medcite eval retrieval`: make sure the corpora are indexed, build the sets, run them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from medcite.engine import Medcite
from medcite.errors import InvalidInput
from medcite.evaluate.datasets import Item, handwritten, medquad_items, pubmedqa_items
from medcite.evaluate.retrieval import evaluate, markdown_table
from medcite.settings import Settings

#: question set -> shared corpus it needs in the index
CORPUS_OF = {"ngc": "ngc", "uspstf": "uspstf", "medquad": "medquad", "pubmedqa": "pubmedqa"}


def ensure_corpora(mc: Medcite, names: Sequence[str]) -> None:
    """Ingest the corpora the sets need (incremental: a no-op when already indexed).

    PubMedQA is indexed without its questions as titles, so its questions stay held out.
    """
    from medcite.sources import PubMedQAReader, read_path, read_target

    for name in names:
        corpus = CORPUS_OF.get(name)
        if corpus is None:
            continue
        if corpus == "pubmedqa":
            path = mc.settings.shared_data / "pubmedqa" / "ori_pqal.json"
            mc.store.ingest(read_path(path, only=PubMedQAReader(title_from_question=False)))
        else:
            mc.store.ingest(read_target(corpus, mc.settings))
    mc.close()
    mc.__dict__.pop("store", None)
    mc.__dict__.pop("retriever", None)


def build_set(name: str, settings: Settings, n: int) -> list[Item]:
    shared = settings.shared_data
    if name == "ngc":
        return handwritten("ngc_clinician.jsonl")
    if name == "uspstf":
        return handwritten("uspstf_clinician.jsonl")
    if name == "open-medicine":
        return handwritten("open_medicine.jsonl")
    if name == "medquad":
        return medquad_items(shared, n)
    if name == "pubmedqa":
        return pubmedqa_items(shared, n)
    raise InvalidInput(f"unknown question set {name!r}", hint="ngc, uspstf, open-medicine, medquad, pubmedqa")


def retrieval_eval(
    settings: Settings,
    names: Sequence[str],
    *,
    n: int,
    variants: Sequence[str],
    ingest: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[str], dict[str, Any]]:
    mc = Medcite(settings)
    if ingest:
        ensure_corpora(mc, names)
    stats = mc.sources()
    tables = [
        f"Index: {stats['documents']} documents, {stats['chunks']} chunks "
        f"({', '.join(sorted({r['source'] for r in stats['by_source']}))}); embedder {stats['embedder']}"
    ]
    payload: dict[str, Any] = {"index": {k: stats[k] for k in ("documents", "chunks", "embedder")}, "sets": {}}
    done = 0
    for name in names:
        items = build_set(name, settings, n)
        report = functools.partial(_offset, progress, done) if progress is not None else None
        results = evaluate(mc.retriever, items, variants, progress=report)
        done += len(items)
        tables.append(markdown_table(f"{name} ({len(items)} questions)", results))
        payload["sets"][name] = {v: {**s.row(), "misses": s.misses} for v, s in results.items()}
    return tables, payload


def _offset(progress: Callable[[int], None], base: int, i: int) -> None:
    progress(base + i)
