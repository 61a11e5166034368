"""Registers the built-in understanders, the way a plug-in would."""

from __future__ import annotations

from medcite.understand.base import register_understander


def register_all() -> None:
    from medcite.understand.llm import LLMUnderstander
    from medcite.understand.rules import RuleUnderstander

    register_understander(
        "rules",
        lambda settings, doc_freq, vocabulary, is_treatment: RuleUnderstander(
            doc_freq=doc_freq, vocabulary=vocabulary, is_treatment=is_treatment
        ),
    )
    register_understander(
        "llm",
        lambda settings, doc_freq, vocabulary, is_treatment: LLMUnderstander.from_settings(
            settings, RuleUnderstander(doc_freq=doc_freq, vocabulary=vocabulary, is_treatment=is_treatment)
        ),
    )
