"""Small text utilities shared by chunking, retrieval and answer composition.

Sentence splitting is rule-based and linear-time on purpose: it runs over every passage at
ingest and over every candidate passage at answer time, so it must be fast and deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "vs",
    "etc",
    "al",
    "approx",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "fig",
    "no",
    "vol",
    "ref",
    "refs",
    "st",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "dept",
    "univ",
    "cf",
    "ca",
    "resp",
    "incl",
    "excl",
    "esp",
    "op",
    "cit",
    "ed",
    "eds",
    "pp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "b.i.d",
    "t.i.d",
    "q.i.d",
    "p.o",
    "i.v",
    "i.m",
    "s.c",
    "q.d",
    "h.s",
    "p.r.n",
    "sq",
    "subq",
}

# A candidate boundary: terminal punctuation, optional closing quote/bracket, whitespace, then
# something that can start a sentence (capital, digit, opening quote/bracket or bullet).
_BOUNDARY = re.compile(r"([.!?;])([\"'”’)\]]*)(\s+)(?=[\"'“‘(\[A-Z0-9•\-–])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_WS = re.compile(r"[ \t\r\f\v]+")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")

# The tails of contractions ("won't" reads "won" + "t", "I've" "ve") and the days of a patient's own
# story ("today", "tomorrow") say nothing a source could cover.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves what's whats tell know please recommended recommend recommendation
    recommendations best next step patient patients still bad far get gets got getting really much many
    thing things ok okay need needs want wants like pt pts yo year-old guy lady someone
    anything something go going done do doing should shall would could might without
    dont doesnt didnt cant couldnt wont wouldnt shouldnt isnt arent wasnt ive youre theyre thats alright
    won ve ll re hasn haven hadn isn aren wasn weren didn doesn couldn wouldn shouldn mustn needn
    today tonight tomorrow yesterday anyway till ever
    """.split()
)


def normalise_space(text: str) -> str:
    """Collapse runs of spaces/tabs, keep line breaks, strip each line."""
    lines = (_WS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; list lines ("- item") are always their own sentences.

    Semicolons end a sentence only when a capital letter follows, which keeps dosing lists
    ("1.2 mg; then 0.6 mg") together while splitting run-on recommendation lists.
    """
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            out.extend(_split_line(line))
    return out


def _split_line(line: str) -> Iterator[str]:
    start = 0
    for m in _BOUNDARY.finditer(line):
        end = m.end(2)
        punct = m.group(1)
        before = line[start : m.start(1)]
        if punct == "." and _is_abbreviation(before):
            continue
        if punct == ";" and not line[m.end() : m.end() + 1].isupper():
            continue
        if before.count("(") > before.count(")"):
            continue  # never end a sentence inside parentheses: "(Evidence quality: B; Strong)"
        piece = line[start:end].strip()
        if len(piece) >= 3:
            yield piece
            start = m.end()
    rest = line[start:].strip()
    if rest:
        yield rest


def _is_abbreviation(before: str) -> bool:
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    raw = m.group(1).lstrip("([\"'“‘")
    word = raw.lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # Single capital initials ("J. Smith") and dotted acronyms ("U.S.", "e.g.") are not sentence ends.
    return (len(raw) == 1 and raw.isupper()) or ("." in word and len(word) <= 6 and word[0].isalpha())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits/hyphens)."""
    return [t.lower() for t in _TOKEN.findall(text)]


def content_terms(text: str) -> list[str]:
    """Tokens without stop words, in order, de-duplicated."""
    seen: dict[str, None] = {}
    for t in tokens(text):
        if t not in STOPWORDS and (len(t) > 1 or t.isdigit()):
            seen.setdefault(t, None)
    return list(seen)


# Printable ASCII without "&" (an HTML entity) is text ftfy leaves as it is: most questions, so the
# import (~60 ms of a CLI answer) is skipped for them.
_PLAIN = re.compile(r"[^\x20-\x25\x27-\x7e\t\n]")


def fix_text(text: str) -> str:
    """`ftfy.fix_text`, imported only for text it could change (mojibake, entities, control characters)."""
    if not _PLAIN.search(text):
        return text
    import ftfy

    return ftfy.fix_text(text)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def word_count(text: str) -> int:
    return len(text.split())


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "al", "ly")


