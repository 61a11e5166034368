"""Composers: extractive (default) and generative (OpenAI-compatible HTTP, local GGUF)."""

from medcite.answer.compose.base import (
    ComposeContext,
    Composer,
    Draft,
    DraftSection,
    create_composer,
    register_composer,
    section_title,
)

__all__ = [
    "ComposeContext",
    "Composer",
    "Draft",
    "DraftSection",
    "create_composer",
    "register_composer",
    "section_title",
]
