"""The clinical tables the understanding stage reads, loaded from the YAML files beside this module.

Each file is clinical content a reviewer can read and change without reading Python; this module
only checks its shape (pydantic models) and compiles its patterns once. A file that fails the check
raises `ConfigError` naming the file and the entry, so a bad edit is caught by the test suite (which
loads every table) rather than at a clinician's question.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from medcite.errors import ConfigError
from medcite.kept import keep
from medcite.records import AgeBand, Aspect, Patient
from medcite.understand.cues import Cues, _word_start

_FLAGS = re.I


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    return _compile_any([pattern], where)


def _compile_any(patterns: list[str], where: str) -> re.Pattern[str]:
    """One pattern matching any of `patterns` (one search instead of many: the stage reads every
    question against hundreds of cues). A "case:" prefix makes that alternative case-sensitive."""
    parts = [f"(?-i:{_word_start(p[5:])})" if p.startswith("case:") else f"(?:{_word_start(p)})" for p in patterns]
    try:
        return re.compile("|".join(parts), _FLAGS)
    except re.error:
        for part in parts:  # name the bad pattern, not the joined one
            try:
                re.compile(part, _FLAGS)
            except re.error as exc:
                hint = "fix the regular expression"
                raise ConfigError(f"bad pattern in {where}: {part!r} ({exc})", hint=hint) from exc
        raise


def _load(name: str) -> dict[str, Any]:
    text = resources.files("medcite.understand").joinpath("data", name).read_text(encoding="utf-8")
    # libyaml's loader when the wheel has it: the pure-Python one takes ~10x longer on these files.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ConfigError(f"{name} must hold a mapping", hint="see the comments at the top of the file")
    return data


# -- shorthand -------------------------------------------------------------------------------------
class Shorthand(BaseModel):
    """`shorthand.yaml`: clinical shorthand and what it spells out ("adenoca", "breast ca", "IDC")."""

    words: dict[str, str]
    cancer: list[str]
    carcinoma: list[str]

    def model_post_init(self, context: Any) -> None:
        def word(key: str) -> str:
            body = rf"(?<![\w-]){re.escape(key)}(?![\w-])"
            return f"(?-i:{body})" if any(c.isupper() for c in key) else body

        def listed(names: list[str]) -> str:
            return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))

        # "ca" is read only after a site or a histology, or before "of": never as "CA 125" or "Ca 2.4".
        ca = r"\s+ca\b(?![- ]?\d|\+)"
        self._pattern = _compile_any(
            [
                rf"(?P<site>\b(?:{listed(self.cancer)})){ca}",
                rf"(?P<histology>\b(?:{listed(self.carcinoma)})){ca}",
                r"(?P<of>\bca)(?=\s+of\b)",
                *(f"(?P<w{i}>{word(k)})" for i, k in enumerate(self.words)),
            ],
            "shorthand.yaml",
        )
        self._spelled = list(self.words.values())

    def spelled(self, text: str) -> list[tuple[re.Match[str], str]]:
        """Each piece of shorthand in `text` with what it spells out, in order."""
        out = []
        for m in self._pattern.finditer(text):
            group = m.lastgroup or ""
            if group == "site":
                written = f"{m['site']} cancer"
            elif group == "histology":
                written = f"{m['histology']} carcinoma"
            elif group == "of":
                written = "cancer"
            else:
                written = self._spelled[int(group[1:])]
            out.append((m, written))
        return out

    def spell_out(self, text: str) -> str:
        """`text` with its shorthand spelled out ("lung adenoca" -> "lung adenocarcinoma")."""
        parts, last = [], 0
        for m, written in self.spelled(text):
            parts += [text[last : m.start()], written]
            last = m.end()
        return "".join(parts) + text[last:] if parts else text


@cache
def shorthand() -> Shorthand:
    try:
        return Shorthand.model_validate(_load("shorthand.yaml"))
    except ValidationError as exc:
        raise ConfigError(f"shorthand.yaml: {exc}", hint="see the comments at the top of the file") from exc


# -- aspects ---------------------------------------------------------------------------------------
class AspectRule(BaseModel):
    label: str
    ask: list[str]
    answer: list[str]
    facets: list[str]
    preferred: list[str] = Field(
        default_factory=list,
        description="Wordings of a source's preferred option ('treatment of choice', 'first-line'): asked "
        "which drug or how to manage, with nothing tried yet, the preferred option answers first",
    )
    proposed: list[str] = Field(
        default_factory=list,
        description="What a bare yes/no question ('Is that advised?', 'Should we?') asks this aspect about "
        "when the thing it refers to is one of these (a test: whether to test)",
    )

    def model_post_init(self, context: Any) -> None:
        self._ask = [Cues(self.ask, f"aspects.yaml/{self.label}/ask")]
        self._proposed = _compile_any(self.proposed, f"aspects.yaml/{self.label}/proposed") if self.proposed else None
        self._answer = [_compile(p, f"aspects.yaml/{self.label}/answer") for p in self.answer]
        self._preferred = (
            _compile_any(self.preferred, f"aspects.yaml/{self.label}/preferred") if self.preferred else None
        )

    def prefers(self, text: str) -> bool:
        """The sentence marks its option as the preferred one."""
        return self._preferred is not None and self._preferred.search(text) is not None

    def asks(self, text: str) -> re.Match[str] | None:
        for p in self._ask:
            m = p.search(text)
            if m:
                return m
        return None

    def proposes(self, text: str) -> re.Match[str] | None:
        """`text` names a thing of this aspect's kind (`proposed`)."""
        return self._proposed.search(text) if self._proposed is not None else None

    def answered_by(self, text: str) -> int:
        """How many of the aspect's answer cues the sentence holds (0 = it does not speak to it)."""
        return sum(1 for p in self._answer if p.search(text))


