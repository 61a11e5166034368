"""read_target: named sources, folders, archives, format routing, the registry and bad input."""

from __future__ import annotations

import io
import shutil
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from medcite.errors import SourceError, UnsupportedFormat
from medcite.records import Document, SourceType
from medcite.settings import Settings
from medcite.sources import (
    MAX_FILE_BYTES,
    _input,
    _registry,
    get_reader,
    named_sources,
    read_path,
    read_target,
    readers,
    register,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
ENTITY_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
)


def split(
    items: Iterator[Document | SourceError] | list[Document | SourceError],
) -> tuple[list[Document], list[SourceError]]:
    items = list(items)
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, SourceError)]


def add_tree(archive: tarfile.TarFile, folder: Path, prefix: str) -> None:
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            archive.add(file, arcname=f"{prefix}{file.relative_to(folder).as_posix()}")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shared-data folder laid out like ../shared/data, built from the invented fixtures."""
    root = tmp_path_factory.mktemp("shared-data")
    with tarfile.open(root / "ngc-guideline-summaries.tar.gz", "w:gz") as archive:
        readme = b"# National Guideline Clearinghouse\nArchived summaries.\n"
        info = tarfile.TarInfo("README.md")
        info.size = len(readme)
        archive.addfile(info, io.BytesIO(readme))
        add_tree(archive, FIXTURES / "ngc", "")
    with tarfile.open(root / "medquad.tar.gz", "w:gz") as archive:
        add_tree(archive, FIXTURES / "medquad", "medquad/")
    for relative in ("uspstf", "pubmed", "pubmedqa", "evidence-inference"):
        shutil.copytree(FIXTURES / relative, root / relative)
    return root


@pytest.fixture()
def settings(shared: Path) -> Settings:
    return Settings(shared_data=shared)


def test_named_shared_sources_read_straight_from_their_archives(settings: Settings) -> None:
    docs, errors = split(read_target("ngc", settings))
    assert [d.id for d in docs] == ["ngc:90001"]
    assert docs[0].origin is not None and docs[0].origin.endswith(
        "ngc-guideline-summaries.tar.gz!summaries/ngc-90001.xml"
    )
    assert sorted(e.reason for e in errors) == [
        "not a guideline summary",
        "not part of the ngc collection (skipped)",
    ]
    assert any(e.path.endswith("!README.md") for e in errors)

    docs, errors = split(read_target("medquad", settings))
    assert [d.id for d in docs] == ["medquad:GHR/0000001"]
    assert [e.reason for e in errors] == ["no answered question-answer pairs"]


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("uspstf", ["uspstf:9001", "uspstf:9002"]),
        ("pubmed", ["pmid:90000001", "pmid:90000003"]),
        ("pubmedqa", ["pmid:90000011", "pmid:90000012"]),
        ("evidence-inference", ["pmc:PMC9000021", "pmc:PMC9000022"]),
    ],
)
def test_named_shared_sources(settings: Settings, name: str, ids: list[str]) -> None:
    docs, _ = split(read_target(name, settings))
    assert [d.id for d in docs] == ids
    assert {d.source for d in docs} == {name}


def test_shared_reads_every_corpus(settings: Settings) -> None:
    docs, errors = split(read_target("shared", settings))
    assert {d.source for d in docs} == {
        "ngc",
        "uspstf",
        "medquad",
        "pubmed",
        "pubmedqa",
        "evidence-inference",
    }
    assert len(docs) == 10
    assert sorted(e.reason for e in errors).count("no abstract") == 1


def test_missing_shared_file_raises_with_the_expected_path(tmp_path: Path) -> None:
    settings = Settings(shared_data=tmp_path)
    with pytest.raises(SourceError) as raised:
        read_target("uspstf", settings)
    expected = str(tmp_path / "uspstf" / "working-guidlines.json")
    assert expected in str(raised.value)
    assert "uspstf" in raised.value.reason
    with pytest.raises(SourceError, match="not a named source"):
        read_target(str(tmp_path / "nowhere"), settings)


def test_named_sources_lists_every_name() -> None:
    names = named_sources()
    assert list(names) == [
        "open-medicine",
        "ngc",
        "uspstf",
        "medquad",
        "pubmed",
        "pubmedqa",
        "evidence-inference",
        "shared",
    ]
    assert all(names.values())


def test_registry_order_lookup_and_errors() -> None:
    names = [r.name for r in readers()]
    assert names[:7] == [
        "open-medicine",
        "ngc",
        "medquad",
        "pubmed",
        "uspstf",
        "pubmedqa",
        "evidence-inference",
    ]
    assert set(names[7:]) >= {"pdf", "html", "markdown", "text"}
    assert all(r.licence and r.description for r in readers())
    assert get_reader("ngc").licence.startswith("NGC summary (AHRQ)")
    with pytest.raises(UnsupportedFormat, match="no reader of that name"):
        get_reader("no-such-format")


class CsvNotesReader:
    """A third-party reader written only against the Reader protocol."""

    name = "csv-notes"
    description = "one note per CSV line"
    licence = "test"

    def detect(self, path: Path) -> bool:
        return path.suffix == ".csv"

    def read(self, path: Path) -> Iterator[Document | SourceError]:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            yield Document(id=f"csv:{number}", source="csv", title=line, source_type=SourceType.OTHER, blocks=[])


def test_third_party_reader_registers_like_a_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_registry, "_REGISTRY", dict(_registry._REGISTRY))
    register(CsvNotesReader())
    assert get_reader("csv-notes").description == "one note per CSV line"
    (tmp_path / "notes.csv").write_text("first\nsecond\n")
    (tmp_path / "other.md").write_text("# Other\n\nText.\n")
    docs, errors = split(read_path(tmp_path))
    assert errors == []
    assert sorted(d.id for d in docs) == ["csv:1", "csv:2", f"file:{tmp_path.name}/other.md"]


def test_zip_archive_members_are_streamed_and_traversal_refused(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / "user" / "notes" / "guide.md", "notes/guide.md")
        archive.writestr("../evil.txt", "Evil content.")
        archive.writestr("/abs/evil2.txt", "Evil content.")
        archive.write(FIXTURES / "pubmed" / "baseline-sample.xml.gz", "data/baseline-sample.xml.gz")
    docs, errors = split(read_target(str(path), Settings(shared_data=tmp_path)))
    assert sorted(d.id for d in docs) == ["file:bundle/notes/guide.md", "pmid:90000001"]
    refused = {e.path: e.reason for e in errors if "unsafe" in e.reason}
    assert set(refused) == {f"{path}!../evil.txt", f"{path}!/abs/evil2.txt"}
    assert all("refused" in r for r in refused.values())
    assert not (tmp_path.parent / "evil.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.zip"]  # nothing extracted


def test_tar_archive_with_traversal_member_and_source_name(tmp_path: Path) -> None:
    path = tmp_path / "site.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        add_tree(archive, FIXTURES / "user", "")
        data = b"Escaped."
        info = tarfile.TarInfo("../evil.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    docs, errors = split(read_path(path, source_name="trust-site"))
    assert sorted(d.id for d in docs) == [
        "file:trust-site/notes/guide.md",
        "file:trust-site/notes/page.html",
        "file:trust-site/notes/plain.txt",
    ]
    assert {d.source for d in docs} == {"trust-site"}
    [error] = errors
    assert error.path == f"{path}!../evil.txt"
    assert "unsafe archive member path refused" in error.reason


def test_corrupt_archive_is_reported(tmp_path: Path) -> None:
    good = tmp_path / "good.tar.gz"
    with tarfile.open(good, "w:gz") as archive:
        add_tree(archive, FIXTURES / "user", "")
    (tmp_path / "cut.tar.gz").write_bytes(good.read_bytes()[:200])
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    _, errors = split(read_path(tmp_path / "cut.tar.gz"))
    assert errors and errors[-1].reason.startswith("truncated or corrupt archive")
    [error] = split(read_path(tmp_path / "bad.zip"))[1]
    assert error.reason.startswith("not a readable zip archive")


def test_bad_files_are_reported_and_the_batch_continues(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.md").write_text("# Good\n\nOffer oral rehydration.\n")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (batch / "junk.bin").write_bytes(b"\x00\x01\x02\x03" * 100)
    (batch / "bomb.xml").write_text(ENTITY_BOMB + "<lolz>&lol3;</lolz>\n")
    (batch / "bomb-pubmed.xml").write_text(ENTITY_BOMB + "<PubmedArticleSet>&lol3;</PubmedArticleSet>\n")
    (batch / "ngc-1.xml").write_text("<Version><Section><Field Name=")
    (batch / "latin.txt").write_bytes(b"Caf\xe9 au lait contains caffeine.\n")
    (batch / "undecodable.txt").write_bytes(b"Dose \x81\x8d\x8f\x90 mg\n")
    (batch / "zz-last.txt").write_text("Still read after the bad ones.\n")
    docs, errors = split(read_path(batch))
    assert sorted(d.id for d in docs) == [
        "file:batch/good.md",
        "file:batch/latin.txt",
        "file:batch/zz-last.txt",
    ]
    assert next(d for d in docs if d.id.endswith("latin.txt")).blocks[0].text == "Café au lait contains caffeine."
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["undecodable.txt"] == "undecodable bytes (not UTF-8 or Windows-1252 text)"
    assert reasons["empty.txt"] == "empty file"
    assert reasons["junk.txt"].startswith("binary content")
    assert reasons["junk.bin"].startswith("binary content")
    assert reasons["bomb.xml"].startswith("XML entity declarations are not allowed")
    assert reasons["bomb-pubmed.xml"].startswith("XML entity declarations are not allowed")
    assert reasons["ngc-1.xml"].startswith("malformed XML")
    assert all(e.path.startswith(str(batch)) for e in errors)


def test_fifty_megabyte_single_line_is_read_in_linear_time(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text(("Drink fluids and rest when you have a fever. " * 1_200_000)[:50_000_000])
    started = time.perf_counter()
    [doc] = list(read_path(path))
    elapsed = time.perf_counter() - started
    assert isinstance(doc, Document)
    assert elapsed < 20
    assert max(len(b.text) for b in doc.blocks) <= 20_000
    assert sum(len(b.text) for b in doc.blocks) > 49_000_000


def test_files_over_the_size_cap_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_FILE_BYTES == 100 * 1024 * 1024
    monkeypatch.setattr(_input, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.txt").write_text("word " * 400)
    [error] = list(read_path(tmp_path / "big.txt"))
    assert isinstance(error, SourceError)
    assert error.reason == "file too large (2,000 bytes; the limit is 1,000)"


def test_unsupported_files_in_a_folder_are_named(tmp_path: Path) -> None:
    (tmp_path / "data.xml").write_text("<catalogue><item>1</item></catalogue>")
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    _, errors = split(read_path(tmp_path))
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["data.xml"] == "unsupported format: no reader recognises this .xml file"
    assert reasons["sheet.xlsx"] == "unsupported format: no reader recognises this .xlsx file"


def test_a_corpus_folder_is_claimed_by_its_reader(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "ngc", tmp_path / "ngc")
    (tmp_path / "ngc" / "README.md").write_text("# Archive notes\n\nNot a guideline.\n")
    docs, errors = split(read_path(tmp_path / "ngc"))
    assert [d.id for d in docs] == ["ngc:90001"]
    assert sorted(e.reason for e in errors) == [
        "not a guideline summary",
        "not part of the ngc collection (skipped)",
    ]
