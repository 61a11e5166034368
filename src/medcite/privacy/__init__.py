"""Personal data: identifiers are removed from questions before anything stores, logs, slugs,
searches or sends them to a model, and the answer says what was removed.

    red = redact("John Smith DOB 03/04/1961 has gout: first-line treatment?")
    red.text   # "[…] has gout: first-line treatment?"
    red.kinds  # ("name", "date_of_birth")
"""

from medcite.privacy.notes import NOTE_PREFIX, drop_note, for_storage, note_for, with_note
from medcite.privacy.redact import Redaction, describe, redact, rules

__all__ = [
    "NOTE_PREFIX",
    "Redaction",
    "describe",
    "drop_note",
    "for_storage",
    "note_for",
    "redact",
    "rules",
    "with_note",
]
