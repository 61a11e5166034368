"""The corpus's own glossary: abbreviations its documents define ("preexposure prophylaxis (PrEP)").

Packaged abbreviation lists miss many clinical ones (PrEP, MCI) and list others under a meaning the
corpus never uses (SSI: "supplemental security income"). The documents define what they abbreviate,
so the glossary is read from them with the Schwartz-Hearst algorithm (the `abbreviations` package)
and cached beside the index, keyed by the index generation: it is rebuilt after the content changes.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

MAX_SHORT = 10  # "PrEP", "NSTEMI", "COVID-19"; longer strings in parentheses are rarely abbreviations


def build_glossary(texts: Iterable[str]) -> dict[str, str]:
    """Short form -> its most common long form (lower case) over all `texts`."""
    from abbreviations import schwartz_hearst

    text = "\n".join(t.replace("\n", " ") for t in texts)
    if not text.strip():
        return {}
    pairs = schwartz_hearst.extract_abbreviation_definition_pairs(doc_text=text, most_common_definition=True)
    out: dict[str, str] = {}
    for short, long in pairs.items():
        short = short.strip()
        long = " ".join(long.split()).lower()
        # An abbreviation has at least two capitals ("PrEP", "MCI"), which keeps out ordinary words
        # that happen to sit in parentheses ("(see)", "(Table)").
        if 2 <= len(short) <= MAX_SHORT and sum(c.isupper() for c in short) >= 2 and long:
            out[short] = long
    return out


class Glossary:
    """The glossary file of one index directory (`glossary.json`), rebuilt when stale."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, generation: int) -> dict[str, str] | None:
        """The cached glossary if it was built for `generation`, else None."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable glossary %s: %s", self.path, exc)
            return None
        terms = data.get("terms") if isinstance(data, dict) else None
        if not isinstance(terms, dict) or data.get("generation") != generation:
            return None  # stale or malformed: the caller rebuilds it
        return {str(k): str(v) for k, v in terms.items()}

    def save(self, generation: int, terms: dict[str, str]) -> None:
        # Written aside and renamed: a killed process leaves the old file or the new one.
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"generation": generation, "terms": terms}, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