def _build_aspects() -> dict[Aspect, AspectRule]:
    raw = _load("aspects.yaml").get("aspects", {})
    out: dict[Aspect, AspectRule] = {}
    for key, body in raw.items():
        try:
            out[Aspect(key)] = AspectRule(**body)
        except (ValueError, ValidationError) as exc:
            raise ConfigError(f"aspects.yaml: bad entry {key!r}: {exc}", hint="see the file's header") from exc
    return out


# -- values ------------------------------------------------------------------------------------------
#: "<group> <op> <number>", or "<group> <op> <group>" to compare two values of one reading ("sys > dia").
_CONDITION = re.compile(r"^\s*(\w+)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?|[a-z_]\w*)\s*$")


def _holds(condition: str, values: dict[str, float]) -> bool:
    m = _CONDITION.match(condition)
    if not m:
        raise ConfigError(
            f"values.yaml: bad condition {condition!r}", hint="write '<group> <op> <number>' or '<group> <op> <group>'"
        )
    name, op, other = m.group(1), m.group(2), m.group(3)
    if name not in values:
        return False
    try:
        number = float(other)
    except ValueError:  # another value of the same reading
        if other not in values:
            return False
        number = values[other]
    v = values[name]
    return {"<": v < number, "<=": v <= number, ">": v > number, ">=": v >= number, "==": v == number}[op]


class Reading(BaseModel):
    reading: str
    any: list[str] = Field(default_factory=list)
    all: list[str] = Field(default_factory=list)
    problem: bool = False

    @field_validator("any", "all")
    @classmethod
    def _conditions(cls, v: list[str]) -> list[str]:
        for c in v:
            if not _CONDITION.match(c):
                raise ValueError(f"bad condition {c!r}")
        return v

    def holds(self, values: dict[str, float]) -> bool:
        ok_any = not self.any or any(_holds(c, values) for c in self.any)
        ok_all = all(_holds(c, values) for c in self.all)
        return ok_any and ok_all


class Measure(BaseModel):
    name: str
    pattern: str
    readings: list[Reading]
    said: dict[str, str] = Field(
        default_factory=dict,
        description="Value group -> how a source sentence names that quantity ('(?:serum )?ferritin'), so a "
        "threshold it states ('ferritin <= 75 µg/L') can be compared with the patient's value",
    )
    number_first: bool = Field(False, description="Sources write the number before the name ('<12 weeks gestation')")

    def model_post_init(self, context: Any) -> None:
        self._re = _compile(self.pattern, f"values.yaml/{self.name}")
        self._said = {g: _compile(p, f"values.yaml/{self.name}/said/{g}") for g, p in self.said.items()}

    def said_patterns(self) -> dict[str, re.Pattern[str]]:
        """Value group -> the compiled pattern naming it in source text."""
        return self._said

    def finditer(self, text: str) -> list[re.Match[str]]:
        return list(self._re.finditer(text))


