"""Text helpers shared by every reader: cleaning, block building, table rows.

All text a reader puts into a Document passes through :func:`clean` (mojibake repair with ftfy,
then whitespace normalisation). Readers describe a document's structure to a :class:`BlockBuilder`
(headings, paragraphs, bullet lists, tables) and get ``Block`` objects back that follow the
shared rules: heading paths from headings, a lead-in ending with ':' plus its bullet list is one
block, a table row is one readable TABLE block, stated gradings go into ``Block.evidence``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Literal

import ftfy

from medcite.records import Block, BlockKind
from medcite.sources._grading import find_grading, heading_grading, is_grading_only

# ftfy's default turns curly quotes into straight ones; we want mojibake repaired, not quotes rewritten.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False)

_SPACE_RUN = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n+")

#: Longest text one block may hold; longer paragraphs are split (keeps every later stage linear).
MAX_BLOCK_CHARS = 20_000

Mode = Literal["recommendations", "guideline", "plain"]


# What ftfy could change: UTF-8 read as Latin-1/cp1252 (a lead byte Â..ô then a continuation
# character), C1 controls, replacement chars, surrogates, ligatures, fullwidth forms, escapes, entities.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\x1b\u0080-\u009f\ufffd\ud800-\udfff\ufb00-\ufb06\uff01-\uff5e]|&#?[0-9A-Za-z]+;"
)


def fix(text: str) -> str:
    """Repair mojibake and odd characters (ftfy, curly quotes kept); leaves whitespace alone."""
    # ftfy runs at a few MB/s; text with nothing it could fix only needs NFC (ftfy's last step).
    if text.isascii() and "&" not in text and "\x1b" not in text:
        return text
    if not _SUSPECT.search(text):
        return text if text.isascii() else unicodedata.normalize("NFC", text)
    return ftfy.fix_text(text, _FTFY)


def clean(text: str | None) -> str:
    """Fix and collapse all whitespace (newlines included) to single spaces."""
    if not text:
        return ""
    return " ".join(_CONTROL.sub("", fix(text)).split())


def clean_lines(text: str | None) -> str:
    """Fix and normalise spaces but keep line structure (code blocks, ASCII algorithms)."""
    if not text:
        return ""
    lines = []
    for line in _CONTROL.sub("", fix(text).expandtabs(4)).splitlines():
        body = line.lstrip(" ")
        lines.append(line[: len(line) - len(body)] + _SPACE_RUN.sub(" ", body).rstrip())
    return "\n".join(lines).strip("\n")


def _clean_item(text: str) -> str:
    """Clean a list item line by line, keeping the indentation of nested "- sub-item" lines."""
    lines = []
    for line in text.split("\n"):
        body = clean(line)
        if body:
            indent = len(line) - len(line.lstrip(" "))
            lines.append(" " * indent + body)
    return "\n".join(lines)


def paragraphs(text: str) -> list[str]:
    """Split plain text on blank lines into cleaned paragraphs."""
    return [p for p in (clean(chunk) for chunk in _BLANK_LINES.split(text)) if p]


def split_long(text: str, limit: int = MAX_BLOCK_CHARS) -> list[str]:
    """Cut text longer than ``limit`` at sentence ends (else spaces, else hard), in linear time."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        cut = max(text.rfind(". ", start, window_end), text.rfind("; ", start, window_end))
        if cut <= start + limit // 2:
            cut = text.rfind(" ", start, window_end)
        cut = window_end if cut <= start else cut + 1
        parts.append(text[start:cut].strip())
        start = cut
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def table_row_text(header: Sequence[str] | None, row: Sequence[str]) -> str:
    """Write a table row as readable text.

    Two columns read as "label: value" ("Regimen: 1.2 mg then 0.6 mg"); wider rows pair each
    cell with its header ("Agent: colchicine; Dose: 0.6 mg"); without a header cells are joined.
    """
    cells = [clean(c) for c in row]
    if not any(cells):
        return ""
    if len(cells) == 2 and cells[0] and cells[1]:
        return f"{cells[0]}: {cells[1]}"
    if header and len(header) == len(cells):
        pairs = [f"{h}: {c}" if h else c for h, c in zip((clean(h) for h in header), cells, strict=True) if c]
        return "; ".join(pairs)
    return "; ".join(c for c in cells if c)


# Whole column headers that hold a grading (a "Level" or "Class" column alone is too ambiguous).
_GRADING_HEADER = re.compile(
    r"(?:COR|LOE|SOR|COR\s*/\s*LOE|class of recommendation|levels? of evidence|evidence (?:level|grade)|"
    r"grade|grade of recommendation|strength|strength of (?:the )?recommendation|quality of evidence|"
    r"recommendation (?:grade|strength))s?\W*",
    re.IGNORECASE,
)


