"""Living answers: a changed or removed source marks exactly the answers citing it stale; they are
regenerated as new versions with a diff and go back to review. On SQLite and PostgreSQL, with the
real index catalogue's change log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from medcite.errors import Conflict
from medcite.index.catalog import Catalog
from medcite.records import Answer, AnswerStatus, Document, SourceType
from medcite.review import Workflow
from medcite.review.living import REGENERATED
from medcite.store import SQLStore, User

pytest_plugins = ["store_fixtures"]
Make = Callable[..., Answer]


class FakeMedcite:
    """`ask` returns whatever `answers[question]` holds (a model-free stand-in for Medcite)."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.asked: list[tuple[str, str]] = []

    def ask(self, question: str, *, audience: Any, **_: Any) -> Answer:
        self.asked.append((question, str(audience)))
        return self.answers[question].model_copy(deep=True)


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    cat = Catalog(tmp_path / "index" / "catalog.sqlite")
    yield cat
    cat.close()


def ingest(catalog: Catalog, doc_id: str, text: str) -> None:
    """What `IndexStore.ingest` does to the catalogue, minus the derived indexes."""
    doc = Document(
        id=doc_id,
        source="guidelines",
        title=f"Guideline {doc_id}",
        source_type=SourceType.GUIDELINE,
        blocks=[{"text": text}],
    )
    catalog.stage([(doc, doc.content_hash(), [], [])], {}, "none")


GOUT_Q = "What is first-line treatment for an acute gout flare?"
AF_Q = "Which patients with atrial fibrillation need anticoagulation?"


@pytest.fixture
def living(store: SQLStore, users: dict[str, User], make_answer: Make, catalog: Catalog) -> tuple[Workflow, str, str]:
    """Two approved answers: gout cites og:gout (+ og:nsaid), AF cites og:af. Both documents indexed."""
    wf = Workflow(store)
    for doc in ("og:gout", "og:nsaid", "og:af"):
        ingest(catalog, doc, f"{doc} text v1")
    wf.sync_with_catalog(catalog)  # 'added' changes: nothing is stale
    ids = []
    for q, docs in ((GOUT_Q, ("og:gout", "og:nsaid")), (AF_Q, ("og:af",))):
        saved = wf.save(make_answer(q, docs=docs), users["editor"])
        wf.submit(saved.id, users["editor"])
        wf.assign(saved.id, users["admin"], "dr-rev")
        wf.approve(saved.id, users["reviewer"])
        ids.append(saved.id)
    return wf, ids[0], ids[1]


def test_added_documents_mark_nothing(store: SQLStore, living: tuple[Workflow, str, str]) -> None:
    assert store.list_answers(stale=True) == []
    assert store.get_cursor("catalog") == 3


def test_changed_source_marks_exactly_the_answers_citing_it(
    store: SQLStore, living: tuple[Workflow, str, str], catalog: Catalog
) -> None:
    wf, gout, af = living
    ingest(catalog, "og:nsaid", "og:nsaid text v2 (new dosing)")
    marked = wf.sync_with_catalog(catalog)
    assert [s.id for s in marked] == [gout]
    assert [s.id for s in store.list_answers(stale=True)] == [gout]
    saved = store.get_answer(gout)
    assert saved.stale and saved.awaiting_regeneration and saved.status == AnswerStatus.APPROVED
    assert saved.stale_reason == "og:nsaid changed (guidelines)"
    assert saved.answer.status_label == "A cited source has changed since approval — update pending"
    assert not store.get_answer(af).stale
    last = store.history(gout)[-1]
    assert (last.action, last.actor, last.allowed) == ("mark_stale", "medcite", True)
    assert wf.sync_with_catalog(catalog) == []  # each change is handled once
    assert len([e for e in store.history(gout) if e.action == "mark_stale"]) == 1