def _build_measures() -> list[Measure]:
    raw = _load("values.yaml").get("measures", [])
    try:
        return [Measure(**m) for m in raw]
    except ValidationError as exc:
        raise ConfigError(f"values.yaml: {exc}", hint="see the file's header") from exc


# -- patient and setting -------------------------------------------------------------------------------
class AgePattern(BaseModel):
    pattern: str
    unit: Literal["years", "months", "weeks", "days", "decades"]

    def model_post_init(self, context: Any) -> None:
        self._re = _compile(self.pattern, "patient.yaml/age")


class Band(BaseModel):
    band: AgeBand
    below: float


class Qualifier(BaseModel):
    question: str
    sentence: str
    opposite: str


class Spread(BaseModel):
    """A named cancer that has spread (patient.yaml `spread`)."""

    question: str
    cancer: str
    prefix: str
    sites: list[str] = []

    def model_post_init(self, context: Any) -> None:
        self._question = _compile(self.question, "patient.yaml/spread/question")
        self._cancer = _compile(self.cancer, "patient.yaml/spread/cancer")


class Treatments(BaseModel):
    """What a treatment already tried can be, beside the drug vocabulary (patient.yaml `treatments`)."""

    words: list[str]
    endings: str

    def model_post_init(self, context: Any) -> None:
        self._words = frozenset(w.lower() for w in self.words)
        self._endings = _compile(self.endings, "patient.yaml/treatments/endings")

    def names(self, word: str) -> bool:
        return word in self._words or bool(self._endings.search(word))


