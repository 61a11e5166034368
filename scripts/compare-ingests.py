"""Two ingests of the same documents, compared: the vectors stored for the same texts, and the top-10
searches and answers of the two indexes (e.g. a Ray Data ingest's shard snapshots vs a single-process
ingest's index). Prints one JSON object.

    .venv/bin/python scripts/compare-ingests.py SINGLE_HOME RAY_HOME --shards 2 [--sets uspstf,pubmedqa]
        [--answers uspstf] [--n 100]

SINGLE_HOME is read as its own index (no snapshots); RAY_HOME through its snapshot folder
(<home>/snapshots, `--shards` shards) in this process (no Ray needed to read them).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from medcite.engine import Medcite
from medcite.evaluate.runner import build_set
from medcite.evaluate.scaling import answer_key, answer_questions
from medcite.settings import Settings


def vectors(mc: Medcite) -> dict[str, np.ndarray]:
    rows = mc.store.catalog.query("SELECT hash, vector FROM embeddings")
    return {str(h): np.frombuffer(bytes(v), dtype=np.float16).astype(np.float32) for h, v in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("single", type=Path)
    parser.add_argument("other", type=Path)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--sets", default="uspstf,pubmedqa")
    parser.add_argument("--answers", default="uspstf")
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args()
    single = Medcite(Settings(home=args.single))
    s = Settings(home=args.other)
    s.index.snapshot_dir, s.index.shards = args.other / "snapshots", args.shards
    other = Medcite(s)
    a, b = vectors(single), vectors(other)
    keys = sorted(set(a) & set(b))
    out: dict[str, object] = {
        "vectors": {
            "common": len(keys),
            "only_one": len(set(a) ^ set(b)),
            "bitwise_equal": sum(a[k].tobytes() == b[k].tobytes() for k in keys),
            "max_abs_diff": round(max(float(np.abs(a[k] - b[k]).max()) for k in keys), 5),
            "min_cosine": round(min(float(a[k] @ b[k] / np.linalg.norm(a[k]) / np.linalg.norm(b[k])) for k in keys), 6),
        }
    }
    questions = [i.question for name in args.sets.split(",") for i in build_set(name, single.settings, args.n)]
    for mode in ("hybrid", "lexical", "dense"):
        got = [
            (
                [h.chunk.id for h in single.search(q, k=10, mode=mode).hits],
                [h.chunk.id for h in other.search(q, k=10, mode=mode).hits],
            )
            for q in questions
        ]
        out[f"{mode}_same_top10_ordered"] = round(sum(x == y for x, y in got) / len(got), 4)
        out[f"{mode}_same_top10_set"] = round(sum(set(x) == set(y) for x, y in got) / len(got), 4)
    out["questions"] = len(questions)
    asked = answer_questions([x for x in args.answers.split(",") if x])
    pairs = [(answer_key(single.ask(q)), answer_key(other.ask(q))) for _, q in asked]
    out["answers"] = len(pairs)
    out["same_bottom_line_and_citations"] = round(
        sum(x["bottom_line"] == y["bottom_line"] and x["bottom_line_cites"] == y["bottom_line_cites"] for x, y in pairs)
        / max(1, len(pairs)),
        4,
    )
    out["same_answer"] = round(sum(x == y for x, y in pairs) / max(1, len(pairs)), 4)
    print(json.dumps(out))
    single.close()
    other.close()


if __name__ == "__main__":
    main()
