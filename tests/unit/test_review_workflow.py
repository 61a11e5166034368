"""The editorial workflow, on SQLite and PostgreSQL: every role x every transition, self-approval,
refused attempts (audited, nothing changed), assignment rules and comments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from medcite.errors import AuthenticationRequired, Conflict, InvalidInput, PermissionDenied
from medcite.records import Answer, AnswerStatus
from medcite.review import Workflow
from medcite.review.rules import PERMISSIONS, Action
from medcite.store import Role, SQLStore, User

pytest_plugins = ["store_fixtures"]

ROLES = ["reader", "editor", "reviewer", "admin"]

# The specification, written out independently of medcite.review.rules: who may do what.
EXPECTED: dict[str, set[str]] = {
    "save": {"editor", "reviewer", "admin"},
    "edit": {"editor", "admin"},
    "submit": {"editor", "reviewer", "admin"},
    "assign": {"reviewer", "admin"},
    "start_review": {"reviewer"},
    "approve": {"reviewer"},
    "request_changes": {"reviewer"},
    "reject": {"reviewer"},
    "reopen": {"editor", "admin"},
    "comment": {"editor", "reviewer", "admin"},
    "regenerate": {"editor", "admin"},
}
TARGET = {
    "submit": AnswerStatus.SUBMITTED,
    "assign": AnswerStatus.UNDER_REVIEW,
    "start_review": AnswerStatus.UNDER_REVIEW,
    "approve": AnswerStatus.APPROVED,
    "request_changes": AnswerStatus.CHANGES_REQUESTED,
    "reject": AnswerStatus.REJECTED,
    "reopen": AnswerStatus.DRAFT,
    "edit": AnswerStatus.DRAFT,
    "comment": AnswerStatus.DRAFT,
    "regenerate": AnswerStatus.DRAFT,
    "save": AnswerStatus.DRAFT,
}


class FakeMedcite:
    """Stands in for `Medcite`: `ask` returns a fixed answer to whatever is asked."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []

    def ask(self, question: str, *, audience: Any = "clinician", **_: Any) -> Answer:
        self.asked.append((question, str(audience)))
        return self.answer.model_copy(deep=True, update={"question": question, "audience": audience})


class Desk:
    """Brings a fresh answer into the state an action starts from, using privileged users."""

    def __init__(self, wf: Workflow, users: dict[str, User], make_answer: Callable[..., Answer]) -> None:
        self.wf, self.u, self.make_answer, self.n = wf, users, make_answer, 0

    def draft(self, by: str = "editor") -> str:
        self.n += 1
        return self.wf.save(self.make_answer(f"Question number {self.n}?"), self.u[by]).id

    def submitted(self, by: str = "editor") -> str:
        answer_id = self.draft(by)
        self.wf.submit(answer_id, self.u[by])
        return answer_id

    def under_review(self, reviewer: str = "dr-rev") -> str:
        answer_id = self.submitted()
        self.wf.assign(answer_id, self.u["admin"], reviewer)
        return answer_id

    def approved(self) -> str:
        answer_id = self.under_review("dr-two")
        self.wf.approve(answer_id, self.u["reviewer2"])
        return answer_id

    def prepare(self, action: str, role: str) -> str:
        if action in ("edit", "submit", "comment", "regenerate"):
            return self.draft()
        if action in ("assign", "start_review"):
            return self.submitted()
        if action in ("approve", "request_changes", "reject"):
            return self.under_review(self.u[role].name if role == "reviewer" else "dr-rev")
        if action == "reopen":
            return self.approved()
        raise AssertionError(action)


