"""The default, offline reading of a question: clinical tables (YAML beside this module) + the index.

It reads, in this order: the asking clause; values with their units (`values.yaml`); the patient, the
setting, what was tried, triggers (`patient.yaml`); the asked aspects (`aspects.yaml`); the problems,
named or inferred from the presentation (`problems.yaml`), then any condition the indexed documents
name that the question names too (the corpus's own vocabulary, `Vocabulary`); and, with the index's
word counts, words no source holds: read as a near indexed word ("Addisonian" as "Addison") or set
aside, so that one unknown word never sinks a question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from medcite.records import Aspect, Finding, Patient, Problem, Understanding
from medcite.text import STOPWORDS, fix_text, tokens, us_spelling
from medcite.understand import tables
from medcite.understand.cues import Cues
from medcite.understand.vocabulary import Vocabulary

DocFreq = Callable[[str], int]
# A hyphen joining two words ("loin-to-groin"), not one after a prefix ("non-cirrhotic" keeps its
# "non-", which cues test for).
_HYPHEN = re.compile(r"\b(?!(?:non|anti|pre|post|sub|semi|co|re|un)-)([a-z]+)-(?=[a-z])", re.I)


@lru_cache(maxsize=256)
def _readings(text: str) -> tuple[tuple[str, str], ...]:
    """(text, lower case) as written, then with hyphens between words read as spaces when it has any."""
    spaced = _HYPHEN.sub(r"\1 ", text)
    return tuple((t, t.lower()) for t in dict.fromkeys([text, spaced]))


_QUESTION_START = re.compile(
    r"^(what|which|when|how|should|is|are|can|could|do|does|did|would|will|who|where|why|any|next|"
    r"best|first|is it|may|must)\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.?!;])\s+|\s+(?=(?:what|which|when|how|should)\b[^.?!]*\?)", re.I)


def asking_clause(text: str) -> str:
    """The part of a vignette that asks: the sentences with a question mark or a question word."""
    parts = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    if len(parts) <= 1:
        return text.strip()
    asked = [p for p in parts if p.endswith("?") or _QUESTION_START.match(p)]
    if asked:
        # "... What is the first drug? And when can it be repeated?": every asking sentence counts.
        return " ".join(asked)
    return parts[-1]


def read_findings(text: str) -> list[Finding]:
    out: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for measure in tables.measures():
        for m in measure.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue  # one span, one measure ("BP 80/50" is not also a pulse of 80)
            raw = {k: _number(v) for k, v in m.groupdict().items() if v is not None and k != "unit"}
            values = {k: v for k, v in raw.items() if v is not None}
            reading = next((r for r in measure.readings if r.holds(values)), None)
            taken.append((m.start(), m.end()))
            out.append(
                Finding(
                    measure=measure.name,
                    text=m.group(0).strip(),
                    values=values,
                    reading=reading.reading if reading else None,
                )
            )
    return out


def _number(raw: str) -> float | None:
    try:
        return float(raw.replace(" ", ""))
    except ValueError:
        return None


def _negated_at(pos: int, negated: Sequence[tuple[int, int]]) -> bool:
    """`pos` lies in one of the negated stretches (`Tables.negated_spans`)."""
    return any(s <= pos < e for s, e in negated)


def _affirmed_in(pattern: re.Pattern[str], text: str, negated: Sequence[tuple[int, int]]) -> bool:
    """`pattern` matches `text` at least once outside the negated stretches ("no nuts, no shellfish")."""
    return any(not _negated_at(m.start(), negated) for m in pattern.finditer(text))


_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen \
eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _age_number(text: str) -> float:
    """'9', 'nine', 'forty-five', 'Forty five' -> the number (ages are written both ways)."""
    if text[0].isdigit():
        return float(text)
    words = re.split(r"[- ]", text.lower())
    tens = _TENS.get(words[0])
    if tens is None:
        return float(_UNITS.index(words[0]) + 1)
    return float(tens + (_UNITS.index(words[1]) + 1 if len(words) > 1 else 0))


def read_patient(text: str, findings: Sequence[Finding]) -> Patient:
    t = tables.patient_tables()
    age: float | None = None
    # The patient's age is the first one written ("39M ... a rash on amoxicillin aged 4", "9-month-old
    # whose 30-year-old mother ..."); on the same word, the table's order decides.
    stated = [(m.start(), i, p.unit, m) for i, p in enumerate(t.age) if (m := p._re.search(text))]
    if stated:
        _, _, unit, m = min(stated, key=lambda s: (s[0], s[1]))
        n = _age_number(m.group("n"))
        age = {"years": n, "decades": n * 10 + 5, "months": n / 12, "weeks": n / 52, "days": n / 365}[unit]
    # "Planning a pregnancy" is a wish, not a pregnancy: its words are not read as one.
    # "No plans for pregnancy" is neither a pregnancy nor a plan for one.
    settled = _BORN_AT.sub(" ", t._not_pregnant.sub(" ", text))
    unplanned = t._planning_pregnancy.sub(" ", settled)
    expecting = bool(t._pregnancy.search(unplanned))
    band = None
    if age is not None and age <= 120:
        band = next((b.band for b in t.bands if age < b.below), None)
    else:
        age = None
        for name in ("neonate", "infant", "adolescent", "child", "older", "adult"):
            # In a pregnant woman's question "her first baby" is not the patient, nor in "trying for a baby".
            if (expecting or unplanned != settled) and name in ("neonate", "infant", "child"):
                continue
            pattern = t._band_words.get(name)
            if pattern is not None and pattern.search(text):
                band = name
                break
    sex = None
    first = {k: m.start() for k, p in t._sex.items() if (m := p.search(text))}
    if first:
        sex = min(first, key=lambda k: first[k])
    if t._self_pregnancy.search(settled):
        # "My husband's blood group is positive. I'm 5 months pregnant": the asker is the patient.
        sex = "female"
    pregnant = expecting and not t._not_pregnant.search(text)
    # "A 6-year-old born at 27 weeks" is a child's history, not a pregnancy.
    pregnant = pregnant and (age is None or 10 <= age <= 60)
    # A man is not pregnant: "36M, new positive test" is a positive test for something else.
    pregnant = pregnant and sex != "male"
    planning = not pregnant and sex != "male" and unplanned != settled
    if pregnant or planning:
        sex = "female"
    negated = t.negated_spans(text)
    comorbid = [name for name, p in t._comorbidities.items() if _affirmed_in(p, text, negated)]
    return Patient(
        age_years=age,
        age_band=band,
        sex=sex,
        pregnant=pregnant,
        # A man is not breastfeeding, whatever a stray word says.
        breastfeeding=sex != "male" and bool(t._breastfeeding.search(text)),
        planning_pregnancy=planning,
        frail=bool(t._frailty.search(text)),
        comorbidities=comorbid,
    )


_SAFE_ASK = re.compile(r"\b(is|are) (that|it|this|these|they) (\w+ )?(safe|ok|okay|advisable|appropriate)\b", re.I)


# Aspects narrower than a first choice: asked beside it, they are what the question is about.
_NARROWER = frozenset(
    {
        Aspect.NEXT_STEP,
        Aspect.TEST,
        Aspect.WHETHER_TO_TEST,
        Aspect.REFERRAL,
        Aspect.DEFINITION,
        Aspect.REPEAT,
        Aspect.SCREENING_INTERVAL,
        Aspect.ROUTE_SITE,
        Aspect.DURATION,
        Aspect.DOSE,
        Aspect.PROGNOSIS,
        Aspect.CAUSE,
        Aspect.SELF_CARE,
    }
)


_YES_NO = re.compile(
    r"(?:^|[.?!]\s+)\W*(is|are|should|shall|does|do|did|would|could|can|will|worth|must|may|has|have|need|"
    r"reasonable|ok|okay|fine|appropriate|sensible|acceptable|safe|correct|right|good idea)\b",
    re.I,
)


def asks_yes_or_no(asked: str) -> bool:
    """The asking clause is a yes/no question ("Is it OK to go ahead with the abacavir?", "Is it
    recommended?"), which the source's advice against the thing asked about answers ("no")."""
    return _YES_NO.search(asked) is not None


_PROPOSES = re.compile(
    r"\b(suggest\w*|propos\w*|wants?|wanted|wanting|ask(s|ed|ing)?|offer\w*|recommend\w*|plan\w*|consider\w*|"
    r"thinking|read|heard|book(s|ed|ing)?|request\w*|order\w*|advis\w*|keen|would like|written|prescrib\w*|charted)\b",
    re.I,
)


def proposal(text: str, asked: str) -> str:
    """The sentence just before the asking clause: what "Is that advised?", "Should we?" or "Would
    adding it help?" asks about ("The registrar suggests checking drug levels every 6 months.")."""
    parts = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    first = next((i for i, p in enumerate(parts) if p and p in asked), None)
    return parts[first - 1] if first else ""


def proposing(before: str) -> str:
    """`before` (the sentence before the asking clause) when it proposes something ("suggests", "wants",
    "has written"), not when it reports a finding ("Transvaginal scan shows ..."); else ""."""
    return before if _PROPOSES.search(before) else ""


def read_aspects(asked: str, text: str, is_drug: Callable[[str], bool] | None = None) -> list[Aspect]:
    """Aspects the asking clause names, in the order it names them. When it names none: a bare yes/no
    question about a test named there or in the proposal just before it asks whether to test; then
    what that sentence names; then a yes/no question about a drug named there asks about the drug;
    then the whole text."""
    rules = tables.aspects()
    before = proposal(text, asked)
    # The sentence before counts only when it proposes something ("suggests", "wants", "offered"),
    # not when it reports a finding ("Transvaginal scan shows ...").
    offered = [p for p in (asked, proposing(before)) if p] if asks_yes_or_no(asked) else []
    steps: list[Callable[[], list[Aspect]]] = [
        lambda: _cued_aspects(asked),
        # "A colleague suggested twice-weekly duplex scans. Should we be doing that?"
        lambda: next((kinds for p in offered if (kinds := [a for a, r in rules.items() if r.proposes(p)])), []),
        lambda: _cued_aspects(before),
        # "A colleague proposes acetazolamide plus furosemide. Is that supported?", "Anaesthetist has
        # written co-amoxiclav once the cord is clamped. Reasonable plan?"
        lambda: [Aspect.DRUG] if is_drug and any(is_drug(w) for p in offered for w in tokens(p)) else [],
        lambda: _cued_aspects(text),
    ]
    for step in steps:
        found = step()
        if found:
            return found
    return []


def _cued_aspects(where: str) -> list[Aspect]:
    """The aspects whose asking cues `where` holds, in the order it holds them."""
    if not where:
        return []
    rules = tables.aspects()
    found: list[tuple[int, Aspect]] = []
    for aspect, rule in rules.items():
        m = rule.asks(where)
        if m:
            found.append((m.start(), aspect))
    if found:
        ordered: list[Aspect] = [a for _, a in sorted(found, key=lambda t: t[0])]
        # "management" is the fallback reading of "how should X be treated": specific aspects win.
        specific: list[Aspect] = [a for a in ordered if a is not Aspect.MANAGEMENT]
        if Aspect.FIRST_CHOICE in specific and any(a in _NARROWER for a in specific):
            # "Which screening instrument is suggested?", "What should we offer him next?": the
            # generic "which is recommended" wording yields to the narrower thing the clause asks.
            specific = [*(a for a in specific if a is not Aspect.FIRST_CHOICE), Aspect.FIRST_CHOICE]
        if Aspect.SELF_CARE in specific:
            # "What can I try myself before going on tablets?" asks what to do oneself, whatever
            # else its words match ("tablets" is also how a drug question is asked).
            specific = [Aspect.SELF_CARE, *(a for a in specific if a is not Aspect.SELF_CARE)]
        if Aspect.PREGNANCY_SAFETY in specific:
            # "Is it OK to give her X while pregnant?" asks first whether it is safe, whatever else
            # its words match ("give her" is also how a drug question starts).
            specific = [Aspect.PREGNANCY_SAFETY, *(a for a in specific if a is not Aspect.PREGNANCY_SAFETY)]
        return specific or ordered
    return []


@dataclass
class _Context:
    text: str
    asked: str
    findings: list[Finding]
    patient: Patient
    aspects: list[Aspect]
    setting: list[str]
    triggers: list[str]
    named: set[str]
    negated: list[tuple[int, int]]
    described: list[tuple[str, tables.Description]] = field(default_factory=list)
    is_treatment: Callable[[str], bool] | None = None
    proposed: str = ""  # the sentence before the asking clause, when it proposes something
    tried: frozenset[str] = frozenset()  # the medicines the patient is on or has tried

    @property
    def low(self) -> str:
        return self.text.lower()

    @cached_property
    def described_names(self) -> str:
        """The clinical names of the findings the question describes ("periods every 3 months" ->
        "oligomenorrhoea; oligomenorrhea"), for presentations written in clinical words."""
        names = [
            n
            for _, entry in self.described
            for t in entry.terms
            for n in dict.fromkeys([t.lower(), " ".join(us_spelling(w) for w in t.lower().split())])
        ]
        return "; ".join(dict.fromkeys(names))

    def affirmed(self, pattern: Cues, text: str | None = None) -> re.Match[str] | None:
        """The first match of `pattern` that no negated stretch overlaps ("no hearing loss", "CT shows no
        bleed")."""
        where = self.text if text is None else text
        best: re.Match[str] | None = None
        # Cues are written with spaces; a question hyphenates as it likes ("loin-to-groin pain",
        # "short-sighted"): when the words as written match nothing, they are read again with the
        # hyphens between letters as spaces (the same length, so negated stretches still line up).
        for variant, low in _readings(where):
            for cue in pattern.cues:  # the leftmost match of any cue, as one joined pattern would find
                for m in cue.finditer(variant, low):
                    if _NON_BEFORE.search(variant, max(0, m.start() - 4), m.start()):
                        continue  # "non-CF": not CF (a cue that names "non-" itself starts at "non")
                    if text is not None or not any(self._negates(s, e, m, pattern) for s, e in self.negated):
                        if best is None or m.start() < best.start():
                            best = m
                        break
            if best is not None:
                break
        return best

    def _negates(self, start: int, end: int, m: re.Match[str], pattern: Cues) -> bool:
        if not (start < m.end() and m.start() < end):
            return False
        # A cue that names a negation itself ("no urinary symptoms", "not yet walking", "x-ray normal")
        # means it: the negating word opens the stretch, or closes it when it comes after.
        words = self.text[start:end].split()
        if not words:
            return True
        first, last = words[0].lower(), words[-1].lower().strip(".,;:")
        opens = tables.patient_tables().opens_negation(self.text, start)
        # The cue's words, without its escapes: in "\bno (motor )?power" the word "no" follows "\b".
        written = re.sub(r"\\[bBdDsSwW]", " ", pattern.pattern)
        if opens and start >= m.start() and re.search(rf"\b{re.escape(first)}\b", written, re.I):
            return False
        after = tables.patient_tables()._negation_after
        closes = after is not None and after.search(last) is not None
        return not (closes and m.end() <= end and re.search(rf"\b{re.escape(last)}\b", written, re.I))


def _structured(kind: str, arg: str, ctx: _Context) -> str | None:
    """The words a structured feature matched, or None."""
    if kind == "finding":
        hit = next((f for f in ctx.findings if f.reading and arg.lower() in f.reading.lower()), None)
        return hit.text if hit else None
    if kind == "trigger":
        return arg if arg in ctx.triggers else None
    if kind == "age":
        m = re.match(r"(<=|>=|<|>)\s*(\d+(?:\.\d+)?)", arg)
        age = ctx.patient.age_years
        if age is None and ctx.patient.age_band:
            age = {"neonate": 0.02, "infant": 0.5, "child": 6, "adolescent": 15, "adult": 40, "older": 75}[
                ctx.patient.age_band
            ]
        if not m or age is None:
            return None
        op, n = m.group(1), float(m.group(2))
        ok = {"<": age < n, "<=": age <= n, ">": age > n, ">=": age >= n}[op]
        return f"age {age:g}" if ok else None
    if kind == "sex":
        return arg if ctx.patient.sex == arg else None
    if kind == "pregnant":
        return "pregnant" if ctx.patient.pregnant == (arg == "yes") else None
    if kind == "aspect":
        return arg if any(a.value == arg for a in ctx.aspects) else None
    if kind == "setting":
        return arg if arg in ctx.setting else None
    if kind == "named":
        return arg if arg in ctx.named else None
    return None


def _score_features(rule: tables.ProblemRule, ctx: _Context) -> tuple[float, list[str]]:
    """Sum of the weights of the features the question shows, with the words that showed them.

    Heaviest features first, and stop as soon as the rest could not reach the threshold: most
    problems are ruled out after one or two searches (the answer is the same as scoring them all)."""
    total = 0.0
    cues: list[str] = []
    left = rule._total_weight
    for feature in rule._by_weight:
        if total + left < rule.needs:
            break
        left -= feature.weight
        matched = None
        for rx in feature._regexes:
            m = ctx.affirmed(rx)
            if m:
                matched = m.group(0)
                break
        if matched is None and ctx.described_names:
            # "coarse hair on her chin" was read as hirsutism: a presentation listing hirsutism holds.
            matched = next(
                (m.group(0) for rx in feature._regexes if (m := ctx.affirmed(rx, ctx.described_names))), None
            )
        if matched is None:
            for kind, arg in feature._structured:
                matched = _structured(kind, arg, ctx)
                if matched:
                    break
        if matched:
            total += feature.weight
            cues.append(matched)
    return total, cues


_BACKGROUND = re.compile(
    r"\b(known|history of|with|has|had|on treatment for|background of|pmh|diagnosed with|living with|and)\s+(\w+\s+)?$",
    re.I,
)
# "a hypertensive woman", "diabetic man": the condition describes the patient.
# "ovarian ca on 2nd-line chemo", "diabetes on metformin": a condition already under treatment is the
# patient's background too.
_BACKGROUND_AFTER = re.compile(
    r"\w*\s+(woman|man|lady|gentleman|patient|male|female|mother|father)\b"
    r"|\s+on\s+(?!(the|a|an|his|her|their|this|that|day|arrival|admission|exam\w*|ct|mri|imaging|x-?rays?|"
    r"ultrasound|scan|screening|testing|examination)\b)[a-z]",
    re.I,
)
# "anterior MI 4 yrs ago", "stroke in 2019", "previous DVT": a past event is the patient's history.
_PAST_AFTER = re.compile(
    r"^\W{0,3}((episode|attack|bout|admission|illness)\s+)?"
    r"((\d+|a|an|one|two|three|four|five|six|several|many|some)\s+(yrs?|years?|months?|mos?|wks?|weeks?)\s+ago"
    r"|in (19|20)\d\d|last (year|month|spring|summer|autumn|fall|winter))\b",
    re.I,
)
_PAST_BEFORE = re.compile(r"\b(previous|prior|old|past|remote|former|history of)\s+(\w+\s+)?$", re.I)
# "pacemaker for 3rd-degree AV block put in 4 months ago": the device's reason is history; the device is the question.
# "CT abdo for renal colic incidentally shows a nodule": the scan's reason is history; its finding is the question.
_TREATED_FOR = re.compile(
    r"\b(pacemaker|defibrillator|icd|stent|valve|implant|shunt|graft|ablation|port"
    r"|ct|mri|scan|x-?ray|ultrasound|imaging)\s+([\w-]+\s+){0,2}for\s+(?!(suspect|possible|query|likely|\?))([\w-]+\s+)?$",
    re.I,
)
_LIKE_AFTER = re.compile(r"[- ]like\b", re.I)
# "non-CF bronchiectasis", "non-small cell", "non-diabetic": what follows "non-" is what it is not.
_NON_BEFORE = re.compile(r"\bnon[- ]$", re.I)
# "small-cell carcinoma ... with liver mets", "bone metastases": where a cancer has spread, not which
# cancer it is; a primary named beside it comes first.
_SPREAD = re.compile(r"\b(mets|metastas[ie]s|metastatic deposits?|secondaries)\b", re.I)
SPREAD_PENALTY = 0.5
# "Baby born at 28+3 weeks", "delivered at 34 weeks": the child's gestation at birth, not a pregnancy now.
_BORN_AT = re.compile(r"\b(born|delivered|birth)( \w+)? (at|after|before) \d{1,2}(\+\d)? ?(weeks?|wks?)\b", re.I)
NAMED_SCORE = 3.0
SPECIFIC_BONUS = 0.25
ASKED_BONUS = 1.5
COMORBID_PENALTY = 1.0
VALUE_SCORE = 1.5
DESCRIBED_SCORE = 2.0  # one description of a diagnosis: less sure than a name or a full presentation
# A medicine the question asks about or proposes names the condition it treats less surely than the
# condition's name: "metformin" in "Her mother asks whether orlistat or metformin could be added" for an
# obese 13-year-old is the asked treatment, not type 2 diabetes. Elsewhere ("on metformin, HbA1c 64") it
# names the problem as before.
DRUG_NAMED_SCORE = 1.5
MAX_PROBLEMS = 3


def read_problems(ctx: _Context, vocabulary: Vocabulary | None) -> list[Problem]:
    found: dict[str, Problem] = {}
    spans: dict[str, tuple[int, int]] = {}
    comorbidity_re = tables.patient_tables()._comorbidities
    # Named first: their names tell which structured `named:` features hold.
    for rule in tables.problem_rules():
        m = next((m for p in rule._names if (m := ctx.affirmed(p))), None)
        if m is None or _LIKE_AFTER.match(ctx.text, m.end()):
            # "IBS-like symptoms", "flu-like illness": a likeness, not the condition.
            continue
        # A longer name is more specific: "hypertension in pregnancy" over "hypertension".
        score = NAMED_SCORE + SPECIFIC_BONUS * (len(m.group(0).split()) - 1)
        cue = m.group(0).strip().lower()
        if (
            ctx.is_treatment is not None
            and cue.isalpha()
            and cue not in ctx.tried  # "ICH on warfarin — reversal?": a medicine the patient is on names the problem
            and re.search(rf"\b{re.escape(cue)}\b", f"{ctx.asked} {ctx.proposed}", re.I)
            and ctx.is_treatment(cue)
        ):
            score = DRUG_NAMED_SCORE  # the medicine asked about is what is given, not the problem
        elif any(p.search(ctx.asked) for p in rule._names):
            score += ASKED_BONUS
        elif any(p.search(m.group(0)) for p in comorbidity_re.values()) and (
            _BACKGROUND.search(ctx.text[max(0, m.start() - 40) : m.start()])
            or _BACKGROUND_AFTER.match(ctx.text, m.end())
        ):
            score -= COMORBID_PENALTY  # "known diabetic", "with CKD": part of the patient, not what is asked
        elif _SPREAD.search(m.group(0)):
            score -= SPREAD_PENALTY
        elif (
            _PAST_AFTER.search(ctx.text[m.end() : m.end() + 30])
            or _PAST_BEFORE.search(ctx.text[max(0, m.start() - 30) : m.start()])
            or _TREATED_FOR.search(ctx.text[max(0, m.start() - 50) : m.start()])
        ):
            score -= COMORBID_PENALTY  # "MI 4 yrs ago": the history, not what is asked
        found[rule.key] = Problem(
            name=rule.name,
            how="named",
            cue=m.group(0),
            score=score,
            terms=list(rule.terms),
            links=list(rule.links),
            contrasts=rule.contrasts,
        )
        spans[rule.key] = m.span()
    # A name inside a longer one ("hypertension" in "hypertension in pregnancy") is that one's word.
    for key, (start, end) in spans.items():
        if any(k != key and s <= start and end <= e and (s, e) != (start, end) for k, (s, e) in spans.items()):
            found[key].score -= NAMED_SCORE / 2
    ctx.named = set(found)
    for rule in tables.problem_rules():
        if not rule.features:
            continue
        total, cues = _score_features(rule, ctx)
        if total < rule.needs:
            continue
        if rule.key in found:
            # Named and described: surely the problem, at least as sure as its presentation alone.
            found[rule.key].score = max(found[rule.key].score + 1.0, round(total, 2))
            continue
        found[rule.key] = Problem(
            name=rule.name,
            how="inferred",
            cue=" + ".join(dict.fromkeys(cues)),
            score=round(total, 2),
            terms=list(rule.terms),
            links=list(rule.links),
            contrasts=rule.contrasts,
        )
    known = {t.lower() for p in found.values() for t in [p.name, *p.terms]}
    for f in ctx.findings:
        reading = _value_problem(f)
        if reading and not any(reading.lower() in k or k in reading.lower() for k in known):
            found[f"value:{reading}"] = Problem(
                name=reading, how="value", cue=f.text, score=VALUE_SCORE, terms=[reading]
            )
            known.add(reading.lower())
    for span, entry in ctx.described:
        if entry.problem and not any(_same(t, k) for t in entry.terms for k in known):
            found[f"described:{entry.terms[0]}"] = Problem(
                name=entry.terms[0], how="inferred", cue=span, score=DESCRIBED_SCORE, terms=list(entry.terms)
            )
            known.update(t.lower() for t in entry.terms)
    if vocabulary is not None:
        # Negated stretches are blanked first: "no heart failure, COPD or neuromuscular disease" names
        # none of them as the problem.
        plain = ctx.text
        for start, end in ctx.negated:
            plain = plain[:start] + " " * (end - start) + plain[end:]
        for phrase, cue in vocabulary.named_in(plain):
            if not any(phrase in k or k in phrase for k in known):
                score = NAMED_SCORE - 0.5 + (ASKED_BONUS if cue.lower() in ctx.asked.lower() else 0.0)
                found[f"corpus:{phrase}"] = Problem(name=phrase, how="named", cue=cue, score=score, terms=[phrase])
                known.add(phrase)
    # A problem this patient cannot have (a man's "epidural" as obstetric anaesthesia) is not read.
    who = tables.patient_tables()
    age = ctx.patient.age_years
    problems = sorted(
        (p for p in found.values() if not who.impossible(p.name, ctx.patient.sex, age)), key=lambda p: -p.score
    )
    # A problem a stronger one names as its contrast (hypertension beside an inferred anaphylaxis with
    # BP 80/50) is the confusion the contrast warns of.
    kept: list[Problem] = []
    for p in problems:
        if any(_same(p.name, c) for q in kept for c in q.contrasts):
            continue
        kept.append(p)
    return _specific_first(kept, ctx.asked, pregnant=ctx.patient.pregnant)[:MAX_PROBLEMS]


def spread_of(problems: list[Problem], text: str, negated: Sequence[tuple[int, int]]) -> list[Problem]:
    """A named cancer the question says has spread ("ER+ ... deposits in ribs and L2") is read as the
    spread cancer ("metastatic breast cancer"), in its place, and searched so: guidance for advanced disease
    answers, not the early-disease guideline the cancer's name finds. A lung nodule or liver lesion read
    beside it is where it spread (patient.yaml `spread`)."""
    spread = tables.patient_tables().spread
    if spread is None or not _affirmed_in(spread._question, text, negated):
        return problems
    cancer = next(
        (p for p in problems if spread._cancer.search(p.name) and not _SPREAD_NAMED.search(p.name)
         and p.name not in spread.sites),
        None,
    )  # fmt: skip
    if cancer is None:
        return problems
    name = f"{spread.prefix} {cancer.name}"
    spread_cancer = cancer.model_copy(update={"name": name, "terms": [name, *cancer.terms]})
    return [spread_cancer if p is cancer else p for p in problems if p.name not in spread.sites]


_SPREAD_NAMED = re.compile(r"\b(metasta\w*|advanced|recurren\w*|castration|hormone-relapsed)\b", re.I)


def read_descriptions(text: str, negated: Sequence[tuple[int, int]]) -> list[tuple[str, tables.Description]]:
    """(words of the question, entry) for each finding of `descriptions.yaml` the question describes
    outside a negated stretch ("coarse hair on her chin" -> hirsutism); the first such match per entry,
    in the order the question gives them. Both the reading and the query's expansions ask this of
    the same question: the second asks the cache."""
    return _read_descriptions(text, tuple(negated))


@lru_cache(maxsize=64)
def _read_descriptions(text: str, negated: tuple[tuple[int, int], ...]) -> list[tuple[str, tables.Description]]:
    low = text.lower()
    out: list[tuple[int, str, tables.Description]] = []
    for entry in tables.descriptions():
        m = next((m for m in entry.finditer(text, low) if not _negated_at(m.start(), negated)), None)
        if m is not None:
            out.append((m.start(), m.group(0), entry))
    return [(span, entry) for _, span, entry in sorted(out, key=lambda t: t[0])]


def _specific_first(problems: list[Problem], asked: str, *, pregnant: bool = False) -> list[Problem]:
    """A problem inferred from the presentation that is a form of one named only in the asking clause
    comes first: pre-eclampsia ("hypertension in pregnancy") before the hypertension that "Which
    antihypertensive?" names. So does the pregnancy form of a named problem when the patient is
    pregnant ("7 weeks pregnant, on losartan for her BP": hypertension in pregnancy). Not otherwise:
    "colorectal cancer screening" read from "surveillance colonoscopy" is another topic than the
    colorectal cancer the vignette names, not a form of it."""
    out = list(problems)
    for p in problems:
        if p.how != "inferred":
            continue
        for q in out[: out.index(p)]:
            if q.how != "named":
                continue
            forms = [t for t in [*p.terms[1:], p.name] if _within(q.name, t)]
            if q.cue.lower() not in asked.lower() and not (pregnant and any("pregnan" in t.lower() for t in forms)):
                continue
            if forms:
                out.remove(p)
                out.insert(out.index(q), p)
                break
    return out


def _within(name: str, term: str) -> bool:
    """`name` is a whole-word part of the longer `term` ("hypertension" of "hypertension in pregnancy")."""
    return len(term) > len(name) and re.search(rf"\b{re.escape(name.lower())}\b", term.lower()) is not None


def _value_problem(f: Finding) -> str | None:
    if not f.reading:
        return None
    measure = next((m for m in tables.measures() if m.name == f.measure), None)
    if measure is None:
        return None
    reading = next((r for r in measure.readings if r.reading == f.reading), None)
    return f.reading if reading is not None and reading.problem else None


def _same(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or a in b or b in a


def _grab(patterns: Sequence[re.Pattern[str]], text: str, negated: Sequence[tuple[int, int]] = ()) -> list[str]:
    """The `what` groups the patterns find, outside negated stretches ("not yet on vasopressors")."""
    out: list[str] = []
    for p in patterns:
        for m in p.finditer(text):
            if _negated_at(m.start(), negated):
                continue
            what = (m.groupdict().get("what") or "").strip().lower()
            if what and what not in out:
                out.append(what)
    return out


#: Words that follow "on", "taking", "after" without being a treatment.
_NOT_TREATMENT = STOPWORDS | {
    "examination",
    "ward",
    "call",
    "day",
    "days",
    "week",
    "weeks",
    "admission",
    "arrival",
    "exertion",
    "walking",
    "waking",
    "eating",
    "holiday",
    "return",
    "returning",
    "delivery",
    "birth",
    "surgery",
    "discharge",
    "presentation",
    "review",
    "assessment",
    "average",
    "two",
    "three",
    "each",
    "every",
    "most",
    "occasion",
    "occasions",
    "time",
    "top",
    "standing",
    "lying",
    "sitting",
    "treatment",
    "medication",
    "meds",
    "nothing",
    "no",
    "dialysis",
    "long",
    "short",
    "taking",
    "using",
    "having",
    "getting",
    "lifelong",
    "balance",
    "board",
    "site",
    "scene",
    "route",
    "shift",
    # places on the body and sides ("coarse hair on her chin", "rash on both shins")
    *"chin face lip lips cheek cheeks jaw arm arms leg legs hand hands foot feet back chest abdomen neck head".split(),
    *"scalp skin trunk shin shins knee knees elbow elbows left right both side sides upper lower".split(),
    # what an event was, not what was given ("after an uncomplicated elective resection", "SpO2 on air")
    *"air room uncomplicated elective routine high-speed fall crash injury accident operation procedure".split(),
    *"repeat readings tiptoe tiptoes toes outstretched first next thighs opening bowels".split(),
}


def _treatments(candidates: list[str], is_treatment: Callable[[str], bool] | None) -> list[str]:
    """The candidates that name a treatment: by the drug vocabulary (`is_treatment`; without one, any
    word not listed as no treatment) or by the kinds of treatment of patient.yaml."""
    kinds = tables.patient_tables().treatments
    out = []
    for c in candidates:
        head = c.split()[0]
        if head in _NOT_TREATMENT or len(head) < 3:
            continue
        words = [w for w in c.split() if w not in ("and", "plus", "+")]
        if is_treatment is None:
            out.append(c)
            continue
        named = [w for w in words if is_treatment(w) or kinds.names(w)]
        if named:
            # "vancomycin and IV ...": only the words that name a treatment are kept.
            out.append(c if len(named) == len(words) else " and ".join(named))
    return out


_ADJ_SUFFIXES = ("ian", "ic", "ical", "ous", "al", "ism", "ian's", "ist")
_PREFIXES = ("hemi", "total", "partial", "sub", "re", "pan", "laparoscopic")


def read_unknown(text: str, doc_freq: DocFreq | None) -> tuple[dict[str, str], list[str]]:
    """Words of the question no indexed source holds: read as a near indexed form, or set aside."""
    if doc_freq is None:
        return {}, []
    read: dict[str, str] = {}
    aside: list[str] = []
    for word in dict.fromkeys(tokens(text)):
        if word in STOPWORDS or len(word) < 5 or any(c.isdigit() for c in word) or doc_freq(word) > 0:
            continue
        parts = [p for p in word.split("-") if p]
        if len(parts) > 1 and all(doc_freq(p) > 0 or len(p) <= 3 for p in parts):
            read[word] = " ".join(parts)  # "PET-CT" is "PET" and "CT"
            continue
        form = _near_form(word, doc_freq)
        if form:
            read[word] = form
        else:
            aside.append(word)
    return read, aside


def _near_form(word: str, doc_freq: DocFreq) -> str | None:
    for suffix in _ADJ_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            stem = word[: -len(suffix)]
            for candidate in (stem, stem + "e", stem + "s", stem + "ia", stem + "y"):
                if doc_freq(candidate) > 0:
                    return candidate
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 5 and doc_freq(word[len(prefix) :]) > 0:
            return word[len(prefix) :]
    return None


class RuleUnderstander:
    """Reads a question with the clinical tables and, when given, the index's vocabulary."""

    name = "rules"

    def __init__(
        self,
        *,
        doc_freq: DocFreq | None = None,
        vocabulary: Vocabulary | None = None,
        is_treatment: Callable[[str], bool] | None = None,
    ) -> None:
        self.doc_freq = doc_freq
        self.vocabulary = vocabulary
        self.is_treatment = is_treatment

    def read(self, question: str) -> Understanding:
        # Shorthand is read spelled out ("pancreatic adenoca", "breast ca", "IDC"): the tables name
        # problems in the sources' words.
        text = tables.shorthand().spell_out(re.sub(r"\s+", " ", fix_text(question or "")).strip())
        t = tables.patient_tables()
        asked = asking_clause(text)
        negated = t.negated_spans(text)
        described = read_descriptions(text, negated)
        findings = read_findings(text)
        patient = read_patient(text, findings)
        findings += [Finding(measure="description", text=span, reading=entry.terms[0]) for span, entry in described]
        setting = [name for name, p in t._settings.items() if p.search(text)]
        acquired = (
            next((k for k, p in t._acquired.items() if p.search(text)), None) if t._infection.search(text) else None
        )
        # "No nut allergy, no shellfish" names no trigger.
        triggers = [name for name, p in t._triggers.items() if _affirmed_in(p, text, negated)]
        states = [name for name, p in t._asked_q.items() if p.search(text)]
        # "no symptoms" and "symptoms of" cannot both be the patient's state: the first said wins.
        qualifiers = [
            q
            for q in states
            if t.qualifiers[q].opposite not in states or states.index(q) < states.index(t.qualifiers[q].opposite)
        ]
        if patient.pregnant and "pregnant" in t.qualifiers and "pregnant" not in qualifiers:
            # Pregnancy is read with the patient (26/40, a positive test, never a man): a sentence written
            # for pregnant patients fits her ("In pregnant patients, only noncontrast sequences are obtained").
            qualifiers.append("pregnant")
        aspects = read_aspects(asked, text, self.is_treatment)
        instead = _treatments(_grab(t._instead, text.lower()), None)
        tried = [w for w in _treatments(_grab(t._tried, text.lower(), negated), self.is_treatment) if w not in instead]
        ctx = _Context(
            text, asked, findings, patient, aspects, setting, triggers, set(), negated, described, self.is_treatment,
            proposing(proposal(text, asked)), frozenset(w.lower() for w in tried),
        )  # fmt: skip
        problems = spread_of(read_problems(ctx, self.vocabulary), text, negated)
        read_as, aside = read_unknown(text, self.doc_freq)
        if instead and Aspect.FIRST_CHOICE not in aspects:
            aspects = [Aspect.FIRST_CHOICE, *aspects]
        drugs = {Aspect.DRUG, Aspect.FIRST_CHOICE, Aspect.DOSE, Aspect.CONTINUE_STOP, Aspect.NEXT_STEP}
        expecting = patient.pregnant or patient.breastfeeding or patient.planning_pregnancy
        if expecting and _SAFE_ASK.search(asked) and Aspect.PREGNANCY_SAFETY not in aspects:
            # Asked of a pregnant or breastfeeding woman, "Is that safe?" is about the pregnancy.
            aspects = [Aspect.PREGNANCY_SAFETY, *aspects]
        if expecting and drugs & set(aspects):
            # A medicine for a pregnant, breastfeeding or would-be pregnant woman is first a question of
            # its safety.
            aspects = [*aspects, Aspect.PREGNANCY_SAFETY] if Aspect.PREGNANCY_SAFETY not in aspects else aspects
        return Understanding(
            problems=problems,
            aspects=aspects,
            asked=asked,
            patient=patient,
            setting=setting,
            acquired=acquired,
            findings=findings,
            tried=tried,
            ruled_out=[],
            instead_of=instead,
            triggers=triggers,
            qualifiers=qualifiers,
            set_aside=aside,
            read_as=read_as,
            backend=self.name,
        )
