"""Generative composer: a language model writes, the program cites and checks.

The model sees numbered passages and is asked for a bottom line and bulleted sections. Its own
"[n]" markers are only hints: for every sentence the program picks the passages that the
entailment judge finds support it, and a sentence no passage supports is flagged unsupported.
With no endpoint or model configured this fails closed (BackendError / ModelUnavailable).
"""

from __future__ import annotations

import re
from typing import Literal

from medcite.answer.compose.base import ComposeContext, Draft, DraftSection, section_title
from medcite.models import Message, create
from medcite.models.base import Generator, Judge
from medcite.records import Claim, EvidenceLevel, Hit
from medcite.retrieve.grade import evidence_level
from medcite.settings import Settings
from medcite.text import split_sentences

SYSTEM = (
    "You are a clinical evidence summariser for health professionals. Answer ONLY from the numbered "
    "passages. Never add facts that are not in them. If they do not answer the question, reply exactly "
    "INSUFFICIENT EVIDENCE. Write:\nBOTTOM LINE: one to three sentences that answer directly, each ending "
    "with the passage numbers it rests on, like [1] or [1][3].\nThen zero or more sections:\nSECTION: <title>\n"
    "- <one sentence> [n]\nUse section titles such as Timing and escalation, Treatment options, Diagnostic "
    "work-up, Special populations, Pitfalls to avoid."
)
_MARK = re.compile(r"\[(\d+)\]")
Backend = Literal["openai", "gguf", "fake"]


class GenerativeComposer:
    def __init__(self, settings: Settings, backend: Backend) -> None:
        self.settings = settings
        self.generator: Generator = create("generator", backend, settings)
        judge_name = settings.llm.judge
        self.judge: Judge = create("judge", judge_name, settings)
        self.name = f"generative/{self.generator.name}"

    def compose(self, ctx: ComposeContext) -> Draft:
        passages = _passages(ctx.hits, ctx.settings.answer.max_references)
        prompt = _prompt(ctx.question, passages)
        text = self.generator.complete(
            [Message("system", SYSTEM), Message("user", prompt)],
            max_tokens=self.settings.llm.max_tokens,
            temperature=self.settings.llm.temperature,
        )
        if "INSUFFICIENT EVIDENCE" in text.upper():
            return Draft(
                bottom_line=[],
                sections=[],
                model=self.generator.name,
                notes=["The language model judged the retrieved passages insufficient."],
            )
        bottom, sections = _parse(text)
        return Draft(
            bottom_line=[self._claim(s, passages) for s in bottom],
            sections=[
                DraftSection(
                    facet=_facet(title),
                    title=title or section_title("background", ctx.audience),
                    items=[self._claim(s, passages) for s in items],
                )
                for title, items in sections
                if items
            ],
            model=self.generator.name,
        )

    def _claim(self, sentence: str, passages: list[Hit]) -> Claim:
        """Cite the passages the judge finds supporting the sentence (model's markers are hints)."""
        hinted = [int(n) for n in _MARK.findall(sentence) if 0 < int(n) <= len(passages)]
        text = _MARK.sub("", sentence).strip()
        order = list(dict.fromkeys([*(h - 1 for h in hinted), *range(len(passages))]))
        scored = [(self.judge.entailment(passages[i].chunk.text, text), i) for i in order]
        good = [i for s, i in scored if s >= self.settings.answer.min_support]
        chosen = good[:2] or [i for _, i in scored[:1]]
        level = max(
            (evidence_level(passages[i].doc, passages[i].chunk.evidence) for i in chosen),
            key=_rank,
            default=EvidenceLevel.UNGRADED,
        )
        return Claim(text=text, passages=[passages[i].chunk.id for i in chosen], generated=True, level=level)


def _rank(level: EvidenceLevel) -> int:
    return [
        EvidenceLevel.UNGRADED,
        EvidenceLevel.VERY_LOW,
        EvidenceLevel.LOW,
        EvidenceLevel.MODERATE,
        EvidenceLevel.HIGH,
    ].index(level)


def _passages(hits: list[Hit], limit: int) -> list[Hit]:
    return hits[:limit]


def _prompt(question: str, passages: list[Hit]) -> str:
    blocks = []
    for i, h in enumerate(passages, start=1):
        org = h.doc.organisation or h.doc.journal or h.doc.source
        blocks.append(f"[{i}] {h.doc.title} ({org}, {h.doc.year or 'n.d.'})\n{h.chunk.text}")
    return f"Question: {question}\n\nPassages:\n" + "\n".join(blocks)


def _parse(text: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    bottom: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        upper = line.upper()
        if upper.startswith("BOTTOM LINE:"):
            bottom.extend(split_sentences(line.split(":", 1)[1].strip()))
        elif upper.startswith("SECTION:"):
            sections.append((line.split(":", 1)[1].strip().strip("*# "), []))
        elif line.startswith(("-", "*", "•")) and sections:
            sections[-1][1].extend(split_sentences(line.lstrip("-*• ").strip()))
        elif not sections:
            bottom.extend(split_sentences(line))
        else:
            sections[-1][1].extend(split_sentences(line))
    return bottom[:3], sections


def _facet(title: str) -> str:
    t = title.lower()
    for key, cue in (
        ("pitfalls", "pitfall"),
        ("pitfalls", "avoid"),
        ("timing", "timing"),
        ("timing", "escalat"),
        ("treatment", "treat"),
        ("diagnosis", "diagnos"),
        ("populations", "population"),
        ("red_flags", "red flag"),
        ("screening", "screen"),
    ):
        if cue in t:
            return key
    return "background"
