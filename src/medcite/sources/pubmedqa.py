"""PubMedQA expert-labelled set (``ori_pqal.json``): 1,000 PubMed abstracts keyed by PMID.

``{PMID: {QUESTION, CONTEXTS[], LABELS[], MESHES[], YEAR, final_decision, LONG_ANSWER}}``. The
abstract's sections become blocks under their labels and LONG_ANSWER the "CONCLUSIONS" block.
The answer labels (final_decision, reasoning predictions) are never copied: they are what the
evaluation scores. For evaluation, ``PubMedQAReader(title_from_question=False)`` also keeps the
QUESTION out of the document entirely.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from medcite.errors import SourceError
from medcite.records import Audience, Block, Document, SourceType
from medcite.sources._input import Input
from medcite.sources._registry import BaseReader
from medcite.sources._text import clean, split_long

LICENCE = "MIT (PubMedQA)"
_DETECT = re.compile(rb'^\s*\{\s*"\d+"\s*:\s*\{\s*"(QUESTION|CONTEXTS)"')


class PubMedQAReader(BaseReader):
    """Reads PubMedQA's ``ori_pqal.json`` (and the same shape for PQA-A/PQA-U)."""

    name = "pubmedqa"
    description = "PubMedQA expert-labelled abstracts (JSON keyed by PMID; answer labels held out)"
    licence = LICENCE

    def __init__(self, *, title_from_question: bool = True) -> None:
        #: False: title "PubMed abstract <pmid>" and the question appears nowhere (evaluation).
        self.title_from_question = title_from_question

    def detect_input(self, inp: Input) -> bool:
        return inp.suffix == ".json" and bool(_DETECT.match(inp.head()))

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        try:
            data = json.loads(inp.read_text())
        except ValueError as exc:
            yield inp.error(f"malformed JSON ({exc})")
            return
        if not isinstance(data, dict):
            yield inp.error("not a PubMedQA object keyed by PMID")
            return
        for pmid, record in data.items():
            if not isinstance(record, dict) or not str(pmid).strip().isdigit():
                yield SourceError(f"{inp.origin}#{pmid}", "not a PubMedQA record")
                continue
            yield self._document(inp, str(pmid).strip(), record)

    def _document(self, inp: Input, pmid: str, record: dict[str, Any]) -> Document | SourceError:
        contexts = record.get("CONTEXTS") or []
        labels = record.get("LABELS") or []
        blocks: list[Block] = []
        for number, context in enumerate(contexts):
            label = clean(str(labels[number])) if number < len(labels) and labels[number] else ""
            blocks.extend(
                Block(text=piece, heading_path=(label,) if label else ())
                for piece in split_long(clean(str(context)))
                if piece
            )
        conclusion = clean(str(record.get("LONG_ANSWER") or ""))
        if conclusion:
            blocks.extend(Block(text=piece, heading_path=("CONCLUSIONS",)) for piece in split_long(conclusion))
        if not blocks:
            return SourceError(f"{inp.origin}#{pmid}", "no abstract")
        question = clean(str(record.get("QUESTION") or ""))
        year = str(record.get("YEAR") or "").strip()
        return Document(
            id=f"pmid:{pmid}",
            source="pubmedqa",
            title=question if self.title_from_question and question else f"PubMed abstract {pmid}",
            source_type=SourceType.RESEARCH,
            blocks=blocks,
            audience=Audience.CLINICIAN,
            year=int(year) if year.isdigit() else None,
            published=year or None,
            pmid=pmid,
            url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
            native_id=pmid,
            licence=LICENCE,
            origin=inp.origin,
            extra={"mesh": [clean(str(m)) for m in record.get("MESHES") or []]},
        )
