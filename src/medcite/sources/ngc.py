"""National Guideline Clearinghouse (AHRQ) guideline summaries: ``summaries/ngc-<number>.xml``.

Each file is ``Section/Field[@Name]/FieldValue[@Value]`` with escaped HTML in the values. Only
the clinical content becomes blocks (Major Recommendations first, then algorithms, condition,
objectives, population, interventions, benefits, harms, contraindications); bibliographic and
method fields go to ``Document.extra``, and so does the rating-scheme/definitions tail that most
Major Recommendations fields end with, so scheme definitions never pose as recommendations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from medcite.errors import SourceError
from medcite.records import Audience, Document, SourceType
from medcite.sources._grading import is_grading_only
from medcite.sources._html import Event, feed, html_events, html_lines, html_text, parse_fragment
from medcite.sources._input import Input
from medcite.sources._registry import BaseReader
from medcite.sources._text import BlockBuilder, clean
from medcite.sources._xml import parse_xml

LICENCE = "NGC summary (AHRQ); guideline under its developer's copyright — development and evaluation use"

_NAME = re.compile(r"(?:^|/)ngc-(\d+)\.xml$", re.IGNORECASE)
_RECOMMENDATIONS = "Major Recommendations"
#: Fields indexed as blocks after the recommendations, in this order; their name starts the heading path.
CONTENT_FIELDS = (
    "Clinical Algorithm(s)",
    "Disease/Condition(s)",
    "Guideline Objective(s)",
    "Target Population",
    "Interventions and Practices Considered",
    "Potential Benefits",
    "Potential Harms",
    "Contraindications",
)
# Headings that open the rating-scheme / definitions tail of "Major Recommendations".
_TAIL_HEADING = re.compile(
    r"^(?!.*rationale)(?:definitions?\b|key to\b|"
    r"explanation of (?:the )?(?:evidence|grad|rating|strength|levels?)|"
    r"(?:the )?(?:strength|grades?|grading|levels?|class(?:es|ification)?|categories|quality|rating|wording|"
    r"types?|definitions?) of (?:the )?(?:evidence|recommendations?|statements?)|"
    r"(?:evidence|recommendation)s? "
    r"(?:levels?|grades?|grading|ratings?|strength|categories|wording|classification)|"
    r"levels? of certainty|what the .{0,60}grades mean|relative radiation level|"
    r".{0,80}\b(?:grading system|rating scheme|grading scheme|nomenclature|rating system))",
    re.IGNORECASE,
)
_DEFINITIONS = re.compile(r"^definitions?\s*:?$", re.IGNORECASE)
_SCHEMEISH = re.compile(
    r"^(?:class|level|grade|category|type|tier)\s+[\w/+-]{1,8}\b|evidence|grading|grade|certainty|strength|"
    r"rating|classification|definition|abbreviation|footnote|interpretation|nomenclature",
    re.IGNORECASE,
)
_NGC_NOTE = re.compile(r"^note from (?:the )?.{0,120}(?:national guideline clearinghouse|\(NGC\))", re.IGNORECASE)
_FIELD_MENTION = re.compile(r"\"[A-Z][^\"]{2,80}\" field|\bNGC\b|National Guideline Clearinghouse")
_EVIDENCE_STATEMENT = re.compile(
    r"^(?:(?:strong|weak|conditional|moderate)\s+recommendation|option|recommendation)\s+(?:based|for|against)\b",
    re.IGNORECASE,
)
_DEVELOPER_KIND = re.compile(r"\s+-\s+[A-Z][A-Za-z/ ]+(?:\s*\[[^\]]+\])?\s*$")
_PUBLISHER = re.compile(r"(?:^|[.]\s+)[A-Z][\w .'-]{1,40}?(?:\s*\([^()]{1,25}\))?:\s*([^;:]{3,200}?);\s*\[?(\d{4})\b")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


class NgcReader(BaseReader):
    """Reads NGC summary XML files (from a folder or straight out of the archive)."""

    name = "ngc"
    description = "National Guideline Clearinghouse guideline summaries (AHRQ, archived 2018), XML"
    licence = LICENCE
    corpus = True

    def detect_input(self, inp: Input) -> bool:
        if inp.suffix != ".xml":
            return False
        if _NAME.search(inp.name):
            return True
        head = inp.head()
        return b"<xmlSource>" in head and b"National Guideline Clearinghouse" in head

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        fields = _fields(parse_xml(inp))
        if "Guideline Title" not in fields:
            yield inp.error("not a guideline summary")
            return
        yield _document(inp, fields)


def _fields(root: Element) -> dict[str, list[str]]:
    """Field name -> its FieldValue values (first occurrence of a repeated field wins)."""
    fields: dict[str, list[str]] = {}
    for field in root.iter("Field"):
        name = field.get("Name")
        if name and name not in fields:
            fields[name] = [v.get("Value") or "" for v in field.findall("FieldValue")]
    return fields


def _document(inp: Input, fields: dict[str, list[str]]) -> Document:
    match = _NAME.search(inp.name)
    number = match.group(1) if match else inp.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    def text(name: str) -> str:
        return " ".join(html_text(v) for v in fields.get(name, [])).strip()

    def lines(name: str) -> str:
        return "\n".join(html_lines(v) for v in fields.get(name, [])).strip()

    citation = text("Bibliographic Source(s)")
    developers = [_strip_kind(clean(v)) for v in fields.get("Guideline Developer(s)", []) if clean(v)]
    released = text("Date Released")
    blocks, definitions = _recommendation_blocks(fields.get(_RECOMMENDATIONS, []))
    for name in CONTENT_FIELDS:
        for value in fields.get(name, []):
            events = html_events(parse_fragment(value), styled_headings=True)
            blocks.extend(feed(BlockBuilder((name,)), events).finish())
    year = _year(released) or _year(_publisher_match(citation)[1] if citation else "")
    return Document(
        id=f"ngc:{number}",
        source="ngc",
        title=text("Guideline Title").rstrip(".").strip(),
        source_type=SourceType.GUIDELINE,
        blocks=blocks,
        audience=Audience.CLINICIAN,
        organisation=_publisher_match(citation)[0] or (developers[0] if developers else None),
        year=year,
        published=released or None,
        url=_availability_url(fields.get("Guideline Availability", [])),
        native_id=number,
        licence=LICENCE,
        origin=inp.origin,
        extra={
            "developer": developers,
            "citation": citation,
            "status": text("Guideline Status"),
            "disease_condition": text("Disease/Condition(s)"),
            "target_population": lines("Target Population"),
            "rating_scheme": {
                "evidence": lines("Rating Scheme for the Strength of the Evidence"),
                "recommendations": lines("Rating Scheme for the Strength of the Recommendations"),
                "definitions": definitions,
            },
            "intended_users": [clean(v) for v in fields.get("Intended Users", []) if clean(v)],
            "specialty": [clean(v) for v in fields.get("Clinical Specialty", []) if clean(v)],
            "category": [clean(v) for v in fields.get("Guideline Category", []) if clean(v)],
            "endorsers": [_strip_kind(clean(v)) for v in fields.get("Guideline Endorser(s)", []) if clean(v)],
        },
    )


def _recommendation_blocks(values: list[str]) -> tuple[list, str]:
    """Blocks of "Major Recommendations" and the definitions tail cut from it (as plain text)."""
    blocks = []
    tails: list[str] = []
    for value in values:
        events = _editorial_removed(html_events(parse_fragment(value), styled_headings=True))
        cut = definitions_start(events)
        tails.extend(e.plain() for e in events[cut:])
        builder = BlockBuilder(mode="recommendations")
        blocks.extend(feed(builder, events[:cut]).finish())
    return blocks, "\n".join(t for t in tails if t)


def _editorial_removed(events: list[Event]) -> list[Event]:
    """Drop NGC's own notes; turn styled grading lines ("Strong recommendation based on ...") into text."""
    kept: list[Event] = []
    preamble = True
    for event in events:
        if event.kind in ("paragraph", "heading") and _NGC_NOTE.match(event.text):
            continue
        if event.kind == "heading":
            if is_grading_only(event.text) or _EVIDENCE_STATEMENT.match(event.text):
                event = Event("paragraph", f"({event.text.strip('()[] .')})")
            else:
                preamble = False
        elif preamble and event.kind == "paragraph" and _FIELD_MENTION.search(event.text):
            # NGC's editorial lead-in ("... defined at the end of the 'Major Recommendations' field")
            continue
        kept.append(event)
    return kept


