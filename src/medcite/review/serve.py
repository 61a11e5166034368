"""Serving saved answers: an approved answer is answered from the store, not regenerated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from medcite.records import Answer, Audience, QueryFilters
from medcite.review.publish import published
from medcite.store.base import Store

if TYPE_CHECKING:
    from medcite.engine import Medcite


def answer_for(
    medcite: Medcite,
    store: Store | None,
    question: str,
    *,
    audience: Audience = Audience.CLINICIAN,
    filters: QueryFilters | None = None,
    context: Sequence[str] = (),
) -> Answer:
    """The saved answer for this normalised question and audience once it has been approved, as a
    reader may see it (`medcite.review.publish.published`: a machine-composed newer version is
    labelled "Updated since approved — under review"; an unapproved human edit is not shown, the
    approved version is); otherwise a freshly composed answer.

    Follow-up questions (with `context`) and filtered questions are always composed afresh:
    a saved answer was reviewed for the standalone question only.
    """
    if store is not None and not context and (filters is None or filters == QueryFilters()):
        saved = store.find_approved(question, audience)
        shown = published(store, saved) if saved is not None else None
        if shown is not None:
            return shown.answer
    return medcite.ask(question, audience=audience, filters=filters, context=context)
