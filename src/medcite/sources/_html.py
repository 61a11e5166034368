"""HTML (and HTML inside XML fields) to structural events, with lxml.html and no network.

:func:`html_events` flattens an HTML tree into :class:`Event`s (heading, paragraph, list, table,
code) that :func:`feed` hands to a BlockBuilder. Readers that need to look at the structure first
(NGC cuts the rating-scheme tail off its recommendations) work on the event list in between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import lxml.html
from lxml import etree

from medcite.sources._text import BlockBuilder, clean

EventKind = Literal["heading", "paragraph", "list", "table", "code"]


@dataclass
class Event:
    """One structural element of a document, before it becomes Blocks."""

    kind: EventKind
    text: str = ""
    level: int = 0
    items: list[str] = field(default_factory=list)
    header: list[str] | None = None
    rows: list[list[str]] = field(default_factory=list)

    def plain(self) -> str:
        """The event as plain text (for moving sections into Document.extra)."""
        if self.kind == "list":
            return "\n".join(f"- {clean(i)}" for i in self.items)
        if self.kind == "table":
            lines = [" | ".join(clean(c) for c in self.header)] if self.header else []
            return "\n".join(lines + [" | ".join(clean(c) for c in r) for r in self.rows])
        return clean(self.text) if self.kind != "code" else self.text


_DROP = frozenset({"script", "style", "nav", "noscript", "template", "head", "iframe", "svg", "button", "form"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "blockquote",
        "center",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "dl",
        "table",
        "pre",
        "hr",
        "address",
        "details",
        "summary",
        "caption",
        *_HEADINGS,
    }
)
_EMPHASIS = {"u": 1, "strong": 2, "b": 2, "em": 3, "i": 3}
_UNDERLINE = re.compile(r"text-decoration\s*:\s*underline", re.IGNORECASE)
# Picture-only cells (ACR's radiation-level icons) become symbols instead of vanishing.
_IMAGE_TEXT = {"radioactive": "☢"}
#: Styled-only paragraphs longer than this are emphasised text, not headings.
MAX_STYLED_HEADING = 500


def parse_fragment(html: str) -> lxml.html.HtmlElement:
    """Parse an HTML fragment (NGC field values, USPSTF text) under one wrapper <div>."""
    try:
        return lxml.html.fragment_fromstring(html or "<div></div>", create_parent="div")
    except etree.ParserError:  # only a doctype, comments or processing instructions: no elements
        return lxml.html.fragment_fromstring("<div></div>")


def parse_page(data: bytes) -> lxml.html.HtmlElement:
    """Parse a whole HTML page from bytes (lxml honours its declared charset)."""
    try:
        return lxml.html.document_fromstring(data)
    except etree.ParserError:  # "Document is empty": nothing but a doctype, comments or whitespace
        return lxml.html.document_fromstring("<html><body></body></html>")


def html_text(html: str | None) -> str:
    """Plain text of an HTML snippet, whitespace normalised ('' for empty input)."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return clean(html)
    events = html_events(parse_fragment(html))
    return clean(" ".join(e.plain() for e in events))


def html_lines(html: str | None) -> str:
    """Plain text of an HTML snippet keeping one line per paragraph, list or table row."""
    if not html or not html.strip():
        return ""
    return "\n".join(line for line in (e.plain() for e in html_events(parse_fragment(html))) if line)


def inline_text(el: lxml.html.HtmlElement) -> str:
    """Text of an element's inline content: <br> becomes a line break, images their alt text."""
    parts: list[str] = []
    _inline(el, parts, top=True)
    return "".join(parts)


