"""Honest abstention: decide whether the retrieved evidence can answer, and say what is missing.

Checks, in order (the first that fires gives the reason):
1. out of scope: not a medical question, or about animals (medcite covers human medicine);
2. live or local facts (rotas, "this month's shortage list", "our trust's policy") that no
   published guideline holds, unless the index itself holds the named local source;
3. an individual's own results to interpret ("my HbA1c went from 6.8 to 7.9") — for their clinician;
4. named things the index has never seen (a drug approved after the corpora were written):
   "no indexed source mentions X";
5. a year newer than anything indexed on the topic ("the 2025 GOLD report");
6. a drug the question asks about that no selected sentence names ("side effects of Robaxin?"
   with only other drugs' side effects found);
7. the best passages are not close enough to the question (answerability below the threshold).
Each reason names the closest sources so the reader knows where the index stops.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from medcite.answer.safety import medical_signal
from medcite.answer.select import Weights
from medcite.records import Evidence, Hit, Query
from medcite.settings import Settings
from medcite.text import STOPWORDS, stem, tokens

# Words that look like a named drug or biologic (the usual INN stems).
_DRUG_STEM = re.compile(
    r"(mab|tide|glutide|gliflozin|gliptin|tinib|ciclib|parib|zomib|vir|previr|buvir|stat|sartan|pril|olol|"
    r"dipine|azole|floxacin|cycline|mycin|cillin|cef\w+|prazole|xaban|gatran|parin|lukast|tropium|terol|"
    r"sonide|setron|triptan|barb|zepam|zolam|oxetine|afaxine|tidine|semide|thiazide|nacept|tercept|kinra|"
    r"ximab|zumab|umab|limab|trigine|zapine|peridone|ipramine|glipron|glifozin|siran|gene|cel)$"
)
_ANIMAL = re.compile(
    r"\b(dogs?|puppy|puppies|cats?|kittens?|horses?|ponies|pony|cattle|cows?|sheep|goats?|pigs?|rabbits?|"
    r"hamsters?|ferrets?|parrots?|collies?|labradors?|terriers?|canine|feline|equine|bovine|veterinar\w*|vets?|"
    r"(?-i:[Pp]ets?))\b(?![-/ ]?(ct|scan|imaging|mri))",
    re.I,
)
# "Could I catch it from my cat?", "bitten by a dog": a person's health, so a medical question.
_ZOONOSIS = re.compile(
    r"\b((can|could|will|would|might|do|did) (i|we|you|my \w+|humans?|people|children|kids) (get|catch|contract)|"
    r"(i|we|humans?|people) (can|could|might|would) (get|catch|contract)|"
    r"(catch|get|got|contract(ed)?|spread|pass(ed)?|transmit(ted)?) (it |this |that |them )?(from|to) "
    r"(my|our|a|the|his|her|their)|contagious to (humans|people|me|us)|zoono\w*|"
    r"(bitten|scratched|bite|scratch) (by|from)|(dog|cat|animal) (bite|scratch))",
    re.I,
)
# "11 weeks pregnant, new kitten at home...", "58F whose dog...": the patient is a person; an animal in
# her history does not make the question veterinary.
_PERSON = re.compile(
    r"\b(pregnan\w*|gestation|trimester|breast[- ]?feed\w*|wom[ae]n|m[ae]n|boys?|girls?|patients?|infants?|"
    r"bab(y|ies)|toddlers?|newborns?|teen(ager)?s?|adolescents?|mother|father|wife|husband|sons?|daughters?|"
    r"grand(mother|father|son|daughter|child)|(?-i:\d{1,3} ?[MF]|[MF] ?\d{1,3})|kids?|child(ren)?)\b",
    re.I,
)
# "my 8 yr old has …" is a child; "my 12 year old cat …" is not a person.
_AGED = re.compile(
    r"\b\d{1,3}[- ]?((yr|yrs|year|years|y|mo|month|months|wk|week|weeks)[- ]?old|yo)\b(?!\s+" + _ANIMAL.pattern + ")",
    re.I,
)
_SIMILE = re.compile(r"\b(like|as if|as though|the size of) (an? |the )?[\w-]+", re.I)
_ANIMAL_PREGNANT = re.compile(
    r"\bpregnan\w* (\w+ )?(dog|bitch|cat|queen|mare|cow|ewe|sow|doe|rabbit|hamster)s?\b|"
    r"\b(dog|cat|mare|cow|ewe|sow|rabbit|hamster|pet)s? (is|was|are|were|being) pregnant\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
_ACRONYM = re.compile(r"\b[A-Z]{4,}\b")
_SYNDROME_NAME = re.compile(r"\b([a-z][a-z-]{3,}[a-z])(?:[- ]like)? (?:syndrome|disease)\b", re.I)
# An asking sentence that points back at what the one before named ("Which blood test confirms it?").
_REFERS_BACK = re.compile(r"\bit\b|\b(this|that|them)\W*$|\bthe (condition|syndrome|disease|diagnosis)\b", re.I)
# A sentence that names a diagnosis as suspected or made ("I suspect alpha-gal syndrome.").
_SUSPECTED = re.compile(
    r"\b(suspect\w*|diagnos\w*|think (it'?s|this is)|query|likely|possible|probable|consistent with|confirmed)\b", re.I
)
# "this month?" closing a question asks about now; "found drunk twice this month. She ..." and "this
# week he's confused" say when the story happened.
_LIVE = re.compile(
    r"\b(on[- ]call|rota|this (saturday|sunday|monday|tuesday|wednesday|thursday|friday|weekend|week|month)"
    r"(?=\s*[?.!]*\s*$)|"
    r"(today|tonight)'?s (list|rota)|current(ly)? (listed|on the)|shortage list|waiting times?)\b",
    re.I,
)
_LOCAL = re.compile(
    r"\b(our (trust|hospital|ward|unit|practice|clinic|formulary)|trust'?s (policy|formulary|protocol)|"
    r"(hospital|trust|infirmary)'?s? (policy|formulary|protocol|guideline))\b",
    re.I,
)
_REGULATORY = re.compile(
    r"\b((fda|ema|mhra)\b.{0,40}(approv\w*|label\w*|boxed warning|black box)|(now|newly|recently|been) "
    r"approved|approval status|label (change|update)\w*)",
    re.I,
)
_PERSONAL_RESULT = re.compile(
    r"\b(my|his|her|my (dad|mum|mom|father|mother|son|daughter|wife|husband|partner)'?s?)\b[^.?]{0,60}\b"
    r"(hba1c|troponin|psa|cholesterol|ldl|creatinine|egfr|potassium|sodium|inr|tsh|ferritin|result|level|"
    r"reading|scan|report|test)\b[^.?]{0,40}\d",
    re.I,
)
# Asked of a vignette (the asking clause only): this patient's own earlier records ("Is 164 his usual
# baseline?", "already on her ECG from last year's assessment?", "risen since the booking sample?").
_OWN_HISTORY = re.compile(
    r"\b((his|her|their) (usual|normal|own|previous|old|earlier|last) (baseline|results?|ecg|level|readings?|"
    r"bloods?|scans?|values?|weight|centiles?)|"
    r"(on|in|from|at) (his|her|their) (\w+ ){0,2}(ecg|scan|results?|bloods?|notes|records?) from|"
    r"(from|at|on) (his|her|their) (\w+ ){0,2}(last year'?s|previous|earlier|booking|\d+-(year|month)) (\w+ ){0,2}"
    r"(check|assessment|visit|review|ecg|scan|sample)|"
    r"since (his|her|their|the) (booking|last|previous|\d+-(year|month))\b|has (he|she|it) always)",
    re.I,
)
# Asked of a vignette: what this department holds or its own local rules ("Do we have tenecteplase in
# the ED stroke box today?", "What does ward 4B's local policy allow?").
_HERE_AND_NOW = re.compile(
    # "do we keep him safe" asks how, not what is kept.
    r"\b(do we (have|stock|keep)(?! (him|her|them|it|this|that|us|me|you|\w+ (safe|well|warm|cool|dry|away|from)))|"
    r"(is|are) (there )?\w+ (in stock|stocked|available) (here|today|tonight|now)|"
    r"ward \w+'s|(this|our) (ward|unit|hospital|trust|department|ed)'?s? (local )?(policy|protocol|rules?)|"
    r"local (\w+ ){0,3}(policy|protocol) (allows?|says|permits))",
    re.I,
)
_YEAR = re.compile(r"\b(20[0-9]{2})\b")


@dataclass
class Verdict:
    abstain: bool
    reason: str | None = None
    closest: list[str] = field(default_factory=list)
    relevance: float = 0.0


def _closest(hits: Sequence[Hit], n: int = 3) -> list[str]:
    out: list[str] = []
    for h in hits:
        org = h.doc.organisation or h.doc.journal or h.doc.source
        label = f"{h.doc.title} ({org}, {h.doc.year or 'n.d.'})"
        if label not in out:
            out.append(label)
        if len(out) >= n:
            break
    return out


def relevance(
    hits: Sequence[Hit], weights: Weights, top: int = 5, aliases: Mapping[str, set[str]] | None = None
) -> float:
    """Best coverage of the question's weighted vocabulary by one passage (with its headings/title).
    A question word is covered by a passage that holds one of its `aliases` (stem -> stems: the
    generic name of a brand, the meaning of an abbreviation)."""
    best = 0.0
    for h in hits[:top]:
        best = max(best, weights.coverage(_passage_stems(h, aliases)))
    return best


def _passage_stems(hit: Hit, aliases: Mapping[str, set[str]] | None = None) -> set[str]:
    stems = {stem(t) for t in tokens(" ".join([hit.doc.title, *hit.chunk.heading_path, hit.chunk.text]))}
    return stems | {word for word, names in (aliases or {}).items() if names & stems}


def _answerable_weights(
    query: Query, weights: Weights, unseen: set[str], is_plain: Callable[[str], bool] | None
) -> tuple[Weights, dict[str, set[str]]]:
    """The question's weights for closeness, and each translated word's aliases.

    An ordinary English word no source uses ("alright", "dont") weighs the most (it is rarest) yet says
    nothing about whether the sources cover the question: it does not count. A brand or abbreviation
    the reading translated ("Lexapro" as escitalopram) counts as covered where its translation is.
    A name no source uses and nobody translated ("tirzepatide") still counts, uncovered."""
    plain = {stem(w) for w in unseen if is_plain is not None and is_plain(w)}
    kept = Weights({s: w for s, w in weights.terms.items() if s not in plain}) if plain else weights
    aliases: dict[str, set[str]] = {}
    for word, names in query.expansions.items():
        aliases.setdefault(stem(word), set()).update(stem(t) for name in names for t in tokens(name))
    return kept, aliases


def unknown_terms(
    query: Query,
    doc_freq_zero: set[str],
    is_typo: Callable[[str], bool] | None = None,
    acronyms: frozenset[str] = frozenset(),
) -> list[str]:
    """Question words absent from the whole index that look like names (drugs, brands, places).

    Only drug-like and capitalised words count (a plain English word can simply be missing), words
    the query understanding already translated (a brand with a known generic) do not, and neither do
    misspellings of words the index holds ("chylamdia"). `acronyms`: words written in capitals where a
    name is expected ("suspects VEXAS syndrome"), which are never read as misspellings.
    """
    translated = {t for key in [*query.expansions, *query.spellings] for t in tokens(key)}
    # Words the question reading could read as an indexed word ("Addisonian" as "Addison").
    if query.understood is not None:
        translated |= {w.lower() for w in query.understood.read_as}
    text = query.normalised
    named = {m.group(1).lower() for m in re.finditer(r"(?<=[\w,;(] )\(?([A-Z][a-zA-Z-]{4,})", text)}
    named |= {m.group(1).lower() for m in re.finditer(r"\(([A-Z][a-zA-Z-]{4,})\)", text)}
    # "alpha-gal syndrome", "a VEXAS-like disease": a word that names a syndrome or disease is a name,
    # written small or not.
    named |= {m.group(1).lower() for m in _SYNDROME_NAME.finditer(text)}
    out = []
    for term in query.terms:
        if term in STOPWORDS or len(term) < 5 or term not in doc_freq_zero or any(c.isdigit() for c in term):
            continue
        if term in translated or not (_DRUG_STEM.search(term) or term in named):
            continue
        if term in acronyms or is_typo is None or not is_typo(term):
            out.append(term)
    return out


def _newest_year(hits: Sequence[Hit]) -> int | None:
    years = [h.doc.year for h in hits[:10] if h.doc.year]
    return max(years) if years else None


def assess(
    question: str,
    query: Query,
    hits: Sequence[Hit],
    evidence: Sequence[Evidence],
    weights: Weights,
    settings: Settings,
    *,
    red_flagged: bool = False,
    doc_freq_zero: set[str] | None = None,
    is_typo: Callable[[str], bool] | None = None,
    covered: bool = False,
    is_plain: Callable[[str], bool] | None = None,
    unnamed: Sequence[str] = (),
    patient: bool = False,
) -> Verdict:
    """Decide whether to answer. `covered`: the question's problem, as read, has a document among
    the top retrieved ones — then closeness in wording does not decide (a vignette rarely uses its
    guideline's words), only the specific reasons above can still decline. `unnamed`: drugs the
    asking clause names that no selected sentence names — an answer would be about something else."""
    closest = _closest(hits)
    # The patient's own values and ages ("62-year-old", "ALP 380") are rare in any corpus, so they weigh
    # most, yet no passage that answers repeats them: they cannot say that nothing covers the question.
    weights = weights.without_values(settings.select.value_discount)
    weights, aliases = _answerable_weights(query, weights, doc_freq_zero or set(), is_plain)
    rel = relevance(hits, weights, aliases=aliases)
    cfg = settings.abstain
    closest_n = cfg.closest_passages_patient if patient else cfg.closest_passages
    dense_top = max((h.scores.get("dense", 0.0) for h in hits[:closest_n]), default=0.0)
    # Measured on the hand-written sets (docs/benchmarks.md): the dense similarity of the best
    # passages separates answerable from unanswerable questions far better than word overlap,
    # which chatty clinical shorthand ("25F, normal paps so far") defeats.
    answerability = (1 - cfg.dense_share) * rel + cfg.dense_share * dense_top if dense_top > 0 else rel
    where = f" Closest: {'; '.join(closest[:2]) or 'none'}."
    closeness = dense_top if dense_top > 0 else answerability
    reason = _scope(question, query, closeness, red_flagged, cfg.non_medical_closeness) or _specific(
        question, query, hits, doc_freq_zero, is_typo
    )
    if reason:
        return Verdict(True, reason + ("" if reason.startswith("This does not") else where), closest, rel)
    if not hits or not evidence:
        return Verdict(True, f"No indexed source addresses this question.{where}", closest, rel)
    if unnamed and not red_flagged:
        names = ", ".join(
            f"“{d}”" + (f" ({query.expansions[d][0]})" if query.expansions.get(d) else "") for d in unnamed[:3]
        )
        return Verdict(
            True,
            f"None of the passages found for this question says anything about {names}, so medcite cannot "
            f"answer it from its evidence.{where}",
            closest,
            rel,
        )
    threshold = (cfg.below_vignette if query.vignette else cfg.below) if dense_top > 0 else cfg.below_lexical
    if patient and dense_top > 0:
        threshold = min(threshold, cfg.below_patient)
    if answerability < threshold and not covered:
        uncovered = _uncovered(hits, weights, aliases)
        what = f" (nothing retrieved covers {', '.join(uncovered[:4])})" if uncovered else ""
        # An emergency keeps its banner (the answer's red flags come first either way); what the
        # passages found would only sit under it as an answer about something else.
        first = "Follow the emergency advice above. Beyond it, no" if red_flagged else "No"
        return Verdict(
            True, f"{first} indexed guideline or study adequately addresses this question{what}.{where}", closest, rel
        )
    return Verdict(False, relevance=rel)


def _scope(question: str, query: Query, closeness: float, red_flagged: bool, floor: float) -> str | None:
    if red_flagged:
        return None
    # A drug name or medical abbreviation the query understanding recognised is a medical signal too,
    # and so is a problem the reading found or a patient it could describe ("a 3-year-old fell...").
    u = query.understood
    read = bool(u and (u.problems or u.findings or u.patient.age_years is not None))
    medical = medical_signal(question) + (1.0 if query.expansions else 0.0) + (1.0 if read else 0.0)
    if medical == 0 and closeness < floor:
        return (
            "This does not look like a medical question. medcite answers clinical and health questions "
            "from guidelines and medical literature."
        )
    person = bool(_PERSON.search(question) or _AGED.search(question)) and not _ANIMAL_PREGNANT.search(question)
    # "swollen under both ears like a hamster": a likeness, not an animal patient.
    if _ANIMAL.search(_SIMILE.sub(" ", question)) and not _ZOONOSIS.search(question) and not person:
        return (
            "This looks like a veterinary question. medcite's sources are about human medicine; please ask "
            "a veterinarian."
        )
    return None


def _specific(
    question: str,
    query: Query,
    hits: Sequence[Hit],
    doc_freq_zero: set[str] | None,
    is_typo: Callable[[str], bool] | None,
) -> str | None:
    missing = unknown_terms(query, doc_freq_zero or set(), is_typo)
    if _LIVE.search(question) or (_LOCAL.search(question) and (missing or not hits)):
        return (
            "This asks for live or local information (a rota, a current list, a local policy) that published "
            "guidelines and literature do not hold; ask the service that keeps it, or ingest it into medcite."
        )
    if _REGULATORY.search(question):
        return (
            "This asks about a regulatory decision or label, which changes over time and is not held in the "
            "indexed guidelines and literature: check the regulator's current product information."
        )
    clause = query.understood.asked if query.understood is not None else ""
    if clause and _HERE_AND_NOW.search(clause):
        return (
            "This asks what a particular place holds or allows today (its stock, its local policy), which published "
            "guidelines do not hold; ask the service that keeps it, or ingest its protocol into medcite."
        )
    if _PERSONAL_RESULT.search(question) or (clause and _OWN_HISTORY.search(clause)):
        return (
            "This asks to interpret one person's own results, which needs their history and examination: "
            "please discuss them with the clinician who ordered the test."
        )
    dated = question
    if query.vignette:
        # A case vignette: a name no source holds sinks it only when the sentence that asks is about it
        # ("If I start fezolinetant, what monitoring does she need?"); one in the story ("after hiking in
        # Connecticut", "on budesonide/formoterol") is set aside, and the answer notes it.
        sentences = _SENTENCE_END.split(query.normalised.strip())
        asking = sentences[-1]
        asked = {t.lower() for t in tokens(asking)}
        if len(sentences) > 1 and _REFERS_BACK.search(asking) and _SUSPECTED.search(sentences[-2]):
            # "Haematology suspects VEXAS syndrome. Which steroid-sparing treatments are used for it?":
            # what is asked about is the condition the sentence before names as suspected. A name written
            # in capitals there is an acronym, not a misspelling ("vexas" is a letter or two from many
            # indexed words).
            asked |= {t.lower() for t in tokens(sentences[-2])}
            capitals = frozenset(m.group(0).lower() for m in _ACRONYM.finditer(sentences[-2]))
            missing = unknown_terms(query, doc_freq_zero or set(), is_typo, capitals)
        missing = [m for m in missing if m in asked]
        # So with years: "low-dose CT in 2016 and 2017, both negative" dates the patient's history, not the
        # edition asked about ("What does the 2023 update say?").
        dated = asking
    if missing:
        names = ", ".join(f"“{m}”" for m in missing[:3])
        return f"No indexed source mentions {names}, so medcite cannot answer this from its evidence."
    years = [int(y) for y in _YEAR.findall(dated)]
    newest = _newest_year(hits)
    if years and newest and max(years) > newest:
        return (
            f"The question asks about {max(years)}, but the newest indexed source on this topic is from "
            f"{newest}: medcite cannot say what changed since."
        )
    return None


def _uncovered(hits: Sequence[Hit], weights: Weights, aliases: Mapping[str, set[str]] | None = None) -> list[str]:
    seen: set[str] = set()
    for h in hits[:5]:
        seen |= _passage_stems(h, aliases)
    ranked = sorted(weights.terms.items(), key=lambda kv: -kv[1])
    return [t for t, _ in ranked if t not in seen]
