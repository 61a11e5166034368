"""Small protocols every model sits behind, and one registry for all of them.

Built-in implementations register themselves exactly as a third-party plug-in would
(`register("embedder", "minilm", factory)`), so tests exercise the real lookup path with
deterministic fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np

from medcite.errors import ConfigError

if TYPE_CHECKING:
    from medcite.settings import Settings

Role = Literal["embedder", "generator", "judge"]


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors; same text always gives the same vector."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@runtime_checkable
class Generator(Protocol):
    """Completes a chat; used by the generative composers. Never trusted for citations."""

    name: str

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float) -> str: ...


@runtime_checkable
class Judge(Protocol):
    """Entailment judge: probability that `premise` supports `hypothesis` (0..1)."""

    name: str

    def entailment(self, premise: str, hypothesis: str) -> float: ...


@runtime_checkable
class Contradictions(Protocol):
    """A judge that can also say whether `premise` contradicts `hypothesis` (a language-model judge);
    the lexical judge cannot, and evaluation then falls back to its negation check."""

    def contradiction(self, premise: str, hypothesis: str) -> float: ...


Factory = Callable[["Settings"], Any]
_REGISTRY: dict[str, dict[str, Factory]] = {"embedder": {}, "generator": {}, "judge": {}}


def register(role: Role, name: str, factory: Factory) -> None:
    """Make a model available under `name` for `role` (built-ins and plug-ins alike)."""
    _REGISTRY[role][name] = factory


def available(role: Role) -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY[role])


def create(role: Role, name: str, settings: Settings) -> Any:
    """Build the model registered as `name` for `role`."""
    _load_builtins()
    try:
        factory = _REGISTRY[role][name]
    except KeyError:
        raise ConfigError(
            f"unknown {role} {name!r}",
            hint=f"choose one of: {', '.join(sorted(_REGISTRY[role]))}",
        ) from None
    return factory(settings)


_builtins_loaded = False


def _load_builtins() -> None:
    # Imported lazily so that `import medcite` stays cheap and heavy runtimes load on first use.
    global _builtins_loaded
    if _builtins_loaded:
        return
    _builtins_loaded = True
    from medcite.models import builtins

    builtins.register_all()
