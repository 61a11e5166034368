"""A user's own files: Markdown, HTML, PDF (text layer) and plain text.

Ids are ``file:<source name>/<path inside the target>``; the source name defaults to the
folder/archive/file stem and can be overridden (``read_target(..., source_name=...)``). The
type is "other" unless the file says it is a guideline (front matter ``type: guideline``, a
first line ``Type: guideline``, or ``<meta name="type" content="guideline">``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from medcite.errors import SourceError
from medcite.records import Audience, Block, Document, SourceType
from medcite.sources._html import feed, html_events, parse_page
from medcite.sources._input import Input, binary_reason
from medcite.sources._markdown import markdown_blocks, split_front_matter
from medcite.sources._registry import BaseReader
from medcite.sources._text import BlockBuilder, Mode, clean, paragraphs

LICENCE = "as supplied by the user"
_TYPE_LINE = re.compile(r"\A\s*(?:document\s+)?type\s*:\s*([a-z_ -]+?)\s*$", re.IGNORECASE | re.MULTILINE)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _source_type(value: str | None) -> SourceType:
    wanted = (value or "").strip().lower().replace(" ", "_").replace("-", "_")
    wanted = {"randomized_trial": "randomised_trial", "rct": "randomised_trial"}.get(wanted, wanted)
    try:
        return SourceType(wanted)
    except ValueError:
        return SourceType.OTHER


def _mode(source_type: SourceType) -> Mode:
    return "guideline" if source_type == SourceType.GUIDELINE else "plain"


def _title_from_name(name: str) -> str:
    stem = PurePosixPath(name).name.rsplit(".", 1)[0]
    return re.sub(r"[_\s]+", " ", stem).strip() or name


def user_document(inp: Input, title: str | None, blocks: list[Block], meta: dict[str, Any]) -> Document | SourceError:
    """The Document for a user file (shared by the four readers)."""
    if not blocks:
        return inp.error("no text found")
    source_type = _source_type(meta.get("type") or meta.get("source_type"))
    year = _YEAR.search(str(meta.get("year") or meta.get("date") or ""))
    return Document(
        id=f"file:{inp.collection}/{inp.name}",
        source=inp.collection,
        title=clean(meta.get("title") or title or "") or _title_from_name(inp.name),
        source_type=source_type,
        blocks=blocks,
        audience=Audience.PATIENT if str(meta.get("audience", "")).lower() == "patient" else Audience.CLINICIAN,
        organisation=clean(meta.get("organisation") or meta.get("organization") or "") or None,
        year=int(year.group(0)) if year else None,
        published=clean(str(meta.get("date") or meta.get("year") or "")) or None,
        doi=clean(meta.get("doi") or "") or None,
        url=clean(meta.get("url") or "") or None,
        native_id=inp.name,
        licence=clean(meta.get("licence") or meta.get("license") or "") or LICENCE,
        origin=inp.origin,
    )


class MarkdownReader(BaseReader):
    name = "markdown"
    description = "Markdown files (.md): headings, paragraphs, lists, tables; optional front matter"
    licence = LICENCE

    def detect_input(self, inp: Input) -> bool:
        return inp.suffix in (".md", ".markdown")

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        meta, body = split_front_matter(inp.read_text())
        type_line = _TYPE_LINE.match(body)
        if type_line and "type" not in meta:
            meta["type"] = type_line.group(1)
            body = body[type_line.end() :]
        title, blocks = markdown_blocks(body, mode=_mode(_source_type(meta.get("type"))))
        yield user_document(inp, title, blocks, meta)


class HtmlReader(BaseReader):
    name = "html"
    description = "HTML pages (.html/.htm): headings, paragraphs, lists, tables; scripts and navigation dropped"
    licence = LICENCE

    def detect_input(self, inp: Input) -> bool:
        if inp.suffix in (".html", ".htm", ".xhtml"):
            return True
        head = inp.head()[:512].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html"))

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        data = inp.read_bytes()
        reason = binary_reason(data)  # refuse binary junk before lxml guesses at it
        if reason:
            yield inp.error(reason)
            return
        try:
            page = parse_page(data)
        except (ValueError, TypeError) as exc:
            yield inp.error(f"unreadable HTML ({exc})")
            return
        meta: dict[str, Any] = {}
        for node in page.iter("meta"):
            key = (node.get("name") or node.get("property") or "").lower().removeprefix("medcite:")
            if key in ("type", "organisation", "organization", "year", "doi", "title") and node.get("content"):
                meta.setdefault(key, node.get("content"))
        title_node = page.find(".//title")
        title = clean(title_node.text_content()) if title_node is not None else ""
        events = html_events(page.body if page.find(".//body") is not None else page)
        title = title or next((e.text for e in events if e.kind == "heading"), "")
        blocks = feed(BlockBuilder(mode=_mode(_source_type(meta.get("type")))), events).finish()
        yield user_document(inp, title, blocks, meta)


class TextReader(BaseReader):
    name = "text"
    description = "Plain text files (.txt): paragraphs separated by blank lines"
    licence = LICENCE

    def detect_input(self, inp: Input) -> bool:
        return inp.suffix in (".txt", ".text")

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        text = inp.read_text()
        meta: dict[str, Any] = {}
        type_line = _TYPE_LINE.match(text[:200])
        if type_line:
            meta["type"] = type_line.group(1)
            text = text[type_line.end() :]
        builder = BlockBuilder(mode=_mode(_source_type(meta.get("type"))))
        parts = paragraphs(text)
        title = None
        if len(parts) > 1 and len(parts[0]) <= 80 and not parts[0].endswith((".", ":", ";", "?", "!")):
            title = parts.pop(0)  # a short first line standing alone is the text's title
            builder.heading(1, title)
        for paragraph in parts:
            builder.paragraph(paragraph)
        yield user_document(inp, title, builder.finish(), meta)


class PdfReader(BaseReader):
    name = "pdf"
    description = "PDF files (text layer via pypdf; scanned PDFs without text are reported)"
    licence = LICENCE

    def detect_input(self, inp: Input) -> bool:
        return inp.suffix == ".pdf" or inp.head().startswith(b"%PDF-")

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        from pypdf import PdfReader as _Pdf  # lazy: most ingests never see a PDF
        from pypdf.errors import PdfReadError

        data = inp.read_bytes()
        if not data.startswith(b"%PDF-"):
            yield inp.error("not a PDF file (no %PDF- header)")
            return
        try:
            pdf = _Pdf(io.BytesIO(data))
            if pdf.is_encrypted:
                yield inp.error("encrypted PDF")
                return
            pages = [page.extract_text() or "" for page in pdf.pages]
            info: dict[str, Any] = dict(pdf.metadata or {})
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            yield inp.error(f"unreadable PDF ({exc.__class__.__name__}: {exc})")
            return
        builder = BlockBuilder()
        for number, page in enumerate(pages, start=1):
            builder.heading(1, f"Page {number}")
            for paragraph in paragraphs(page):
                builder.paragraph(paragraph)
        blocks = builder.finish()
        if not blocks:
            yield inp.error("no text layer (scanned PDF?)")
            return
        title = clean(str(info.get("/Title") or ""))
        yield user_document(inp, None, blocks, {"title": title} if title else {})