def attempt(wf: Workflow, action: str, answer_id: str, user: User | None, medcite: FakeMedcite) -> Any:
    calls: dict[str, Callable[[], Any]] = {
        "edit": lambda: wf.edit(answer_id, user, remove=["1.1"], note="tightened"),
        "submit": lambda: wf.submit(answer_id, user),
        "assign": lambda: wf.assign(answer_id, user, "dr-rev"),
        "start_review": lambda: wf.start_review(answer_id, user),
        "approve": lambda: wf.approve(answer_id, user),
        "request_changes": lambda: wf.request_changes(answer_id, user, "cite the 2020 update"),
        "reject": lambda: wf.reject(answer_id, user, "out of scope"),
        "reopen": lambda: wf.reopen(answer_id, user),
        "comment": lambda: wf.comment(answer_id, user, "looks fine"),
        "regenerate": lambda: wf.regenerate(answer_id, user, medcite),  # type: ignore[arg-type]
    }
    return calls[action]()


def snapshot(store: SQLStore, answer_id: str) -> tuple[Any, ...]:
    saved = store.get_answer(answer_id)
    return (
        saved.model_dump(exclude={"answer"}),
        saved.answer.model_dump(),
        len(store.versions(answer_id)),
        [c.body for c in store.comments(answer_id)],
    )


@pytest.fixture
def wf(store: SQLStore) -> Workflow:
    return Workflow(store)


@pytest.fixture
def desk(wf: Workflow, users: dict[str, User], make_answer: Callable[..., Answer]) -> Desk:
    return Desk(wf, users, make_answer)


def test_permission_table_matches_the_specification() -> None:
    for action, roles in EXPECTED.items():
        assert {r.value for r in Role if Action(action) in PERMISSIONS[r]} == roles, action


@pytest.mark.parametrize("action", [a for a in EXPECTED if a != "save"])
def test_permission_matrix(
    action: str, store: SQLStore, wf: Workflow, desk: Desk, users: dict[str, User], make_answer: Callable[..., Answer]
) -> None:
    medcite = FakeMedcite(make_answer(items={"Treatment": [("Regenerated item.", [1])]}))
    for role in ROLES:
        answer_id = desk.prepare(action, role)
        before, events_before = snapshot(store, answer_id), len(store.history(answer_id))
        user = users[role]
        if role in EXPECTED[action]:
            saved = attempt(wf, action, answer_id, user, medcite)
            assert saved.status == TARGET[action], (action, role)
            last = store.history(answer_id)[-1]
            assert (last.action, last.actor, last.allowed) == (action, user.name, True)
        else:
            with pytest.raises(PermissionDenied, match=f"{user.name} \\({role}\\) may not"):
                attempt(wf, action, answer_id, user, medcite)
            assert snapshot(store, answer_id) == before, (action, role)
            events = store.history(answer_id)
            assert len(events) == events_before + 1
            assert (events[-1].action, events[-1].actor, events[-1].allowed) == (action, user.name, False)
            assert events[-1].detail.startswith("permission_denied")


@pytest.mark.parametrize("role", ROLES)
def test_save_permission(
    role: str, store: SQLStore, wf: Workflow, users: dict[str, User], make_answer: Callable[..., Answer]
) -> None:
    if role in EXPECTED["save"]:
        assert wf.save(make_answer(), users[role]).created_by == users[role].name
    else:
        with pytest.raises(PermissionDenied):
            wf.save(make_answer(), users[role])
        assert store.list_answers() == []
        assert (store.audit_log()[0].action, store.audit_log()[0].allowed) == ("save", False)


def test_anonymous_attempts_need_authentication_and_are_audited(store: SQLStore, wf: Workflow, desk: Desk) -> None:
    answer_id = desk.under_review()
    before = snapshot(store, answer_id)
    with pytest.raises(AuthenticationRequired):
        wf.approve(answer_id, None)
    assert snapshot(store, answer_id) == before
    last = store.history(answer_id)[-1]
    assert (last.actor, last.action, last.allowed) == (None, "approve", False)


