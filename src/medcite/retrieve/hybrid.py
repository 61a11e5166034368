"""Hybrid retrieval: BM25 and dense rankings fused by weighted reciprocal rank, then reranked."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from medcite.index.store import IndexStore
from medcite.models.base import Embedder
from medcite.records import Audience, Hit, Query, QueryFilters, Understanding
from medcite.retrieve.query import (
    SHORTHAND,
    answer_text,
    dense_text,
    drug_map,
    lexical_phrases,
    lexical_text,
    understand,
)
from medcite.retrieve.rerank import Candidate, rerank, term_weights
from medcite.retrieve.spelling import apply as apply_spelling
from medcite.retrieve.spelling import corrections, is_english
from medcite.understand import tables

Mode = Literal["hybrid", "lexical", "dense"]


def rrf(rankings: Sequence[tuple[Sequence[int], float]], k: int) -> dict[int, float]:
    """Weighted reciprocal-rank fusion of several ranked id lists: sum of w / (k + rank)."""
    fused: dict[int, float] = {}
    for ids, weight in rankings:
        for rank, rid in enumerate(ids, start=1):
            fused[rid] = fused.get(rid, 0.0) + weight / (k + rank)
    return fused


@dataclass
class SearchResult:
    """What a search hands back: the query as understood, the hits, and the IDF weight of each
    stemmed query term (so later stages score sentences with the same weights the ranking used)."""

    query: Query
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)


#: Questions whose spelling corrections are kept (a reading and a search ask the same one).
SPELL_CACHE = 256


class Retriever:
    """Runs one query through understanding, both retrievers, fusion and reranking."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        #: Where titles are embedded: the corpus hands its cached sentence embedder (so `medcite warm`
        #: embeds them ahead of time and answers find them in the home's cache); else the index's model.
        self.title_embedder: Callable[[], Embedder | None] = lambda: store.embedder
        self.settings = store.settings
        self._df_cache: dict[str, int] = {}
        self._spell_cache: dict[str, dict[str, str]] = {}
        self._total: int | None = None
        self._epoch = store.epoch
        self._title_vectors: dict[str, np.ndarray] = {}

    def _follow_the_index(self) -> None:
        """Another process may have changed the index: reload it if so, and forget what was counted."""
        self.store.refresh()
        if self._epoch != self.store.epoch:
            self._epoch = self.store.epoch
            self._df_cache = {}
            self._spell_cache = {}
            self._total = None
            self._title_vectors = {}

    def total_docs(self) -> int:
        if self._total is None:
            self._total = max(1, self.store.lexical.num_docs())
        return self._total

    def doc_freq(self, phrase: str) -> int:
        if phrase not in self._df_cache:
            self._df_cache[phrase] = self.store.lexical.doc_freq(phrase)
        return self._df_cache[phrase]

    def spelling(self, text: str) -> dict[str, str]:
        """Words of `text` the index does not hold -> the near indexed word they were meant as.

        Asked twice of one question (the reading, then the search): the second asks the cache."""
        if text not in self._spell_cache:
            if len(self._spell_cache) >= SPELL_CACHE:
                self._spell_cache.clear()
            self._spell_cache[text] = self._spelling(text)
        return dict(self._spell_cache[text])

    def _spelling(self, text: str) -> dict[str, str]:

        def neighbours(word: str, edits: int) -> list[str]:
            rids = self.store.lexical.fuzzy_rids(word, distance=edits)
            return [chunk.text for chunk, _ in self.store.fetch(rids).values()]

        def known(word: str) -> bool:
            # Asked only for words the index does not hold, which few questions have. Shorthand the
            # reading spells out ("adenoca": adenocarcinoma) is no misspelling of "adenoma".
            drugs = drug_map(str(self.settings.models_dir)) if self.settings.retrieve.expand_drugs else {}
            return (
                word in drugs
                or word in {short.lower() for short in self.store.glossary()}
                or word in SHORTHAND
                or bool(tables.shorthand().spelled(word))
            )

        def english(word: str) -> bool:
            return is_english(word, self.settings.models_dir)

        return corrections(text, doc_freq=self.doc_freq, neighbours=neighbours, known=known, english=english)

    def search(
        self,
        text: str,
        *,
        k: int | None = None,
        filters: QueryFilters | None = None,
        audience: Audience = Audience.CLINICIAN,
        mode: Mode = "hybrid",
        diversify: bool = True,
        rerank_hits: bool = True,
        per_document: int | None = None,
        focus: str | None = None,
        understood: Understanding | None = None,
    ) -> SearchResult:
        """Search; `rerank_hits=False` returns the plain fused ranking (a baseline for evaluation).

        `focus` is the part of `text` that matters most (a follow-up's own words): its terms weigh more.
        `understood` is the question's reading: its problem names are searched for too, and passages
        that fit its problem, patient and setting rank higher.
        """
        cfg = self.settings.retrieve
        k = k or cfg.k
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        self._follow_the_index()
        fixes = self.spelling(text) if cfg.correct_spelling else {}
        query = understand(
            apply_spelling(text, fixes),
            filters=filters,
            doc_freq=self.doc_freq,
            abbreviations=cfg.expand_abbreviations,
            drugs=cfg.expand_drugs,
            cache_dir=str(self.settings.models_dir),
            focus=focus,
            glossary=self.store.glossary() if cfg.expand_abbreviations else None,
        )
        if fixes:
            query = query.model_copy(update={"text": text, "corrections": fixes})
        if understood is not None:
            query = query.model_copy(update={"understood": understood})
        weights = term_weights(query, self.doc_freq, self.total_docs())
        timings["understand"] = _ms(t0)

        rankings: list[tuple[list[int], float]] = []
        problem_rids: list[int] = []
        lexical_scores: dict[int, float] = {}
        dense_scores: dict[int, float] = {}
        vec: np.ndarray | None = None
        if mode in ("hybrid", "lexical"):
            t = time.perf_counter()
            unseen = [
                t for t in query.terms
                if len(t) >= 5 and t.isalpha() and t not in query.spellings and self.doc_freq(t) == 0
            ]  # fmt: skip
            lex = self.store.lexical_search(
                lexical_text(query),
                lexical_phrases(query, problem_boost=self.settings.understand.problem_terms_boost),
                query.filters,
                cfg.candidates,
                fuzzy=unseen,
            )
            lexical_scores = dict(lex)
            rankings.append(([r for r, _ in lex], cfg.lexical_weight))
            about = self._problem_documents(understood, query.filters)
            if about:
                # Passages of the documents about the problem the reading is sure of, so a guideline
                # titled by that problem competes even when the question's words are elsewhere.
                within = query.filters.model_copy(update={"doc_ids": about})
                own = self.store.lexical_search(
                    lexical_text(query),
                    lexical_phrases(query, problem_boost=self.settings.understand.problem_terms_boost),
                    within,
                    cfg.candidates // 3,
                    fuzzy=unseen,
                )
                for rid, score in own:
                    lexical_scores.setdefault(rid, score)
                problem_rids = [r for r, _ in own]
                if cfg.problem_documents_weight > 0:
                    rankings.append((problem_rids, cfg.problem_documents_weight))
            timings["lexical"] = _ms(t)
        embedder = self.store.embedder if mode in ("hybrid", "dense") else None
        if embedder is not None:
            t = time.perf_counter()
            vec = np.asarray(embedder.embed_query(dense_text(query)))
            timings["embed"] = _ms(t)
            t = time.perf_counter()
            dense = self.store.dense_search(vec, query.filters, cfg.candidates)
            dense_scores = dict(dense)
            rankings.append(([r for r, _ in dense], cfg.dense_weight))
            if cfg.asked_weight > 0 and understood is not None and understood.asked and query.vignette:
                asked = answer_text(query) if cfg.asked_with_problem else understood.asked
                asked_vec = np.asarray(embedder.embed_query(asked))
                by_asked = self.store.dense_search(asked_vec, query.filters, cfg.candidates)
                rankings.append(([r for r, _ in by_asked], cfg.asked_weight))
            if cfg.describing_weight > 0 and diversify and audience is Audience.PATIENT and query.vignette:
                # The dense candidates that describe a condition ("Overview", "Symptoms"), ranked again
                # on their own: a patient's story matches a page's description of the condition more
                # than the page's advice, which the whole ranking weighs as much. Not for clinicians:
                # their answers are in guidelines, which describe no condition under such headings, and
                # beside patients' pages the ranking lost 41 of 1,508 answers (docs/benchmarks.md, stop 36).
                describing = self.store.describing_rids(frozenset(cfg.describing_headings))
                rankings.append(([r for r, _ in dense if r in describing], cfg.describing_weight))
            timings["dense"] = _ms(t)

        t = time.perf_counter()
        fused = rrf(rankings, cfg.rrf_k)
        top = sorted(fused.items(), key=lambda kv: -kv[1])[: cfg.candidates]
        # The problem's documents join the candidates whatever their fused rank: the other rankings
        # hold up to twice as many passages as are kept, so they would rarely make the cut.
        kept = {rid for rid, _ in top}
        top += [(rid, fused.get(rid, 0.0)) for rid in problem_rids if rid not in kept]
        rows = self.store.fetch([rid for rid, _ in top])
        candidates = [
            Candidate(
                rid=rid,
                fused=score,
                chunk=rows[rid][0],
                doc=rows[rid][1],
                lexical=lexical_scores.get(rid),
                dense=dense_scores.get(rid),
            )
            for rid, score in top
            if rid in rows
        ]
        timings["fetch"] = _ms(t)
        t = time.perf_counter()
        if rerank_hits:
            closeness = self._title_closeness(vec, candidates) if cfg.title_semantic_weight > 0 else None
            hits = rerank(
                query,
                candidates,
                self.settings.retrieve,
                audience=audience,
                k=k,
                doc_freq=self.doc_freq,
                total_docs=self.total_docs(),
                diversify=diversify,
                per_document=per_document,
                weights=weights,
                about=self.about if understood is not None else None,
                title_similarity=closeness,
            )
        else:
            hits = [
                Hit(rank=i, score=round(c.fused, 6), chunk=c.chunk, doc=c.doc, scores={"fused": round(c.fused, 6)})
                for i, c in enumerate(candidates[:k], start=1)
            ]
        timings["rerank"] = _ms(t)
        timings["total"] = _ms(t0)
        return SearchResult(query=query, hits=hits, timings_ms=timings, weights=weights)

    def _title_closeness(self, vec: np.ndarray | None, candidates: list[Candidate]) -> dict[str, float] | None:
        """Cosine of the question's vector to each candidate document's title (titles embedded once
        per loaded index: a few dozen new ones per question at first, none once warm)."""
        embedder = self.title_embedder()
        if vec is None or embedder is None:
            return None
        titles = {c.doc.id: c.doc.title for c in candidates if c.doc.id not in self._title_vectors}
        if titles:
            vectors = np.asarray(embedder.embed_passages(list(titles.values())))
            self._title_vectors.update(zip(titles, vectors, strict=True))
        return {c.doc.id: float(self._title_vectors[c.doc.id] @ vec) for c in candidates}

    def _problem_documents(self, understood: Understanding | None, filters: QueryFilters) -> list[str]:
        """The documents about the problems the reading is sure of (each named by at most
        `problem_documents_max` documents), within the query's own document filter."""
        cfg = self.settings.retrieve
        if understood is None or cfg.problem_documents_max <= 0:
            return []
        vocabulary = self.store.vocabulary()
        out: list[str] = []
        for problem in understood.problems[:2]:
            if problem.score < cfg.problem_documents_score:
                continue
            docs = vocabulary.documents_about(problem.link_terms or [problem.name])
            if len(docs) <= cfg.problem_documents_max:
                out += docs
        if filters.doc_ids:
            allowed = set(filters.doc_ids)
            out = [d for d in out if d in allowed]
        return list(dict.fromkeys(out))

    def about(self, doc_id: str, terms: list[str]) -> bool:
        """Whether document `doc_id` says (title, condition list) it is about one of `terms`."""
        return self.store.vocabulary().about(doc_id, terms)


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 2)
