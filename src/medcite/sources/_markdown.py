"""Markdown to structural events with markdown-it-py tokens (headings, paragraphs, lists, tables).

Used by the open-medicine reader and the user-file reader. Inline markup (**bold**, links,
`code`) is reduced to its text; fenced code keeps its lines (guideline algorithms are drawn in
ASCII); raw HTML blocks go through the HTML walker.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from medcite.records import Block
from medcite.sources._html import Event, feed, html_events, parse_fragment
from medcite.sources._text import BlockBuilder, Mode, clean

_MD = MarkdownIt("commonmark").enable("table")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` front matter (YAML subset) and the remaining Markdown."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def inline_text(token: Token) -> str:
    """Plain text of an inline token (emphasis markers dropped, images as their alt text)."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(inline_text(child))
        elif child.type == "html_inline":
            parts.append(_TAG.sub("", child.content))
    return "".join(parts)


def markdown_events(text: str) -> list[Event]:
    """Flatten Markdown into events in document order."""
    tokens = _MD.parse(text)
    events: list[Event] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            events.append(Event("heading", clean(inline_text(tokens[i + 1])), level=int(token.tag[1:])))
            i += 3
        elif token.type == "paragraph_open":
            events.append(Event("paragraph", clean(inline_text(tokens[i + 1]))))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items, i = _list(tokens, i, 0)
            events.append(Event("list", items=items))
        elif token.type == "table_open":
            header, rows, i = _table(tokens, i)
            events.append(Event("table", header=header, rows=rows))
        elif token.type in ("fence", "code_block"):
            events.append(Event("code", token.content))
            i += 1
        elif token.type == "html_block":
            events.extend(html_events(parse_fragment(token.content)))
            i += 1
        else:
            i += 1
    return events


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the token closing the one opened at ``start``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _list(tokens: list[Token], start: int, depth: int) -> tuple[list[str], int]:
    """Items of the list opened at ``start``; nested lists become indented "- sub" lines."""
    end = _closing(tokens, start)
    items: list[str] = []
    i = start + 1
    while i < end:
        if tokens[i].type != "list_item_open":
            i += 1
            continue
        item_end = _closing(tokens, i)
        texts: list[str] = []
        nested: list[str] = []
        j = i + 1
        while j < item_end:
            tok = tokens[j]
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                sub, j = _list(tokens, j, depth + 1)
                nested.extend(sub)
                continue
            if tok.type == "inline":
                texts.append(clean(inline_text(tok)))
            elif tok.type in ("fence", "code_block"):
                texts.append(clean(tok.content))
            j += 1
        lines = [" ".join(t for t in texts if t)] if any(texts) else []
        lines.extend(f"{'  ' * (depth + 1)}- {sub.lstrip()}" for sub in nested)
        if lines:
            items.append("\n".join(lines))
        i = item_end + 1
    return items, end + 1


def _table(tokens: list[Token], start: int) -> tuple[list[str] | None, list[list[str]], int]:
    end = _closing(tokens, start)
    header: list[str] | None = None
    rows: list[list[str]] = []
    in_head = False
    row: list[str] = []
    for tok in tokens[start + 1 : end]:
        kind: Any = tok.type
        if kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "inline":
            row.append(clean(inline_text(tok)))
        elif kind == "tr_close":
            if in_head and header is None:
                header = row
            elif any(row):
                rows.append(row)
    return header, rows, end + 1


def markdown_blocks(text: str, *, mode: Mode = "plain", base: tuple[str, ...] = ()) -> tuple[str | None, list[Block]]:
    """Blocks of a Markdown text and its first level-1 heading (None when it has none)."""
    events = markdown_events(text)
    title = next((e.text for e in events if e.kind == "heading" and e.level == 1 and e.text), None)
    return title, feed(BlockBuilder(base, mode=mode), events).finish()
