"""What the answer stage needs of an index, as a small port (the engine hands one in).

The answer stage depends on this protocol, not on the engine: it searches, asks how common a word
is, reads the question, and embeds sentences; it never opens an index itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from medcite.records import Audience, Query, QueryFilters, Understanding

if TYPE_CHECKING:
    from medcite.retrieve import SearchResult
    from medcite.settings import Settings

#: Sentence texts -> cosine similarity to the question, one value per text.
Similarity = Callable[[list[str]], Sequence[float]]


class Corpus(Protocol):
    settings: Settings

    def understand(self, question: str) -> Understanding:
        """The question's reading (problem, asked aspects, patient, setting) before retrieval."""
        ...

    def search(
        self,
        text: str,
        *,
        k: int,
        filters: QueryFilters | None,
        audience: Audience,
        per_document: int | None = None,
        diversify: bool = True,
        focus: str | None = None,
        understood: Understanding | None = None,
    ) -> SearchResult: ...

    def doc_freq(self, term: str) -> int:
        """Passages holding every word of `term` (0: no indexed source uses it)."""
        ...

    def total_docs(self) -> int: ...

    def fuzzy_count(self, word: str) -> int:
        """Indexed words within two edits of `word` (a misspelling rather than an unknown name)."""
        ...

    def similarity(self, query: Query) -> Similarity | None:
        """Sentence similarity to the question with the index's dense model (None without one)."""
        ...

    def is_drug(self, word: str) -> bool:
        """Whether the drug vocabulary knows the (lower-case) word."""
        ...

    def is_plain_word(self, word: str) -> bool:
        """Whether the word is ordinary English (the packaged word list), not a name."""
        ...

    def about(self, doc_id: str, terms: list[str]) -> bool:
        """Whether a document says (title, condition list) it is about one of `terms`."""
        ...

    def index_version(self) -> str: ...

    def embedder_name(self) -> str | None: ...
