"""What a composer receives and returns, and the registry composers are found in.

A composer turns selected evidence into a draft: a bottom line and sections of claims, each
claim pointing at the passages (chunk ids) it rests on. It never numbers citations: the
program numbers references and checks every claim afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from medcite.errors import ConfigError
from medcite.records import Audience, Claim, Evidence, Hit, Query

if TYPE_CHECKING:
    from medcite.answer.select import Weights
    from medcite.settings import Settings

SECTION_TITLES: dict[str, tuple[str, str]] = {
    # facet: (clinician / student title, patient title)
    "red_flags": ("Red flags", "Get help urgently if"),
    "timing": ("Timing and escalation", "When to get more help"),
    "treatment": ("Treatment options", "Treatment options"),
    "diagnosis": ("Diagnostic work-up", "Tests and check-ups"),
    "screening": ("Screening and prevention", "Screening and prevention"),
    "populations": ("Special populations", "If you are pregnant, older or have other conditions"),
    "research": ("What the research shows", "What studies found"),
    "background": ("Background", "About this condition"),
    "pitfalls": ("Pitfalls to avoid", "Things to avoid"),
}


def section_title(facet: str, audience: Audience) -> str:
    clinician, patient = SECTION_TITLES.get(facet, (facet.title(), facet.title()))
    return patient if audience is Audience.PATIENT else clinician


@dataclass
class ComposeContext:
    question: str
    query: Query
    audience: Audience
    hits: list[Hit]
    evidence: list[Evidence]
    weights: Weights
    settings: Settings
    intents: list[str] = field(default_factory=list)
    #: The documents in the order the search ranked them (before the top ones were searched again).
    doc_order: list[str] = field(default_factory=list)


@dataclass
class DraftSection:
    facet: str
    title: str
    items: list[Claim]


@dataclass
class Draft:
    bottom_line: list[Claim]
    sections: list[DraftSection]
    notes: list[str] = field(default_factory=list)
    model: str | None = None


class Composer(Protocol):
    name: str

    def compose(self, ctx: ComposeContext) -> Draft: ...


ComposerFactory = Callable[["Settings"], Composer]
_COMPOSERS: dict[str, ComposerFactory] = {}


def register_composer(name: str, factory: ComposerFactory) -> None:
    """Make a composer available as `answer.composer = name` (built-ins register the same way)."""
    _COMPOSERS[name] = factory


def create_composer(settings: Settings) -> Composer:
    from medcite.answer.compose import builtins

    builtins.register_all()
    name = settings.answer.composer
    if name not in _COMPOSERS:
        raise ConfigError(f"unknown composer {name!r}", hint=f"choose one of: {', '.join(sorted(_COMPOSERS))}")
    return _COMPOSERS[name](settings)
