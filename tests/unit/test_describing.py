"""A patient's story finds the page that describes the condition (retrieve.describing_weight)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from medcite.engine import Medcite
from medcite.records import Audience
from medcite.settings import Settings

STORY = (
    "my brother keeps itching and i found tiny insects and white eggs in the seams of his jeans. "
    "how do we get rid of them at home?"
)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "lice.md").write_text(
        "---\ntitle: Body lice\ntype: consumer\n---\n\n# Overview\n\nBody lice are tiny insects that lay white "
        "eggs in the seams of clothing. Itching is the usual sign.\n\n# Treatment\n\nWash clothes and bedding "
        "in hot water and dry them on a hot cycle.\n"
    )
    # Says the story's words about getting rid of "them", and describes no condition.
    (folder / "pests.md").write_text(
        "---\ntitle: Pests in the home\ntype: consumer\n---\n\n# Getting rid of them\n\nFound insects at home "
        "and keep itching? To get rid of them at home, vacuum the house and wash your jeans; how we get rid "
        "of them depends on the pest.\n"
    )
    return folder


def _first_title(make_settings: Callable[..., Settings], folder: Path, weight: float, audience=Audience.PATIENT) -> str:
    m = Medcite(make_settings(retrieve__describing_weight=weight))
    try:
        m.ingest([str(folder)])
        # As an answer searches: with the question's reading (a story, then what is asked).
        understood = m.corpus.understand(STORY)
        return m.retriever.search(STORY, audience=audience, understood=understood).hits[0].doc.title
    finally:
        m.close()


def test_the_page_that_describes_what_the_story_tells_comes_first(make_settings, pages: Path) -> None:
    # Only for a patient's story: a clinician's answers are in guidelines, a plain question names its topic.
    assert _first_title(make_settings, pages, 0.0) == "Pests in the home"
    assert _first_title(make_settings, pages, Settings().retrieve.describing_weight) == "Body lice"


def test_describing_passages_are_found_by_their_last_heading_in_any_case(make_settings, pages: Path) -> None:
    m = Medcite(make_settings())
    try:
        m.ingest([str(pages)])
        rids = m.store.describing_rids(frozenset({"overview"}))
        chunks = m.store.fetch(sorted(rids))
        assert [c.heading_path[-1] for c, _ in chunks.values()] == ["Overview"]
        assert m.store.describing_rids(frozenset({"Symptoms"})) == frozenset()
    finally:
        m.close()


def test_a_clinicians_question_is_ranked_as_before(make_settings, pages: Path) -> None:
    # Beside patients' pages the ranking lost clinicians' answers, whose sources are guidelines.
    weight = Settings().retrieve.describing_weight
    assert _first_title(make_settings, pages, weight, Audience.CLINICIAN) == "Pests in the home"