def table_row_grading(header: Sequence[str] | None, row: Sequence[str]) -> str | None:
    """Grading stated in a row: cells under COR/LOE/Grade/Strength columns, else markers in the text."""
    if header and len(header) == len(row):
        graded = [clean(c) for h, c in zip(header, row, strict=True) if _GRADING_HEADER.fullmatch(clean(h))]
        graded = [g for g in graded if g and len(g) <= 40]
        if graded:
            return ", ".join(graded)
    return find_grading(" ".join(row))


class BlockBuilder:
    """Turns a stream of structural events into Blocks under a heading path.

    ``mode`` decides block kinds: "recommendations" (every paragraph and list is a recommendation,
    e.g. NGC's Major Recommendations), "guideline" (graded text and lead-in lists are
    recommendations) or "plain" (only explicitly graded text is a recommendation).
    """

    def __init__(self, base: Sequence[str] = (), *, mode: Mode = "plain") -> None:
        self.base = tuple(base)
        self.mode: Mode = mode
        self.blocks: list[Block] = []
        self._stack: list[tuple[int, str]] = []
        self._pending: str | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return self.base + tuple(text for _, text in self._stack)

    def heading(self, level: int, text: str) -> None:
        """Open a heading; it replaces any heading at the same or a deeper level."""
        self._flush()
        text = clean(text).rstrip(":").strip()
        if not text:
            return
        if heading_grading(text):
            # "Class I" / "Level A" group the recommendations of the current topic, whatever their
            # styling says: they nest under the topic and replace only each other.
            if self._stack and heading_grading(self._stack[-1][1]):
                self._stack.pop()
            level = self._stack[-1][0] + 1 if self._stack else level
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text))

    def paragraph(self, text: str) -> None:
        """Add a paragraph; one ending with ':' waits to see whether a list follows it."""
        self._flush()
        text = clean(text)
        if not text:
            return
        if is_grading_only(text) and self.blocks and self.blocks[-1].heading_path == self.path:
            # A grading on its own line ("(Level of Evidence = V)") belongs to the text above it.
            self._attach_grading(text)
        elif text.endswith(":"):
            self._pending = text
        else:
            self._emit(text, BlockKind.PARAGRAPH)

    def bullets(self, items: Iterable[str]) -> None:
        """Add a bullet list; after a pending lead-in the two become one block."""
        cleaned = [t for t in (_clean_item(i) for i in items) if t]
        if not cleaned:
            self._flush()
            return
        if self._pending is not None:
            lead, self._pending = self._pending, None
            text = lead + "\n" + "\n".join(f"- {item}" for item in cleaned)
            self._emit(text, BlockKind.PARAGRAPH, recommendation=self.mode != "plain")
            return
        for item in cleaned:
            self._emit(item, BlockKind.LIST_ITEM)

    def table(self, header: Sequence[str] | None, rows: Iterable[Sequence[str]]) -> None:
        """Add one TABLE block per row."""
        self._flush()
        for row in rows:
            text = table_row_text(header, row)
            if text:
                self._emit(text, BlockKind.TABLE, evidence=table_row_grading(header, row), fixed=True)

    def code(self, text: str) -> None:
        """Add preformatted text (keeps its lines: ASCII algorithms read top to bottom)."""
        self._flush()
        text = clean_lines(text)
        if text:
            self._emit(text, BlockKind.PARAGRAPH, fixed=True)

    def finish(self) -> list[Block]:
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        if self._pending is not None:
            text, self._pending = self._pending, None
            self._emit(text, BlockKind.PARAGRAPH)

    def _emit(
        self,
        text: str,
        kind: BlockKind,
        *,
        evidence: str | None = None,
        recommendation: bool = False,
        fixed: bool = False,
    ) -> None:
        """Append blocks for ``text``; graded text (or any text in "recommendations" mode) is a
        recommendation unless the kind is ``fixed`` (table rows, code)."""
        # Sources that group recommendations under "Class I" / "Level A" headings grade them that way.
        inherited = heading_grading(self._stack[-1][1]) if self._stack else None
        for piece in split_long(text):
            grading = evidence or find_grading(piece)
            if inherited and (grading is None or inherited not in grading):
                grading = f"{inherited}; {grading}" if grading else inherited
            promote = recommendation or self.mode == "recommendations" or grading is not None
            final = BlockKind.RECOMMENDATION if promote and not fixed else kind
            self.blocks.append(Block(text=piece, heading_path=self.path, kind=final, evidence=grading))

    def _attach_grading(self, text: str) -> None:
        last = self.blocks[-1]
        grading = find_grading(text) or text.strip("()[] ")
        evidence = f"{last.evidence}; {grading}" if last.evidence and grading not in last.evidence else grading
        kind = last.kind if last.kind == BlockKind.TABLE else BlockKind.RECOMMENDATION
        self.blocks[-1] = last.model_copy(update={"text": f"{last.text} {text}", "evidence": evidence, "kind": kind})
