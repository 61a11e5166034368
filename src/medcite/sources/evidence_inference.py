"""Evidence Inference 2.0 trial abstracts: JSONL (optionally gzipped) of ``{pmcid, title, abstract[]}``.

``abstract`` is a list of ``{label, text}`` sections.

One Document per line; randomised controlled trials from the PMC open-access subset. A bad
line is reported with its line number and reading goes on.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

from medcite.errors import SourceError
from medcite.records import Audience, Block, Document, SourceType
from medcite.sources._input import MAX_FILE_BYTES, Input
from medcite.sources._registry import BaseReader
from medcite.sources._text import clean, split_long

LICENCE = "MIT (dataset); articles under their open-access licences"
_DETECT = re.compile(rb'^\s*\{[^\n]*"pmcid"\s*:[^\n]*"abstract"\s*:')


class EvidenceInferenceReader(BaseReader):
    """Reads ``abstracts.derived.jsonl(.gz)`` line by line."""

    name = "evidence-inference"
    description = "Evidence Inference 2.0 randomised-trial abstracts from PMC (JSONL)"
    licence = LICENCE

    def detect_input(self, inp: Input) -> bool:
        return inp.suffix in (".jsonl", ".ndjson") and bool(_DETECT.match(inp.head()))

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        try:
            with inp.open() as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
                read = 0
                for number, line in enumerate(text, start=1):
                    read += len(line)
                    if read > MAX_FILE_BYTES:
                        yield inp.error(f"content too large (over {MAX_FILE_BYTES:,} bytes); stopped at line {number}")
                        return
                    if line.strip():
                        yield _document(inp, number, line)
        except (OSError, EOFError) as exc:
            yield inp.error(f"cannot read file ({exc})")


def _document(inp: Input, number: int, line: str) -> Document | SourceError:
    where = f"{inp.origin}:{number}"
    try:
        record: Any = json.loads(line)
    except ValueError as exc:
        return SourceError(where, f"malformed JSON line ({exc})")
    pmcid = clean(str(record.get("pmcid") or "")) if isinstance(record, dict) else ""
    if not pmcid:
        return SourceError(where, "record without pmcid")
    pmcid = pmcid if pmcid.upper().startswith("PMC") else f"PMC{pmcid}"
    blocks: list[Block] = []
    for section in record.get("abstract") or []:
        if isinstance(section, dict):
            label = clean(str(section.get("label") or ""))
            text = clean(str(section.get("text") or ""))
            blocks.extend(Block(text=p, heading_path=(label,) if label else ()) for p in split_long(text) if p)
    if not blocks:
        return SourceError(where, "no abstract")
    return Document(
        id=f"pmc:{pmcid}",
        source="evidence-inference",
        title=clean(str(record.get("title") or "")) or pmcid,
        source_type=SourceType.RANDOMISED_TRIAL,
        blocks=blocks,
        audience=Audience.CLINICIAN,
        pmcid=pmcid,
        url=f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/",
        native_id=pmcid,
        licence=LICENCE,
        origin=inp.origin,
    )
