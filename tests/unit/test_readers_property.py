"""Property tests of the readers: whatever bytes arrive, ingest reports and continues.

Generated inputs: damaged copies of each reader's own fixture, arbitrary bytes under every
extension, archives cut at any byte, archives inside archives, text in odd encodings. The
properties: no exception escapes, no reader fails unexpectedly (every refusal is a deliberate
SourceError with a reason, never the catch-all "reader 'x' failed"), and no document that comes
before the damage is lost. Derandomised with bounded examples, so CI runs the same cases each time
in a few seconds.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sources_files import make_pdf

from medcite.errors import SourceError
from medcite.records import Document
from medcite.sources import Input, get_reader, read_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"

#: Same cases on every run (derandomize), no example database written to disk, no deadline on a
#: shared 2-core machine. MEDCITE_FUZZ_SCALE=50 runs fifty times the examples (a longer hunt, by hand).
SCALE = int(os.environ.get("MEDCITE_FUZZ_SCALE", "1"))
BOUNDED = settings(
    max_examples=120 * SCALE,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True)
def _quiet_reader_logs() -> Iterator[None]:
    # A reader that fails logs the traceback; the assertions below say which one and why.
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


def _fixture(relative: str) -> bytes:
    data = (FIXTURES / relative).read_bytes()
    return gzip.decompress(data) if relative.endswith(".gz") else data


# reader name, a fixture in its format, the file name it is read under
OWN_FORMATS = [
    ("markdown", "user/notes/guide.md", "guide.md"),
    ("html", "user/notes/page.html", "page.html"),
    ("text", "user/notes/plain.txt", "plain.txt"),
    ("ngc", "ngc/summaries/ngc-90001.xml", "ngc-90001.xml"),
    ("medquad", "medquad/3_GHR_QA/0000001.xml", "0000001.xml"),
    ("pubmed", "pubmed/efetch-sample.xml", "efetch.xml"),
    ("pubmed", "pubmed/baseline-sample.xml.gz", "baseline.xml"),
    ("uspstf", "uspstf/working-guidlines.json", "working-guidlines.json"),
    ("pubmedqa", "pubmedqa/ori_pqal.json", "ori_pqal.json"),
    ("evidence-inference", "evidence-inference/abstracts.derived.jsonl.gz", "abstracts.jsonl"),
]
READERS = sorted({name for name, _, _ in OWN_FORMATS} | {"pdf"})
SUFFIXES = [".md", ".html", ".txt", ".pdf", ".xml", ".xml.gz", ".json", ".jsonl", ".jsonl.gz", ""]


def _unexpected(items: Iterable[object]) -> list[str]:
    """Items that are neither a Document nor a deliberate SourceError."""
    bad = []
    for item in items:
        if isinstance(item, SourceError):
            if item.reason.startswith("reader '"):  # the catch-all: a reader crashed
                bad.append(item.reason)
        elif not isinstance(item, Document):
            bad.append(repr(item))
    return bad


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """The original cut short, with a few bytes overwritten and a few inserted."""
    data = bytearray(original[: draw(st.integers(0, len(original)))])
    for _ in range(draw(st.integers(0, 4))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    insert = draw(st.binary(max_size=16))
    if insert:
        at = draw(st.integers(0, len(data)))
        data[at:at] = insert
    return bytes(data)


@BOUNDED
@given(st.data())
def test_no_reader_crashes_on_a_damaged_copy_of_its_own_format(data: st.DataObject) -> None:
    name, fixture, file_name = data.draw(st.sampled_from(OWN_FORMATS))
    raw = data.draw(damaged(_fixture(fixture)))
    inp = Input.from_bytes(raw, name=file_name, origin=file_name, collection="fuzz")
    assert _unexpected(get_reader(name).read_checked(inp)) == []


PDF = make_pdf(["Offer colchicine for an acute gout flare.", "Review after two weeks."], title="Gout")


@BOUNDED
@given(damaged(PDF))
def test_the_pdf_reader_never_crashes_on_a_damaged_pdf(raw: bytes) -> None:
    inp = Input.from_bytes(raw, name="gout.pdf", origin="gout.pdf", collection="fuzz")
    assert _unexpected(get_reader("pdf").read_checked(inp)) == []


@BOUNDED
@given(st.sampled_from(READERS), st.binary(max_size=400), st.sampled_from(SUFFIXES))
def test_no_reader_crashes_on_arbitrary_bytes(reader: str, raw: bytes, suffix: str) -> None:
    inp = Input.from_bytes(raw, name=f"ngc-1{suffix}", origin="arbitrary", collection="fuzz")
    assert _unexpected(get_reader(reader).read_checked(inp)) == []


def _note(i: int, word: str, repeat: int) -> bytes:
    return f"# Topic {i}\n\nOffer {word} advice at visit {i}. {'Review the plan after two weeks. ' * repeat}\n".encode()


@settings(BOUNDED, max_examples=60 * SCALE)
@given(st.binary(max_size=600), st.sampled_from(SUFFIXES))
def test_a_bad_file_between_two_good_ones_loses_neither(raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "batch"
        folder.mkdir()
        (folder / "a.md").write_bytes(_note(1, "oral rehydration", 1))
        (folder / f"m-junk{suffix}").write_bytes(raw)
        (folder / "z.md").write_bytes(_note(2, "zinc", 1))
        items = list(read_path(folder))
    assert _unexpected(items) == []
    ids = [i.id for i in items if isinstance(i, Document)]
    assert ids[0] == "file:batch/a.md" and ids[-1] == "file:batch/z.md"


# -- archives cut at any byte ------------------------------------------------------------------------

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12)
MEMBERS = st.lists(st.tuples(WORDS, st.integers(0, 40)), min_size=1, max_size=5)


def _tar(members: dict[str, bytes], compression: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=f"w:{compression}" if compression else "w") as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return buf.getvalue()


def _members(drawn: list[tuple[str, int]]) -> dict[str, bytes]:
    return {f"m{i}.md": _note(i, word, repeat) for i, (word, repeat) in enumerate(drawn)}


def _read_bytes_as(name: str, data: bytes, **kwargs: str) -> list[Document | SourceError]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return list(read_path(path, **kwargs))


def _data_ends(members: dict[str, bytes]) -> dict[str, int]:
    """Offset just past each member's data in an uncompressed archive (a header is one 512-byte block)."""
    ends, at = {}, 0
    for name, body in members.items():
        ends[name] = at + 512 + len(body)
        at += 512 + -(-len(body) // 512) * 512
    return ends


@settings(BOUNDED, max_examples=150 * SCALE)
@given(MEMBERS, st.data())
def test_a_tar_cut_anywhere_keeps_every_member_before_the_cut_and_says_it_is_truncated(
    drawn: list[tuple[str, int]], data: st.DataObject
) -> None:
    members = _members(drawn)
    whole = _tar(members, "")
    cut = data.draw(st.integers(0, len(whole)))
    items = _read_bytes_as("ward.tar", whole[:cut])
    assert _unexpected(items) == []
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, SourceError)]
    ends = _data_ends(members)
    whole_before_cut = [f"file:ward/{n}" for n, end in ends.items() if end <= cut]
    assert [d.id for d in docs] == whole_before_cut
    for doc, name in zip(docs, members, strict=False):
        assert doc.blocks[0].text in members[name].decode()
    end_marker = max(-(-end // 512) * 512 for end in ends.values()) + 512
    if cut < end_marker:  # something is missing: a member, or the archive's end
        assert len(errors) == 1 and "truncated" in errors[0].reason, errors
    else:
        assert errors == []


@settings(BOUNDED, max_examples=100 * SCALE)
@given(MEMBERS, st.sampled_from(["gz", "bz2", "xz"]), st.data())
def test_a_compressed_tar_cut_anywhere_is_reported_and_keeps_what_was_readable(
    drawn: list[tuple[str, int]], compression: str, data: st.DataObject
) -> None:
    members = _members(drawn)
    whole = _tar(members, compression)
    cut = data.draw(st.integers(0, len(whole)))
    items = _read_bytes_as(f"ward.tar.{compression}", whole[:cut])
    assert _unexpected(items) == []
    ids = [i.id for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, SourceError)]
    names = [f"file:ward/{n}" for n in members]
    assert ids == names[: len(ids)]  # in order, nothing invented, nothing skipped
    if ids != names:
        assert errors and all("truncated" in e.reason or "corrupt" in e.reason for e in errors), errors
    if compression == "gz":  # deflate hands out what it can: every member decompressible is kept
        readable = len(zlib.decompressobj(wbits=31).decompress(whole[:cut]))
        ends = _data_ends(members).values()
        expected = [n for n, end in zip(names, ends, strict=True) if end <= readable]
        assert ids[: len(expected)] == expected


@settings(BOUNDED, max_examples=60 * SCALE)
@given(MEMBERS, st.data())
def test_a_cut_zip_is_reported_never_raised(drawn: list[tuple[str, int]], data: st.DataObject) -> None:
    """A zip's directory is at its end: a cut zip is refused whole, with a reason."""
    members = _members(drawn)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    whole = buf.getvalue()
    cut = data.draw(st.integers(0, len(whole) - 1))
    items = _read_bytes_as("ward.zip", whole[:cut])
    assert _unexpected(items) == []
    [error] = items
    assert isinstance(error, SourceError) and error.reason.startswith("not a readable zip archive")


@settings(BOUNDED, max_examples=100 * SCALE)
@given(MEMBERS, st.sampled_from(["zip", "tar", "tar.gz", "tar.bz2"]), st.data())
def test_a_damaged_archive_never_raises(drawn: list[tuple[str, int]], kind: str, data: st.DataObject) -> None:
    members = _members(drawn)
    whole = _zip(members) if kind == "zip" else _tar(members, kind.removeprefix("tar").lstrip("."))
    items = _read_bytes_as(f"ward.{kind}", data.draw(damaged(whole)))
    assert _unexpected(items) == []
    ids = [i.id for i in items if isinstance(i, Document)]
    assert len(ids) == len(set(ids)) <= len(members)
    if len(ids) < len(members):  # whatever was lost is accounted for
        assert any(isinstance(i, SourceError) for i in items)


# -- archives inside archives ------------------------------------------------------------------------

LAYOUT = st.lists(st.sampled_from(["doc", "zip", "tar", "tar.gz"]), min_size=1, max_size=6)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buf.getvalue()


def _pack(kind: str, members: dict[str, bytes]) -> bytes:
    return _zip(members) if kind == "zip" else _tar(members, "gz" if kind == "tar.gz" else "")


@settings(BOUNDED, max_examples=40 * SCALE)
@given(st.sampled_from(["zip", "tar", "tar.gz"]), LAYOUT, LAYOUT)
def test_archives_inside_an_archive_are_reported_and_their_siblings_read(
    outer: str, layout: list[str], inner_layout: list[str]
) -> None:
    inner = {f"in{i}.md": _note(i, "inner", 0) for i, _ in enumerate(inner_layout)}
    members: dict[str, bytes] = {}
    for i, kind in enumerate(layout):
        if kind == "doc":
            members[f"d{i}.md"] = _note(i, "outer", 1)
        else:
            members[f"nested{i}.{kind}"] = _pack(kind, inner)
    items = _read_bytes_as(f"bundle.{outer}", _pack(outer, members))
    assert _unexpected(items) == []
    docs = [f"file:bundle/{n}" for n in members if n.endswith(".md")]
    assert [i.id for i in items if isinstance(i, Document)] == docs
    errors = {Path(e.path).name.split("!")[-1]: e.reason for e in items if isinstance(e, SourceError)}
    nested = "an archive inside a folder or archive is not opened (ingest it on its own)"
    assert errors == dict.fromkeys((n for n in members if not n.endswith(".md")), nested)


# -- odd encodings -------------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "utf-16-le"]
PRINTABLE = st.characters(codec="cp1252", categories=["L", "M", "N", "P", "S", "Zs"])


@settings(BOUNDED, max_examples=100 * SCALE)
@given(st.lists(st.text(PRINTABLE, max_size=60), max_size=6), st.sampled_from(ENCODINGS), st.data())
def test_text_in_odd_encodings_is_read_or_refused_with_a_reason(
    lines: list[str], encoding: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(lines)))
    lines[at:at] = ["", "Hydration keeps the kidneys working.", ""]
    raw = "\n".join(lines).encode(encoding)
    suffix = data.draw(st.sampled_from([".txt", ".md", ".html"]))
    reader = {".txt": "text", ".md": "markdown", ".html": "html"}[suffix]
    items = list(get_reader(reader).read_checked(Input.from_bytes(raw, name=f"n{suffix}", origin="n", collection="c")))
    assert _unexpected(items) == []
    if encoding == "utf-16-le":  # no byte-order mark: NUL bytes, refused as binary
        assert [getattr(i, "reason", "") for i in items] == ["binary content (NUL bytes), not text"]
        return
    [doc] = items
    assert isinstance(doc, Document)
    if reader == "text":  # markup may legitimately eat text in Markdown/HTML; plain text keeps the sentence
        assert "Hydration keeps the kidneys working." in " ".join(b.text for b in doc.blocks) + doc.title
