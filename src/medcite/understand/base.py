"""What an understander is, and the registry the `understand.backend` setting picks from."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from medcite.errors import ConfigError
from medcite.records import Understanding

if TYPE_CHECKING:
    from medcite.settings import Settings
    from medcite.understand.vocabulary import Vocabulary

DocFreq = Callable[[str], int]


class Understander(Protocol):
    """Reads a question into an `Understanding` before retrieval. Never raises on odd input text;
    a backend that cannot run (no model configured) raises `ModelUnavailable` when it is built."""

    name: str

    def read(self, question: str) -> Understanding: ...


#: factory(settings, doc_freq, vocabulary, is_treatment) -> Understander
UnderstanderFactory = Callable[
    ["Settings", "DocFreq | None", "Vocabulary | None", "Callable[[str], bool] | None"], Understander
]
_UNDERSTANDERS: dict[str, UnderstanderFactory] = {}


def register_understander(name: str, factory: UnderstanderFactory) -> None:
    """Make an understander available as `understand.backend = name` (built-ins register the same way)."""
    _UNDERSTANDERS[name] = factory


def create_understander(
    settings: Settings,
    *,
    doc_freq: DocFreq | None = None,
    vocabulary: Vocabulary | None = None,
    is_treatment: Callable[[str], bool] | None = None,
) -> Understander:
    from medcite.understand import builtins

    builtins.register_all()
    name = settings.understand.backend
    if name not in _UNDERSTANDERS:
        raise ConfigError(
            f"unknown understanding backend {name!r}", hint=f"choose one of: {', '.join(sorted(_UNDERSTANDERS))}"
        )
    return _UNDERSTANDERS[name](settings, doc_freq, vocabulary, is_treatment)
