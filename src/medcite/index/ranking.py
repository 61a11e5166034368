"""One order for scored chunks, shared by every index and by the shard merge."""

from __future__ import annotations


def rank_key(pair: tuple[int, float]) -> tuple[float, int]:
    """Best score first; scores equal to 6 significant digits go to the lower rid.

    Why the rounding: the same chunk's score reaches the merge by different float paths (one index,
    or a shard rescored with global statistics) and may differ in the last bits; and exact ties
    (the same text under two ids) must come out in the same order from one index and from shards,
    which FAISS's and tantivy's own tie orders do not guarantee."""
    rid, score = pair
    return (-float(f"{score:.6g}"), rid)
