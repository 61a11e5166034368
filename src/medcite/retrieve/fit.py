"""How well a retrieved passage fits the question as it was read: its problem, patient and setting.

A guideline whose title names the question's problem is more likely to answer it, and so is one whose
title says it is of the kind the question asks for (imaging appropriateness for "which scan?", not
for "which drug?") or written for the patient's setting ("...presenting to the emergency
department"). One written for another population ("...in children" for an adult), another setting
("hospital-acquired" for a patient treated at home) or a neighbouring problem the reading warns of
("lower GI bleeding" for coffee-ground vomiting) is less likely to. These adjust the ranking; they
never remove a passage.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from medcite.records import Understanding
from medcite.settings import RetrieveSettings
from medcite.text import stem, tokens
from medcite.understand.tables import contrasts
from medcite.understand.vocabulary import names_term

#: Does document `doc_id` (title + condition list) name one of `terms`?
About = Callable[[str, list[str]], bool]


def _phrase_in(term: str, stems: str) -> bool:
    return names_term(stems, term)


@lru_cache(maxsize=4096)
def _stems(text: str) -> str:
    # Hyphenated words count whole and in parts: "difficile-associated" holds "difficile".
    words = tokens(text)
    words += [p for w in words if "-" in w for p in w.split("-") if p]
    return " " + " ".join(stem(w) for w in words) + " "


def fit(
    u: Understanding | None,
    doc_id: str,
    title: str,
    headings: str,
    cfg: RetrieveSettings,
    about: About | None = None,
) -> dict[str, float]:
    """Score adjustments (named, for the hit's audit trail) for one passage given the reading."""
    if u is None:
        return {}
    parts: dict[str, float] = {}
    title_stems = _stems(title)
    for i, problem in enumerate(u.problems):
        linking = problem.link_terms
        named = any(_phrase_in(t, title_stems) for t in linking) or (about is not None and about(doc_id, linking))
        if named:
            parts["problem"] = round(cfg.problem_weight / (1 + i), 3)
            break
    if "problem" not in parts:
        for problem in u.problems:
            clash = [c for c in problem.contrasts if _phrase_in(c, title_stems)]
            if clash:
                parts["contrast"] = -cfg.contrast_penalty
                break
    tables = contrasts()
    text = f"{title} {headings}"
    pregnancy = tables.pregnancy_clash(u.patient, title)
    if tables.population_clash(u.patient.age_band, text) or pregnancy:
        parts["population"] = -cfg.population_penalty * (pregnancy or 1.0)
    elif tables.population_match(u.patient, title):
        parts["population"] = cfg.population_bonus
    if tables.acquired_clash(u.acquired, text):
        parts["setting"] = -cfg.setting_penalty
    elif tables.setting_match(u.setting, title):
        parts["setting"] = cfg.setting_bonus
    kind = tables.aspect_fit(u.aspects[0] if u.aspects else None, title)
    if kind:
        parts["kind"] = cfg.kind_bonus if kind > 0 else -cfg.kind_penalty
    return parts
