"""A running server sees what another process (the CLI) ingests, changes and removes, in both
lexical and dense search, within seconds, without a restart and without a half-built index."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from medcite.api import create_app
from medcite.engine import Medcite
from medcite.settings import Settings

pytestmark = pytest.mark.integration

WITHIN_S = 5.0  # the promise: "within seconds" (refresh_seconds is 1 s by default; here 0.2 s)


def note(title: str, text: str) -> str:
    return f"# {title}\n\n{text}\n"


def cli(home: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MEDCITE_HOME": str(home),
        "MEDCITE_EMBEDDING__MODEL": "hashing",
        "MEDCITE_DATABASE_URL": "",
        **extra_env,
    }
    script = Path(sys.executable).with_name("medcite")
    r = subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Settings, TestClient, Path]]:
    folder = tmp_path / "ward"
    folder.mkdir()
    (folder / "asthma.md").write_text(note("Asthma", "Offer a saba inhaler zephyrine for acute wheeze."))
    settings = Settings(home=tmp_path / "home", database_url=None)
    settings.embedding.model = "hashing"
    settings.index.refresh_seconds = 0.2
    cli(settings.home, "ingest", str(folder))
    with TestClient(create_app(settings)) as client:
        yield settings, client, folder


def doc_ids(client: TestClient, query: str, mode: str) -> list[str]:
    r = client.get("/api/search", params={"q": query, "mode": mode, "k": 20})
    assert r.status_code == 200, r.text
    return [h["source"]["id"] for h in r.json()["hits"]]


def eventually(check: Callable[[], bool]) -> float:
    """Seconds until `check()` holds; fails after WITHIN_S."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > WITHIN_S:
            pytest.fail(f"not seen within {WITHIN_S} s")
        time.sleep(0.05)
    return time.monotonic() - started


def top(client: TestClient, query: str, mode: str) -> str | None:
    ids = doc_ids(client, query, mode)
    return ids[0] if ids else None


def test_ingest_change_and_removal_by_the_cli_reach_both_searches_of_a_running_server(
    served: tuple[Settings, TestClient, Path],
) -> None:
    settings, client, folder = served
    gout = "file:ward/gout.md"
    assert gout not in doc_ids(client, "quorvalix gout", "dense")

    # 1. A new document, ingested by another process.
    (folder / "gout.md").write_text(note("Gout", "Offer quorvalix colchicine for an acute gout flare."))
    cli(settings.home, "ingest", str(folder))
    eventually(lambda: top(client, "quorvalix colchicine gout", "dense") == gout)
    eventually(lambda: top(client, "quorvalix", "lexical") == gout)

    # 2. The same document changed: the new wording is found, the old one is gone, in both modes.
    (folder / "gout.md").write_text(note("Gout", "Offer brimtaxol naproxen for an acute gout flare."))
    cli(settings.home, "ingest", str(folder))
    eventually(lambda: top(client, "brimtaxol", "lexical") == gout)
    eventually(lambda: gout not in doc_ids(client, "quorvalix", "lexical"))
    eventually(lambda: top(client, "brimtaxol naproxen gout", "dense") == gout)
    dense_texts = " ".join(
        h["text"] for h in client.get("/api/search", params={"q": "gout", "mode": "dense", "k": 20}).json()["hits"]
    )
    assert "quorvalix" not in dense_texts and "brimtaxol" in dense_texts

    # 3. Removed by another process: gone from both.
    cli(settings.home, "remove", gout)
    eventually(lambda: gout not in doc_ids(client, "brimtaxol naproxen gout", "dense"))
    eventually(lambda: gout not in doc_ids(client, "brimtaxol", "lexical"))
    assert doc_ids(client, "zephyrine", "lexical") == ["file:ward/asthma.md"]  # the rest is untouched


def test_answers_from_a_running_server_cite_a_newly_ingested_source(
    served: tuple[Settings, TestClient, Path],
) -> None:
    settings, client, folder = served
    (folder / "gout.md").write_text(
        note(
            "Acute gout",
            "For an acute gout flare, offer colchicine, an NSAID or a corticosteroid as first-line treatment.",
        )
    )
    cli(settings.home, "ingest", str(folder))

    def cites_gout() -> bool:
        question = f"What is first-line treatment for an acute gout flare? {time.time()}"  # never served from the store
        r = client.post("/api/ask", json={"question": question})
        return any(ref["doc_id"] == "file:ward/gout.md" for ref in r.json()["references"])

    eventually(cites_gout)


def test_a_reader_switches_only_between_complete_indexes(
    served: tuple[Settings, TestClient, Path], tmp_path: Path
) -> None:
    """While the CLI ingests 300 documents in several batches, every search of the server succeeds
    and every hit resolves to a document; at the end both searches hold all of them."""
    settings, client, _ = served
    bulk = tmp_path / "bulk"
    bulk.mkdir()
    for i in range(300):
        (bulk / f"n{i:03d}.md").write_text(note(f"Note {i}", f"Review plan number{i} wexolan{i} after {i} days."))
    failures: list[Any] = []
    searches = 0
    done = threading.Event()

    def hammer() -> None:
        nonlocal searches
        while not done.is_set():
            for mode in ("dense", "lexical"):
                r = client.get("/api/search", params={"q": "review plan days", "mode": mode, "k": 5})
                searches += 1
                if r.status_code != 200 or any(not h["source"]["id"] or not h["text"] for h in r.json()["hits"]):
                    failures.append((mode, r.status_code, r.text[:200]))

    reader = threading.Thread(target=hammer)
    reader.start()
    try:
        cli(settings.home, "ingest", str(bulk), MEDCITE_INDEX__BATCH_DOCUMENTS="50")
    finally:
        done.set()
        reader.join(timeout=60)
    assert failures == [] and searches > 10
    eventually(lambda: top(client, "wexolan299", "lexical") == "file:bulk/n299.md")
    last = "review plan number299 wexolan299 after 299 days"
    eventually(lambda: "file:bulk/n299.md" in doc_ids(client, last, "dense"))
    mc = Medcite(settings)
    assert len(mc.store.vectors) == mc.store.stats()["chunks"]  # the published vector file is complete
    mc.close()