class PatientTables(BaseModel):
    age: list[AgePattern]
    bands: list[Band]
    band_words: dict[str, str]
    sex: dict[str, str]
    pregnancy: str
    not_pregnant: str
    breastfeeding: str
    planning_pregnancy: str
    self_pregnancy: str = r"(?!)"
    frailty: str
    comorbidities: dict[str, str]
    settings: dict[str, str]
    acquired: dict[str, str]
    infection: str
    tried: list[str]
    treatments: Treatments
    instead: list[str]
    triggers: dict[str, str]
    qualifiers: dict[str, Qualifier]
    negation: str
    negation_ends: str
    negation_after: str = ""
    family_history: str = ""
    spread: Spread | None = None
    relative_patient: str = ""
    asker_at_risk: str = ""
    asker: list[str] = []
    only_for: dict[str, str] = {}

    def model_post_init(self, context: Any) -> None:
        c = _compile
        unknown = set(self.only_for) - {"female", "male", "not_baby"}
        if unknown:
            raise ConfigError(
                f"patient.yaml: only_for names unknown patients {sorted(unknown)}", hint="female, male, not_baby"
            )
        self._only_for = {k: c(v, f"patient.yaml/only_for/{k}") for k, v in self.only_for.items()}
        self._band_words = {k: c(v, f"patient.yaml/band_words/{k}") for k, v in self.band_words.items()}
        self._sex = {k: c(v, f"patient.yaml/sex/{k}") for k, v in self.sex.items()}
        self._pregnancy = c(self.pregnancy, "patient.yaml/pregnancy")
        self._not_pregnant = c(self.not_pregnant, "patient.yaml/not_pregnant")
        self._breastfeeding = c(self.breastfeeding, "patient.yaml/breastfeeding")
        self._planning_pregnancy = c(self.planning_pregnancy, "patient.yaml/planning_pregnancy")
        self._self_pregnancy = c(self.self_pregnancy, "patient.yaml/self_pregnancy")
        self._frailty = c(self.frailty, "patient.yaml/frailty")
        self._comorbidities = {k: c(v, f"patient.yaml/comorbidities/{k}") for k, v in self.comorbidities.items()}
        self._settings = {k: c(v, f"patient.yaml/settings/{k}") for k, v in self.settings.items()}
        self._acquired = {k: c(v, f"patient.yaml/acquired/{k}") for k, v in self.acquired.items()}
        self._infection = c(self.infection, "patient.yaml/infection")
        self._tried = [c(v, "patient.yaml/tried") for v in self.tried]
        self._instead = [c(v, "patient.yaml/instead") for v in self.instead]
        self._triggers = {k: c(v, f"patient.yaml/triggers/{k}") for k, v in self.triggers.items()}
        for k, q in self.qualifiers.items():
            if q.opposite not in self.qualifiers:
                raise ConfigError(f"patient.yaml: qualifier {k!r} names an unknown opposite {q.opposite!r}")
        self._negation = c(self.negation, "patient.yaml/negation")
        self._negation_ends = c(self.negation_ends, "patient.yaml/negation_ends")
        self._negation_after = c(self.negation_after, "patient.yaml/negation_after") if self.negation_after else None
        self._asker = [c(v, "patient.yaml/asker") for v in self.asker]
        self._family = c(self.family_history, "patient.yaml/family_history") if self.family_history else None
        self._relative_patient = (
            c(self.relative_patient, "patient.yaml/relative_patient") if self.relative_patient else None
        )
        self._asker_at_risk = c(self.asker_at_risk, "patient.yaml/asker_at_risk") if self.asker_at_risk else None
        self._asked_q = {k: c(q.question, f"patient.yaml/qualifiers/{k}") for k, q in self.qualifiers.items()}
        self._said_q = {k: c(q.sentence, f"patient.yaml/qualifiers/{k}") for k, q in self.qualifiers.items()}

    def impossible(self, problem: str, sex: str | None, age_years: float | None) -> bool:
        """Whether a problem of this name cannot be this patient's (patient.yaml `only_for`): a man's
        "epidural" is no obstetric anaesthesia, a 4-week-old's bleed no miscarriage."""
        for who, pattern in self._only_for.items():
            if not pattern.search(problem):
                continue
            if (who == "female" and sex == "male") or (who == "male" and sex == "female"):
                return True
            if who == "not_baby" and age_years is not None and age_years < 1:
                return True
        return False

    def asker_words(self, text: str) -> set[str]:
        """Lower-cased words of `text` that say whom the question is about and how old ("daughter" in
        "my 19 yr old daughter", "yr" and "old"), not what it asks (patient.yaml `asker`)."""
        return {w.lower() for p in self._asker for m in p.finditer(text) for w in re.findall(r"[\w/]+", m.group("w"))}

    def without_settings(self, text: str) -> str:
        """`text` with the words that name a care setting ("primary care", "on the ward") blanked."""
        for pattern in self._settings.values():
            text = pattern.sub(" ", text)
        return text

    def opens_negation(self, text: str, pos: int) -> bool:
        """A negation cue (`negation` or `family_history`) starts at `pos` of `text`."""
        return self._negation.match(text, pos) is not None or (
            self._family is not None and self._family.match(text, pos) is not None
        )

    def _history(self, text: str) -> list[re.Match[str]]:
        """Where a relative's illness is told as family history (`family_history`): not where the question
        is about the asker's own relative, spoken of as the patient ("my mum has had parkinsons for 12
        years and her tablets don't last"), while the asker asks nothing for themself ("should I be
        screened?")."""
        if self._family is None:
            return []
        found = list(self._family.finditer(text))
        if not found or self._relative_patient is None:
            return found
        for_themself = self._asker_at_risk is not None and self._asker_at_risk.search(text) is not None
        return [
            m
            for m in found
            if for_themself
            or not _OWN_RELATIVE.search(text[max(0, m.start() - 12) : m.start()])
            or self._relative_patient.search(text, m.end()) is None
        ]

    def negated_spans(self, text: str) -> list[tuple[int, int]]:
        """Stretches of `text` a negation cue governs: from the cue to the next punctuation mark or
        ending word, at most eight words on."""
        spans = []
        for m in [*self._negation.finditer(text), *self._history(text)]:
            rest = text[m.end() :]
            stop = _STOP.search(rest)
            # "no heart failure, COPD or neuromuscular disease": a comma inside a list that ends in
            # "or"/"nor" before the clause does is still under the negation.
            while stop and stop.group(0) == "," and _LIST_GOES_ON.match(rest, stop.end()):
                stop = _STOP.search(rest, stop.end())
            end = m.end() + (stop.start() if stop else len(rest))
            ender = self._negation_ends.search(text, m.end(), end)
            end = ender.start() if ender else end
            words = list(re.finditer(r"\S+", text[m.end() : end]))
            if len(words) > 8:
                end = m.end() + words[7].end()
            spans.append((m.start(), end))
        for m in self._negation_after.finditer(text) if self._negation_after else ():
            # "..., UTI excluded": back to the last punctuation mark, at most four words.
            before = text[: m.start()]
            cut = max(before.rfind(p) for p in ".;:!?(),") + 1
            words = list(re.finditer(r"\S+", before[cut:]))
            start = cut + (words[-4].start() if len(words) > 4 else (words[0].start() if words else 0))
            # "tender in the snuffbox but the x-ray is normal": the stretch starts after "but".
            enders = list(self._negation_ends.finditer(text, start, m.start()))
            if enders:
                start = enders[-1].end()
                while start < m.start() and text[start].isspace():
                    start += 1
            # "Coeliac serology, calprotectin, FBC and TFTs normal": a list that ends in "and"/"or" is
            # negated whole, back over its short comma-separated items (at most four more); so is one
            # the cue sums up ("reflux trial, stool studies, celiac all unrevealing").
            summed = _SUMS_UP.match(m.group(0))
            if summed:
                # "... reflux trial and allergy tests all unrevealing": the whole last item is ruled out,
                # not only its last four words (a bare "hip and pelvis X-rays look normal" rules out
                # the X-rays, not the hip).
                whole = cut + len(before[cut:]) - len(before[cut:].lstrip())
                start = max(whole, enders[-1].end() if enders else whole)
            if summed or _JOINED.search(text[start : m.start()]):
                for _ in range(4):
                    item = _LIST_ITEM.search(text, 0, start)
                    if item is None:
                        break
                    start = item.start(1)
            spans.append((start, m.end()))
        return sorted(spans)

    def qualifier_fit(self, qualifiers: Sequence[str], text: str) -> int:
        """+1 per patient state the sentence states, -1 per opposite state it states instead."""
        fit = 0
        for k in qualifiers:
            if self._said_q[k].search(text):
                fit += 1
            elif self._said_q[self.qualifiers[k].opposite].search(text):
                fit -= 1
        return fit


