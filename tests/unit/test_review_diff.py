"""Version diffs (items and citations added/removed/changed) and evidence-preserving edits."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from medcite.errors import InvalidInput
from medcite.records import Answer, Passage
from medcite.review.diff import diff_answers, render_text, unified
from medcite.review.edit import apply_edit, item_keys

pytest_plugins = ["store_fixtures"]
Make = Callable[..., Answer]


def cited_docs(answer: Answer) -> dict[str, list[str]]:
    refs = {r.n: r.doc_id for r in answer.references}
    return {c.text: [refs[n] for n in c.citations] for s in answer.sections for c in s.items}


def assert_citations_valid(answer: Answer) -> None:
    numbers = [r.n for r in answer.references]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = {n for s in answer.sections for c in s.items for n in c.citations} | set(answer.bottom_line.citations)
    assert cited <= set(numbers)
    assert set(numbers) <= cited, "every reference is cited by something"


def test_identical_answers_have_an_empty_diff(make_answer: Make) -> None:
    d = diff_answers(make_answer(), make_answer())
    assert d.is_empty() and d.summary() == "no changes" and unified(make_answer(), make_answer()) == ""


def test_items_added_removed_and_changed(make_answer: Make) -> None:
    old = make_answer(
        docs=("a", "b"),
        items={
            "Treatment": [("Colchicine 1.2 mg then 0.6 mg an hour later.", [1]), ("Rest the joint.", [2])],
            "Pitfalls": [("Avoid aspirin.", [1])],
        },
    )
    new = make_answer(
        docs=("a", "b", "c"),
        items={
            "Treatment": [("Colchicine 1.2 mg then 0.6 mg one hour later.", [1]), ("Ice packs help.", [3])],
            "Pitfalls": [("Avoid aspirin.", [2])],
        },
    )
    d = diff_answers(old, new, from_version=1, to_version=2)
    assert [i.text for i in d.items_added] == ["Ice packs help."]
    assert [i.doc_ids for i in d.items_added] == [["c"]]
    assert [i.text for i in d.items_removed] == ["Rest the joint."]
    changed = {c.new.text: c.what for c in d.items_changed}
    assert changed == {"Colchicine 1.2 mg then 0.6 mg one hour later.": ["text"], "Avoid aspirin.": ["citations"]}
    assert [c.doc_id for c in d.citations_added] == ["c"] and d.citations_removed == []
    assert d.summary() == "items +1 -1 ~2; citations +1 -0 ~0"
    text = render_text(d)
    assert "+ [Treatment] Ice packs help. [c]" in text and "- [Treatment] Rest the joint. [b]" in text


def test_citations_compare_by_document_not_number(make_answer: Make) -> None:
    old = make_answer(docs=("a", "b"), items={"T": [("x.", [1]), ("y.", [2])]})
    # Same documents, numbered the other way round: nothing changed for a reader.
    new = make_answer(docs=("b", "a"), items={"T": [("x.", [2]), ("y.", [1])]})
    new.bottom_line.citations = [2]
    assert diff_answers(old, new).is_empty()


def test_changed_citation_content_is_reported(make_answer: Make, ref: Callable[..., object]) -> None:
    old, new = make_answer(docs=("a", "b")), make_answer(docs=("a", "b"))
    new.references[0].passages = [Passage(chunk_id="a#0", text="Updated recommendation text.")]
    new.references[0].year = 2024
    new.references = [new.references[0]]
    new.sections[0].items[1].citations = [1]
    d = diff_answers(old, new)
    assert [c.doc_id for c in d.citations_removed] == ["b"]
    [change] = d.citations_changed
    assert change.doc_id == "a" and set(change.fields) == {"year", "passages"}
    assert change.fields["passages"] == [["Passage text."], ["Updated recommendation text."]]
    assert [c.what for c in d.items_changed] == [["citations"]]


def test_unified_rendering_marks_lines(make_answer: Make) -> None:
    old = make_answer()
    new = make_answer(items={"Treatment": [("Colchicine 1.2 mg then 0.6 mg an hour later.", [1])]})
    text = unified(old, new, from_label="v1", to_label="v2")
    assert text.startswith("--- v1\n+++ v2")
    assert "-- NSAIDs at full dose are as effective. [og:gout]" in text
    assert "-## Pitfalls" in text


def test_abstention_and_bottom_line_changes(make_answer: Make) -> None:
    old = make_answer()
    new = make_answer(bottom="No answer: the sources do not cover this.", items={}, docs=("og:gout",))
    new.abstained = True
    d = diff_answers(old, new)
    assert d.bottom_line is not None and d.abstained == [False, True] and len(d.items_removed) == 3
    assert "now abstains" in d.summary()


# -- edits ----------------------------------------------------------------------------------
def test_item_keys_number_sections_and_items(make_answer: Make) -> None:
    assert list(item_keys(make_answer())) == ["1.1", "1.2", "2.1"]


def test_removing_items_renumbers_references_and_keeps_citations_valid(make_answer: Make) -> None:
    answer = make_answer(
        docs=("a", "b", "c"),
        items={"T": [("uses a.", [1]), ("uses b.", [2]), ("uses c.", [3])], "P": [("uses b and c.", [2, 3])]},
    )
    edited = apply_edit(answer, editor="ed", remove=["1.2", "2.1"])
    assert cited_docs(edited) == {"uses a.": ["a"], "uses c.": ["c"]}
    assert [r.doc_id for r in edited.references] == ["a", "c"]
    assert_citations_valid(edited)
    assert [s.title for s in edited.sections] == ["T"]  # an emptied section disappears
    d = diff_answers(answer, edited)
    assert [i.text for i in d.items_removed] == ["uses b.", "uses b and c."]
    assert [c.doc_id for c in d.citations_removed] == ["b"] and d.items_changed == []


def test_keep_restore_and_note(make_answer: Make) -> None:
    v1 = make_answer(docs=("a", "b"), items={"T": [("uses a.", [1]), ("uses b.", [2])]})
    v2 = apply_edit(v1, editor="ed", keep=["1.1"])
    assert cited_docs(v2) == {"uses a.": ["a"]}
    v3 = apply_edit(v2, editor="ed", restore=[(v1, "1.2")], note="  Restored the b item. ")
    assert cited_docs(v3) == {"uses a.": ["a"], "uses b.": ["b"]}
    assert_citations_valid(v3)
    assert v3.notes == ["Editor's note (ed): Restored the b item."]
    assert v3.references[1].passages == v1.references[1].passages  # the cited passage travels with it


def test_edit_refuses_unknown_items_and_empty_edits(make_answer: Make) -> None:
    with pytest.raises(InvalidInput, match=r"no item 9\.9"):
        apply_edit(make_answer(), editor="ed", remove=["9.9"])
    with pytest.raises(InvalidInput, match="nothing to change"):
        apply_edit(make_answer(), editor="ed")


def test_docs_show_the_permission_and_transition_tables() -> None:
    from pathlib import Path

    from medcite.review.rules import permission_table, transition_table

    doc = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text()
    assert permission_table() in doc and transition_table() in doc
