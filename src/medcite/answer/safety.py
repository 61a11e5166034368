"""Safety: emergencies first (red flags), scope (is this a medical question?), personal data.

Red flags are matched on the question with hand-written patterns for presentations that need
action now; each carries what to do, worded for clinicians and for patients. Evidence that
names a red flag relevant to the question (e.g. cauda equina in a back-pain guideline) is
surfaced as a red-flag item too, but only the question raises the emergency banner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

import yaml

from medcite.errors import ConfigError
from medcite.records import Audience, RedFlag


@dataclass(frozen=True)
class FlagRule:
    """An emergency: `presentation` describes it happening (always raises the banner unless the
    question is plainly about the past); `name` merely names it and raises the banner only when
    the question also sounds acute ("now", "what do I do", abnormal vital signs...). `who`, when
    set, must also match (a fall from height is flagged for a young child)."""

    key: str
    condition: str
    presentation: str
    name: str
    clinician: str
    patient: str
    who: str | None = None

    @cached_property
    def presentation_re(self) -> re.Pattern[str]:
        return re.compile(self.presentation, re.I)

    @cached_property
    def name_re(self) -> re.Pattern[str]:
        return re.compile(self.name, re.I)

    @cached_property
    def who_re(self) -> re.Pattern[str] | None:
        return re.compile(self.who, re.I) if self.who else None


def load_rules() -> list[FlagRule]:
    """The red-flag table (`data/red_flags.yaml`), checked: every entry has its fields and its
    patterns compile."""
    text = resources.files("medcite.answer").joinpath("data", "red_flags.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    rules = []
    for entry in data.get("red_flags", []):
        try:
            rule = FlagRule(**entry)
            rule.presentation_re, rule.name_re, rule.who_re  # noqa: B018 - compile now: a bad pattern fails here
        except (TypeError, re.error) as exc:
            raise ConfigError(f"red_flags.yaml: bad entry {entry.get('key')!r}: {exc}", hint="fix the entry") from exc
        rules.append(rule)
    return rules


RULES: list[FlagRule] = load_rules()

# Questions about the past, prevention, teaching or definitions do not describe an emergency now.
_PAST = re.compile(
    r"\b(in (19|20)\d\d|years? ago|last (year|month)|history of|previous|prior|after (surgery|an episode|"
    r"recovery)|recovery (time|after)|long[- ]term follow[- ]up|follow[- ]up after|in future|in case)\b",
    re.I,
)
_GENERAL = re.compile(
    r"\b(prevent\w*|vaccin\w*|screen\w*|defin\w*|evidence for|risk factors?|how (is|are) .* (defined|diagnosed)|"
    r"teach|educat\w*|early signs|what (is|are) (the )?(signs|symptoms|definition)|epidemiolog\w*|reduc\w+ .*risk)\b",
    re.I,
)
_ACUTE = re.compile(
    r"\b(now(?! that)|right now|just|suddenly|sudden|tonight|today|this (morning|evening|afternoon)|currently|"
    r"(\d+|ten|few) (min(ute)?s?|hours?) ago|what (do|should) (i|we) do|next step|management\??$|help)\b|"
    r"\b(bp|blood pressure) \d{2,3}/\d{2,3}|\bhr \d{3}|\brr [23]\d|lactate \d",
    re.I,
)


def red_flags(question: str, audience: Audience) -> list[RedFlag]:
    """Emergencies the question describes, each with what to do now."""
    flags = []
    past = bool(_PAST.search(question))
    general = bool(_GENERAL.search(question))
    acute = bool(_ACUTE.search(question))
    for rule in RULES:
        if rule.who_re is not None and not rule.who_re.search(question):
            continue
        m = rule.presentation_re.search(question)
        if m and past and not acute:
            m = None
        if m is None and (acute and not past and not general):
            m = rule.name_re.search(question)
        if m is None:
            continue
        action = rule.patient if audience is Audience.PATIENT else rule.clinician
        flags.append(RedFlag(condition=rule.condition, action=action, trigger=f"question: “{m.group(0)}”"))
    return flags


# -- scope -----------------------------------------------------------------------------------
_MEDICAL = re.compile(
    r"\b(patient|clinic\w*|diagnos\w*|treat\w*|therap\w*|symptom\w*|disease|disorder|syndrome|infection|"
    r"pain|dose|dosing|drug|medic\w*|tablet|pill|vaccin\w*|screen\w*|surgery|surgical|cancer|tumou?r|"
    r"pregnan\w*|blood|heart|lung|kidney|liver|brain|bone|skin|fever|cough|rash|doctor|nurse|hospital|"
    r"guideline|mg|injection|antibiotic\w*|diabet\w*|hypertension|asthma|copd|stroke|depress\w*|anxiety|"
    r"health|allerg\w*|side effects?|risk|prognosis|referral|imaging|mri|x-ray|test(ing)?|sick|ill|"
    r"illness|injur\w*|wound|fracture|pregnancy|baby|child\w*|elderly|sleep|weight|diet|smok\w*|alcohol|"
    r"(cortico)?steroids?|ointment|inhaler|capsules?|"
    # what patients say they feel ("shaky and sweaty", "go lightheaded", "a deep ache", "queasy")
    r"ache|aches|aching|achy|sore|swollen|swelling|lumps?|itch\w*|spots|pimples?|acne|bleed\w*|bruis\w*|"
    r"cramp\w*|headaches?|migraines?|numb\w*|tingl\w*|dizz\w*|light-?headed\w*|faint\w*|queasy|nause\w*|"
    r"vomit\w*|shaky|shaking|sweaty|sweats|sweating|breathless\w*|wheez\w*|constipat\w*|diarrh\w*|poos?|"
    r"urine|peeing|tummy|stomach|bowels?|bladder|throat|joints?|hair (loss|coming out|falling out))\b",
    re.I,
)


_MEDICAL_SUFFIX = re.compile(
    r"\b\w{3,}(itis|osis|a?emia|ectomy|otomy|ostomy|pathy|algia|oma|plasty|scopy|uria|penia|trophy|plegia|"
    r"cillin|mycin|azole|statin|pril|sartan|olol|ine|ide|ate|"
    # WHO INN stems of common drug classes ("meloxicam", "naproxen", "clobetasol", "apixaban")
    r"oxicam|profen|proxen|betasol|olone|sone|prazole|tidine|gliptin|flozin|glutide|setron|triptan|lukast|"
    r"dronate|parin|xaban|gatran|tinib|cycline|floxacin|dipine|terol|tropium|azepam|azolam|caine|mab|vir)\b",
    re.I,
)


def medical_signal(question: str) -> float:
    """0..1: how much the question's wording looks clinical (used with retrieval relevance)."""
    found = {m.group(0).lower() for m in _MEDICAL.finditer(question)}
    found |= {
        m.group(0).lower()
        for m in _MEDICAL_SUFFIX.finditer(question)
        if m.group(0).lower()
        not in {
            "machine",
            "online",
            "engine",
            "routine",
            "decide",
            "inside",
            "outside",
            "guide",
            "provide",
            "side",
            "wide",
            "ride",
            "date",
            "late",
            "rate",
            "state",
            "create",
            "update",
            "translate",
            "chocolate",
            "climate",
        }
    }
    hits = len(found)
    return min(1.0, hits / 2)


# -- personal data ------------------------------------------------------------------------------
def personal_data(question: str) -> list[str]:
    """Identifiers found in the question (see `medcite.privacy`, which removes them)."""
    from medcite.privacy.redact import find

    return [question[s.start : s.end] for s in sorted(find(question), key=lambda s: s.start)]