#: "my mum", "our dad", or "Mum ..." opening the question or a sentence: the asker's own relative (the
#: words just before a `family_history` match).
_OWN_RELATIVE = re.compile(
    r"(?:\b(?:my|our)\s+(?:(?:step|grand|older|younger|little|big|elderly|old)\s*)?|(?:^|[.!?]\s*)\s*)$", re.I
)
#: Where a negated stretch ends: punctuation, or a comma not followed by another negated item.
_STOP = re.compile(r"[.;:!?()]|,(?!\s*(?:no|or|nor)\b)")
# "no headache, chest pain, breathlessness, visual or neuro symptoms": more short items, then "or".
_LIST_GOES_ON = re.compile(r"(?:[^.;:!?(),]{1,30},)*[^.;:!?(),]{1,40}\b(?:or|nor)\b")
_JOINED = re.compile(r"\b(?:and|or|&)\b")
_SUMS_UP = re.compile(r"(?:all|both)\b", re.I)
# One short item of a list just before `endpos`: "(calprotectin), " -> group 1 is the item.
_LIST_ITEM = re.compile(r"(?:^|[.;:!?(),])\s*((?:[^\s.;:!?(),]+\s+){0,2}[^\s.;:!?(),]+)\s*,\s*$")


def _build_patient_tables() -> PatientTables:
    try:
        return PatientTables(**_load("patient.yaml"))
    except ValidationError as exc:
        raise ConfigError(f"patient.yaml: {exc}", hint="see the file's header") from exc


# -- problems -------------------------------------------------------------------------------------------
_STRUCTURED = re.compile(r"^(finding|trigger|age|sex|pregnant|aspect|setting|named):(.+)$")


