"""What changed between two versions of an answer: items and citations added, removed, changed.

Citations are compared by document id, not by reference number, because numbers are reassigned
whenever items are removed or regenerated. Items are matched by text first; left-over items in
the same section that are still mostly the same sentence (similarity >= 0.6) count as changed
rather than as one removal plus one addition.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, Field

from medcite.records import Answer, Claim, Reference

SIMILAR = 0.6
_REF_FIELDS = ("title", "type", "source", "year", "evidence", "level", "url", "doi", "pmid")


class DiffItem(BaseModel):
    """An answer item (or bottom line) as the diff sees it: text plus the documents it cites."""

    section: str
    text: str
    doc_ids: list[str] = Field(default_factory=list)
    support: str = "supported"

    def line(self) -> str:
        cites = f" [{', '.join(self.doc_ids)}]" if self.doc_ids else ""
        flag = "" if self.support == "supported" else f" ({self.support})"
        return f"{self.text}{cites}{flag}"


class ItemChange(BaseModel):
    old: DiffItem
    new: DiffItem
    what: list[str] = Field(description="Aspects that changed: text, citations, support, section")


class CitationRef(BaseModel):
    doc_id: str
    title: str
    type: str
    year: int | None = None


class CitationChange(BaseModel):
    doc_id: str
    title: str
    fields: dict[str, list[Any]] = Field(description="field -> [old, new]; 'passages' holds passage texts")


class AnswerDiff(BaseModel):
    """Typed difference between two answers (from -> to)."""

    from_version: int | None = None
    to_version: int | None = None
    bottom_line: ItemChange | None = None
    items_added: list[DiffItem] = Field(default_factory=list)
    items_removed: list[DiffItem] = Field(default_factory=list)
    items_changed: list[ItemChange] = Field(default_factory=list)
    citations_added: list[CitationRef] = Field(default_factory=list)
    citations_removed: list[CitationRef] = Field(default_factory=list)
    citations_changed: list[CitationChange] = Field(default_factory=list)
    notes_added: list[str] = Field(default_factory=list)
    notes_removed: list[str] = Field(default_factory=list)
    abstained: list[bool] | None = Field(default=None, description="[old, new] when abstention changed")

    def is_empty(self) -> bool:
        return not (
            self.bottom_line
            or self.items_added
            or self.items_removed
            or self.items_changed
            or self.citations_added
            or self.citations_removed
            or self.citations_changed
            or self.notes_added
            or self.notes_removed
            or self.abstained
        )

    def summary(self) -> str:
        if self.is_empty():
            return "no changes"
        parts = []
        if self.bottom_line:
            parts.append("bottom line changed")
        parts.append(f"items +{len(self.items_added)} -{len(self.items_removed)} ~{len(self.items_changed)}")
        parts.append(
            f"citations +{len(self.citations_added)} -{len(self.citations_removed)} ~{len(self.citations_changed)}"
        )
        if self.notes_added or self.notes_removed:
            parts.append(f"notes +{len(self.notes_added)} -{len(self.notes_removed)}")
        if self.abstained:
            parts.append("now abstains" if self.abstained[1] else "no longer abstains")
        return "; ".join(parts)


def _docs(numbers: list[int], refs: dict[int, str]) -> list[str]:
    return list(dict.fromkeys(refs[n] for n in numbers if n in refs))


def _claim_item(section: str, claim: Claim, refs: dict[int, str]) -> DiffItem:
    return DiffItem(
        section=section,
        text=" ".join(claim.text.split()),
        doc_ids=_docs(claim.citations, refs),
        support=claim.support.value,
    )


def answer_items(answer: Answer) -> list[DiffItem]:
    """Every section item of an answer, in order, with cited document ids."""
    refs = {r.n: r.doc_id for r in answer.references}
    return [_claim_item(s.title, c, refs) for s in answer.sections for c in s.items]


def bottom_line_item(answer: Answer) -> DiffItem:
    refs = {r.n: r.doc_id for r in answer.references}
    numbers = list(answer.bottom_line.citations) + [n for c in answer.bottom_line.claims for n in c.citations]
    return DiffItem(section="Bottom line", text=" ".join(answer.bottom_line.text.split()), doc_ids=_docs(numbers, refs))


def _what(old: DiffItem, new: DiffItem) -> list[str]:
    what = []
    if old.text != new.text:
        what.append("text")
    if old.doc_ids != new.doc_ids:
        what.append("citations")
    if old.support != new.support:
        what.append("support")
    if old.section != new.section:
        what.append("section")
    return what


def _match_items(old: list[DiffItem], new: list[DiffItem], diff: AnswerDiff) -> None:
    remaining = list(new)
    unmatched_old = []
    for item in old:  # exact text matches first (wherever the item now sits)
        twin = next((n for n in remaining if n.text == item.text), None)
        if twin is None:
            unmatched_old.append(item)
            continue
        remaining.remove(twin)
        if what := _what(item, twin):
            diff.items_changed.append(ItemChange(old=item, new=twin, what=what))
    for item in unmatched_old:  # then reworded items within the same section
        scored = [
            (difflib.SequenceMatcher(None, item.text, n.text).ratio(), i)
            for i, n in enumerate(remaining)
            if n.section == item.section
        ]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            twin = remaining.pop(best[1])
            diff.items_changed.append(ItemChange(old=item, new=twin, what=_what(item, twin)))
        else:
            diff.items_removed.append(item)
    diff.items_added.extend(remaining)


def _ref_key(ref: Reference) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(ref, f) for f in _REF_FIELDS}
    out["level"] = str(ref.level)
    out["passages"] = [" ".join(p.text.split()) for p in ref.passages]
    return out


def _cite(ref: Reference) -> CitationRef:
    return CitationRef(doc_id=ref.doc_id, title=ref.title, type=ref.type, year=ref.year)


def _match_citations(old: Answer, new: Answer, diff: AnswerDiff) -> None:
    before = {r.doc_id: r for r in old.references}
    after = {r.doc_id: r for r in new.references}
    diff.citations_removed = [_cite(r) for d, r in before.items() if d not in after]
    diff.citations_added = [_cite(r) for d, r in after.items() if d not in before]
    for doc_id, ref in after.items():
        if doc_id not in before:
            continue
        a, b = _ref_key(before[doc_id]), _ref_key(ref)
        fields = {k: [a[k], b[k]] for k in a if a[k] != b[k]}
        if fields:
            diff.citations_changed.append(CitationChange(doc_id=doc_id, title=ref.title, fields=fields))


def diff_answers(
    old: Answer, new: Answer, *, from_version: int | None = None, to_version: int | None = None
) -> AnswerDiff:
    """The typed difference from `old` to `new`."""
    diff = AnswerDiff(from_version=from_version, to_version=to_version)
    bl_old, bl_new = bottom_line_item(old), bottom_line_item(new)
    if what := _what(bl_old, bl_new):
        diff.bottom_line = ItemChange(old=bl_old, new=bl_new, what=what)
    _match_items(answer_items(old), answer_items(new), diff)
    _match_citations(old, new, diff)
    diff.notes_added = [n for n in new.notes if n not in old.notes]
    diff.notes_removed = [n for n in old.notes if n not in new.notes]
    if old.abstained != new.abstained:
        diff.abstained = [old.abstained, new.abstained]
    return diff


def canonical_lines(answer: Answer) -> list[str]:
    """A stable plain-text rendering of everything the diff compares, one fact per line."""
    lines = [f"Bottom line: {bottom_line_item(answer).line()}"]
    if answer.abstained:
        lines.append(f"Abstained: {answer.abstain_reason or ''}".rstrip())
    for section in answer.sections:
        lines.append(f"## {section.title}")
        refs = {r.n: r.doc_id for r in answer.references}
        lines.extend(f"- {_claim_item(section.title, c, refs).line()}" for c in section.items)
    lines.append("## References")
    for ref in answer.references:
        meta = ", ".join(str(x) for x in (ref.type, ref.year, ref.evidence) if x)
        lines.append(f"[{ref.doc_id}] {ref.title} — {meta}")
        lines.extend(f"    > {' '.join(p.text.split())}" for p in ref.passages)
    if answer.notes:
        lines.append("## Notes")
        lines.extend(f"- {n}" for n in answer.notes)
    return lines


def unified(old: Answer, new: Answer, *, from_label: str = "old", to_label: str = "new", context: int = 2) -> str:
    """A unified text diff of the canonical renderings (what `medcite review diff` prints)."""
    return "\n".join(
        difflib.unified_diff(
            canonical_lines(old),
            canonical_lines(new),
            fromfile=from_label,
            tofile=to_label,
            n=context,
            lineterm="",
        )
    )


def render_text(diff: AnswerDiff) -> str:
    """A short, reviewer-oriented listing of a typed diff."""
    out = [f"v{diff.from_version} → v{diff.to_version}: {diff.summary()}"]
    if diff.bottom_line:
        out += [
            f"  bottom line: - {diff.bottom_line.old.line()}",
            f"               + {diff.bottom_line.new.line()}",
        ]
    out += [f"  + [{i.section}] {i.line()}" for i in diff.items_added]
    out += [f"  - [{i.section}] {i.line()}" for i in diff.items_removed]
    for ch in diff.items_changed:
        out += [
            f"  ~ [{ch.old.section}] ({', '.join(ch.what)})",
            f"      - {ch.old.line()}",
            f"      + {ch.new.line()}",
        ]
    out += [f"  + citation {c.doc_id}: {c.title}" for c in diff.citations_added]
    out += [f"  - citation {c.doc_id}: {c.title}" for c in diff.citations_removed]
    out += [f"  ~ citation {c.doc_id}: {', '.join(c.fields)} changed" for c in diff.citations_changed]
    out += [f"  + note: {n}" for n in diff.notes_added]
    out += [f"  - note: {n}" for n in diff.notes_removed]
    return "\n".join(out)
