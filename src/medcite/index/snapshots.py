"""Immutable, versioned snapshots of the derived indexes (one series per shard), built from the catalogue.

Layout of a snapshot folder (`index.snapshot_dir`, shared by every replica):

    version.json                         which snapshot of each shard is current (replaced atomically)
    shard-0-of-2/1733150000123-g42/      one snapshot: lexical/ (tantivy), vectors.faiss + .json,
    shard-0-of-2/1733150099456-g43/      manifest.json; never changed once its folder is renamed in
    shard-1-of-2/...

A snapshot is built in a `.building-*` folder next to the others and renamed into place when
complete, then `version.json` is replaced (write to temp + `os.replace`) to name it: the same
freshness file as the live index (`IndexStore.refresh`), so a reader switches from one complete
snapshot to the next and never sees a half-built one.

Builds are incremental: the new snapshot starts as hard links to the files of the shard's current
one (tantivy never rewrites a file in place: segments are write-once and its meta files are
replaced by rename, so the old snapshot stays intact) and re-indexes only the documents the
catalogue's change log lists since that snapshot. The vector file is rebuilt from the cached
embeddings (a flat index of a shard's vectors takes seconds). Old snapshots are removed, keeping
the newest `index.snapshot_keep` of each shard and every one `version.json` names.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from medcite.index.catalog import Catalog, shard_of
from medcite.index.lexical import LexicalIndex
from medcite.index.store import VERSION_FILE, reindex_lexical
from medcite.index.vectors import VectorIndex

MANIFEST = "manifest.json"
#: Not carried into a new snapshot: tantivy's lock files, and our schema marker (rewritten in place).
_NOT_LINKED = {".tantivy-writer.lock", ".tantivy-meta.lock", "medcite-schema"}
_STALE_BUILD_S = 3600


@dataclass
class Snapshot:
    """What one built snapshot holds (its manifest)."""

    path: str  # relative to the snapshot folder: "shard-0-of-2/<name>"
    shard: int
    shards: int
    generation: int
    change_seq: int
    chunks: int
    vectors: int
    model: str | None
    created_at: float
    seconds: float = 0.0
    incremental: bool = False

    @classmethod
    def read(cls, folder: Path) -> Snapshot | None:
        try:
            return cls(**json.loads((folder / MANIFEST).read_text()))
        except (FileNotFoundError, NotADirectoryError):
            return None


def series(root: Path, shard: int, shards: int) -> Path:
    """The folder holding shard `shard` of `shards`' snapshots."""
    return root / f"shard-{shard}-of-{shards}"


def read_version(root: Path) -> dict[str, Any] | None:
    try:
        record: dict[str, Any] = json.loads((root / VERSION_FILE).read_text())
    except FileNotFoundError:
        return None
    return record


def current(root: Path, shard: int, shards: int) -> Path | None:
    """The snapshot of this shard that `version.json` names (None before the first publication, or
    when it was published for another shard count)."""
    record = read_version(root)
    if not record or int(record.get("shards", 0)) != shards:
        return None
    return root / record["snapshots"][shard]


def build(
    catalog: Catalog,
    root: Path,
    shard: int,
    shards: int,
    *,
    model: str | None,
    dim: int,
    base: Path | None = None,
) -> Snapshot:
    """Build one shard's snapshot from the catalogue; incremental from `base` when given."""
    started = time.perf_counter()
    # Read the log position first: a change committed while we build is applied again next time
    # (re-indexing a document is idempotent), never missed.
    seq, gen = catalog.change_seq(), catalog.generation()
    home = series(root, shard, shards)
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / f".building-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        prior = Snapshot.read(base) if base is not None else None
        lexical_dir = tmp / "lexical"
        if base is not None and prior is not None and prior.shards == shards and prior.shard == shard:
            _link_tree(base / "lexical", lexical_dir)
            changed = {c["doc_id"] for c in catalog.changes_since(prior.change_seq)}
            doc_ids = sorted(d for d in changed if shard_of(d, shards) == shard)
        else:
            prior = None
            doc_ids = catalog.doc_ids(shard, shards)
        lexical = LexicalIndex(lexical_dir)
        for start in range(0, len(doc_ids), 500):
            reindex_lexical(catalog, lexical, doc_ids[start : start + 500])
        lexical.close()
        count = catalog.chunk_count(shard, shards)
        vectors = 0
        if model is not None:
            index = VectorIndex(tmp / "vectors.faiss")
            index.rebuild(
                catalog.vectors(model, shard=shard, shards=shards), dim=dim, model=model, generation=gen, expected=count
            )
            vectors = len(index)
        name = f"{int(time.time() * 1000):013d}-g{gen}"
        snap = Snapshot(
            path=f"{home.name}/{name}",
            shard=shard,
            shards=shards,
            generation=gen,
            change_seq=seq,
            chunks=count,
            vectors=vectors,
            model=model,
            created_at=time.time(),
            seconds=round(time.perf_counter() - started, 3),
            incremental=prior is not None,
        )
        (tmp / MANIFEST).write_text(json.dumps(asdict(snap)))
        _freeze(tmp)
        os.rename(tmp, home / name)
        return snap
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def publish(root: Path, snaps: list[Snapshot]) -> dict[str, Any]:
    """Make these snapshots (one per shard, in shard order) the current ones, atomically."""
    snaps = sorted(snaps, key=lambda s: s.shard)
    if [s.shard for s in snaps] != list(range(len(snaps))) or any(s.shards != len(snaps) for s in snaps):
        raise ValueError("publish needs exactly one snapshot of every shard")
    record = {
        "generation": max(s.generation for s in snaps),
        "change_seq": min(s.change_seq for s in snaps),
        "shards": len(snaps),
        "snapshots": [s.path for s in snaps],
        "vectors": {"model": snaps[0].model, "count": sum(s.vectors for s in snaps)},
        "chunks": sum(s.chunks for s in snaps),
        "published_at": time.time(),
    }
    tmp = root / f".{VERSION_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(record))
    os.replace(tmp, root / VERSION_FILE)
    return record


def collect_garbage(root: Path, keep: int) -> list[Path]:
    """Remove old snapshots: each series keeps its newest `keep` and whatever version.json names.

    A reader still on a removed snapshot keeps working (its files stay open until it switches);
    `keep` ≥ 2 leaves the previous snapshot for readers that have not looked at version.json yet.
    """
    record = read_version(root) or {}
    named = {root / p for p in record.get("snapshots", [])}
    removed: list[Path] = []
    for home in sorted(p for p in root.glob("shard-*-of-*") if p.is_dir()):
        built = sorted((p for p in home.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
        for old in built[keep:]:
            if old not in named:
                shutil.rmtree(old, ignore_errors=True)
                removed.append(old)
        for tmp in home.glob(".building-*"):  # a build that died long ago
            with contextlib.suppress(FileNotFoundError):
                if time.time() - tmp.stat().st_mtime > _STALE_BUILD_S:
                    shutil.rmtree(tmp, ignore_errors=True)
    return removed


def _link_tree(src: Path, dest: Path) -> None:
    """`dest` as hard links to `src`'s files (a copy where links cannot cross file systems)."""
    dest.mkdir(parents=True)
    for f in src.iterdir():
        if f.name in _NOT_LINKED or not f.is_file():
            continue
        try:
            os.link(f, dest / f.name)
        except OSError:
            shutil.copy2(f, dest / f.name)
            os.chmod(dest / f.name, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)


def _freeze(folder: Path) -> None:
    """Make a finished snapshot's files read-only (guards against writers other than root)."""
    for f in folder.rglob("*"):
        if f.is_file():
            os.chmod(f, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