class Feature(BaseModel):
    """One cue of a presentation: a regular expression over the question, or a structured test
    (`finding:<reading words>`, `trigger:<name>`, `age:<op><years>`, `sex:female`, `pregnant:yes`,
    `aspect:<aspect>`, `setting:<setting>`, `named:<problem>`), with the weight it adds."""

    weight: float
    cues: list[str]

    def model_post_init(self, context: Any) -> None:
        self._structured: list[tuple[str, str]] = []
        plain: list[str] = []
        for cue in self.cues:
            m = _STRUCTURED.match(cue)
            if m:
                self._structured.append((m.group(1), m.group(2).strip()))
            else:
                plain.append(cue)
        self._regexes = [Cues(plain, f"problems.yaml feature {plain!r}")] if plain else []


class ProblemRule(BaseModel):
    key: str
    terms: list[str] = Field(min_length=1, description="Search names: the first is the name shown")
    links: list[str] = Field(
        default_factory=list,
        description="Other wordings of its guidelines' titles or condition lines: they only link a document "
        "to the problem (never searched, shown or read as a name)",
    )
    names: list[str] = Field(default_factory=list)
    features: list[Feature] = Field(default_factory=list)
    needs: float = 2.0
    contrasts: list[str] = Field(default_factory=list)

    def model_post_init(self, context: Any) -> None:
        patterns = [first_person(p) for p in self.names] or [r"\b" + re.escape(t) + r"\b" for t in self.terms]
        self._names = [Cues(patterns, f"problems.yaml/{self.key}/names")]
        self._by_weight = sorted(self.features, key=lambda f: -f.weight)
        self._total_weight = sum(f.weight for f in self.features)

    @property
    def name(self) -> str:
        return self.terms[0]


def first_person(cue: str) -> str:
    """Patients speak of themselves: a name or cue written of "his|her legs" also reads "my legs", and one
    written "when (she|he) coughs" also reads "when I cough" (the tables are written for clinicians'
    vignettes)."""
    cue = re.sub(r"(?<!\w)his\|her(?!\w)", "his|her|my", cue)
    return cue.replace("(she|he)", "(she|he|i)").replace("(he|she)", "(he|she|i)")


def _feature(raw: Any, key: str) -> Feature:
    if not (isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], int | float)):
        raise ConfigError(f"problems.yaml/{key}: a feature is [weight, cue or [cues]]", hint=f"got {raw!r}")
    cues = raw[1] if isinstance(raw[1], list) else [raw[1]]
    return Feature(weight=float(raw[0]), cues=[first_person(str(c)) for c in cues])


def problem_files() -> list[str]:
    """Every `problems*.yaml` beside this module (the core table, then more by specialty)."""
    folder = resources.files("medcite.understand").joinpath("data")
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("problems") and p.name.endswith(".yaml"))


def _build_problem_rules() -> list[ProblemRule]:
    raw: dict[str, Any] = {}
    for name in problem_files():
        for key, body in (_load(name).get("problems") or {}).items():
            if key in raw:
                raise ConfigError(f"{name}: problem {key!r} is defined twice", hint="one entry per problem")
            raw[key] = body
    out = []
    for key, body in raw.items():
        try:
            feats = [_feature(f, key) for f in body.get("features", [])]
            out.append(ProblemRule(key=key, **{**body, "features": feats}))
        except ValidationError as exc:
            raise ConfigError(f"problems.yaml: bad entry {key!r}: {exc}", hint="see the file's header") from exc
    return out


# -- descriptions of findings ---------------------------------------------------------------------------
class Description(BaseModel):
    """Wordings that describe one finding ("coarse hair on her chin") and the clinical names a source
    would use for it ("hirsutism")."""

    terms: list[str] = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)
    problem: bool = Field(False, description="The finding is itself a diagnosis worth reading as the problem")

    def model_post_init(self, context: Any) -> None:
        # Every wording starts at a word's start: "igra" is not in "migraine".
        bounded = [p if p[:1].isalnum() else f"(?<![A-Za-z0-9])(?:{p})" for p in self.patterns]
        self._cues = Cues(bounded, f"descriptions.yaml {self.terms[0]!r}")

    def finditer(self, text: str, low: str) -> list[re.Match[str]]:
        return list(self._cues.finditer(text, low))

    def check(self) -> None:
        self._cues.check()