def definitions_start(events: list[Event]) -> int:
    """Index where the rating-scheme/definitions tail begins (len(events) when there is none).

    The tail opens with a heading such as "Definitions", "Strength of Recommendations" or
    "Levels of Evidence" and runs to the end. Later headings at the same or a higher level must
    look like scheme material too ("Class I", "Consensus Statements"); for a plain "Definitions"
    heading most of them must. Otherwise the heading was a mid-text section and nothing is cut.
    """
    headings = [(i, e) for i, e in enumerate(events) if e.kind == "heading"]
    for pos, (index, event) in enumerate(headings):
        exact = bool(_DEFINITIONS.match(event.text))
        if not exact and not _TAIL_HEADING.match(event.text):
            continue
        if not any(e.kind != "heading" for e in events[:index]):
            continue  # nothing before it: these are the guideline's own definitions, not a scheme
        later = [e for _, e in headings[pos + 1 :] if e.level <= event.level]
        schemeish = sum(bool(_TAIL_HEADING.match(e.text) or _SCHEMEISH.search(e.text)) for e in later)
        if schemeish == len(later) or (exact and schemeish * 2 >= len(later)):
            return index
    return len(events)


def _strip_kind(developer: str) -> str:
    """'National Guideline Centre - National Government Agency [Non-U.S.]' -> 'National Guideline Centre'."""
    return _DEVELOPER_KIND.sub("", developer).strip() or developer


def _publisher_match(citation: str) -> tuple[str | None, str]:
    """Publisher and year named in a citation ("London (UK): NICE; 2016 Nov 30"), else (None, '')."""
    matches = list(_PUBLISHER.finditer(citation))
    if not matches:
        return None, ""
    last = matches[-1]
    return clean(last.group(1)), last.group(2)


def _year(text: str) -> int | None:
    """Latest year in a date: "1995 (revised 2014)" is the 2014 guideline."""
    years = [int(m.group(0)) for m in _YEAR.finditer(text or "")]
    return max(years) if years else None


def _availability_url(values: list[str]) -> str | None:
    """First web link in "Guideline Availability" (where the full guideline was published)."""
    for value in values:
        for link in parse_fragment(value).iter("a"):
            href = (link.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                return href
    return None
