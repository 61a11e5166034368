"""Registers the built-in models, the same way a third-party plug-in would."""

from __future__ import annotations

from medcite.models.base import register


def register_all() -> None:
    from medcite.models import embedders, generators, judges

    register("embedder", "minilm", embedders.MiniLMOnnx)
    register("embedder", "local", embedders.LocalOnnx)
    register("embedder", "hashing", embedders.HashingEmbedder)
    register("embedder", "openai", embedders.OpenAIEmbedder)
    register("generator", "openai", generators.OpenAIGenerator)
    register("generator", "gguf", generators.gguf_or_error)
    register("generator", "fake", generators.FakeGenerator)
    register("judge", "lexical", judges.lexical_judge)
    register("judge", "openai", generators.OpenAIJudge)
    register("judge", "gguf", generators.gguf_or_error)
