"""The index seen through the answer stage's port (`medcite.answer.ports.Corpus`): it satisfies that
protocol structurally, so retrieval never imports the answer stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

from medcite.index.store import IndexStore
from medcite.models import Embedder
from medcite.models.vector_cache import CachedEmbedder
from medcite.records import Audience, Query, QueryFilters, Understanding
from medcite.retrieve.hybrid import Retriever, SearchResult
from medcite.retrieve.query import answer_text, drug_generics, drug_map
from medcite.retrieve.spelling import apply as apply_spelling
from medcite.retrieve.spelling import is_english
from medcite.settings import Settings
from medcite.understand import Understander, create_understander

Similarity = Callable[[list[str]], Sequence[float]]


class IndexCorpus:
    """One index store and its retriever, with the question reader the settings choose."""

    def __init__(self, store: IndexStore, retriever: Retriever) -> None:
        self.store = store
        self.retriever = retriever
        self.settings: Settings = store.settings
        retriever.title_embedder = lambda: self.sentence_embedder

    @cached_property
    def understander(self) -> Understander:
        return create_understander(
            self.settings,
            doc_freq=self.retriever.doc_freq,
            vocabulary=self.store.vocabulary(),
            is_treatment=self.is_drug,
        )

    def is_drug(self, word: str) -> bool:
        """Whether the drug vocabulary knows the word (a brand or a generic name). A word the question
        says was tried or taken is a treatment only then (kinds of treatment, "physiotherapy",
        "statins", are the reader's own table): any word the index holds is not enough, "on ICU", "on
        home nutrition" name no treatment. A sentence that names one speaks to "which drug"."""
        if not self.settings.retrieve.expand_drugs:
            return False
        where = str(self.settings.models_dir)
        return word in drug_map(where) or word in drug_generics(where)

    def is_plain_word(self, word: str) -> bool:
        return is_english(word, self.settings.models_dir)

    def understand(self, question: str) -> Understanding:
        """The question as read. When the reading finds no problem and the question has words the index
        does not hold, it is read again with them corrected as the search corrects them: a patient's
        "siezures" must not hide epilepsy. Only then: the reading tables know words the index lacks
        ("pleuritic", "possets") that the corrector would turn into others ("pleuritis", "possess")."""
        understood = self.understander.read(question)
        if understood.problems or not self.settings.retrieve.correct_spelling:
            return understood
        fixes = self.retriever.spelling(question)
        if not fixes:
            return understood
        corrected = self.understander.read(apply_spelling(question, fixes))
        return corrected if corrected.problems else understood

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
    ) -> SearchResult:
        return self.retriever.search(
            text,
            k=k,
            filters=filters,
            audience=audience,
            per_document=per_document,
            diversify=diversify,
            focus=focus,
            understood=understood,
        )

    def doc_freq(self, term: str) -> int:
        return self.retriever.doc_freq(term)

    def total_docs(self) -> int:
        return self.retriever.total_docs()

    def fuzzy_count(self, word: str) -> int:
        return self.store.lexical.fuzzy_count(word)

    @cached_property
    def sentence_embedder(self) -> Embedder | None:
        """The index's dense model, its sentence vectors kept in the home's cache file."""
        embedder = self.store.embedder
        rows = self.settings.embedding.sentence_cache_rows
        if embedder is None or rows <= 0:
            return embedder
        return CachedEmbedder(embedder, self.settings.models_dir / "sentence-vectors.sqlite", rows=rows)

    def close(self) -> None:
        """Close the sentence vector cache's file (the store belongs to the engine)."""
        cached = self.__dict__.pop("sentence_embedder", None)
        if isinstance(cached, CachedEmbedder):
            cached.close()

    def similarity(self, query: Query) -> Similarity | None:
        embedder = self.sentence_embedder
        if embedder is None:
            return None
        qvec = embedder.embed_query(answer_text(query))

        def score(texts: list[str]) -> list[float]:
            return [float(v) for v in embedder.embed_passages(texts) @ qvec] if texts else []

        return score

    def about(self, doc_id: str, terms: list[str]) -> bool:
        return self.retriever.about(doc_id, terms)

    def index_version(self) -> str:
        return self.store.version()

    def embedder_name(self) -> str | None:
        return self.store.embedder.name if self.store.embedder else None
