"""Registers the built-in composers, the same way a plug-in would."""

from __future__ import annotations

from medcite.answer.compose.base import register_composer


def register_all() -> None:
    from medcite.answer.compose.extractive import ExtractiveComposer
    from medcite.answer.compose.generative import GenerativeComposer

    register_composer("extractive", ExtractiveComposer)
    register_composer("openai", lambda s: GenerativeComposer(s, backend="openai"))
    register_composer("gguf", lambda s: GenerativeComposer(s, backend="gguf"))
    register_composer("fake", lambda s: GenerativeComposer(s, backend="fake"))