def test_full_happy_path_records_who_and_when(
    store: SQLStore, wf: Workflow, users: dict[str, User], make_answer: Callable[..., Answer]
) -> None:
    ed, rev = users["editor"], users["reviewer"]
    saved = wf.save(make_answer(), ed)
    wf.submit(saved.id, ed, comment="ready")
    wf.start_review(saved.id, rev)
    wf.request_changes(saved.id, rev, "drop the allopurinol item")
    wf.edit(saved.id, ed, remove=["2.1"], note="Allopurinol advice moved to prevention answer.")
    wf.submit(saved.id, ed)
    wf.assign(saved.id, users["admin"], "dr-rev")
    final = wf.approve(saved.id, rev, comment="good")
    assert final.status == AnswerStatus.APPROVED and final.approved_by == "dr-rev"
    assert final.approved_version == final.current_version == 2 and final.approved_at is not None
    events = store.history(saved.id)
    assert [(e.action, e.actor, e.from_status, e.to_status) for e in events] == [
        ("save", "ed", None, "draft"),
        ("submit", "ed", "draft", "submitted"),
        ("start_review", "dr-rev", "submitted", "under_review"),
        ("request_changes", "dr-rev", "under_review", "changes_requested"),
        ("edit", "ed", "changes_requested", "changes_requested"),
        ("submit", "ed", "changes_requested", "submitted"),
        ("assign", "ada", "submitted", "under_review"),
        ("approve", "dr-rev", "under_review", "approved"),
    ]
    assert all(e.allowed and e.at for e in events)
    assert [c.body for c in wf.comments(saved.id, rev)] == ["ready", "drop the allopurinol item", "good"]
    assert final.answer.notes[-1] == "Editor's note (ed): Allopurinol advice moved to prevention answer."


def test_self_approval_is_refused(store: SQLStore, wf: Workflow, desk: Desk, users: dict[str, User]) -> None:
    rev, other = users["reviewer"], users["reviewer2"]
    answer_id = desk.submitted(by="reviewer")  # dr-rev wrote and submitted it
    with pytest.raises(PermissionDenied, match="may not review"):
        wf.assign(answer_id, users["admin"], rev.name)
    with pytest.raises(PermissionDenied, match="may not review"):
        wf.start_review(answer_id, rev)
    wf.assign(answer_id, users["admin"], other.name)
    before = snapshot(store, answer_id)
    with pytest.raises(PermissionDenied, match=r"submitted .* may not approve"):
        wf.approve(answer_id, rev)
    assert snapshot(store, answer_id) == before
    refused = [e for e in store.history(answer_id) if not e.allowed]
    assert [(e.action, e.actor) for e in refused] == [
        ("assign", "ada"),
        ("start_review", "dr-rev"),
        ("approve", "dr-rev"),
    ]
    assert wf.approve(answer_id, other).status == AnswerStatus.APPROVED


def test_only_the_assigned_reviewer_judges(store: SQLStore, wf: Workflow, desk: Desk, users: dict[str, User]) -> None:
    answer_id = desk.under_review("dr-rev")
    for call in (
        lambda: wf.approve(answer_id, users["reviewer2"]),
        lambda: wf.reject(answer_id, users["reviewer2"], "no"),
        lambda: wf.request_changes(answer_id, users["reviewer2"], "no"),
    ):
        with pytest.raises(PermissionDenied, match="assigned to dr-rev"):
            call()
    wf.assign(answer_id, users["admin"], "dr-two")  # reassignment
    assert wf.reject(answer_id, users["reviewer2"], "duplicate").status == AnswerStatus.REJECTED


def test_illegal_transitions_are_conflicts_audited_and_change_nothing(
    store: SQLStore, wf: Workflow, desk: Desk, users: dict[str, User]
) -> None:
    draft = desk.draft()
    cases = [
        (lambda: wf.approve(draft, users["reviewer"]), "approve"),
        (lambda: wf.assign(draft, users["admin"], "dr-rev"), "assign"),
        (lambda: wf.reopen(draft, users["editor"]), "reopen"),
    ]
    approved = desk.approved()
    cases += [
        (lambda: wf.edit(approved, users["editor"], remove=["1.1"]), "edit"),
        (lambda: wf.submit(approved, users["editor"]), "submit"),
    ]
    for call, action in cases:
        target = draft if action in ("approve", "assign", "reopen") else approved
        before, n = snapshot(store, target), len(store.history(target))
        with pytest.raises(Conflict) as info:
            call()
        assert info.value.status_code == 409 and "allowed from" in (info.value.hint or "")
        assert snapshot(store, target) == before
        events = store.history(target)
        assert len(events) == n + 1 and (events[-1].action, events[-1].allowed) == (action, False)
        assert events[-1].detail.startswith("conflict")