def test_removed_source_marks_its_answers(store: SQLStore, living: tuple[Workflow, str, str], catalog: Catalog) -> None:
    wf, _, af = living
    catalog.remove(doc_ids=["og:af"])
    assert [s.id for s in wf.sync_with_catalog(catalog)] == [af]
    assert store.get_answer(af).stale_reason == "og:af removed (guidelines)"


def test_an_answer_saved_after_its_source_changed_is_not_marked_by_that_change(
    store: SQLStore, living: tuple[Workflow, str, str], catalog: Catalog, users: dict[str, User], make_answer: Make
) -> None:
    """Issue 9, item 11: the change is compared with the citing version's creation, not with the
    last change handled. The gout answer (saved before the change) goes stale; one saved after it,
    citing the changed document's new text, does not."""
    wf, gout, _ = living
    ingest(catalog, "og:nsaid", "og:nsaid text v2 (new dosing)")  # changed, not yet handled
    later = wf.save(make_answer("NSAID dosing in gout?", docs=("og:nsaid",)), users["editor"])
    marked = wf.sync_with_catalog(catalog)
    assert [s.id for s in marked] == [gout]
    assert not store.get_answer(later.id).stale
    assert not [e for e in store.history(later.id) if e.action == "mark_stale"]
    ingest(catalog, "og:nsaid", "og:nsaid text v3")  # a change after it was saved does mark it
    assert later.id in [s.id for s in wf.sync_with_catalog(catalog)]


def test_changes_replayed_from_an_old_cursor_are_ignored(
    store: SQLStore, living: tuple[Workflow, str, str], catalog: Catalog
) -> None:
    wf, gout, _ = living
    ingest(catalog, "og:gout", "v2")
    changes = catalog.changes_since(0)
    assert [s.id for s in wf.mark_stale_from_changes(changes)] == [gout]
    assert wf.mark_stale_from_changes(changes) == []


def test_regeneration_makes_a_new_version_with_a_diff_back_to_review(
    store: SQLStore, living: tuple[Workflow, str, str], catalog: Catalog, users: dict[str, User], make_answer: Make
) -> None:
    wf, gout, af = living
    ingest(catalog, "og:nsaid", "og:nsaid withdrawn advice")
    wf.sync_with_catalog(catalog)
    medcite = FakeMedcite()
    medcite.answers[GOUT_Q] = make_answer(
        GOUT_Q,
        docs=("og:gout", "og:colch"),
        items={
            "Treatment": [("Colchicine 1.2 mg then 0.6 mg an hour later.", [1]), ("Low-dose colchicine works.", [2])],
            "Pitfalls": [("Avoid starting allopurinol during the flare without cover.", [1])],
        },
    )
    [result] = wf.regenerate_stale(medcite)  # type: ignore[arg-type]
    assert medcite.asked == [(GOUT_Q, "clinician")]
    assert (result.answer_id, result.from_version, result.to_version) == (gout, 1, 2)
    saved = store.get_answer(gout)
    assert saved.status == AnswerStatus.UNDER_REVIEW and saved.assigned_to == "dr-rev"
    assert saved.submitted_by == "medcite" and saved.stale and not saved.awaiting_regeneration
    assert (saved.approved_version, saved.current_version) == (1, 2)
    assert saved.answer.status_label == "Updated since approved — under review"
    served = store.find_approved(GOUT_Q, saved.audience)
    assert served is not None and served.current_version == 2
    v2 = store.version(gout, 2)
    assert v2.reason == REGENERATED and v2.created_by == "medcite"
    assert [c["doc_id"] for c in v2.diff["citations_removed"]] == ["og:nsaid"]
    assert [c["doc_id"] for c in v2.diff["citations_added"]] == ["og:colch"]
    assert [i["text"] for i in v2.diff["items_removed"]] == ["NSAIDs at full dose are as effective."]
    assert [i["text"] for i in v2.diff["items_added"]] == ["Low-dose colchicine works."]
    d, _, _ = wf.diff(gout, users["reviewer"])
    assert (d.from_version, d.to_version) == (1, 2) and d.model_dump(mode="json") == v2.diff
    assert store.history(gout)[-1].action == "regenerate_stale"
    # The previous approver reviews the update; approval clears the stale mark.
    approved = wf.approve(gout, users["reviewer"])
    assert approved.approved_version == 2 and not approved.stale
    assert approved.answer.status_label.startswith("Approved by dr-rev")
    assert wf.regenerate_stale(medcite) == []  # nothing left to do
    assert not store.get_answer(af).stale


