"""Two `medcite serve` processes on 127.0.0.1 sharing one catalogue (a real PostgreSQL server, or the
SQLite file of one home) and one snapshot folder: they answer identically, and both move to the new
snapshot after a CLI ingest in a third process, without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

WITHIN_S = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(home: Path, snaps: Path, catalog: dict[str, str]) -> dict[str, str]:
    env = {
        **os.environ,
        "MEDCITE_HOME": str(home),
        "MEDCITE_EMBEDDING__MODEL": "hashing",
        "MEDCITE_DATABASE_URL": "",
        "MEDCITE_INDEX__SNAPSHOT_DIR": str(snaps),
        "MEDCITE_INDEX__SHARDS": "2",
        "MEDCITE_INDEX__REFRESH_SECONDS": "0.2",
    }
    if catalog:
        env["MEDCITE_INDEX__CATALOG_URL"] = catalog["catalog_url"]
        env["MEDCITE_INDEX__CATALOG_SCHEMA"] = catalog["catalog_schema"]
    return env


MEDCITE = str(Path(sys.executable).with_name("medcite"))


def note(title: str, text: str) -> str:
    return f"# {title}\n\n## Recommendations\n\n{text}\n"


@pytest.fixture
def replicas(tmp_path: Path, catalog: dict[str, str]) -> Iterator[tuple[list[str], dict[str, str], Path]]:
    folder = tmp_path / "guidelines"
    folder.mkdir()
    for name, text in {
        "gout": "Colchicine or an NSAID early for an acute gout flare.",
        "asthma": "Offer a SABA inhaler for acute wheeze; add an inhaled corticosteroid if persistent.",
        "sciatica": "Consider epidural steroid injection for acute severe sciatica.",
        "otitis": "Amoxicillin for acute otitis media in children with fever.",
    }.items():
        (folder / f"{name}.md").write_text(note(name.title(), text))
    snaps = tmp_path / "snaps"
    # With SQLite the replicas share one home's catalogue file; with PostgreSQL each has a home of its own.
    homes = [tmp_path / "home"] * 3 if not catalog else [tmp_path / f"home{i}" for i in range(3)]
    writer_env = env_for(homes[2], snaps, catalog)
    subprocess.run([MEDCITE, "ingest", str(folder)], env=writer_env, check=True, capture_output=True, timeout=300)
    procs, urls = [], []
    try:
        for home in homes[:2]:
            port = free_port()
            procs.append(
                subprocess.Popen(
                    [MEDCITE, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                    env=env_for(home, snaps, catalog),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            wait_up(url)
        yield urls, writer_env, folder
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not start")


def hits(url: str, q: str) -> list[str]:
    r = httpx.get(f"{url}/api/search", params={"q": q, "k": 10}, timeout=30)
    assert r.status_code == 200, r.text
    return [h["chunk_id"] for h in r.json()["hits"]]


def test_two_serve_processes_answer_identically_and_follow_an_ingest(replicas):
    urls, writer_env, folder = replicas
    for q in ("colchicine for gout", "inhaler for wheeze", "otitis media amoxicillin"):
        assert hits(urls[0], q) == hits(urls[1], q) != []
    answers = [
        httpx.post(f"{u}/api/ask", json={"question": "What helps an acute gout flare?"}, timeout=60) for u in urls
    ]
    assert all(a.status_code == 200 for a in answers)
    assert answers[0].json()["bottom_line"] == answers[1].json()["bottom_line"]

    (folder / "trauma.md").write_text(note("Trauma", "Tranexamic acid within 3 hours for major trauma haemorrhage."))
    subprocess.run([MEDCITE, "ingest", str(folder)], env=writer_env, check=True, capture_output=True, timeout=300)
    started = time.monotonic()
    for url in urls:  # no restart: each replica's next searches read the new snapshot
        while not (found := hits(url, "tranexamic acid trauma")) or "trauma" not in found[0]:
            assert time.monotonic() - started < WITHIN_S, found
            time.sleep(0.1)
    assert hits(urls[0], "trauma haemorrhage") == hits(urls[1], "trauma haemorrhage")
