"""The answer's note about removed identifiers.

The note belongs to one asker's request, not to the saved answer that others may be served later,
so it is added to what is returned and dropped from what is stored (`drop_note`).
"""

from __future__ import annotations

from collections.abc import Sequence

from medcite.privacy.redact import describe
from medcite.records import Answer

NOTE_PREFIX = "Personal data removed:"


def note_for(kinds: Sequence[str]) -> str | None:
    """The note for removed identifier kinds, or None when nothing was removed."""
    if not kinds:
        return None
    return (
        f"{NOTE_PREFIX} {describe(list(kinds))} were taken out of your question before it was stored, "
        "logged or searched. medcite does not need them to answer."
    )


def with_note(answer: Answer, kinds: Sequence[str]) -> Answer:
    """A copy of `answer` whose notes start with the note for `kinds` (once)."""
    note = note_for(kinds)
    if note is None:
        return answer
    rest = [n for n in answer.notes if not n.startswith(NOTE_PREFIX)]
    return answer.model_copy(update={"notes": [note, *rest]})


def drop_note(answer: Answer) -> Answer:
    """`answer` without the removed-identifier note (what a store keeps)."""
    if not any(n.startswith(NOTE_PREFIX) for n in answer.notes):
        return answer
    return answer.model_copy(update={"notes": [n for n in answer.notes if not n.startswith(NOTE_PREFIX)]})


def for_storage(answer: Answer) -> Answer:
    """What a store keeps of `answer`: its question redacted (a safety net under the edges, which
    redact first) and without the per-request note."""
    from medcite.privacy.redact import redact

    kept = drop_note(answer)
    red = redact(kept.question)
    return kept.model_copy(update={"question": red.text}) if red.changed else kept
