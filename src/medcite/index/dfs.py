"""BM25 over several shards as one index would score it: the length-normalisation half.

`LexicalIndex.search(..., stats=...)` already weights every term by the global IDF (a query
rewrite). What that leaves is BM25's length normalisation, `tf / (tf + k1·(1 − b + b·dl/avgdl))`,
whose `avgdl` (a field's average length) tantivy takes from the shard itself and its Python binding
cannot be told. So each candidate is rescored: tantivy's own explanation of the candidate's score
gives, per matched term, its frequency, the field length and the shard's `avgdl`; the term's part
is recomputed with the global `avgdl` of that field and the sums and boosts above it are redone.
About 0.15 ms per candidate.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import tantivy

K1, B = 1.2, 0.75  # tantivy's BM25 constants (also printed in every explanation)
_TERM = "TermQuery, product of"
_NORM = "freq / (freq + k1"


def field_lengths(index: tantivy.Index, fields: Sequence[str]) -> dict[str, float]:
    """The average length (`avgdl`) of each text field in this index, as tantivy scores with it:
    read from the explanation of a match on the field's commonest term (0 for an empty field)."""
    searcher = index.searcher()
    out: dict[str, float] = {}
    for field in fields:
        out[field] = 0.0
        top = searcher.terms_with_prefix(field, "", limit=1)
        if not top:
            continue
        query = tantivy.Query.term_query(index.schema, field, top[0][0])
        hits = searcher.search(query, limit=1).hits
        if hits:
            norm = _find(json.loads(query.explain(searcher, hits[0][1]).to_json()), _NORM)
            if norm is not None:
                out[field] = _detail(norm, "avgdl")
    return out


def global_lengths(parts: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Global `avgdl` per field from each shard's {"n": docs, "avgdl": {field: avgdl}}."""
    total = sum(int(p["n"]) for p in parts)
    fields = {f for p in parts for f in p.get("avgdl", {})}
    return {
        f: sum(float(p["avgdl"].get(f, 0.0)) * int(p["n"]) for p in parts) / total if total else 0.0 for f in fields
    }


def rescore(
    query: tantivy.Query,
    searcher: tantivy.Searcher,
    addresses: Sequence[Any],
    local: dict[str, float],
    glob: dict[str, float],
) -> list[float]:
    """Each candidate's score with every field's global `avgdl` in place of this shard's."""
    # A field is recognised by its local avgdl (phrase parts of an explanation do not name their field).
    by_local = {round(v, 3): glob.get(f, v) for f, v in local.items() if v > 0}
    return [_redo(json.loads(query.explain(searcher, a).to_json()), by_local) for a in addresses]


def _redo(node: dict[str, Any], by_local: dict[float, float]) -> float:
    value = float(node["value"])
    children = node.get("details", [])
    desc = str(node.get("description", ""))
    if desc.startswith(_TERM):
        norm = next((c for c in children if str(c.get("description", "")).startswith(_NORM)), None)
        if norm is None:
            return value
        avgdl = _detail(norm, "avgdl")
        new_avgdl = by_local.get(round(avgdl, 3), avgdl)
        old, new = _norm(norm, avgdl), _norm(norm, new_avgdl)
        return value * new / old if old > 0 else value
    if not children:
        return value
    if desc.startswith("Boost x"):
        return float(desc.split()[1][1:]) * _redo(children[0], by_local)
    # Sums (boolean clauses, phrase scorers): the same value moved by what the parts moved.
    return value + sum(_redo(c, by_local) - float(c["value"]) for c in children)


def _norm(node: dict[str, Any], avgdl: float) -> float:
    tf, dl = _detail(node, "freq"), _detail(node, "dl")
    return tf / (tf + K1 * (1 - B + B * dl / avgdl)) if avgdl > 0 else 0.0


def _detail(node: dict[str, Any], name: str) -> float:
    for child in node.get("details", []):
        if str(child.get("description", "")).startswith(f"{name},"):
            return float(child["value"])
    return 0.0


def _find(node: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if str(node.get("description", "")).startswith(prefix):
        return node
    for child in node.get("details", []):
        found = _find(child, prefix)
        if found is not None:
            return found
    return None
