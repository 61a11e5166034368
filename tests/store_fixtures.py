"""Fixtures for the answer store and the review workflow, on SQLite and on PostgreSQL.

Test modules use them with ``pytest_plugins = ["store_fixtures"]``. The `store` fixture is
parametrised over both back-ends: SQLite in a temporary file, and PostgreSQL when
MEDCITE_TEST_POSTGRES_URL names a server (`.ci/postgres.sh` starts one and prints the URL);
each PostgreSQL test gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from medcite.records import (
    Answer,
    AnswerSection,
    BottomLine,
    Claim,
    Passage,
    Reference,
    SourceType,
)
from medcite.store import Role, SQLStore, User

POSTGRES_URL = os.environ.get("MEDCITE_TEST_POSTGRES_URL", "")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL,
                reason="MEDCITE_TEST_POSTGRES_URL is not set (run `.ci/postgres.sh` and export the URL it prints)",
            ),
        ],
    ),
]


def with_schema(url: str, schema: str) -> str:
    """The URL with every connection's search_path set to `schema`."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh schema on the test server; yields a URL whose connections use it."""
    import psycopg

    schema = "t_" + secrets.token_hex(6)
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for a fresh store: sqlite:///<tmp file> or postgresql://...(own schema)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'answers.db'}"
    return str(request.getfixturevalue("postgres_schema"))


def open_store_url(url: str) -> SQLStore:
    from medcite.store.postgres import PostgresStore
    from medcite.store.sqlite import SQLiteStore

    if url.startswith("sqlite:///"):
        return SQLiteStore(Path(url.removeprefix("sqlite:///")))
    return PostgresStore(url)


@pytest.fixture
def store(store_url: str) -> Iterator[SQLStore]:
    s = open_store_url(store_url)
    yield s
    s.close()


@pytest.fixture
def users(store: SQLStore) -> dict[str, User]:
    """One user per role plus a second reviewer: reader, editor, reviewer, reviewer2, admin."""
    return {
        "reader": store.add_user("rita", Role.READER),
        "editor": store.add_user("ed", Role.EDITOR),
        "reviewer": store.add_user("dr-rev", Role.REVIEWER),
        "reviewer2": store.add_user("dr-two", Role.REVIEWER),
        "admin": store.add_user("ada", Role.ADMIN),
    }


def ref(n: int, doc_id: str, title: str | None = None, passage: str = "Passage text.") -> Reference:
    return Reference(
        n=n,
        type="Guideline",
        source_type=SourceType.GUIDELINE,
        title=title or f"Doc {doc_id}",
        doc_id=doc_id,
        year=2020,
        passages=[Passage(chunk_id=f"{doc_id}#0", text=passage)],
    )


def make_answer(
    question: str = "What is first-line treatment for an acute gout flare?",
    docs: tuple[str, ...] = ("og:gout",),
    items: dict[str, list[tuple[str, list[int]]]] | None = None,
    bottom: str = "Start an NSAID, colchicine or a glucocorticoid early.",
) -> Answer:
    """A hand-built answer citing `docs` (reference n = position + 1); items: section -> [(text, refs)]."""
    items = (
        items
        if items is not None
        else {
            "Treatment": [
                ("Colchicine 1.2 mg then 0.6 mg an hour later.", [1]),
                ("NSAIDs at full dose are as effective.", [len(docs)]),
            ],
            "Pitfalls": [("Avoid starting allopurinol during the flare without cover.", [1])],
        }
    )
    return Answer(
        question=question,
        bottom_line=BottomLine(text=bottom, citations=[1]),
        sections=[
            AnswerSection(title=t, items=[Claim(text=x, citations=c) for x, c in its]) for t, its in items.items()
        ],
        references=[ref(i + 1, d) for i, d in enumerate(docs)],
    )


@pytest.fixture(name="make_answer")
def make_answer_fixture() -> Callable[..., Answer]:
    """The `make_answer` builder (fixtures, so test modules need not import this plugin)."""
    return make_answer


@pytest.fixture(name="open_url")
def open_url_fixture() -> Callable[[str], SQLStore]:
    return open_store_url


@pytest.fixture(name="ref")
def ref_fixture() -> Callable[..., Reference]:
    return ref
