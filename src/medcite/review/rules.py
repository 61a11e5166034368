"""The editorial workflow as data: states, transitions and role permissions.

Nothing here executes anything; `Workflow` reads these tables, the docs print them and the
tests check the code against an independent copy of the same matrix.

    draft ──submit──▶ submitted ──assign/start_review──▶ under_review ──approve──▶ approved
      ▲                   ▲                                   │  │                   │
      │                   └────────submit──── changes_requested ◀┘ (request_changes) │
      └──────────────────────────reopen──────────── rejected ◀── (reject)   ◀─reopen─┘
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from medcite.errors import AuthenticationRequired, PermissionDenied
from medcite.records import AnswerStatus as S
from medcite.store.base import SYSTEM_ACTOR as SYSTEM_ACTOR
from medcite.store.base import Role, User


class Action(StrEnum):
    VIEW = "view"  # read approved answers
    VIEW_DRAFTS = "view_drafts"  # queue, unapproved answers, versions, diffs, history
    SAVE = "save"  # ask and save a new draft
    EDIT = "edit"  # choose/remove evidence-backed items, add editor's notes
    SUBMIT = "submit"
    ASSIGN = "assign"  # give a submitted answer to a reviewer
    START_REVIEW = "start_review"  # a reviewer takes an unassigned submitted answer
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    REOPEN = "reopen"  # approved/rejected back to draft for revision
    COMMENT = "comment"
    REGENERATE = "regenerate"  # re-ask the question (manually, or for stale answers)
    MANAGE_USERS = "manage_users"

    @property
    def verb(self) -> str:
        return self.value.replace("_", " ")

    @property
    def phrase(self) -> str:
        """What a refusal says the actor may not do."""
        special = {"view_drafts": "view unapproved answers", "manage_users": "manage users"}
        return special.get(self.value, f"{self.verb} answers")


@dataclass(frozen=True)
class Rule:
    """Where an action may start from and where it leads (None: the status does not change)."""

    sources: frozenset[S]
    target: S | None


_ANY = frozenset(S)

TRANSITIONS: dict[Action, Rule] = {
    Action.SUBMIT: Rule(frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED),
    Action.ASSIGN: Rule(frozenset({S.SUBMITTED, S.UNDER_REVIEW}), S.UNDER_REVIEW),
    Action.START_REVIEW: Rule(frozenset({S.SUBMITTED}), S.UNDER_REVIEW),
    Action.APPROVE: Rule(frozenset({S.UNDER_REVIEW}), S.APPROVED),
    Action.REQUEST_CHANGES: Rule(frozenset({S.UNDER_REVIEW}), S.CHANGES_REQUESTED),
    Action.REJECT: Rule(frozenset({S.UNDER_REVIEW}), S.REJECTED),
    Action.REOPEN: Rule(frozenset({S.APPROVED, S.REJECTED}), S.DRAFT),
    Action.EDIT: Rule(frozenset({S.DRAFT, S.CHANGES_REQUESTED}), None),
    Action.REGENERATE: Rule(frozenset({S.DRAFT, S.CHANGES_REQUESTED}), None),
    Action.COMMENT: Rule(_ANY, None),
}

_READ = {Action.VIEW}
_STAFF = _READ | {Action.VIEW_DRAFTS, Action.SAVE, Action.SUBMIT, Action.COMMENT}

#: Who may do what. Only reviewers (the advisory board) judge answers; admins run the desk
#: (users, assignment, reopening) but do not approve; editors shape answers but never judge them.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.READER: frozenset(_READ),
    Role.EDITOR: frozenset(_STAFF | {Action.EDIT, Action.REOPEN, Action.REGENERATE}),
    Role.REVIEWER: frozenset(
        _STAFF | {Action.ASSIGN, Action.START_REVIEW, Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT}
    ),
    Role.ADMIN: frozenset(_STAFF | {Action.EDIT, Action.ASSIGN, Action.REOPEN, Action.REGENERATE, Action.MANAGE_USERS}),
}

#: Actions that must carry a comment (a reviewer explains a negative decision).
NEEDS_COMMENT = frozenset({Action.REQUEST_CHANGES, Action.REJECT, Action.COMMENT})


def allowed(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[Role(role)]


def roles_for(action: Action) -> list[Role]:
    return [r for r in Role if action in PERMISSIONS[r]]


def require(actor: User | None, action: Action) -> User:
    """The actor, if they may perform `action`; else AuthenticationRequired / PermissionDenied."""
    if actor is None:
        raise AuthenticationRequired(
            f"sign in to {action.verb}",
            hint="pass --token (or set MEDCITE_TOKEN); get one with `medcite users token`",
        )
    if not allowed(actor.role, action):
        who = ", ".join(r.value for r in roles_for(action)) or "nobody"
        raise PermissionDenied(
            f"{actor.name} ({actor.role.value}) may not {action.phrase}", hint=f"allowed roles: {who}"
        )
    return actor


def permission_table() -> str:
    """The permission matrix as a Markdown table (docs/review.md embeds it)."""
    roles = list(Role)
    lines = ["| action | " + " | ".join(r.value for r in roles) + " |", "|---|" + "---|" * len(roles)]
    for action in Action:
        marks = " | ".join("✓" if action in PERMISSIONS[r] else "–" for r in roles)
        lines.append(f"| {action.value} | {marks} |")
    return "\n".join(lines)


def transition_table() -> str:
    lines = ["| action | from | to |", "|---|---|---|"]
    for action, rule in TRANSITIONS.items():
        sources = "any" if rule.sources == _ANY else ", ".join(sorted(s.value for s in rule.sources))
        lines.append(f"| {action.value} | {sources} | {rule.target.value if rule.target else '(unchanged)'} |")
    return "\n".join(lines)
