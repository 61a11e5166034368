"""Editorial review and living answers over the answer store.

    wf = Workflow(open_store(settings))
    saved = wf.save(answer, editor)
    wf.submit(saved.id, editor); wf.assign(saved.id, admin, "dr-lee"); wf.approve(saved.id, dr_lee)

Rules are data (`rules.TRANSITIONS`, `rules.PERMISSIONS`); diffs are typed (`diff.AnswerDiff`);
living answers follow the index catalogue's change log (`living`).
"""

from medcite.review.diff import AnswerDiff, diff_answers, render_text, unified
from medcite.review.living import Regeneration, mark_stale_from_changes, regenerate_stale, sync_with_catalog
from medcite.review.rules import PERMISSIONS, SYSTEM_ACTOR, TRANSITIONS, Action, allowed, require
from medcite.review.serve import answer_for
from medcite.review.workflow import Workflow

__all__ = [
    "PERMISSIONS",
    "SYSTEM_ACTOR",
    "TRANSITIONS",
    "Action",
    "AnswerDiff",
    "Regeneration",
    "Workflow",
    "allowed",
    "answer_for",
    "diff_answers",
    "mark_stale_from_changes",
    "regenerate_stale",
    "render_text",
    "require",
    "sync_with_catalog",
    "unified",
]
