"""The whole HTTP API fuzzed from its own OpenAPI schema with schemathesis: no response is a 5xx.

In-process (ASGI, no socket), the real app (`create_app`) over a real index of the embedded
default corpus with the hashing embedder, as an admin (so the review routes are reached past
their permission checks, where unbounded numbers used to reach SQLite). Schemathesis generates
valid and invalid requests for every operation (path, query, headers, bodies); the examples are
derandomised, so CI sends the same requests every run. Select it with `pytest -m fuzz`.

`MEDCITE_FUZZ_EXAMPLES` sets examples per operation (default 60); `MEDCITE_FUZZ_REPORT=path`
writes the request and status tally as JSON (the figure in docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from medcite.api import create_app
from medcite.settings import Settings
from medcite.store import open_store
from medcite.store.base import Role

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("MEDCITE_FUZZ_EXAMPLES", "60"))
TALLY: Counter[str] = Counter()
SERVER_ERRORS: list[str] = []
_LOCK = threading.Lock()


def _fuzz_settings() -> Settings:
    # The schema is read from the app when this module is imported (schemathesis parametrises the
    # test by operation), so the app and its home exist from then on; nothing is opened until the
    # first request starts the app's lifespan.
    s = Settings(home=Path(tempfile.mkdtemp(prefix="medcite-fuzz-")), database_url=None)
    s.embedding.model = "hashing"
    return s


SETTINGS = _fuzz_settings()
APP = create_app(SETTINGS, max_concurrency=1)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def admin_token() -> Iterator[str]:
    """An admin's token, so the review routes are fuzzed past their permission checks."""
    store = open_store(SETTINGS)
    store.add_user("fuzz-admin", Role.ADMIN)
    token = store.issue_token("fuzz-admin")
    store.close()
    yield token
    report = os.environ.get("MEDCITE_FUZZ_REPORT")
    if report:
        summary = {
            "requests": sum(TALLY.values()),
            "server_errors": len(SERVER_ERRORS),
            "examples_per_operation": EXAMPLES,
            "operations": len(list(schema.get_all_operations())),
            "by_status": dict(sorted(TALLY.items())),
            "server_error_samples": SERVER_ERRORS[:20],
        }
        Path(report).write_text(json.dumps(summary, indent=2))
    shutil.rmtree(SETTINGS.home, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error(case: Any, admin_token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {admin_token}"})
    with _LOCK:
        TALLY[str(response.status_code)] += 1
    if response.status_code >= 500:
        SERVER_ERRORS.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}")
    assert response.status_code < 500, (response.status_code, response.text[:500])
    content_type = (response.headers.get("content-type") or [""])[0]
    if response.status_code >= 400 and content_type.startswith("application/json"):
        body = response.json()
        assert set(body) == {"error"} and {"code", "message", "hint"} <= set(body["error"]), body
