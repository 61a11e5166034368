"""Serving saved answers: an approved answer is answered from the store, not regenerated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from medcite.records import Answer, Audience, QueryFilters
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
    """The saved answer for this normalised question and audience once it has been approved
    (its latest version, labelled "Updated since approved — under review" when newer than the
    approved one); otherwise a freshly composed answer.

    Follow-up questions (with `context`) and filtered questions are always composed afresh:
    a saved answer was reviewed for the standalone question only.
    """
    if store is not None and not context and (filters is None or filters == QueryFilters()):
        saved = store.find_approved(question, audience)
        if saved is not None:
            return saved.answer
    return medcite.ask(question, audience=audience, filters=filters, context=context)
