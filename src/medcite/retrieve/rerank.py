"""Rerank fused candidates with cheap, explainable features.

No cross-encoder or NLI model ships inside any package, so reranking uses signals that can be
computed in microseconds and audited in the hit's `scores`: how much of the question's
(IDF-weighted) vocabulary the passage, its heading and its document title cover, the source
type that suits the reader, and recency. Then at most `max_per_document` chunks per document
are kept in the top k so that several sources surface.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from medcite.records import Audience, Chunk, Hit, Query, SourceRef, SourceType
from medcite.retrieve.fit import About, fit
from medcite.retrieve.grade import recency
from medcite.settings import RetrieveSettings
from medcite.text import content_terms, stem, tokens
from medcite.understand.tables import patient_tables
from medcite.understand.vocabulary import DOCUMENT_KIND, GENERIC


@dataclass
class Candidate:
    rid: int
    fused: float
    chunk: Chunk
    doc: SourceRef
    lexical: float | None = None
    dense: float | None = None


_PREFERRED = {
    Audience.CLINICIAN: {
        SourceType.GUIDELINE: 1.0,
        SourceType.SYSTEMATIC_REVIEW: 0.6,
        SourceType.RANDOMISED_TRIAL: 0.3,
    },
    Audience.STUDENT: {
        SourceType.GUIDELINE: 1.0,
        SourceType.SYSTEMATIC_REVIEW: 0.6,
        SourceType.REVIEW: 0.4,
        SourceType.CONSUMER_HEALTH: 0.3,
    },
    Audience.PATIENT: {SourceType.CONSUMER_HEALTH: 1.0, SourceType.GUIDELINE: 0.5},
}


@lru_cache(maxsize=20_000)
def _stems(text: str) -> frozenset[str]:
    # Cached: an answer searches twice (retrieve, then deepen) over mostly the same passages, and a
    # served index meets the same passages again and again.
    return frozenset(stem(t) for t in tokens(text))


def term_weights(query: Query, doc_freq: Callable[[str], int] | None, total: int = 100_000) -> dict[str, float]:
    """IDF weight per stemmed query term (expansion terms count at half weight; the names of problems
    the reading inferred count as the question's own words would; a named problem's other names do
    not count)."""
    from medcite.retrieve.query import problem_phrases

    weights: dict[str, float] = {}
    words = list(query.terms)
    extra = [w for values in query.expansions.values() for e in values for w in tokens(e)]
    focus = set(query.focus)
    scored = [(w, 1.6 if w in focus else 1.0) for w in words] + [(w, 0.5) for w in extra]
    scored += [
        (w, min(1.0, weight))
        for term, weight in problem_phrases(query, synonyms_of_named=False)
        for w in content_terms(term)
    ]
    for word, factor in scored:
        s = stem(word)
        if s in weights and weights[s] >= factor:
            continue
        # A word's British and American spellings are one term: "haemorrhage" is as common as the
        # documents holding either spelling, or one question's two spellings would weigh it apart.
        df = sum(doc_freq(w) for w in [word, *query.spellings.get(word, [])]) if doc_freq else 0
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5)) if doc_freq else 1.0
        weights[s] = max(weights.get(s, 0.0), factor * idf)
    return weights


def _coverage(stems: frozenset[str], weights: dict[str, float]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for s, w in weights.items() if s in stems) / total


@lru_cache(maxsize=1)
def _generic_asked() -> frozenset[str]:
    """Stems of words any asking clause may hold without saying what is asked: kinds of care and of
    document ("treatment", "guideline", "evidence") and the verbs of asking ("offer", "support")."""
    asking = "main offer support option options approach step next first prevent help shrink used given".split()
    return frozenset(stem(w) for w in (*GENERIC, *DOCUMENT_KIND, *asking))


def asked_weights(query: Query, weights: dict[str, float]) -> dict[str, float]:
    """The question's term weights restricted to a case vignette's asking clause ("Which inhaled
    anti-pseudomonal product is recommended?"), less the names of the problems read (a title naming
    the problem already has the problem bonus; this one is for what is asked about it); empty for a
    question that is not a vignette. Generic words of asking ("What is the main treatment?") do not
    count: every guideline's title could hold them."""
    u = query.understood
    if u is None or not u.asked or not query.vignette:
        return {}
    problem = {stem(w) for p in u.problems for t in p.link_terms for w in content_terms(t)}
    # Where the patient is ("what should primary care provide?") is the setting's fit, not what is asked.
    asked = {stem(t) for t in content_terms(patient_tables().without_settings(u.asked))} - problem - _generic_asked()
    return {s: w for s, w in weights.items() if s in asked}


