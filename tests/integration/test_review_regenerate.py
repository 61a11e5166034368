"""Living answers end to end with the real engine: open-medicine indexed with the packaged MiniLM
(`om_settings`), two saved and approved answers, then a guideline is re-ingested changed (and
another removed). Exactly the answers citing it go stale; regeneration produces a new version
whose stored diff is the diff of the two versions, and the answer goes back to review."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from medcite.engine import Medcite
from medcite.records import AnswerStatus, Document
from medcite.review import Workflow, diff_answers
from medcite.review.living import REGENERATED
from medcite.settings import Settings
from medcite.store import Role, SQLStore, User

pytest_plugins = ["store_fixtures"]
pytestmark = pytest.mark.integration

GOUT = "What is first-line treatment for an acute gout flare?"
OTHER = "How should community-acquired pneumonia be treated in adults?"


@pytest.fixture
def engine(om_settings: Settings, tmp_path: Path) -> Iterator[Medcite]:
    """A private copy of the session's open-medicine index (this test changes it)."""
    home = tmp_path / "om-copy"
    shutil.copytree(om_settings.home, home, symlinks=True)
    settings = om_settings.model_copy(update={"home": home})
    mc = Medcite(settings)
    yield mc
    mc.close()


def _document(mc: Medcite, doc_id: str) -> Document:
    from medcite.sources import read_target

    for item in read_target("open-medicine", mc.settings):
        if isinstance(item, Document) and item.id == doc_id:
            return item
    raise AssertionError(f"{doc_id} is not in open-medicine")


def _approve(wf: Workflow, mc: Medcite, question: str, people: dict[str, User]) -> str:
    saved = wf.save(mc.ask(question), people["editor"])
    wf.submit(saved.id, people["editor"])
    wf.assign(saved.id, people["admin"], "dr-rev")
    return wf.approve(saved.id, people["reviewer"]).id


def test_changed_guideline_marks_its_answers_stale_and_regenerates_them(engine: Medcite, store: SQLStore) -> None:
    people = {
        "editor": store.add_user("ed", Role.EDITOR),
        "admin": store.add_user("ada", Role.ADMIN),
        "reviewer": store.add_user("dr-rev", Role.REVIEWER),
    }
    wf = Workflow(store)
    wf.sync_with_catalog(engine.store.catalog)  # the initial ingest: 'added' only
    gout_id, other_id = _approve(wf, engine, GOUT, people), _approve(wf, engine, OTHER, people)
    gout_docs = {r.doc_id for r in store.get_answer(gout_id).answer.references}
    other_docs = {r.doc_id for r in store.get_answer(other_id).answer.references}
    only_gout = sorted(gout_docs - other_docs)
    assert only_gout, (gout_docs, other_docs)
    changed_id = only_gout[0]

    # Re-ingest the guideline with every passage reworded: its cited passages change.
    doc = _document(engine, changed_id)
    reworded = doc.model_copy(
        update={"blocks": [b.model_copy(update={"text": b.text + " (Reviewed 2025.)"}) for b in doc.blocks]}
    )
    report = engine.store.ingest([reworded])
    assert report.changed == 1
    marked = wf.sync_with_catalog(engine.store.catalog)
    assert [s.id for s in marked] == [gout_id]
    assert store.get_answer(gout_id).stale_reason == f"{changed_id} changed (open-medicine)"
    assert not store.get_answer(other_id).stale

    [result] = wf.regenerate_stale(engine)
    assert result.answer_id == gout_id and result.to_version == 2, result
    saved = store.get_answer(gout_id)
    assert (saved.status, saved.assigned_to, saved.approved_version) == (AnswerStatus.UNDER_REVIEW, "dr-rev", 1)
    assert saved.answer.status_label == "Updated since approved — under review"
    v1, v2 = store.versions(gout_id)
    assert v2.reason == REGENERATED
    expected = diff_answers(v1.answer, v2.answer, from_version=1, to_version=2)
    assert v2.diff == expected.model_dump(mode="json") and not expected.is_empty()
    touched = {c.doc_id for c in expected.citations_changed} | {c.doc_id for c in expected.citations_removed}
    assert changed_id in touched
    if changed_id in {c.doc_id for c in expected.citations_changed}:
        [change] = [c for c in expected.citations_changed if c.doc_id == changed_id]
        assert "passages" in change.fields
        assert any("(Reviewed 2025.)" in text for text in change.fields["passages"][1])

    # Removing a guideline the other answer cites marks that one (only) and drops the citation.
    removed_id = sorted(other_docs - gout_docs)[0]
    engine.remove(removed_id)
    assert [s.id for s in wf.sync_with_catalog(engine.store.catalog)] == [other_id]
    [result] = wf.regenerate_stale(engine)
    d = diff_answers(store.version(other_id, 1).answer, store.version(other_id, 2).answer)
    assert removed_id in {c.doc_id for c in d.citations_removed}
    assert result.status == AnswerStatus.UNDER_REVIEW
