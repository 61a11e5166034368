"""Retrieval evaluation: Recall@1/5/10, MRR and nDCG@10 at the level of source documents.

A question is answered by one or more documents (`Item.relevant`). Hits are mapped to their
documents in rank order (first occurrence counts), so "Recall@10" reads: the guideline that
holds the answer is among the sources of the top 10 hits.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from medcite.evaluate.datasets import Item
from medcite.retrieve import Retriever

#: name -> (mode, rerank) ; the last one is what `medcite search` does.
VARIANTS: dict[str, tuple[str, bool]] = {
    "bm25": ("lexical", False),
    "dense": ("dense", False),
    "rrf": ("hybrid", False),
    "hybrid+rerank": ("hybrid", True),
}


@dataclass
class Scores:
    n: int = 0
    r1: float = 0.0
    r5: float = 0.0
    r10: float = 0.0
    mrr: float = 0.0
    ndcg10: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        n = max(1, self.n)
        lat = sorted(self.latencies_ms) or [0.0]
        return {
            "n": self.n,
            "R@1": self.r1 / n,
            "R@5": self.r5 / n,
            "R@10": self.r10 / n,
            "MRR": self.mrr / n,
            "nDCG@10": self.ndcg10 / n,
            "p50_ms": statistics.median(lat),
            "p95_ms": lat[min(len(lat) - 1, int(0.95 * len(lat)))],
        }


def doc_ranking(doc_ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(doc_ids))


def score_item(ranked_docs: list[str], relevant: set[str], s: Scores) -> None:
    s.n += 1
    first = next((i for i, d in enumerate(ranked_docs, start=1) if d in relevant), None)
    if first is not None:
        s.r1 += first <= 1
        s.r5 += first <= 5
        s.r10 += first <= 10
        s.mrr += 1.0 / first
    dcg = sum(1.0 / math.log2(i + 1) for i, d in enumerate(ranked_docs[:10], start=1) if d in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), 10) + 1))
    s.ndcg10 += dcg / ideal if ideal else 0.0


def evaluate(
    retriever: Retriever,
    items: Sequence[Item],
    variants: Sequence[str] = tuple(VARIANTS),
    k: int = 10,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Scores]:
    """Run every item through every variant, side by side in one run."""
    results = {v: Scores() for v in variants}
    for i, item in enumerate(items, start=1):
        for v in variants:
            mode, rerank = VARIANTS[v]
            t = time.perf_counter()
            res = retriever.search(item.question, k=k, mode=mode, rerank_hits=rerank)  # type: ignore[arg-type]
            results[v].latencies_ms.append((time.perf_counter() - t) * 1000)
            ranked = doc_ranking([h.doc.id for h in res.hits])
            before = results[v].r10
            score_item(ranked, item.relevant, results[v])
            if results[v].r10 == before:
                results[v].misses.append(item.id)
        if progress:
            progress(i)
    return results


def markdown_table(title: str, results: dict[str, Scores]) -> str:
    lines = [
        f"**{title}**",
        "",
        "| variant | n | R@1 | R@5 | R@10 | MRR | nDCG@10 | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in results.items():
        r = s.row()
        lines.append(
            f"| {name} | {r['n']} | {r['R@1']:.3f} | {r['R@5']:.3f} | {r['R@10']:.3f} | {r['MRR']:.3f} | "
            f"{r['nDCG@10']:.3f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    return "\n".join(lines)
