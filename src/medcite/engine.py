"""The library's front door: one object that the CLI, the API and the MCP server all use.

    mc = Medcite(Settings())
    mc.ingest(["open-medicine"])
    mc.search("acute gout flare first-line")
    mc.ask("What is first-line treatment for an acute gout flare?")

Everything is built lazily so that `medcite --help` does not load a model or open an index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from medcite.errors import ConfigError, InvalidInput
from medcite.index import IndexStore, IngestReport
from medcite.records import Audience, QueryFilters
from medcite.retrieve import Retriever, SearchResult
from medcite.retrieve.corpus import IndexCorpus
from medcite.settings import Settings
from medcite.understand import tables

if TYPE_CHECKING:
    from medcite.answer.pipeline import OnEvent
    from medcite.answer.warm import WarmReport
    from medcite.errors import SourceError
    from medcite.records import Answer

ProgressFn = Callable[[int, int], None]
MAX_QUESTION_CHARS = 2000


class Medcite:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    @cached_property
    def store(self) -> IndexStore:
        store = open_index(self.settings)
        store.ensure_fresh()
        return store

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.store)

    @cached_property
    def corpus(self) -> IndexCorpus:
        """The index as the answer stage sees it (search, word counts, the question reader)."""
        tables.keep_built_tables_in(self.settings.models_dir)
        return IndexCorpus(self.store, self.retriever)

    def close(self) -> None:
        self._forget_retriever()
        if "store" in self.__dict__:
            self.store.close()

    # -- ingest ---------------------------------------------------------------------------
    def ingest(
        self,
        targets: Sequence[str],
        *,
        source_name: str | None = None,
        progress: ProgressFn | None = None,
        on_error: Callable[[SourceError], None] | None = None,
        reader_options: dict[str, Any] | None = None,
    ) -> IngestReport:
        """Read each target (named source or path) and index it; bad files are reported, not fatal."""
        from medcite.sources import read_target

        def stream() -> Iterable[Any]:
            for target in targets:
                yield from read_target(target, self.settings, source_name=source_name)

        report = self.store.ingest(stream(), progress=progress, on_error=on_error)
        self._forget_retriever()
        return report

    def ensure_index(self, progress: ProgressFn | None = None) -> IngestReport | None:
        """Build the index from the embedded default corpus when it is empty (first run)."""
        if not self.store.is_empty():
            return None
        return self.ingest([self.settings.index.default_corpus], progress=progress)

    def remove(self, name: str) -> list[str]:
        removed = self.store.remove(name)
        self._forget_retriever()
        return removed

    def rebuild(self) -> None:
        self.store.rebuild()
        self._forget_retriever()

    def _forget_retriever(self) -> None:
        self.__dict__.pop("retriever", None)
        corpus = self.__dict__.pop("corpus", None)
        if corpus is not None:
            corpus.close()

    # -- questions ------------------------------------------------------------------------
    def search(
        self,
        text: str,
        *,
        k: int | None = None,
        filters: QueryFilters | None = None,
        audience: Audience = Audience.CLINICIAN,
        mode: str = "hybrid",
    ) -> SearchResult:
        _check_question(text)
        return self.retriever.search(text, k=k, filters=filters, audience=audience, mode=mode)  # type: ignore[arg-type]

    def ask(
        self,
        question: str,
        *,
        audience: Audience = Audience.CLINICIAN,
        filters: QueryFilters | None = None,
        context: Sequence[str] = (),
        on_event: OnEvent | None = None,
    ) -> Answer:
        """Answer a question with checked citations (see medcite.answer). Personal identifiers
        are removed from the question (and earlier questions) first; the answer's notes say which.

        `on_event` hears the stages as they complete, the bottom line and each section as soon as
        they are checked (see `medcite.answer.pipeline.answer_question`); it runs on this thread.
        """
        from medcite.answer import answer_question
        from medcite.privacy import redact, with_note

        _check_question(question)
        # Safety net: identifiers never reach retrieval, a model prompt or the answer (the edges
        # have usually removed them already, and then this finds nothing).
        red, earlier = redact(question), [redact(c).text for c in context]
        answer = answer_question(
            self.corpus, red.text, audience=audience, filters=filters, context=earlier, on_event=on_event
        )
        return with_note(answer, red.kinds)

    def sources(self) -> dict[str, Any]:
        return self.store.stats()

    def warm(self, progress: ProgressFn | None = None) -> WarmReport:
        """Embed every sentence an answer may compare with a question into the home's sentence vector
        cache, so answers skip the dense model for them (see `answer.warm`)."""
        from medcite.answer.warm import warm_sentences

        catalog = self.store.catalog
        topics = catalog.topics()
        chunks = (chunk for _, chunk, _ in catalog.chunks_of([doc_id for doc_id, _, _ in topics]))
        titles = [title for _, title, _ in topics]
        return warm_sentences(chunks, self.corpus.sentence_embedder, titles=titles, progress=progress)


def open_index(settings: Settings) -> IndexStore:
    """The index the settings describe: the index directory's own files, updated in place (the
    default), or the current snapshots of `index.snapshot_dir`, split into `index.shards` shards,
    read in this process or, with `ray.address`, served by Ray Serve and built on Ray."""
    if settings.ray.address:
        if settings.index.snapshot_dir is None:
            raise ConfigError(
                "Ray serves and builds index snapshots: index.snapshot_dir is not set",
                hint="set MEDCITE_INDEX__SNAPSHOT_DIR to a folder every Ray node can read (a shared mount)",
            )
        from medcite.distributed.index import RayIndex

        return RayIndex(settings)
    if settings.index.snapshot_dir is not None:
        from medcite.index.sharded import SnapshotIndex

        return SnapshotIndex(settings)
    return IndexStore(settings)


def _check_question(text: str) -> None:
    if not text or not text.strip():
        raise InvalidInput("the question is empty", hint="type a clinical question")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"the question is longer than {MAX_QUESTION_CHARS} characters", hint="ask one focused question at a time"
        )