def test_assign_only_to_reviewers(wf: Workflow, desk: Desk, users: dict[str, User]) -> None:
    answer_id = desk.submitted()
    with pytest.raises(Conflict, match="not a reviewer"):
        wf.assign(answer_id, users["admin"], "ada")
    with pytest.raises(Exception, match="no user"):
        wf.assign(answer_id, users["admin"], "ghost")


def test_negative_decisions_need_a_comment(store: SQLStore, wf: Workflow, desk: Desk, users: dict[str, User]) -> None:
    answer_id = desk.under_review()
    with pytest.raises(InvalidInput, match="needs a comment"):
        wf.reject(answer_id, users["reviewer"], "  ")
    assert store.get_answer(answer_id).status == AnswerStatus.UNDER_REVIEW
    assert store.history(answer_id)[-1].allowed is False


def test_reopened_approved_answer_is_served_as_updated_since_approved(
    store: SQLStore, wf: Workflow, desk: Desk, users: dict[str, User]
) -> None:
    answer_id = desk.approved()
    saved = store.get_answer(answer_id)
    assert store.find_approved(saved.question, saved.audience).answer.status_label.startswith("Approved by dr-two")
    wf.reopen(answer_id, users["editor"], comment="new trial published")
    wf.edit(answer_id, users["editor"], note="See the 2024 trial.")
    wf.submit(answer_id, users["editor"])
    served = store.find_approved(saved.question, saved.audience)
    assert served is not None and served.current_version == 2 and served.approved_version == 1
    assert served.answer.status_label == "Updated since approved — under review"


def test_readers_see_only_approved_answers(wf: Workflow, desk: Desk, users: dict[str, User]) -> None:
    draft, approved = desk.draft(), desk.approved()
    assert wf.show(approved, None).id == approved
    assert wf.show(approved, users["reader"]).id == approved
    with pytest.raises(AuthenticationRequired):
        wf.show(draft, None)
    with pytest.raises(PermissionDenied):
        wf.show(draft, users["reader"])
    with pytest.raises(PermissionDenied):
        wf.history(approved, users["reader"])
    assert wf.show(draft, users["editor"]).id == draft


def test_reviewer_queue_shows_their_assignments_and_unassigned_work(
    wf: Workflow, desk: Desk, users: dict[str, User]
) -> None:
    mine, theirs, open_ = desk.under_review("dr-rev"), desk.under_review("dr-two"), desk.submitted()
    own = desk.submitted(by="reviewer")
    desk.draft()
    assert {a.id for a in wf.queue(users["reviewer"])} == {mine, open_}
    assert {a.id for a in wf.queue(users["admin"])} == {mine, theirs, open_, own}
    with pytest.raises(PermissionDenied):
        wf.queue(users["reader"])


def test_regenerate_adds_a_version_with_a_diff(
    store: SQLStore, wf: Workflow, desk: Desk, users: dict[str, User], make_answer: Callable[..., Answer]
) -> None:
    answer_id = desk.draft()
    medcite = FakeMedcite(make_answer(items={"Treatment": [("Colchicine 1.2 mg then 0.6 mg an hour later.", [1])]}))
    saved = wf.regenerate(answer_id, users["editor"], medcite)  # type: ignore[arg-type]
    assert saved.current_version == 2 and medcite.asked == [(saved.question, "clinician")]
    v2 = store.version(answer_id, 2)
    assert v2.reason == "regenerated" and v2.diff is not None
    assert len(v2.diff["items_removed"]) == 2
