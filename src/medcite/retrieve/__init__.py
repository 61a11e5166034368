"""Retrieval stage: query understanding, hybrid search, reranking, evidence grading."""

from medcite.retrieve.hybrid import Retriever, SearchResult, rrf

__all__ = ["Retriever", "SearchResult", "rrf"]