def test_unchanged_regeneration_keeps_the_approval(
    store: SQLStore, living: tuple[Workflow, str, str], catalog: Catalog, make_answer: Make
) -> None:
    wf, _, af = living
    ingest(catalog, "og:af", "og:af reformatted, same advice")
    wf.sync_with_catalog(catalog)
    medcite = FakeMedcite()
    medcite.answers[AF_Q] = store.get_answer(af).answer
    [result] = wf.regenerate_stale(medcite)  # type: ignore[arg-type]
    assert result.to_version is None and result.summary == "no change"
    saved = store.get_answer(af)
    assert saved.status == AnswerStatus.APPROVED and not saved.stale and saved.current_version == 1


def test_drafts_keep_their_state_and_rejected_answers_are_not_regenerated(
    store: SQLStore, users: dict[str, User], make_answer: Make, catalog: Catalog
) -> None:
    wf = Workflow(store)
    draft = wf.save(make_answer("Draft question?", docs=("og:x",)), users["editor"])
    rejected = wf.save(make_answer("Rejected question?", docs=("og:x",)), users["editor"])
    wf.submit(rejected.id, users["editor"])
    wf.assign(rejected.id, users["admin"], "dr-rev")
    wf.reject(rejected.id, users["reviewer"], "out of scope")
    ingest(catalog, "og:x", "v1")
    ingest(catalog, "og:x", "v2")
    assert {s.id for s in wf.sync_with_catalog(catalog)} == {draft.id, rejected.id}
    assert not store.get_answer(rejected.id).awaiting_regeneration
    medcite = FakeMedcite()
    medcite.answers["Draft question?"] = make_answer("Draft question?", docs=("og:x",), items={})
    [result] = wf.regenerate_stale(medcite)  # type: ignore[arg-type]
    assert result.answer_id == draft.id and result.status == AnswerStatus.DRAFT and result.to_version == 2


def test_regenerating_needs_permission(
    store: SQLStore, living: tuple[Workflow, str, str], users: dict[str, User]
) -> None:
    from medcite.errors import PermissionDenied

    wf, _, _ = living
    with pytest.raises(PermissionDenied):
        wf.regenerate_stale(FakeMedcite(), users["reviewer"])  # type: ignore[arg-type]
    assert (store.audit_log()[0].action, store.audit_log()[0].allowed) == ("regenerate_stale", False)


def test_an_answer_under_review_cannot_be_approved_until_regenerated(
    store: SQLStore, users: dict[str, User], make_answer: Make, catalog: Catalog
) -> None:
    wf = Workflow(store)
    saved = wf.save(make_answer("Pending question?", docs=("og:y",)), users["editor"])
    wf.submit(saved.id, users["editor"])
    wf.assign(saved.id, users["admin"], "dr-rev")
    ingest(catalog, "og:y", "v1")
    ingest(catalog, "og:y", "v2")
    wf.sync_with_catalog(catalog)
    with pytest.raises(Conflict, match="has not been regenerated"):
        wf.approve(saved.id, users["reviewer"])
    assert store.get_answer(saved.id).status == AnswerStatus.UNDER_REVIEW
    medcite = FakeMedcite()
    medcite.answers["Pending question?"] = make_answer("Pending question?", docs=("og:y",), items={})
    wf.regenerate_stale(medcite)  # type: ignore[arg-type]
    after = store.get_answer(saved.id)
    assert (after.status, after.assigned_to, after.current_version) == (AnswerStatus.UNDER_REVIEW, "dr-rev", 2)
    assert wf.approve(saved.id, users["reviewer"]).status == AnswerStatus.APPROVED
