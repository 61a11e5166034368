"""Answer stage: select evidence, compose, verify every sentence, cite, adapt to the reader."""

from medcite.answer.pipeline import answer_question

__all__ = ["answer_question"]