def _build_descriptions() -> list[Description]:
    out = []
    for i, body in enumerate(_load("descriptions.yaml").get("descriptions") or []):
        try:
            out.append(Description(**body))
        except (ValidationError, TypeError) as exc:
            raise ConfigError(f"descriptions.yaml: bad entry {i + 1}: {exc}", hint="see the file's header") from exc
    return out


# -- contrasts for ranking -------------------------------------------------------------------------------
class Kind(BaseModel):
    """A kind of document by its title, and the asked aspects it answers or does not."""

    title: str
    unless: str = ""
    fits: list[Aspect] = []
    clashes: list[Aspect] = []

    def model_post_init(self, context: Any) -> None:
        self._title = _compile(self.title, "contrasts.yaml/kinds")
        self._unless = _compile(self.unless, "contrasts.yaml/kinds") if self.unless else None

    def names(self, title: str) -> bool:
        return bool(self._title.search(title)) and not (self._unless and self._unless.search(title))


class Contrasts(BaseModel):
    """Words in a document's title (or a passage's headings) that mark it as written for another
    population or setting than the patient's."""

    population: dict[str, list[str]]
    acquired: dict[str, list[str]]
    own_population: dict[str, list[str]]
    match: dict[str, list[str]]
    pregnancy: list[str]
    setting: dict[str, list[str]] = {}
    kinds: dict[str, Kind] = {}
    sites: dict[str, str] = {}
    sexes: dict[str, str] = {}

    def model_post_init(self, context: Any) -> None:
        self._population = {k: [_compile(p, f"contrasts.yaml/{k}") for p in v] for k, v in self.population.items()}
        self._acquired = {k: [_compile(p, f"contrasts.yaml/{k}") for p in v] for k, v in self.acquired.items()}
        self._own = {k: [_compile(p, f"contrasts.yaml/{k}") for p in v] for k, v in self.own_population.items()}
        self._match = {k: [_compile(p, f"contrasts.yaml/match/{k}") for p in v] for k, v in self.match.items()}
        self._pregnancy = [_compile(p, "contrasts.yaml/pregnancy") for p in self.pregnancy]
        self._setting = {k: [_compile(p, f"contrasts.yaml/setting/{k}") for p in v] for k, v in self.setting.items()}
        self._sites = {k: _compile(p, f"contrasts.yaml/sites/{k}") for k, p in self.sites.items()}
        self._sexes = {k: _compile(p, f"contrasts.yaml/sexes/{k}") for k, p in self.sexes.items()}

    def sites_named(self, text: str) -> set[str]:
        """The body sites of `sites` that `text` names."""
        return {k for k, p in self._sites.items() if p.search(text)}

    def site_clash(self, asked_sites: set[str], text: str) -> bool:
        """The text names body sites, none of them one the question names."""
        named = self.sites_named(text) if asked_sites else set()
        return bool(named) and not named & asked_sites

    def sex_clash(self, sex: str | None, text: str) -> bool:
        """The text names only the other sex than the patient's ("in men" for a woman)."""
        if sex not in self._sexes:
            return False
        named = {k for k, p in self._sexes.items() if p.search(text)}
        return bool(named) and sex not in named

    def pregnancy_clash(self, patient: Patient, text: str) -> float:
        """How far a text written for pregnancy is from the patient: 1 for a man or a child, 0.5 for
        anyone not said to be pregnant, 0 when she is, breastfeeds or plans a pregnancy (or the text is not about
        pregnancy)."""
        if (
            patient.pregnant
            or patient.breastfeeding
            or patient.planning_pregnancy
            or not any(p.search(text) for p in self._pregnancy)
        ):
            return 0.0
        if patient.sex == "male" or patient.age_band in ("neonate", "infant", "child"):
            return 1.0
        return 0.5

    def population_match(self, patient: Patient, text: str) -> bool:
        """The text says it is written for the patient's own group (pregnancy, children, older people)."""
        groups = []
        if patient.pregnant or patient.planning_pregnancy:
            groups.append("pregnant")
        if patient.age_band in ("neonate", "infant", "child", "adolescent"):
            groups.append("child")
        if patient.age_band == "older" or patient.frail:
            groups.append("older")
        return any(p.search(text) for g in groups for p in self._match.get(g, []))

    def population_clash(self, band: str | None, text: str) -> bool:
        """The text is written for another age band than `band` (and not also for this one)."""
        if band is None:
            return False
        group = "child" if band in ("neonate", "infant", "child", "adolescent") else "adult"
        clash = any(p.search(text) for p in self._population.get(group, []))
        own = any(p.search(text) for p in self._own.get(group, []))
        return clash and not own

    def setting_match(self, settings: Sequence[str], text: str) -> bool:
        """The text says it is written for one of the settings the question names (ED, ICU, ...)."""
        return any(p.search(text) for s in settings for p in self._setting.get(s, []))

    def aspect_fit(self, aspect: Aspect | None, title: str) -> int:
        """+1 when the title is of a kind that answers `aspect` (the first aspect asked), -1 when it is
        of a kind that does not (and of none that does), 0 otherwise."""
        if aspect is None:
            return 0
        kinds = [k for k in self.kinds.values() if k.names(title)]
        if any(aspect in k.fits for k in kinds):
            return 1
        return -1 if any(aspect in k.clashes for k in kinds) else 0

    def acquired_clash(self, acquired: str | None, text: str) -> bool:
        if acquired is None:
            return False
        return any(p.search(text) for p in self._acquired.get(acquired, []))


