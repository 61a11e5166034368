"""Editors change an answer only by choosing evidence-backed items, never by typing claims.

An item is addressed as ``S.I`` (section S, item I, both from 1) as `medcite review show`
prints it; an item of an earlier version is ``vN:S.I``. After an edit the reference list is
rebuilt from what the remaining items (and the bottom line) cite and renumbered in order of
first citation, so every citation still points at the passage it was checked against.
Editor's notes are added to `Answer.notes` (framing, not claims of fact) with the editor's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from medcite.errors import InvalidInput
from medcite.records import Answer, AnswerSection, Claim, Reference


def item_keys(answer: Answer) -> dict[str, tuple[str, Claim]]:
    """'S.I' -> (section title, item) for every section item."""
    return {
        f"{s}.{i}": (section.title, claim)
        for s, section in enumerate(answer.sections, start=1)
        for i, claim in enumerate(section.items, start=1)
    }


def _check(keys: Sequence[str], known: dict[str, tuple[str, Claim]], where: str) -> None:
    bad = [k for k in keys if k not in known]
    if bad:
        raise InvalidInput(
            f"no item {', '.join(bad)} in {where}",
            hint=f"items are numbered section.item: {', '.join(known) or 'none'}",
        )


class _Renumber:
    """Collects references by document id in order of first citation and renumbers citations."""

    def __init__(self) -> None:
        self.refs: dict[str, Reference] = {}

    def cite(self, numbers: list[int], origin: dict[int, Reference]) -> list[int]:
        out = []
        for n in numbers:
            ref = origin.get(n)
            if ref is None:  # a dangling number cannot be re-pointed; dropping it keeps the rest valid
                continue
            if ref.doc_id not in self.refs:
                self.refs[ref.doc_id] = ref.model_copy(update={"n": len(self.refs) + 1})
            new = self.refs[ref.doc_id].n
            if new not in out:
                out.append(new)
        return out

    def claim(self, claim: Claim, origin: dict[int, Reference]) -> Claim:
        return claim.model_copy(update={"citations": self.cite(claim.citations, origin)})


def apply_edit(
    answer: Answer,
    *,
    editor: str,
    remove: Sequence[str] = (),
    keep: Sequence[str] | None = None,
    restore: Sequence[tuple[Answer, str]] = (),
    note: str | None = None,
) -> Answer:
    """A new answer with items removed (`remove`), kept (`keep`: only these), restored from earlier
    versions (`restore`: (version's answer, 'S.I') pairs) and an editor's note added."""
    known = item_keys(answer)
    _check(list(remove) + list(keep or []), known, "this version")
    for src, key in restore:
        _check([key], item_keys(src), "the version it is restored from")
    if not (remove or keep is not None or restore or (note and note.strip())):
        raise InvalidInput("nothing to change", hint="choose items to remove, keep or restore, or add a note")
    drop = set(remove) | ({k for k in known if k not in set(keep)} if keep is not None else set())
    ren = _Renumber()
    origin = {r.n: r for r in answer.references}
    bottom = answer.bottom_line.model_copy(
        update={
            "citations": ren.cite(answer.bottom_line.citations, origin),
            "claims": [ren.claim(c, origin) for c in answer.bottom_line.claims],
        }
    )
    sections: dict[str, list[Claim]] = {}
    for s, section in enumerate(answer.sections, start=1):
        items = sections.setdefault(section.title, [])
        for i, claim in enumerate(section.items, start=1):
            if f"{s}.{i}" not in drop:
                items.append(ren.claim(claim, origin))
    for src, key in restore:
        title, claim = item_keys(src)[key]
        items = sections.setdefault(title, [])
        if all(" ".join(c.text.split()) != " ".join(claim.text.split()) for c in items):
            items.append(ren.claim(claim, {r.n: r for r in src.references}))
    notes = list(answer.notes)
    if note and note.strip():
        notes.append(f"Editor's note ({editor}): {note.strip()}")
    return answer.model_copy(
        deep=True,
        update={
            "bottom_line": bottom,
            "sections": [AnswerSection(title=t, items=items) for t, items in sections.items() if items],
            "references": list(ren.refs.values()),
            "notes": notes,
        },
    )


def describe_edit(remove: Sequence[str], keep: Sequence[str] | None, restore: Sequence[str], note: str | None) -> str:
    parts = []
    if remove:
        parts.append(f"removed {', '.join(remove)}")
    if keep is not None:
        parts.append(f"kept only {', '.join(keep) or 'none'}")
    if restore:
        parts.append(f"restored {', '.join(restore)}")
    if note and note.strip():
        parts.append("editor's note")
    return "edited: " + "; ".join(parts)
