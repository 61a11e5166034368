"""The index's own vocabulary of problems: what each indexed document says it is about.

Built from document titles ("Management of chronic pain" -> "chronic pain") and the condition lists
guideline summaries carry ("Disease/Condition(s)"), once per index version. It serves two purposes:
a question that names a condition no clinical table lists is still read as naming it, and the answer
stage can tell whether a document is about the question's problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from medcite.text import STOPWORDS, stem, tokens

# Leading and trailing words of a title that say what kind of document it is, not what it is about.
_LEAD = re.compile(
    r"^(?:(?:the|a|an|acr appropriateness criteria\W*|clinical (?:practice )?guidelines? (?:for|on)|"
    r"(?:evidence[- ]based )?guidelines? (?:for|on)|practice (?:guideline|parameter)s?(?: for| on)?|"
    r"(?:(?:the )?(?:assessment|diagnosis|management|treatment|prevention|screening|evaluation|care|"
    r"recognition|identification|surveillance|detection|investigation|therapy|use|role|imaging)"
    r"(?:,? and |,? or |, )?)+\s*(?:of|for|in)|screening for|update on|consensus statement on|"
    r"recommendations? (?:for|on))\s+)+",
    re.I,
)
_TRAIL = re.compile(
    r"\s+(?:in|for|among|of) (?:adults?|children|young people|infants|older (?:adults|people)|women|men|"
    r"primary care|(?:the )?(?:emergency|community|hospital|acute) (?:department|setting|care)|over \d+s?|"
    r"under \d+s?|pregnancy|patients.*)$",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:[:;.(\[]|\s[-–—]\s)\s*")
_LIST = re.compile(r"\s*(?:\n|;|,(?= [A-Z]))\s*")
#: Too general to name a problem on their own.
GENERIC = frozenset(
    """
    pain infection infections disease diseases disorder disorders cancer cancers injury injuries fever
    screening prevention care management treatment therapy health adults children women men pregnancy
    surgery assessment diagnosis guideline guidelines patients people condition conditions syndrome
    symptoms complications risk use drugs medications medicine medicines tumors tumours neoplasms
    """.split()
)


#: Words that say what kind of document a title is ("Clinical policy: ...", "ACG clinical guideline",
#: "Evidence-based guideline update"): a phrase of only these (and publishers' acronyms) names no
#: problem, and read as one it turned "a new clinic policy wants a MoCA" into a problem.
DOCUMENT_KIND = frozenset(
    """
    guideline guidelines policy policies statement statements criteria recommendation recommendations update
    updates summary consensus review reviews standards standard protocol protocols practice practices
    parameter parameters advisory evidence based report clinical best final technical official appropriate
    use note purposes adapting your evidence-based
    """.split()
)


def _kind_only(words: Sequence[str]) -> bool:
    """Every word says what kind of document it is, or is a stopword or a publisher's acronym ("ACMG")."""
    from wordfreq import zipf_frequency

    kinds = [w for w in words if w in DOCUMENT_KIND]
    rest = [w for w in words if w not in DOCUMENT_KIND and w not in STOPWORDS]
    return bool(kinds) and all(len(w) <= 6 and zipf_frequency(w, "en") < 2.5 for w in rest)


_DISEASE_SUFFIX = re.compile(
    r"(itis|osis|iasis|emia|aemia|oma|omas|pathy|algia|ectasis|plegia|paresis|trophy|penia|cytosis|uria|"
    r"rrhoea|rrhea|rrhage|ism|phobia|mania|syndrome)$"
)


def _names_a_problem(word: str) -> bool:
    """A single word names a problem when it looks like a disease name ("gastritis") or is no ordinary
    English word ("zorbitis"); "vaginal" or "ultrasound" in a title are not problems."""
    if word in GENERIC or len(word) < 5:
        return False
    if _DISEASE_SUFFIX.search(word):
        return True
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") < 2.5


def names_term(name: str, term: str) -> bool:
    """`name` (stemmed words, space-joined) holds every content word of `term`, in any order."""
    want = {stem(w) for w in _words(term) if w not in STOPWORDS}
    return bool(want) and want <= set(name.split())


def _key(words: Sequence[str]) -> str:
    return " ".join(stem(w) for w in words)


def _words(text: str) -> list[str]:
    """The text's words without a possessive's "s" ("Wilson's disease" and "Wilson disease" are one name)."""
    return [w for w in tokens(text) if w != "s"]


def topic_phrases(title: str, about: str) -> list[str]:
    """The problems a document names in its title and its condition list."""
    out: list[str] = []
    head = _SPLIT.split(title.strip(), maxsplit=1)[0]
    for candidate in [head, *_LIST.split(about)]:
        phrase = _TRAIL.sub("", _LEAD.sub("", candidate.strip())).strip(" .,-").lower()
        words = _words(phrase)
        if not words or len(words) > 6 or all(w in STOPWORDS or w in GENERIC for w in words) or _kind_only(words):
            continue
        if len(words) == 1 and (len(words[0]) < 4 or words[0] in GENERIC):
            continue
        out.append(" ".join(words))
    return list(dict.fromkeys(out))


class Vocabulary:
    """Problem names of the indexed documents; looked up by their stemmed words."""

    def __init__(self, topics: Iterable[tuple[str, str, str]]) -> None:
        self._phrases: dict[str, str] = {}
        self._docs: dict[str, list[str]] = {}
        for doc_id, title, about in topics:
            phrases = topic_phrases(title, about)
            # ...and the title, also with its hyphens read as spaces ("Clostridium difficile-associated").
            self._docs[doc_id] = [_key(_words(p)) for p in phrases] + [
                _key(_words(title)),
                _key(_words(title.replace("-", " "))),
            ]
            for p in phrases:
                self._phrases.setdefault(_key(_words(p)), p)
        self._longest = max((len(k.split()) for k in self._phrases), default=0)
        self._about_cache: dict[tuple[str, ...], list[str]] = {}

    def __len__(self) -> int:
        return len(self._phrases)

    def named_in(self, text: str) -> list[tuple[str, str]]:
        """(problem name, words of the text) for the longest document problem names the text holds."""
        words = _words(text)
        keys = [stem(w) for w in words]
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                key = " ".join(keys[i : i + n])
                phrase = self._phrases.get(key)
                if phrase and not (n == 1 and not _names_a_problem(words[i])):
                    out.append((phrase, " ".join(words[i : i + n])))
                    i += n
                    break
            else:
                i += 1
        return list(dict.fromkeys(out))

    def documents_about(self, terms: Sequence[str]) -> list[str]:
        """The documents whose title or condition list names one of `terms` (as `about` reads them)."""
        key = tuple(terms)
        if key not in self._about_cache:
            wants = [w for w in ({stem(x) for x in _words(t) if x not in STOPWORDS} for t in terms) if w]
            self._about_cache[key] = [
                doc_id for doc_id, names in self._docs.items() if any(w <= set(n.split()) for n in names for w in wants)
            ]
        return self._about_cache[key]

    def about(self, doc_id: str, terms: Iterable[str]) -> bool:
        """The document's title or one line of its condition list holds every word of one of `terms`
        (stemmed, in any order: "Diabetes (type 1 and type 2) in children" is about type 1 diabetes)."""
        names = self._docs.get(doc_id) or []
        return any(names_term(n, t) for n in names for t in terms)
