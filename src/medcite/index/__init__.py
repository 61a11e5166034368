"""Index stage: section-aware chunking, catalogue (SQLite), lexical (tantivy) and dense (FAISS)."""

from medcite.index.chunking import chunk_document
from medcite.index.store import IndexStore, IngestReport

__all__ = ["IndexStore", "IngestReport", "chunk_document"]
