"""Hostile and damaged input to `medcite ingest`: links out of the folder, special files, cut archives.

The promise under test: every refused file is reported with its path and the reason, everything
else is indexed, and nothing already indexed is lost.
"""

from __future__ import annotations

import io
import os
import tarfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from medcite.engine import Medcite
from medcite.errors import SourceError
from medcite.records import Document
from medcite.settings import Settings
from medcite.sources import Input, read_path

SECRET = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


def split(items: object) -> tuple[list[Document], list[SourceError]]:
    docs, errors = [], []
    for item in items:  # type: ignore[attr-defined]
        (docs if isinstance(item, Document) else errors).append(item)
    return docs, errors


def note(topic: str) -> bytes:
    return f"# {topic.title()} pathway\n\nOffer {topic} advice at the first visit. Review after two weeks.\n".encode()


@pytest.fixture
def linked_folder(tmp_path: Path) -> tuple[Path, Path]:
    """A folder to ingest holding one real note and links to files and a folder outside it."""
    outside = tmp_path / "outside"
    (outside / "private").mkdir(parents=True)
    (outside / "passwd").write_text(SECRET)
    (outside / "private" / "notes.md").write_text("# Private\n\nConfidential ward rota for Tuesday.\n")
    folder = tmp_path / "protocols"
    (folder / "sub").mkdir(parents=True)
    (folder / "hydration.md").write_bytes(note("hydration"))
    (folder / "passwd.txt").symlink_to(outside / "passwd")
    (folder / "sub" / "up.md").symlink_to(Path("..") / ".." / "outside" / "private" / "notes.md")  # relative
    (folder / "private").symlink_to(outside / "private", target_is_directory=True)
    if Path("/etc/passwd").is_file():
        (folder / "etc-passwd.txt").symlink_to("/etc/passwd")
    return folder, outside


def test_links_out_of_the_folder_are_refused_and_reported(linked_folder: tuple[Path, Path]) -> None:
    folder, _ = linked_folder
    docs, errors = split(read_path(folder))
    assert [d.id for d in docs] == ["file:protocols/hydration.md"]
    reasons = {Path(e.path).relative_to(folder).as_posix(): e.reason for e in errors}
    expected = {"passwd.txt", "sub/up.md", "private"} | ({"etc-passwd.txt"} if Path("/etc/passwd").is_file() else set())
    assert set(reasons) == expected
    assert all(r.startswith("symbolic link out of the ingested folder refused") for r in reasons.values())
    assert "outside" in reasons["passwd.txt"]  # says where it points


def test_ingesting_a_folder_with_outside_links_indexes_none_of_them(
    linked_folder: tuple[Path, Path], settings: Settings
) -> None:
    folder, _ = linked_folder
    mc = Medcite(settings)
    report = mc.ingest([str(folder)])
    assert (report.added, report.changed) == (1, 0)
    refused = sorted(Path(e.path).name for e in report.errors)
    assert "passwd.txt" in refused and "up.md" in refused and "private" in refused
    assert all("symbolic link" in e["reason"] for e in report.as_dict()["errors"])
    ids = [r[0] for r in mc.store.catalog.query("SELECT id FROM documents")]
    assert ids == ["file:protocols/hydration.md"]
    text = " ".join(r[0] for r in mc.store.catalog.query("SELECT text FROM chunks"))
    assert "root:x:0:0" not in text and "ward rota" not in text
    for mode in ("lexical", "dense", "hybrid"):
        hits = mc.search("root daemon nologin bin bash ward rota", mode=mode).hits
        assert all(h.doc.id == "file:protocols/hydration.md" for h in hits)
    mc.close()


def test_links_inside_the_folder_are_not_followed_their_targets_are_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "guides"
    (folder / "current").mkdir(parents=True)
    (folder / "current" / "asthma.md").write_bytes(note("asthma"))
    (folder / "latest.md").symlink_to(Path("current") / "asthma.md")
    (folder / "also-current").symlink_to(folder / "current", target_is_directory=True)
    (folder / "dangling.md").symlink_to(folder / "missing.md")
    docs, errors = split(read_path(folder))
    assert [d.id for d in docs] == ["file:guides/current/asthma.md"]
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["latest.md"] == "symbolic link not followed: its target current/asthma.md is read under its own name"
    assert reasons["also-current"] == "symbolic link not followed: its target current is read under its own name"
    assert reasons["dangling.md"].startswith("broken symbolic link")


