"""How soon a running reader (a server's engine) sees what another process ingests or removes.

A `Medcite` stays open in this process, as `medcite serve` keeps one; each trial writes a new
document, ingests it with the `medcite` CLI in a child process, then searches until the document
is the top hit, lexical and dense; then removes it with the CLI and searches until it is gone.
Delays are measured from the CLI's exit (its own run time is reported apart).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medcite.engine import Medcite
from medcite.settings import Settings

TIMEOUT_S = 60.0


def _cli(settings: Settings, *args: str) -> float:
    env = {**os.environ, "MEDCITE_HOME": str(settings.home), "MEDCITE_EMBEDDING__MODEL": settings.embedding.model}
    started = time.perf_counter()
    script = Path(sys.executable).with_name("medcite")
    subprocess.run([str(script), *args], env=env, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - started


def _until(check: Callable[[], bool]) -> float:
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > TIMEOUT_S:
            raise TimeoutError(f"not seen within {TIMEOUT_S} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def measure(settings: Settings, trials: int = 5) -> dict[str, Any]:
    """Seconds from the CLI's exit until both searches of an open reader reflect the change."""
    reader = Medcite(settings)
    reader.ensure_index()
    reader.search("warm up", k=1)
    delays: dict[str, list[float]] = {"cli_ingest_s": [], "cli_remove_s": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "freshness-bench"
        folder.mkdir()
        for trial in range(trials):
            word = f"zorblat{trial}x"
            doc_id = f"file:freshness-bench/note{trial}.md"
            (folder / f"note{trial}.md").write_text(f"# Note {trial}\n\nOffer {word} to every patient on the ward.\n")

            def is_top(mode: str, present: bool, word: str = word, doc_id: str = doc_id) -> Callable[[], bool]:
                def check() -> bool:
                    hits = reader.search(f"{word} ward patient", mode=mode, k=3).hits
                    return (bool(hits) and hits[0].doc.id == doc_id) == present

                return check

            delays["cli_ingest_s"].append(_cli(settings, "ingest", str(folder)))
            for mode in ("lexical", "dense"):
                delays.setdefault(f"added_{mode}_s", []).append(_until(is_top(mode, True)))
            delays["cli_remove_s"].append(_cli(settings, "remove", doc_id))
            for mode in ("lexical", "dense"):
                delays.setdefault(f"removed_{mode}_s", []).append(_until(is_top(mode, False)))
            (folder / f"note{trial}.md").unlink()
    reader.close()
    return {
        "trials": trials,
        "refresh_seconds": settings.index.refresh_seconds,
        "embedder": settings.embedding.model,
        "median_s": {k: round(statistics.median(v), 3) for k, v in delays.items()},
        "max_s": {k: round(max(v), 3) for k, v in delays.items()},
    }