def _build_contrasts() -> Contrasts:
    try:
        return Contrasts(**_load("contrasts.yaml"))
    except ValidationError as exc:
        raise ConfigError(f"contrasts.yaml: {exc}", hint="see the file's header") from exc


# -- loading once, and keeping what was loaded ----------------------------------------------------------
# Reading the YAML and building the rules (cue anchors and all) takes ~0.14 s, most of what the stage
# costs a one-off CLI answer; a pickle of the built tables loads in ~0.04 s. It is kept in the home's
# models folder under a digest of the tables *and* of the code that builds them, so an edited table,
# an upgrade or another Python never reads a stale one.
_keep: Path | None = None


def keep_built_tables_in(folder: Path | None) -> None:
    """Keep the built tables in `folder` (best-effort) from the next load on; None keeps nothing."""
    global _keep
    _keep = folder


def _digest() -> str:
    h = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    data = resources.files("medcite.understand").joinpath("data")
    for name in sorted(p.name for p in data.iterdir() if p.name.endswith(".yaml")):
        h.update(name.encode() + data.joinpath(name).read_bytes())
    here = Path(__file__).parent
    for code in (here / "tables.py", here / "cues.py", here.parent / "records.py"):
        h.update(code.read_bytes())
    return h.hexdigest()[:16]


@cache
def _tables() -> dict[str, Any]:
    path = _keep / f"clinical-tables-{_digest()}.pickle" if _keep is not None else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as f:
                kept = pickle.load(f)  # written by this code, in the user's own home (see above)
            if isinstance(kept, dict):
                return kept
        except Exception:  # a damaged or foreign file costs the speed-up, nothing else
            pass
    built = {
        "aspects": _build_aspects(),
        "measures": _build_measures(),
        "patient": _build_patient_tables(),
        "problems": _build_problem_rules(),
        "contrasts": _build_contrasts(),
        "descriptions": _build_descriptions(),
    }
    if path is not None and keep(path, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)):
        for old in path.parent.glob("clinical-tables-*.pickle"):
            if old != path:  # built from tables or code this install no longer has
                old.unlink(missing_ok=True)
    return built


def aspects() -> dict[Aspect, AspectRule]:
    return _tables()["aspects"]


def measures() -> list[Measure]:
    return _tables()["measures"]


def patient_tables() -> PatientTables:
    return _tables()["patient"]


def problem_rules() -> list[ProblemRule]:
    return _tables()["problems"]


def contrasts() -> Contrasts:
    return _tables()["contrasts"]


def descriptions() -> list[Description]:
    return _tables()["descriptions"]