# British -> American spelling, so that a question, a problem table and a source written on either
# side of the Atlantic meet ("obstructive sleep apnoea" names the AASM's "Obstructive Sleep Apnea"
# guideline). Rules, not a word list: each applies to the letters around it, and the same rules run
# on both sides of every comparison, so a harmless over-match ("aerosol" -> "erosol") changes nothing.
_SPELLING: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=[a-z])ae(?=[a-z])|^ae(?=[a-z]{3})"), "e"),  # anaemia, haem, paediatric, aetiology
    (re.compile(r"(?<=[a-z])oe(?=[a-z]{2})|(?<=[a-z]{2})oe(?=a$)|^oe(?=[a-z]{3})"), "e"),  # apnoea, oedema, coeliac
    (re.compile(r"(?<=[a-z]{3})our(?=(s|ed|ing|al|ally|able|ite|ites|ful|less)?$)"), "or"),  # tumour, behaviour
    (re.compile(r"(?<=[a-z]{2})([tb])re(?=s?$)"), r"\1er"),  # centre, litre, fibre
    (re.compile(r"(?<=[a-z]{2})([tb])red$"), r"\1ered"),  # centred
    (re.compile(r"(?<=[a-z]{3})is(?=(e|es|ed|ing|ation|ations|er|ers)$)"), "iz"),  # randomised, minimise
    (re.compile(r"(?<=[a-z]{3})ys(?=(e|es|ed|ing)$)"), "yz"),  # analyse, dialyse
    (re.compile(r"(?<=[a-z]{4})ogue(?=s?$)"), "og"),  # catalogue, analogue
    (re.compile(r"^sulph"), "sulf"),
    (re.compile(r"^programme"), "program"),
    (re.compile(r"^ageing$"), "aging"),
]
_SPELLING_MIN = 5


def us_spelling(word: str) -> str:
    """`word` (lower case) in American spelling: "oesophagus" -> "esophagus", "tumours" -> "tumors"."""
    if len(word) < _SPELLING_MIN or not word.isalpha():
        return word
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=65536)
def light_stem(word: str) -> str:
    """Very light suffix stripping (after `us_spelling`), nothing else: what the word-overlap judge and
    the evaluation compare with, kept as it was so that their scores stay comparable across versions."""
    w = us_spelling(word.lower())
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


# A clinical adjective and its noun share a stem: "prophylactic" treatment answers a question on
# prophylaxis, "septic" speaks of sepsis, "anaesthetic" of anaesthesia, "allergic" of allergy. Endings,
# not a word list; both sides of every comparison fold the same way, so a harmless over-fold
# ("exotic" -> "exosis") changes nothing.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("ileptic", "ilepsy"),
    ("esthetic", "esthesia"),
    ("actic", "axis"),
    ("otic", "osis"),
    ("ptic", "psis"),
    ("emic", "emia"),
    ("ergic", "ergy"),
    ("itic", "itis"),
    ("ensive", "ension"),
)
_FOLD_WORDS = {"diabetic": "diabetes", "surgical": "surgery", "therapeutic": "therapy"}
_FOLD_MIN = 6


def _fold(w: str) -> str:
    base = w[:-1] if w.endswith("s") and not w.endswith("ss") else w
    if base in _FOLD_WORDS:
        return _FOLD_WORDS[base]
    if len(base) >= _FOLD_MIN:
        for end, noun in _FOLDS:
            if base.endswith(end):
                return base[: -len(end)] + noun
    return w


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Light suffix stripping for overlap checks (not for the index, which uses tantivy's stemmer),
    after British spellings are read as American ones (`us_spelling`) and a clinical adjective as its
    noun (`_FOLDS`); a final consonant + "y" goes too, so "therapy" meets "therapies"."""
    w = light_stem(_fold(us_spelling(word.lower())))
    if len(w) > 4 and w.endswith("y") and w[-2] not in "aeiouy":
        w = w[:-1]
    return w
