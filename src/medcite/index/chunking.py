"""Section-aware chunking.

Blocks under the same heading path are packed into chunks of about `chunk_words` words.
A chunk never spans two heading paths, never cuts a sentence, and never cuts a
recommendation: an over-long recommendation stays whole (the dense model then reads its
first tokens; the lexical index reads all of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from medcite.records import Block, BlockKind, Chunk, Document
from medcite.settings import IndexSettings
from medcite.text import split_sentences, word_count


def chunk_document(doc: Document, cfg: IndexSettings) -> list[Chunk]:
    """Split a document into ordered chunks with stable ids '<doc id>#<ordinal>'."""
    chunks: list[Chunk] = []
    for group in _pack(_pieces(doc.blocks, cfg), cfg):
        first = group[0]
        kinds = {b.kind for b in group}
        kind = BlockKind.RECOMMENDATION if BlockKind.RECOMMENDATION in kinds else first.kind
        grades = list(dict.fromkeys(b.evidence for b in group if b.evidence))
        ordinal = len(chunks)
        chunks.append(
            Chunk(
                id=f"{doc.id}#{ordinal}",
                doc_id=doc.id,
                ordinal=ordinal,
                text="\n".join(b.text for b in group),
                heading_path=first.heading_path,
                kind=kind,
                evidence="; ".join(grades) or None,
            )
        )
    return chunks


def _pieces(blocks: Iterable[Block], cfg: IndexSettings) -> Iterator[Block]:
    """Yield blocks no longer than the hard cap, splitting only non-recommendation blocks."""
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.kind is BlockKind.RECOMMENDATION or word_count(text) <= cfg.max_chunk_words:
            yield block if text == block.text else block.model_copy(update={"text": text})
            continue
        for part in _split_long(text, cfg.chunk_words):
            yield block.model_copy(update={"text": part})


def _split_long(text: str, target: int) -> Iterator[str]:
    buf: list[str] = []
    size = 0
    for sentence in split_sentences(text):
        n = word_count(sentence)
        if n > target * 2:
            # A "sentence" this long is not prose (a table dump, a one-line file): cut by words.
            if buf:
                yield " ".join(buf)
                buf, size = [], 0
            words = sentence.split()
            for i in range(0, len(words), target):
                yield " ".join(words[i : i + target])
            continue
        if buf and size + n > target:
            yield " ".join(buf)
            buf, size = [], 0
        buf.append(sentence)
        size += n
    if buf:
        yield " ".join(buf)


def _pack(pieces: Iterable[Block], cfg: IndexSettings) -> Iterator[list[Block]]:
    group: list[Block] = []
    size = 0
    for piece in pieces:
        n = word_count(piece.text)
        same_section = bool(group) and group[0].heading_path == piece.heading_path
        if group and (not same_section or size + n > cfg.chunk_words):
            yield group
            group, size = [], 0
        group.append(piece)
        size += n
    if group:
        yield group
