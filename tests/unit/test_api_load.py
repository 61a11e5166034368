"""The load-test harness's contract, on a one-second run (the real run is in docs/benchmarks.md)."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from medcite.api import create_app
from medcite.engine import Medcite
from medcite.errors import InvalidInput
from medcite.evaluate.load import format_report, run_load_test
from medcite.records import Block, Document, SourceType
from medcite.settings import Settings


@pytest.mark.parametrize("url", ["http://example.org", "http://10.0.0.1:8000", "http://0.0.0.0:8000"])
def test_refuses_anything_but_loopback(url: str) -> None:
    with pytest.raises(InvalidInput):
        run_load_test(url, clients=1, seconds=1)


def test_refuses_unbounded_runs() -> None:
    with pytest.raises(InvalidInput):
        run_load_test("http://127.0.0.1:9", clients=10_000, seconds=1)


def test_a_short_run_reports_requests_errors_throughput_and_latency(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", database_url=None)
    settings.embedding.model = "hashing"
    settings.server.rate_limit_ask = ""  # one address sends everything: the per-client limit would refuse it
    mc = Medcite(settings)
    text = "For an acute gout flare, colchicine, an NSAID or glucocorticoids are recommended first-line."
    mc.store.ingest(
        [
            Document(
                id="t:gout",
                source="testdocs",
                title="Management of acute gout",
                year=2020,
                source_type=SourceType.GUIDELINE,
                blocks=[Block(text=text, heading_path=("Gout flare",))],
            )
        ]
    )
    mc.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        result = run_load_test(f"http://127.0.0.1:{port}", clients=3, seconds=1.5)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert result["requests"] > 0 and result["errors"] == 0, result["first_errors"]
    assert result["throughput_rps"] > 0 and result["latency_ms"]["p95"] >= result["latency_ms"]["p50"] > 0
    assert {"POST /api/ask", "GET /api/search", "GET /answers/{id}"} <= set(result["by_endpoint"])
    assert "req/s" in format_report(result)
