"""What a reader may see of a saved answer: the one function every route asks.

`published(store, saved, viewer)` decides it for the API (`GET /api/answers/{id}`, `POST /api/ask`,
the stream, threads), the answer page and the MCP `ask` tool, through `AnswerService`:

- Signed-in roles that may view drafts (editors, reviewers, admins) see the latest version.
- Everyone else (anonymous callers, readers):
  - never sees a *rejected* answer (`None`: the service composes a fresh answer instead);
  - sees the latest version when a machine composed it (generated or regenerated), labelled
    with its review state ("Draft — pending human review", "Updated since approved — under
    review", ...), as before;
  - sees a version a human edited only once it is approved. Until then they get the last approved
    version, or else the latest machine-composed one, labelled "Pending human review": an
    editor's notes and choices are not public before a reviewer has approved them.

Reviewers' comments, versions, diffs and history are never part of what this returns; their
routes require the `view_drafts` permission (`medcite.review.rules`).

`may_use_thread` is the matching rule for follow-up threads under `server.require_auth_for_ask`:
a thread belongs to its creator; roles that may view drafts may read it (they can already list
every saved question), nobody else may read it or add to it.
"""

from __future__ import annotations

from medcite.records import AnswerStatus
from medcite.review.rules import Action, allowed
from medcite.store.base import AnswerVersion, SavedAnswer, Store, Thread, User
from medcite.store.sqlbase import fill_status

#: Reason of a version an editor made (`medcite.review.edit.describe_edit`).
HUMAN_EDIT = "edited"
PENDING = "Pending human review"


def may_view_drafts(viewer: User | None) -> bool:
    return viewer is not None and allowed(viewer.role, Action.VIEW_DRAFTS)


def human_edited(version: AnswerVersion) -> bool:
    return version.reason.startswith(HUMAN_EDIT)


def published(store: Store, saved: SavedAnswer, viewer: User | None = None) -> SavedAnswer | None:
    """The saved answer as `viewer` may see it (see the module docstring), or None when nothing
    of it is public. The returned copy's `served_version` names the version its `answer` holds."""
    if may_view_drafts(viewer):
        return saved.model_copy(update={"served_version": saved.current_version})
    if saved.status == AnswerStatus.REJECTED:
        return None
    current = store.version(saved.id, saved.current_version)
    if not human_edited(current) or saved.approved_version == saved.current_version:
        return saved.model_copy(update={"served_version": saved.current_version})
    if saved.approved_version is not None:
        approved = store.version(saved.id, saved.approved_version)
        return _serve(saved, approved, AnswerStatus.APPROVED, None)
    for n in range(saved.current_version - 1, 0, -1):
        older = store.version(saved.id, n)
        if not human_edited(older):
            return _serve(saved, older, saved.status, PENDING)
    return None


def _serve(saved: SavedAnswer, version: AnswerVersion, status: AnswerStatus, label: str | None) -> SavedAnswer:
    """`saved` showing `version`, with the state a reader is told."""
    shown = saved.model_copy(
        update={"answer": version.answer.model_copy(deep=True), "status": status, "served_version": version.version}
    )
    fill_status(shown, version.created_at)
    if label is not None:
        shown.answer.status_label = label
    shown.answer.provenance["saved"]["version"] = version.version
    return shown


def may_use_thread(thread: Thread, user: User | None, *, write: bool = False) -> bool:
    """Whether `user` may read `thread` (or, with `write`, ask in it) when threads are private."""
    if user is None:
        return False
    if thread.created_by is not None and user.name == thread.created_by:
        return True
    return not write and may_view_drafts(user)
