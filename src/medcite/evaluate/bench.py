"""Benchmarks behind `medcite bench index|ask|load` (never part of the unit suite).

`index`: ingest the full shared corpus into a fresh home in a child process (wall time and the
child's peak RSS from the kernel's accounting; seconds and chunks/s of each ingest stage from the
child's report), index size on disk, then warm search p50/p95 over
`queries` questions. Larger scales duplicate the catalogue's documents and chunks under new ids
(duplicated text is fine: embeddings are cached by content hash, so only the lexical and vector
indexes are rebuilt) and time the rebuild and the same searches.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from medcite.engine import Medcite
from medcite.errors import InvalidInput
from medcite.evaluate.datasets import handwritten, medquad_items, pubmedqa_items
from medcite.index import IndexStore
from medcite.index.catalog import Catalog
from medcite.settings import Settings


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _child(args: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """Run a child process; (wall seconds, peak RSS bytes, exit code, stdout) from wait4's rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    stdout = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss * 1024, proc.returncode, stdout


def query_set(settings: Settings, n: int) -> list[str]:
    qs = [
        i.question
        for name in ("ngc_clinician.jsonl", "uspstf_clinician.jsonl", "patient.jsonl")
        for i in handwritten(name)
    ]
    qs += [i.question for i in medquad_items(settings.shared_data, n)]
    qs += [i.question for i in pubmedqa_items(settings.shared_data, n)]
    return (qs * (n // max(1, len(qs)) + 1))[:n]


def time_searches(settings: Settings, questions: list[str]) -> dict[str, float]:
    mc = Medcite(settings)
    for q in questions[:20]:  # warm caches, load models
        mc.search(q)
    lat = []
    for q in questions:
        t = time.perf_counter()
        mc.search(q)
        lat.append((time.perf_counter() - t) * 1000)
    mc.close()
    lat.sort()
    return {
        "queries": len(lat),
        "p50_ms": statistics.median(lat),
        "p95_ms": lat[int(0.95 * (len(lat) - 1))],
        "max_ms": lat[-1],
    }


def _home(settings: Settings, name: str, *, keep_catalog: bool = False) -> Settings:
    """A fresh bench home under `settings.home` (a scaled home may keep its catalogue)."""
    home = settings.home / name
    if home.exists():
        for path in home.iterdir():
            if keep_catalog and path.name == "index":
                for part in path.iterdir():
                    if not part.name.startswith("catalog.sqlite"):
                        _remove(part)
            else:
                _remove(path)
    home.mkdir(parents=True, exist_ok=True)
    models = settings.models_dir
    models.mkdir(parents=True, exist_ok=True)
    (home / "models").symlink_to(models.resolve(), target_is_directory=True)
    return settings.model_copy(update={"home": home})


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def ingest_full(settings: Settings) -> dict[str, Any]:
    env = {
        **os.environ,
        "MEDCITE_HOME": str(settings.home),
        "MEDCITE_SHARED_DATA": str(settings.shared_data),
        "MEDCITE_EMBEDDING__MODEL": settings.embedding.model,
        "MEDCITE_EMBEDDING__PRECISION": settings.embedding.precision,
    }
    wall, rss, code, stdout = _child([sys.executable, "-m", "medcite", "ingest", "shared", "--json"], env)
    try:
        report = json.loads(stdout)
    except ValueError:
        report = {}
    mc = Medcite(settings)
    stats = mc.sources()
    mc.close()
    return {
        "seconds": wall,
        "peak_rss_mb": rss / 2**20,
        "exit_code": code,
        "documents": stats["documents"],
        "chunks": stats["chunks"],
        "chunks_per_s": stats["chunks"] / wall if wall else 0.0,
        "index_mb": _du(settings.index_dir) / 2**20,
        "embedded": report.get("embedded", 0),
        "stages": report.get("stages", {}),
    }


def stage_table(row: dict[str, Any]) -> str:
    """Seconds and chunks/s of each ingest stage (read and chunk run beside embed and write)."""
    stages: dict[str, float] = row.get("stages") or {}
    if not stages:
        return ""
    chunks, embedded = row["chunks"], row.get("embedded") or row["chunks"]
    per = {"read": chunks, "chunk": chunks, "embed": embedded, "write": chunks, "vectors": chunks}
    lines = ["| stage | seconds | chunks/s |", "|---|---:|---:|"]
    for name, seconds in stages.items():
        rate = f"{per[name] / seconds:,.0f}" if name in per and seconds else ""
        lines.append(f"| {name} | {seconds:.1f} | {rate} |")
    lines.append(f"| whole ingest (wall) | {row['seconds']:.1f} | {row['chunks_per_s']:,.0f} |")
    return "\n".join(lines)


def scale_catalog(source: Settings, target: Settings, factor: int) -> dict[str, Any]:
    """Copy the catalogue `factor` times under new ids, then rebuild the derived indexes (timed).

    A scaled catalogue a previous run left complete is reused (copying 10 M chunks takes ~15 min;
    it is not what is measured): only the derived indexes are rebuilt.
    """
    target.index_dir.mkdir(parents=True, exist_ok=True)
    dest = target.index_dir / "catalog.sqlite"
    if not _scaled_already(source, dest, factor):
        _copy_scaled(source, dest, factor)
    # Open the store itself (not through Medcite, whose open-time repair would build the vectors
    # once before the timed rebuild builds them again).
    store = IndexStore(target)
    t = time.perf_counter()
    store.rebuild()
    seconds = time.perf_counter() - t
    store.close()
    mc = Medcite(target)
    stats = mc.sources()
    mc.close()
    return {
        "rebuild_seconds": seconds,
        "documents": stats["documents"],
        "chunks": stats["chunks"],
        "index_mb": _du(target.index_dir) / 2**20,
    }


def _scaled_already(source: Settings, dest: Path, factor: int) -> bool:
    if not dest.exists():
        return False
    want = Catalog(source.index_dir / "catalog.sqlite")
    have = Catalog(dest)
    try:
        count = "SELECT COUNT(*) FROM chunks"
        return int(have.query(count)[0][0]) == factor * int(want.query(count)[0][0])
    finally:
        want.close()
        have.close()


def _copy_scaled(source: Settings, dest: Path, factor: int) -> None:
    Catalog(source.index_dir / "catalog.sqlite").close()  # brings an older catalogue's schema up to date
    src = sqlite3.connect(source.index_dir / "catalog.sqlite")
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    src.close()
    shutil.copy(source.index_dir / "catalog.sqlite", dest)
    db = sqlite3.connect(dest)
    cols_d = "source, hash, state, source_type, year, title, ref, record, updated_at"
    for i in range(1, factor):
        db.execute(
            f"INSERT INTO documents(id, {cols_d}) SELECT id || '~{i}', {cols_d} FROM documents WHERE id NOT LIKE '%~%'"
        )
        db.execute(
            "INSERT INTO chunks(id, doc_id, ordinal, text, heading, kind, evidence, hash) "
            f"SELECT id || '~{i}', doc_id || '~{i}', ordinal, text, heading, kind, evidence, hash "
            "FROM chunks WHERE doc_id NOT LIKE '%~%'"
        )
        db.execute(
            f"INSERT INTO abbreviations(doc_id, short, long) SELECT doc_id || '~{i}', short, long "
            "FROM abbreviations WHERE doc_id NOT LIKE '%~%'"
        )
        db.commit()
    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    db.commit()
    db.close()


def index_bench(settings: Settings, scales: list[int], *, queries: int, console: Console) -> tuple[str, dict]:
    questions = query_set(settings, queries)
    rows: dict[str, Any] = {}
    if 1 in scales:
        base = _home(settings, "bench-x1")
        console.print(f"[cyan]ingesting the full shared corpus into {base.home} …[/]")
        rows["x1"] = ingest_full(base)
        rows["x1"].update(time_searches(base, questions))
    else:
        # Larger scales only: copy the x1 index a previous run left (ingesting it again takes ~14 min).
        base = settings.model_copy(update={"home": settings.home / "bench-x1"})
        if not (base.index_dir / "catalog.sqlite").exists():
            raise InvalidInput(
                f"no x1 index in {base.home}", hint="run `medcite bench index --scales 1` first, or include 1"
            )
    for factor in [s for s in scales if s > 1]:
        console.print(f"[cyan]building the x{factor} index …[/]")
        scaled = _home(settings, f"bench-x{factor}", keep_catalog=True)
        rows[f"x{factor}"] = scale_catalog(base, scaled, factor)
        rows[f"x{factor}"].update(time_searches(scaled, questions))
    lines = [
        "| scale | documents | chunks | build s | chunks/s | index MB | peak RSS MB | search p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        build = r.get("seconds", r.get("rebuild_seconds", 0.0))
        lines.append(
            f"| {name} | {r['documents']} | {r['chunks']} | {build:.0f} | "
            f"{r.get('chunks_per_s', r['chunks'] / build if build else 0):.0f} | {r['index_mb']:.0f} | "
            f"{r.get('peak_rss_mb', float('nan')):.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    table = "\n".join(lines)
    if "x1" in rows and rows["x1"].get("stages"):
        table += "\n\nIngest by stage (x1; `embed` counts the chunks newly embedded):\n\n" + stage_table(rows["x1"])
    return table, rows


def ask_bench(settings: Settings, n: int) -> tuple[str, dict]:
    questions = [
        i.question
        for name in ("ngc_clinician.jsonl", "uspstf_clinician.jsonl", "open_medicine.jsonl")
        for i in handwritten(name)
    ][:n]
    mc = Medcite(settings)
    for q in questions[:5]:
        mc.ask(q)
    lat = []
    for q in questions:
        t = time.perf_counter()
        mc.ask(q)
        lat.append((time.perf_counter() - t) * 1000)
    mc.close()
    lat.sort()
    row = {
        "composer": settings.answer.composer,
        "questions": len(lat),
        "p50_ms": statistics.median(lat),
        "p95_ms": lat[int(0.95 * (len(lat) - 1))],
        "max_ms": lat[-1],
    }
    table = (
        "| composer | questions | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|\n"
        f"| {row['composer']} | {row['questions']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
        f"{row['max_ms']:.0f} |"
    )
    return table, row


def serve_and_load(settings: Settings, *, clients: int, seconds: int) -> dict[str, Any]:
    """Start `medcite serve` on a free loopback port, run the load test against it, stop it."""
    import socket

    from medcite.evaluate.load import run_load_test

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "MEDCITE_HOME": str(settings.home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "medcite", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", timeout=300)
        return run_load_test(f"http://127.0.0.1:{port}", clients=clients, seconds=seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_healthy(url: str, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"server at {url} did not become healthy")


def embed_bench(settings: Settings, n: int) -> tuple[str, dict[str, Any]]:
    """Passages per second for the configured embedder, on `n` real chunks of the current index."""
    import json as _json
    import random

    from medcite.index.store import embed_text
    from medcite.models import create
    from medcite.records import Chunk

    mc = Medcite(settings)
    rows = mc.store.catalog.query("SELECT c.text, c.heading, d.title FROM chunks c JOIN documents d ON d.id = c.doc_id")
    mc.close()
    random.Random(1).shuffle(rows)
    texts = [
        embed_text(title, Chunk(id="x#0", doc_id="x", ordinal=0, text=text, heading_path=tuple(_json.loads(h))))
        for text, h, title in rows[:n]
    ]
    embedder = create("embedder", settings.embedding.model, settings)
    embedder.embed_passages(texts[:32])  # warm-up
    t = time.perf_counter()
    embedder.embed_passages(texts)
    seconds = time.perf_counter() - t
    row = {
        "embedder": embedder.name,
        "passages": len(texts),
        "seconds": seconds,
        "passages_per_s": len(texts) / seconds if seconds else 0.0,
        "mean_words": statistics.mean(len(x.split()) for x in texts) if texts else 0.0,
    }
    table = (
        "| embedder | passages | mean words | seconds | passages/s |\n|---|---:|---:|---:|---:|\n"
        f"| {row['embedder']} | {row['passages']} | {row['mean_words']:.0f} | {seconds:.1f} | "
        f"{row['passages_per_s']:.1f} |"
    )
    return table, row