def test_a_named_link_target_is_read(tmp_path: Path) -> None:
    """A link the user names on the command line is their explicit choice: it is followed."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "gout.md").write_bytes(note("gout"))
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    docs, errors = split(read_path(tmp_path / "alias"))
    assert ([d.id for d in docs], errors) == (["file:alias/gout.md"], [])


def test_special_files_are_reported_not_opened(tmp_path: Path) -> None:
    """A FIFO in a folder would block the reader forever: it is reported instead."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.md").write_bytes(note("asthma"))
    os.mkfifo(folder / "pipe.md")
    (folder / "z.md").write_bytes(note("zinc"))
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.extend(read_path(folder)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():
        with open(folder / "pipe.md", "wb"):  # unblock the reader so the thread can end
            pass
        pytest.fail("reading a folder with a FIFO in it blocked")
    docs, errors = split(result)
    assert [d.id for d in docs] == ["file:batch/a.md", "file:batch/z.md"]
    [error] = errors
    assert (Path(error.path).name, error.reason) == ("pipe.md", "not a regular file (a FIFO): skipped")


def test_a_file_swapped_for_a_link_after_the_walk_is_refused(tmp_path: Path) -> None:
    """Between listing a folder and reading a file, the file may be replaced by a link: still refused."""
    folder = tmp_path / "f"
    folder.mkdir()
    (tmp_path / "secret").write_text(SECRET)
    victim = folder / "notes.txt"
    victim.write_text("Ordinary notes about hand washing.\n")
    inp = Input.from_path(victim, name="notes.txt", collection="f", pinned=True)
    victim.unlink()
    victim.symlink_to(tmp_path / "secret")
    with pytest.raises(SourceError, match="changed while it was being read"):
        inp.read_bytes()


# -- truncated tar archives ----------------------------------------------------------------------


def make_tar(members: dict[str, bytes], *, compression: str = "") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=f"w:{compression}" if compression else "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buf.getvalue()


THREE = {"a.md": note("asthma"), "b.md": note("bronchiolitis"), "c.md": note("croup")}


def _offsets(members: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """Where each member's header and data start in an uncompressed ustar archive."""
    out, at = {}, 0
    for name, data in members.items():
        out[name] = (at, at + 512)
        at += 512 + -(-len(data) // 512) * 512
    return out


@pytest.mark.parametrize(
    ("cut", "lost", "where"),
    [
        (lambda o: o["c.md"][0] + 100, "c.md", "inside a member header"),  # the case
        (lambda o: o["b.md"][0] + 511, "b.md", "inside a member header"),
        (lambda o: o["c.md"][1] + 20, "c.md", "inside the data of c.md"),
        (lambda o: o["c.md"][1] + 512, "none", "without its end-of-archive marker"),  # cut on a block boundary
    ],
    ids=["c-header", "b-header-last-byte", "c-data", "block-boundary"],
)
def test_a_cut_tar_archive_is_reported_as_truncated(
    tmp_path: Path, cut: Callable[[dict[str, tuple[int, int]]], int], lost: str, where: str
) -> None:
    whole = make_tar(THREE)
    path = tmp_path / "cut.tar"
    path.write_bytes(whole[: cut(_offsets(THREE))])
    docs, errors = split(read_path(path))
    kept = [n for n in THREE if n < lost] if lost != "none" else list(THREE)
    assert [d.id for d in docs] == [f"file:cut/{n}" for n in kept]
    [error] = errors
    assert "truncated archive" in error.reason and where in error.reason
    member = f"!{lost}" if where.startswith("inside the data") else ""
    assert error.path == f"{path}{member}"


def test_a_damaged_member_header_is_reported(tmp_path: Path) -> None:
    """A header whose checksum fails used to end the archive there, silently."""
    data = bytearray(make_tar(THREE))
    at = _offsets(THREE)["b.md"][0]
    data[at : at + 4] = b"XXXX"  # inside the name field: the stored checksum no longer matches
    path = tmp_path / "damaged.tar"
    path.write_bytes(bytes(data))
    docs, errors = split(read_path(path))
    assert [d.id for d in docs] == ["file:damaged/a.md"]
    [error] = errors
    assert error.path == str(path) and error.reason.startswith("corrupt archive: a damaged member header")


def test_a_complete_archive_reports_nothing(tmp_path: Path) -> None:
    for compression in ("", "gz", "bz2", "xz"):
        path = tmp_path / f"whole.tar{'.' + compression if compression else ''}"
        path.write_bytes(make_tar(THREE, compression=compression))
        docs, errors = split(read_path(path, source_name="whole"))
        assert ([d.id for d in docs], errors) == ([f"file:whole/{n}" for n in THREE], [])


def test_a_gzip_stream_cut_short_is_reported(tmp_path: Path) -> None:
    whole = make_tar(THREE, compression="gz")
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(whole[: len(whole) - 30])
    _, errors = split(read_path(path))
    assert len(errors) == 1 and "truncated" in errors[0].reason


def test_a_truncated_archive_keeps_earlier_and_indexed_documents(tmp_path: Path, settings: Settings) -> None:
    """Report and continue: the archive's earlier members and everything indexed before survive."""
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "gout.md").write_bytes(note("gout"))
    whole = make_tar(THREE)
    cut = tmp_path / "ward.tar"
    cut.write_bytes(whole[: _offsets(THREE)["c.md"][0] + 100])
    after = tmp_path / "later.md"
    after.write_bytes(note("eczema"))
    mc = Medcite(settings)
    assert mc.ingest([str(earlier)]).added == 1
    report = mc.ingest([str(cut), str(after)])
    assert report.added == 3  # a.md and b.md from the archive, then later.md
    [error] = report.errors
    assert error.path == str(cut) and "truncated archive" in error.reason
    ids = sorted(r[0] for r in mc.store.catalog.query("SELECT id FROM documents"))
    assert ids == ["file:earlier/gout.md", "file:later/later.md", "file:ward/a.md", "file:ward/b.md"]
    assert all(h.doc.id != "file:ward/c.md" for h in mc.search("croup advice", mode="lexical").hits)
    mc.close()


def test_opening_an_index_does_not_rewrite_its_version_marker(tmp_path: Path) -> None:
    """Another process opening the index at the same moment must never find the marker empty."""
    from medcite.index.lexical import SCHEMA_VERSION, LexicalIndex

    LexicalIndex(tmp_path / "lexical")
    marker = tmp_path / "lexical" / "medcite-schema"
    assert marker.read_text() == SCHEMA_VERSION
    before = marker.stat()
    seen: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.append(marker.read_text())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(20):
            LexicalIndex(tmp_path / "lexical")
    finally:
        stop.set()
        watcher.join()
    after = marker.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert set(seen) == {SCHEMA_VERSION}
    assert not list((tmp_path / "lexical").glob("*.tmp"))
