"""MedQuAD: question-answer pairs from 12 NIH websites, one XML file per topic (patient audience).

Only the answers are indexed. The questions are MedQuAD's evaluation queries, so they never
appear in a block or a title: they are kept in ``extra["questions"]``, and a question that an
answer repeats word for word (GARD answers open with it) is cut out of the answer text.

Document ids are ``medquad:<source>/<file stem>`` (e.g. ``medquad:GHR/0000001``): MedQuAD's own
``Document@id`` repeats across its 12 collections (GARD, GHR, ... all start at 0000001, and
several CancerGov files share one id), so it cannot name a document alone. It is kept as
``native_id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element

from medcite.errors import SourceError
from medcite.records import Audience, Block, Document, SourceType
from medcite.sources._input import Input
from medcite.sources._registry import BaseReader
from medcite.sources._text import BlockBuilder, clean
from medcite.sources._xml import parse_xml, text_of

LICENCE = "CC BY 4.0 (MedQuAD); text from NIH websites"

ORGANISATIONS = {
    "CancerGov": "National Cancer Institute (cancer.gov)",
    "GARD": "Genetic and Rare Diseases Information Center (GARD)",
    "GHR": "Genetics Home Reference (NLM)",
    "MPlusHealthTopics": "MedlinePlus Health Topics (NLM)",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)",
    "NINDS": "National Institute of Neurological Disorders and Stroke (NINDS)",
    "NIHSeniorHealth": "NIHSeniorHealth (NIH)",
    "SeniorHealth": "NIHSeniorHealth (NIH)",
    "NHLBI": "National Heart, Lung, and Blood Institute (NHLBI)",
    "CDC": "Centers for Disease Control and Prevention (CDC)",
    "ADAM": "A.D.A.M. Medical Encyclopedia (MedlinePlus)",
    "MPlusDrugs": "MedlinePlus Drug Information (NLM)",
    "MPlusHerbsSupplements": "MedlinePlus Herbs and Supplements (NLM)",
}
QTYPE_LABELS = {
    "information": "Overview",
    "exams and tests": "Diagnosis",
    "when to contact a medical professional": "When to see a doctor",
    "genetic changes": "Genetic changes",
    "support groups": "Support groups",
    "how can i learn more": "More information",
}
_FOLDER_SOURCE = re.compile(r"(?:^|/)\d+_([A-Za-z]+?)(?:_QA)?(?:_XML)?/")
_SEGMENT = re.compile(r"\s{3,}|\s{2,}(?=-\s)")
_SENTENCE_END = re.compile(r"(?<=[.?!])([ \t]+)")
_NOT_WORD = re.compile(r"[\W_]+")


class MedQuadReader(BaseReader):
    """Reads MedQuAD topic files (the three ``<Document>``, ``<doc>`` and ``<DiseaseFile>`` shapes)."""

    name = "medquad"
    description = "MedQuAD consumer-health answers from 12 NIH websites (XML; questions held out)"
    licence = LICENCE
    corpus = True

    def detect_input(self, inp: Input) -> bool:
        if inp.suffix != ".xml":
            return False
        head = inp.head()
        return any(tag in head for tag in (b"<QAPairs", b"<qaPairs", b"<Focus>", b"<doctitle-focus>"))

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        root = parse_xml(inp)
        if not {_local(e.tag) for e in root.iter()} & {"qapair", "pair", "focus", "doctitle-focus"}:
            yield inp.error("not a MedQuAD question-answer file")
            return
        yield _document(inp, root)


def _local(tag: Any) -> str:
    return tag.lower() if isinstance(tag, str) else ""


def _child(elem: Element, *names: str) -> Element | None:
    for child in elem.iter():
        if _local(child.tag) in names:
            return child
    return None


def _document(inp: Input, root: Element) -> Document | SourceError:
    native = root.get("id") or root.get("docid") or root.get("fid") or ""
    stem = PurePosixPath(inp.name).name.rsplit(".", 1)[0]
    folder = _FOLDER_SOURCE.search(inp.name)
    source = root.get("source") or root.get("corpus") or (folder.group(1) if folder else "") or "MedQuAD"
    focus = clean(text_of(_child(root, "focus", "doctitle-focus"))) or stem
    questions: list[dict[str, str | bool]] = []
    answered: list[tuple[str, str]] = []
    for pair in (e for e in root.iter() if _local(e.tag) in ("qapair", "pair")):
        question = _child(pair, "question")
        answer = text_of(_child(pair, "answer"))
        qtype = (question.get("qtype") if question is not None else None) or "information"
        questions.append(
            {
                "qid": (question.get("qid") if question is not None else None) or "",
                "qtype": qtype,
                "question": clean(text_of(question)),
                "answered": bool(answer.strip()),
            }
        )
        if answer.strip():
            answered.append((qtype, answer))
    if not answered:
        return inp.error("no answered question-answer pairs")
    blocks = _answer_blocks(focus, answered, [str(q["question"]) for q in questions])
    return Document(
        id=f"medquad:{source}/{stem}",
        source="medquad",
        title=focus,
        source_type=SourceType.CONSUMER_HEALTH,
        blocks=blocks,
        audience=Audience.PATIENT,
        organisation=ORGANISATIONS.get(source, source),
        url=root.get("url") or None,
        native_id=native or stem,
        licence=LICENCE,
        origin=inp.origin,
        extra={
            "questions": questions,
            "skipped_unanswered": len(questions) - len(answered),
            "medquad_source": source,
        },
    )


def qtype_label(qtype: str) -> str:
    """Readable heading for a MedQuAD question type ("exams and tests" -> "Diagnosis")."""
    return QTYPE_LABELS.get(qtype.lower(), qtype[:1].upper() + qtype[1:])


def _answer_blocks(focus: str, answered: list[tuple[str, str]], questions: list[str]) -> list[Block]:
    held_out = {_norm(q) for q in questions if q}
    blocks: list[Block] = []
    for qtype, answer in answered:
        builder = BlockBuilder((focus, qtype_label(qtype)))
        _feed_answer(builder, _without_questions(answer, held_out))
        blocks.extend(builder.finish())
    return blocks


def _feed_answer(builder: BlockBuilder, answer: str) -> None:
    """Answers mark paragraphs with line breaks and bullets with " - " runs; short bare lines are headings."""
    lines = [line.strip() for line in answer.splitlines() if line.strip()]
    for number, line in enumerate(lines):
        segments = [s.strip() for s in _SEGMENT.split(line) if s.strip()]
        items: list[str] = []
        for segment in segments:
            if segment.startswith("- ") or segment == "-":
                items.append(segment[1:].strip())
                continue
            if items:
                builder.bullets(items)
                items = []
            next_is_list = number + 1 < len(lines) and lines[number + 1].startswith("- ")
            if len(segments) == 1 and _is_heading(segment) and not next_is_list and number + 1 < len(lines):
                builder.heading(3, segment)
            elif next_is_list and len(segments) == 1 and not segment.endswith((".", ":", "?", "!")):
                builder.paragraph(segment + ":")  # "Other symptoms include" introduces the list below
            else:
                builder.paragraph(segment)
        if items:
            builder.bullets(items)


def _is_heading(line: str) -> bool:
    return len(line) <= 80 and line[:1].isupper() and not line.endswith((".", ":", ";", ",", "?", "!"))


def _norm(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


def _without_questions(answer: str, held_out: set[str]) -> str:
    """Remove question sentences that would leak evaluation queries into the index.

    That is any sentence repeating one of the file's questions, and a question that opens the
    answer (GARD answers start by restating their question, e.g. "What are the signs and
    symptoms of X?"). Questions inside an answer's text ("questions to ask your doctor") stay.
    """
    if "?" not in answer:
        return answer
    lines = []
    opening = True
    for line in answer.split("\n"):
        if "?" in line:
            # split() keeps the separators at odd positions, so spacing survives untouched
            parts = _SENTENCE_END.split(line.lstrip() if opening else line)
            line = "".join(
                part
                for i, part in enumerate(parts)
                if i % 2 or not _is_held_out(part, held_out, opening=opening and i == 0)
            )
        opening = opening and not line.strip()
        lines.append(line)
    return "\n".join(lines)


def _is_held_out(sentence: str, held_out: set[str], *, opening: bool) -> bool:
    if not sentence.rstrip().endswith("?"):
        return False
    norm = _norm(sentence)
    # CDC pages glue navigation onto the question ("Top of page How is VRE spread?")
    return opening or norm in held_out or any(norm.endswith(" " + q) for q in held_out)
