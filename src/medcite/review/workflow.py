"""`Workflow(store)`: the editorial rules applied to saved answers.

Each step checks, in order: an authenticated actor, the role's permission (PermissionDenied,
403), the answer's state (Conflict, 409), then the step's own guards (self-approval, assignee).
A refused attempt is appended to the audit log and changes nothing; an allowed one is handed to
`Store.apply` as one `Transition`, which the store persists atomically with its audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from medcite.errors import AuthenticationRequired, Conflict, InvalidInput, MedciteError, PermissionDenied
from medcite.records import Answer, AnswerStatus
from medcite.review import living
from medcite.review.diff import AnswerDiff, diff_answers
from medcite.review.edit import apply_edit, describe_edit
from medcite.review.rules import NEEDS_COMMENT, TRANSITIONS, Action, require
from medcite.store.base import AuditEvent, Comment, NewVersion, Role, SavedAnswer, Store, Transition, User
from medcite.store.sqlbase import now

if TYPE_CHECKING:
    from medcite.engine import Medcite
    from medcite.index.catalog import Catalog

# Errors that are a refused attempt (audited); others (NotFound, a broken database) are not.
_REFUSALS = (PermissionDenied, AuthenticationRequired, Conflict, InvalidInput)
Plan = Callable[[SavedAnswer, User], Transition]


class Workflow:
    """Editorial workflow over a `Store`; every method takes the acting `User` (None = anonymous)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- the guarded step ------------------------------------------------------------------
    def _step(
        self,
        action: Action,
        answer_id: str,
        actor: User | None,
        plan: Plan | None = None,
        *,
        comment: str | None = None,
    ) -> SavedAnswer:
        saved = self.store.get_answer(answer_id)  # unknown id: NotFound, nothing to audit against
        rule = TRANSITIONS[action]
        target = rule.target or saved.status
        try:
            user = require(actor, action)
            if saved.status not in rule.sources:
                allowed_from = ", ".join(sorted(s.value for s in rule.sources))
                raise Conflict(
                    f"cannot {action.verb} answer {saved.slug}: it is {saved.status.value}",
                    hint=f"{action.verb} is allowed from: {allowed_from}",
                )
            if action in NEEDS_COMMENT and not (comment and comment.strip()):
                raise InvalidInput(f"{action.verb} needs a comment", hint="say what should change and why")
            transition = plan(saved, user) if plan else self._transition(saved, user, action, target)
            transition.comment = comment.strip() if comment and comment.strip() else None
            return self.store.apply(transition)
        except _REFUSALS as exc:
            self._refused(saved, actor, action, target, exc)
            raise

    def _refused(
        self, saved: SavedAnswer, actor: User | None, action: Action, target: AnswerStatus, exc: MedciteError
    ) -> None:
        self.store.record_refused(
            answer_id=saved.id,
            actor=actor.name if actor else None,
            action=action.value,
            from_status=saved.status.value,
            to_status=target.value,
            detail=f"{exc.code}: {exc.message}",
        )

    @staticmethod
    def _transition(saved: SavedAnswer, user: User, action: Action, target: AnswerStatus, **kw: Any) -> Transition:
        return Transition(
            answer_id=saved.id,
            action=action.value,
            actor=user.name,
            from_status=saved.status,
            from_version=saved.current_version,
            to_status=target,
            **kw,
        )

    # -- creating and shaping answers ------------------------------------------------------
    def save(self, answer: Answer, actor: User | None) -> SavedAnswer:
        """Save an answer as a new draft (version 1). Refusals are audited without an answer id."""
        try:
            user = require(actor, Action.SAVE)
        except _REFUSALS as exc:
            self.store.record_refused(
                answer_id=None,
                actor=actor.name if actor else None,
                action="save",
                from_status=None,
                to_status="draft",
                detail=f"{exc.code}: {exc.message}",
            )
            raise
        return self.store.save_answer(answer, actor=user.name)

    def edit(
        self,
        answer_id: str,
        actor: User | None,
        *,
        remove: Sequence[str] = (),
        keep: Sequence[str] | None = None,
        restore: Sequence[str] = (),
        note: str | None = None,
    ) -> SavedAnswer:
        """A new version that keeps/removes items by 'S.I', restores 'vN:S.I' items, adds a note."""

        def plan(saved: SavedAnswer, user: User) -> Transition:
            sources = [(self._version_answer(saved.id, ref), ref.split(":", 1)[1]) for ref in restore]
            new = apply_edit(saved.answer, editor=user.name, remove=remove, keep=keep, restore=sources, note=note)
            reason = describe_edit(remove, keep, restore, note)
            return self._transition(
                saved,
                user,
                Action.EDIT,
                saved.status,
                new_version=self._new_version(saved, new, reason),
                detail=reason,
            )

        return self._step(Action.EDIT, answer_id, actor, plan)

    def _version_answer(self, answer_id: str, ref: str) -> Answer:
        head, sep, _ = ref.partition(":")
        if not sep or not head.lstrip("v").isdigit():
            raise InvalidInput(f"cannot read item reference {ref!r}", hint="write vN:S.I, e.g. v1:2.3")
        return self.store.version(answer_id, int(head.lstrip("v"))).answer

    def _new_version(self, saved: SavedAnswer, new: Answer, reason: str) -> NewVersion:
        diff = diff_answers(saved.answer, new, from_version=saved.current_version, to_version=saved.current_version + 1)
        return NewVersion(answer=new, reason=reason, diff=diff.model_dump(mode="json"))

    def regenerate(self, answer_id: str, actor: User | None, medcite: Medcite) -> SavedAnswer:
        """Re-ask the question (same audience) and keep the result as a new version of a draft."""

        def plan(saved: SavedAnswer, user: User) -> Transition:
            new = medcite.ask(saved.question, audience=saved.audience)
            return self._transition(
                saved,
                user,
                Action.REGENERATE,
                saved.status,
                new_version=self._new_version(saved, new, "regenerated"),
            )

        return self._step(Action.REGENERATE, answer_id, actor, plan)

    def comment(self, answer_id: str, actor: User | None, body: str) -> SavedAnswer:
        return self._step(Action.COMMENT, answer_id, actor, comment=body)

    # -- review ----------------------------------------------------------------------------
    def submit(self, answer_id: str, actor: User | None, *, comment: str | None = None) -> SavedAnswer:
        def plan(saved: SavedAnswer, user: User) -> Transition:
            return self._transition(
                saved, user, Action.SUBMIT, AnswerStatus.SUBMITTED, updates={"submitted_by": user.name}
            )

        return self._step(Action.SUBMIT, answer_id, actor, plan, comment=comment)

    def assign(self, answer_id: str, actor: User | None, reviewer: str | None = None) -> SavedAnswer:
        """Give a submitted answer to a reviewer (default: the actor) and open the review."""

        def plan(saved: SavedAnswer, user: User) -> Transition:
            target = self.store.get_user(reviewer) if reviewer else user
            if target.role != Role.REVIEWER:
                raise Conflict(
                    f"{target.name} is a {target.role.value}, not a reviewer",
                    hint="assign answers to members of the advisory board (role reviewer)",
                )
            self._not_own(saved, target, "review")
            return self._transition(
                saved, user, Action.ASSIGN, AnswerStatus.UNDER_REVIEW, updates={"assigned_to": target.name}
            )

        return self._step(Action.ASSIGN, answer_id, actor, plan)

    def start_review(self, answer_id: str, actor: User | None) -> SavedAnswer:
        """A reviewer takes a submitted answer that is unassigned or already assigned to them."""

        def plan(saved: SavedAnswer, user: User) -> Transition:
            self._assignee(saved, user, allow_unassigned=True)
            self._not_own(saved, user, "review")
            return self._transition(
                saved,
                user,
                Action.START_REVIEW,
                AnswerStatus.UNDER_REVIEW,
                updates={"assigned_to": user.name},
            )

        return self._step(Action.START_REVIEW, answer_id, actor, plan)

    def approve(self, answer_id: str, actor: User | None, *, comment: str | None = None) -> SavedAnswer:
        def plan(saved: SavedAnswer, user: User) -> Transition:
            self._not_own(saved, user, "approve")
            self._assignee(saved, user)
            if saved.awaiting_regeneration:
                raise Conflict(
                    f"a source cited by {saved.slug} changed and it has not been regenerated yet",
                    hint="run `medcite review stale --regenerate` first",
                )
            return self._transition(
                saved,
                user,
                Action.APPROVE,
                AnswerStatus.APPROVED,
                updates={
                    "approved_version": saved.current_version,
                    "approved_by": user.name,
                    "approved_at": now(),
                    "stale": False,
                    "stale_reason": None,
                },
            )

        return self._step(Action.APPROVE, answer_id, actor, plan, comment=comment)

    def request_changes(self, answer_id: str, actor: User | None, comment: str) -> SavedAnswer:
        return self._judge(Action.REQUEST_CHANGES, AnswerStatus.CHANGES_REQUESTED, answer_id, actor, comment)

    def reject(self, answer_id: str, actor: User | None, comment: str) -> SavedAnswer:
        return self._judge(Action.REJECT, AnswerStatus.REJECTED, answer_id, actor, comment)

    def _judge(
        self, action: Action, target: AnswerStatus, answer_id: str, actor: User | None, comment: str
    ) -> SavedAnswer:
        def plan(saved: SavedAnswer, user: User) -> Transition:
            self._assignee(saved, user)
            return self._transition(saved, user, action, target)

        return self._step(action, answer_id, actor, plan, comment=comment)

    def reopen(self, answer_id: str, actor: User | None, *, comment: str | None = None) -> SavedAnswer:
        """Back to draft for revision; a once-approved answer is served as 'updated since approved'."""

        def plan(saved: SavedAnswer, user: User) -> Transition:
            return self._transition(
                saved,
                user,
                Action.REOPEN,
                AnswerStatus.DRAFT,
                updates={"submitted_by": None, "assigned_to": None},
            )

        return self._step(Action.REOPEN, answer_id, actor, plan, comment=comment)

    @staticmethod
    def _not_own(saved: SavedAnswer, user: User, verb: str) -> None:
        # "Their own" covers the submitter and whoever saved the answer in the first place.
        if user.name in (saved.submitted_by, saved.created_by):
            raise PermissionDenied(
                f"{user.name} submitted {saved.slug} and may not {verb} it",
                hint="another member of the advisory board must review it",
            )

    @staticmethod
    def _assignee(saved: SavedAnswer, user: User, *, allow_unassigned: bool = False) -> None:
        if saved.assigned_to == user.name or (allow_unassigned and saved.assigned_to is None):
            return
        who = saved.assigned_to or "nobody"
        raise PermissionDenied(
            f"{saved.slug} is assigned to {who}, not {user.name}",
            hint="an admin or reviewer can reassign it with `medcite review assign`",
        )

    # -- reading ---------------------------------------------------------------------------
    def show(self, answer_id: str, actor: User | None) -> SavedAnswer:
        """A saved answer; readers (and anonymous users) see only answers that were approved."""
        saved = self.store.get_answer(answer_id)
        if saved.approved_version is None or saved.status == AnswerStatus.REJECTED:
            require(actor, Action.VIEW_DRAFTS)
        return saved

    def queue(self, actor: User | None) -> list[SavedAnswer]:
        """What awaits review: for a reviewer, their assignments and unassigned submissions."""
        user = require(actor, Action.VIEW_DRAFTS)
        waiting = self.store.list_answers(status=AnswerStatus.SUBMITTED, limit=500)
        waiting += self.store.list_answers(status=AnswerStatus.UNDER_REVIEW, limit=500)
        if user.role == Role.REVIEWER:
            waiting = [a for a in waiting if a.assigned_to in (None, user.name) and a.submitted_by != user.name]
        return sorted(waiting, key=lambda a: a.updated_at)

    def diff(
        self,
        answer_id: str,
        actor: User | None,
        *,
        from_version: int | None = None,
        to_version: int | None = None,
    ) -> tuple[AnswerDiff, Answer, Answer]:
        """(typed diff, old answer, new answer); by default from the approved (or previous)
        version to the latest."""
        require(actor, Action.VIEW_DRAFTS)
        saved = self.store.get_answer(answer_id)
        to_v = to_version or saved.current_version
        default_from = saved.approved_version if saved.approved_version not in (None, to_v) else to_v - 1
        from_v = from_version or max(default_from or 1, 1)
        old, new = self.store.version(saved.id, from_v).answer, self.store.version(saved.id, to_v).answer
        return diff_answers(old, new, from_version=from_v, to_version=to_v), old, new

    def history(self, answer_id: str, actor: User | None) -> list[AuditEvent]:
        require(actor, Action.VIEW_DRAFTS)
        return self.store.history(answer_id)

    def comments(self, answer_id: str, actor: User | None) -> list[Comment]:
        require(actor, Action.VIEW_DRAFTS)
        return self.store.comments(answer_id)

    # -- living answers (see medcite.review.living) ---------------------------------------
    def mark_stale_from_changes(self, changes: Iterable[Mapping[str, Any]]) -> list[SavedAnswer]:
        return living.mark_stale_from_changes(self.store, changes)

    def sync_with_catalog(self, catalog: Catalog) -> list[SavedAnswer]:
        return living.sync_with_catalog(self.store, catalog)

    def regenerate_stale(self, medcite: Medcite, actor: User | None = None) -> list[living.Regeneration]:
        return living.regenerate_stale(self.store, medcite, actor)

    def stale(self, actor: User | None) -> list[SavedAnswer]:
        require(actor, Action.VIEW_DRAFTS)
        return self.store.list_answers(stale=True, limit=10_000)