def _inline(el: lxml.html.HtmlElement, parts: list[str], *, top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if not top and tag in _DROP:
        parts.append(el.tail or "")
        return
    if tag == "br":
        parts.append("\n")
    elif tag == "img":
        alt = (el.get("alt") or "").strip()
        parts.append(_IMAGE_TEXT.get(alt.lower(), f" {alt} " if alt else ""))
    elif tag and el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _inline(child, parts)
        else:
            parts.append(child.tail or "")
    if not top and el.tail:
        parts.append(el.tail)


def _style_level(p: lxml.html.HtmlElement) -> int | None:
    """Heading level of a paragraph whose text is all emphasised (1 underline, 2 bold, 3 italic)."""
    total = re.sub(r"[\W_]+", "", p.text_content())
    if not total or len(total) > MAX_STYLED_HEADING:
        return None
    best: int | None = None
    for el in p.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        level = _EMPHASIS.get(tag)
        if tag == "span" and _UNDERLINE.search(el.get("style") or ""):
            level = 1
        if level is None or (best is not None and level >= best):
            continue
        if re.sub(r"[\W_]+", "", el.text_content()) == total:
            best = level
    return best


def html_events(root: lxml.html.HtmlElement, *, styled_headings: bool = False) -> list[Event]:
    """Flatten an HTML tree into events in document order."""
    walker = _Walker(styled_headings)
    walker.container(root)
    walker.flush()
    return walker.events


class _Walker:
    def __init__(self, styled_headings: bool) -> None:
        self.styled_headings = styled_headings
        self.events: list[Event] = []
        self._inline: list[str] = []

    def flush(self) -> None:
        text = clean("".join(self._inline))
        self._inline = []
        if text:
            self.events.append(Event("paragraph", text))

    def container(self, el: lxml.html.HtmlElement) -> None:
        """Walk mixed content: loose text runs become paragraphs, block children are handled."""
        self._inline.append(el.text or "")
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _DROP or not tag:
                self._inline.append(child.tail or "")
                continue
            if tag in _BLOCKS:
                self.flush()
                self.block(child, tag)
            else:
                _inline(child, self._inline)
                continue
            self._inline.append(child.tail or "")

    def block(self, el: lxml.html.HtmlElement, tag: str) -> None:
        if tag in _HEADINGS:
            self.events.append(Event("heading", clean(el.text_content()), level=_HEADINGS[tag]))
        elif tag == "p":
            self.paragraph(el)
        elif tag in ("ul", "ol"):
            self.events.append(Event("list", items=_list_items(el)))
        elif tag == "dl":
            self.definition_list(el)
        elif tag == "table":
            self.table(el)
        elif tag == "pre":
            self.events.append(Event("code", el.text_content()))
        elif tag != "hr":
            self.container(el)
            self.flush()

    def paragraph(self, el: lxml.html.HtmlElement) -> None:
        if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            self.container(el)  # <p> wrongly holding a list or table: walk it as a container
            self.flush()
            return
        level = _style_level(el) if self.styled_headings else None
        text = clean(inline_text(el))
        if text:
            # Styled headings sit below any real <h1>-<h6> of the page.
            self.events.append(Event("heading", text, level=6 + level) if level else Event("paragraph", text))

    def definition_list(self, el: lxml.html.HtmlElement) -> None:
        term = ""
        for child in el:
            if child.tag == "dt":
                term = clean(child.text_content())
            elif child.tag == "dd":
                body = clean(child.text_content())
                self.events.append(Event("paragraph", f"{term}: {body}" if term else body))

    def table(self, el: lxml.html.HtmlElement) -> None:
        header, rows = _table_rows(el)
        caption = el.find("caption")
        if caption is not None and clean(caption.text_content()):
            self.events.append(Event("paragraph", clean(caption.text_content())))
        if rows or header:
            self.events.append(Event("table", header=header, rows=rows))


def _list_items(el: lxml.html.HtmlElement, depth: int = 0) -> list[str]:
    """Items of a <ul>/<ol>; nested lists become indented "- sub-item" lines inside their item."""
    items: list[str] = []
    for li in el:
        if li.tag != "li":
            continue
        parts: list[str] = [li.text or ""]
        nested: list[str] = []
        for child in li:
            if child.tag in ("ul", "ol"):
                nested.extend(_list_items(child, depth + 1))
                parts.append(child.tail or "")
            elif isinstance(child.tag, str) and child.tag in _BLOCKS:
                parts.append(" " + child.text_content() + " " + (child.tail or ""))
            elif isinstance(child.tag, str):
                _inline(child, parts)
            else:
                parts.append(child.tail or "")
        text = clean("".join(parts))
        lines = [text] if text else []
        lines.extend(f"{'  ' * (depth + 1)}- {sub.lstrip()}" for sub in nested)
        if lines:
            items.append("\n".join(lines))
    return items


def _table_rows(table: lxml.html.HtmlElement) -> tuple[list[str] | None, list[list[str]]]:
    header: list[str] | None = None
    rows: list[list[str]] = []
    for tr in table.iter("tr"):
        if _enclosing_table(tr) is not table:
            continue  # rows of a nested table are read as part of their cell
        cells = [c for c in tr if c.tag in ("td", "th")]
        texts = [clean(inline_text(c)) for c in cells]
        if not any(texts):
            continue
        is_head = all(c.tag == "th" for c in cells) or tr.getparent().tag == "thead"
        if header is None and not rows and is_head and len(cells) > 1:
            header = texts
        else:
            rows.append(texts)
    return header, rows


def _enclosing_table(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def feed(builder: BlockBuilder, events: Iterable[Event]) -> BlockBuilder:
    """Replay events into a BlockBuilder (consecutive lists after a lead-in merge there)."""
    for event in events:
        if event.kind == "heading":
            builder.heading(event.level, event.text)
        elif event.kind == "paragraph":
            builder.paragraph(event.text)
        elif event.kind == "list":
            builder.bullets(event.items)
        elif event.kind == "table":
            builder.table(event.header, event.rows)
        else:
            builder.code(event.text)
    return builder
