"""Labelled question sets for evaluation.

- Hand-written sets (src/medcite/evaluate/questions/*.jsonl, see its README): NGC and USPSTF
  clinician questions with the guideline that holds the answer and key terms, open-medicine
  questions, unanswerable, non-medical, red-flag and patient questions.
- Sets derived from ../shared/data, where the answer's location is known: MedQuAD question ->
  its document (question texts are never indexed), PubMedQA question -> its abstract (indexed
  without its question as title).
"""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from medcite.errors import InvalidInput


@dataclass
class Item:
    id: str
    question: str
    relevant: set[str]
    key_terms: list[list[str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def load_jsonl(name: str) -> list[dict[str, Any]]:
    """A packaged question set by file name (e.g. 'ngc_clinician.jsonl')."""
    path = resources.files("medcite.evaluate") / "questions" / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInput(f"no question set {name!r}") from exc
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def handwritten(name: str) -> list[Item]:
    items = []
    for row in load_jsonl(name):
        rel = set(row.get("doc_ids", [])) | set(row.get("also_ok", []))
        items.append(
            Item(id=row["id"], question=row["question"], relevant=rel, key_terms=row.get("key_terms", []), meta=row)
        )
    return items


def medquad_items(shared: Path, n: int, seed: int = 13) -> list[Item]:
    """Sample `n` answered MedQuAD questions; relevant = the document (as the reader ids it) holding the answer."""
    if not (shared / "medquad.tar.gz").exists():
        return []
    from medcite.records import Document
    from medcite.settings import Settings
    from medcite.sources import read_target

    pool: list[Item] = []
    for doc in read_target("medquad", Settings(shared_data=shared)):
        if not isinstance(doc, Document):
            continue
        for q in doc.extra.get("questions", []):
            if q.get("answered") and q.get("question"):
                pool.append(
                    Item(
                        id=str(q.get("qid") or f"{doc.id}-{len(pool)}"),
                        question=str(q["question"]),
                        relevant={doc.id},
                        meta={"qtype": q.get("qtype")},
                    )
                )
    random.Random(seed).shuffle(pool)
    return pool[:n]


def pubmedqa_items(shared: Path, n: int, seed: int = 13) -> list[Item]:
    path = shared / "pubmedqa" / "ori_pqal.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    items = [
        Item(
            id=f"pqa-{pmid}",
            question=row["QUESTION"],
            relevant={f"pmid:{pmid}"},
            meta={"final_decision": row.get("final_decision")},
        )
        for pmid, row in data.items()
    ]
    random.Random(seed).shuffle(items)
    return items[:n]


def kqa_items(shared: Path) -> list[dict[str, Any]]:
    path = shared / "k-qa" / "questions_w_answers.dev.jsonl"
    if not path.exists():
        return []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
