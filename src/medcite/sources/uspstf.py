"""U.S. Preventive Services Task Force recommendations (the API's JSON export).

``{"specificRecommendations": [{id, title, grade, sex, ageRange, text, servFreq, riskText, ...}]}``:
one Document per recommendation, graded A/B/C/D/I.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from medcite.errors import SourceError
from medcite.records import Audience, Block, BlockKind, Document, SourceType
from medcite.sources._html import html_text
from medcite.sources._input import Input
from medcite.sources._registry import BaseReader
from medcite.sources._text import clean, split_long

LICENCE = "US government work (public domain)"
ORGANISATION = "U.S. Preventive Services Task Force (USPSTF)"
URL = "https://www.uspreventiveservicestaskforce.org/"
_DETECT = re.compile(rb'^\s*\{\s*"specificRecommendations"\s*:')


class UspstfReader(BaseReader):
    """Reads the USPSTF ``specificRecommendations`` JSON."""

    name = "uspstf"
    description = "U.S. Preventive Services Task Force graded recommendations (API JSON)"
    licence = LICENCE

    def detect_input(self, inp: Input) -> bool:
        return inp.suffix == ".json" and bool(_DETECT.match(inp.head()))

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        try:
            data = json.loads(inp.read_text())
        except ValueError as exc:
            yield inp.error(f"malformed JSON ({exc})")
            return
        records = data.get("specificRecommendations") if isinstance(data, dict) else None
        if not isinstance(records, list):
            yield inp.error("no specificRecommendations list")
            return
        for number, record in enumerate(records):
            if not isinstance(record, dict) or record.get("id") is None or not record.get("text"):
                yield SourceError(f"{inp.origin}#{number}", "recommendation without id or text")
                continue
            yield _document(inp, record)


def _document(inp: Input, rec: dict[str, Any]) -> Document:
    grade = clean(str(rec.get("grade") or "")) or None
    block_grade = f"USPSTF grade {grade}" if grade else None
    title = clean(str(rec.get("title") or "")) or f"USPSTF recommendation {rec['id']}"
    text = html_text(str(rec["text"]))
    blocks = [
        Block(text=piece, heading_path=(title,), kind=BlockKind.RECOMMENDATION, evidence=block_grade)
        for piece in split_long(text)
    ]
    risk = html_text(str(rec.get("riskText") or ""))
    frequency = html_text(str(rec.get("servFreq") or ""))
    if risk:
        blocks.append(Block(text=risk, heading_path=(title, "Risk assessment")))
    if frequency and frequency != risk and frequency not in text:
        blocks.append(Block(text=frequency, heading_path=(title, "Screening interval")))
    age = rec.get("ageRange")
    return Document(
        id=f"uspstf:{rec['id']}",
        source="uspstf",
        title=title,
        source_type=SourceType.GUIDELINE,
        blocks=blocks,
        audience=Audience.CLINICIAN,
        organisation=ORGANISATION,
        url=URL,
        native_id=str(rec["id"]),
        evidence=f"Grade {grade}" if grade else None,
        licence=LICENCE,
        origin=inp.origin,
        extra={
            "grade": grade,
            "sex": clean(str(rec.get("sex") or rec.get("gender") or "")) or None,
            "ageRange": age if isinstance(age, list) else None,
            "servFreq": frequency or None,
            "riskText": risk or None,
            "riskName": clean(str(rec.get("riskName") or "")) or None,
        },
    )