def rerank(
    query: Query,
    candidates: Sequence[Candidate],
    cfg: RetrieveSettings,
    *,
    audience: Audience,
    k: int,
    doc_freq: Callable[[str], int] | None = None,
    total_docs: int = 100_000,
    diversify: bool = True,
    per_document: int | None = None,
    weights: dict[str, float] | None = None,
    about: About | None = None,
    title_similarity: dict[str, float] | None = None,
) -> list[Hit]:
    """Rank candidates by fused score, question coverage, source type, recency and how they fit the
    question's reading (`query.understood`: its problem, patient and setting)."""
    if not candidates:
        return []
    weights = weights if weights is not None else term_weights(query, doc_freq, total_docs)
    top_fused = max(c.fused for c in candidates) or 1.0
    this_year = date.today().year
    scored: list[tuple[float, Candidate, dict[str, float]]] = []
    title_cache: dict[str, tuple[float, float]] = {}
    asked = asked_weights(query, weights) if cfg.asked_title_weight > 0 else {}
    # The fit depends on the document and the passage's headings only: many passages share both.
    fit_cache: dict[tuple[str, tuple[str, ...]], dict[str, float]] = {}
    for c in candidates:
        passage = _coverage(_stems(c.chunk.text + " " + " ".join(c.chunk.heading_path)), weights)
        if c.doc.id not in title_cache:
            stems = _stems(c.doc.title)
            title_cache[c.doc.id] = (_coverage(stems, weights), _coverage(stems, asked) if asked else 0.0)
        title, asked_title = title_cache[c.doc.id]
        prior = _PREFERRED.get(audience, {}).get(c.doc.type, 0.0) * cfg.guideline_prior
        rec = recency(c.doc.year, this_year) * cfg.recency_weight
        where = (c.doc.id, tuple(c.chunk.heading_path))
        if where not in fit_cache:
            fit_cache[where] = fit(query.understood, c.doc.id, c.doc.title, " ".join(c.chunk.heading_path), cfg, about)
        fitted = fit_cache[where]
        # A vignette's story finds the problem's broad guideline; a title naming what is asked (the drug,
        # the test, the intervention) marks the document written for this question.
        asked_bonus = cfg.asked_title_weight * asked_title
        closeness = (title_similarity or {}).get(c.doc.id)
        semantic = cfg.title_semantic_weight * max(0.0, closeness - cfg.title_semantic_floor) if closeness else 0.0
        score = c.fused / top_fused + 0.6 * passage + 0.4 * title + asked_bonus + semantic + prior + rec
        score += sum(fitted.values())
        parts = {
            **fitted,
            "fused": round(c.fused, 5),
            "passage_cover": round(passage, 3),
            "title_cover": round(title, 3),
            **({"asked_title": round(asked_bonus, 3)} if asked_bonus else {}),
            **({"title_semantic": round(semantic, 3)} if semantic else {}),
            "prior": round(prior, 3),
            "recency": round(rec, 3),
        }
        if c.lexical is not None:
            parts["bm25"] = round(c.lexical, 3)
        if c.dense is not None:
            parts["dense"] = round(c.dense, 4)
        scored.append((score, c, parts))
    scored.sort(key=lambda t: (-t[0], t[1].rid))

    limit = per_document or cfg.max_per_document
    hits: list[Hit] = []
    per_doc: dict[str, int] = {}
    overflow: list[tuple[float, Candidate, dict[str, float]]] = []
    for item in scored:
        doc_id = item[1].doc.id
        if diversify and per_doc.get(doc_id, 0) >= limit:
            overflow.append(item)
            continue
        per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
        hits.append(_hit(item, len(hits) + 1))
        if len(hits) >= k:
            return hits
    # Fewer distinct documents than k: fill with the best of the rest rather than return less.
    for item in overflow[: k - len(hits)]:
        hits.append(_hit(item, len(hits) + 1))
    return hits


def _hit(item: tuple[float, Candidate, dict[str, float]], rank: int) -> Hit:
    score, c, parts = item
    return Hit(rank=rank, score=round(score, 5), chunk=c.chunk, doc=c.doc, scores=parts)
