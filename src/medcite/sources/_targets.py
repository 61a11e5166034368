"""What ``medcite ingest <target>`` reads: a named source, a file, a folder or an archive.

Folders are walked recursively and archives (.zip, .tar, .tar.gz, .tgz) streamed member by member
without extracting anything to disk; every file goes to the first reader that detects it. When
most of the first files of a folder or archive belong to one corpus reader (NGC, MedQuAD), that
reader reads the whole collection and anything else in it is reported, not indexed.
"""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import chain, islice
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Self

from medcite.errors import SourceError
from medcite.records import Document
from medcite.settings import Settings
from medcite.sources._input import ARCHIVE_SUFFIXES, MAX_FILE_BYTES, Input, stem
from medcite.sources._registry import BaseReader, Reader, StreamReader, get_reader, readers, walk_entries, walk_files
from medcite.sources._xml import ENTITY_REASON
from medcite.sources.open_medicine import OpenMedicineReader, package_guidelines

#: Named shared corpora: name -> (path under settings.shared_data, reader name).
SHARED: dict[str, tuple[str, str]] = {
    "ngc": ("ngc-guideline-summaries.tar.gz", "ngc"),
    "uspstf": ("uspstf/working-guidlines.json", "uspstf"),
    "medquad": ("medquad.tar.gz", "medquad"),
    "pubmed": ("pubmed", "pubmed"),
    "pubmedqa": ("pubmedqa/ori_pqal.json", "pubmedqa"),
    "evidence-inference": ("evidence-inference/abstracts.derived.jsonl.gz", "evidence-inference"),
}
_SAMPLE = 25

Item = Document | SourceError


def named_sources() -> dict[str, str]:
    """Named targets and what they are (for CLI help)."""
    names = {"open-medicine": "43 guideline summaries from the installed open-medicine package (default corpus)"}
    for name, (relative, reader) in SHARED.items():
        names[name] = f"{get_reader(reader).description} [shared data: {relative}]"
    names["shared"] = "all of the shared corpora above"
    return names


def read_target(target: str, settings: Settings, *, source_name: str | None = None) -> Iterator[Item]:
    """Documents (and per-file SourceErrors) from a named source or a filesystem path.

    Raises SourceError at once (not while iterating) when the target does not exist: a missing
    shared file is named by its expected path.
    """
    if target == "open-medicine":
        reader = get_reader("open-medicine")
        tree = package_guidelines()
        return reader.read_tree(tree) if isinstance(reader, OpenMedicineReader) else reader.read(Path(str(tree)))
    if target in SHARED or target == "shared":
        names = list(SHARED) if target == "shared" else [target]
        plans = [(settings.shared_data / SHARED[n][0], get_reader(SHARED[n][1]), n) for n in names]
        missing = [(path, name) for path, _, name in plans if not path.exists()]
        if missing:
            path, name = missing[0]
            raise SourceError(
                str(path),
                f"shared corpus '{name}' not found (expected {path})",
                hint="set MEDCITE_SHARED_DATA to the folder holding the shared corpora",
            )
        return chain.from_iterable(read_path(path, only=reader) for path, reader, _ in plans)
    path = Path(target).expanduser()
    if not path.exists():
        raise SourceError(target, "no such file or folder, and not a named source", hint=_named_hint())
    return read_path(path, source_name=source_name)


def _named_hint() -> str:
    return "named sources: " + ", ".join(["open-medicine", *SHARED, "shared"])


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def read_path(path: Path, *, source_name: str | None = None, only: Reader | None = None) -> Iterator[Item]:
    """Read a file, folder or archive; ``only`` restricts it to one reader (named shared sources)."""
    collection = source_name or (stem(path.name) if path.is_file() else path.name)
    whole = _folder_reader(path) if path.is_dir() and only is None else None
    if whole is not None:
        yield from whole.read(path)
        return
    if path.is_dir():
        inputs: Iterable[Input | SourceError] = (
            e if isinstance(e, SourceError) else _folder_input(e, path, collection) for e in walk_entries(path)
        )
    elif is_archive(path):
        inputs = _archive_inputs(path, collection)
    else:
        yield from _route([Input.from_path(path, collection=collection)], only, exclusive=only is not None)
        return
    claimed = only or _claiming_corpus(path, collection)
    yield from _route(inputs, claimed, exclusive=claimed is not None)


def _folder_input(file: Path, folder: Path, collection: str | None) -> Input:
    return Input.from_path(file, name=file.relative_to(folder).as_posix(), collection=collection, pinned=True)


def _folder_reader(path: Path) -> Reader | None:
    """A reader for which this folder is one unit: open-medicine trees, or a plain third-party
    Reader (no per-file methods) whose ``detect(folder)`` says the folder is its format."""
    for reader in readers():
        per_file = isinstance(reader, StreamReader)
        whole = isinstance(reader, BaseReader) and reader.folder_format
        if (whole or not per_file) and reader.detect(path):
            return reader
    return None


def _claiming_corpus(path: Path, collection: str) -> Reader | None:
    """A corpus reader that detects most of the first files of a folder or archive, if any."""
    corpus = [r for r in readers() if isinstance(r, BaseReader) and r.corpus]
    if not corpus:
        return None
    if path.is_dir():
        sample = [_folder_input(f, path, None) for f in islice(walk_files(path), _SAMPLE)]
    else:
        sample = [i for i in islice(_archive_inputs(path, collection, head_only=True), _SAMPLE) if isinstance(i, Input)]
    for reader in corpus:
        hits = sum(reader.detect_input(inp) for inp in sample)
        if sample and hits * 2 > len(sample):
            return reader
    return None


def _route(inputs: Iterable[Input | SourceError], claimed: Reader | None, *, exclusive: bool = False) -> Iterator[Item]:
    """Send each input to the reader that detects it; report what none can read."""
    for inp in inputs:
        if isinstance(inp, SourceError):
            yield inp
            continue
        reader = _choose(inp, claimed, exclusive)
        if reader is None:
            yield _unsupported(inp, claimed if exclusive else None)
            continue
        try:
            yield from _read_with(reader, inp)
        except Exception as exc:  # one broken file must never stop the batch
            yield inp.error(f"reader '{reader.name}' failed ({exc.__class__.__name__}: {exc})")


def _choose(inp: Input, claimed: Reader | None, exclusive: bool) -> Reader | None:
    candidates = [claimed] if claimed is not None else []
    if not exclusive:
        candidates += [r for r in readers() if r is not claimed]
    for reader in candidates:
        if isinstance(reader, StreamReader):
            if reader.detect_input(inp):
                return reader
        elif _on_disk(inp) and reader.detect(Path(inp.origin)):
            return reader
    return None


def _read_with(reader: Reader, inp: Input) -> Iterator[Item]:
    if isinstance(reader, BaseReader):
        yield from reader.read_checked(inp)
    elif isinstance(reader, StreamReader):
        problem = inp.check()
        yield from [problem] if problem else reader.read_input(inp)
    else:
        yield from reader.read(Path(inp.origin))


def _on_disk(inp: Input) -> bool:
    return Path(inp.origin).is_file()


def _unsupported(inp: Input, claimed: Reader | None) -> SourceError:
    problem = inp.check()
    if problem is not None:
        return problem
    if claimed is not None:
        return inp.error(f"not part of the {claimed.name} collection (skipped)")
    if inp.name.lower().endswith(ARCHIVE_SUFFIXES):
        return inp.error("an archive inside a folder or archive is not opened (ingest it on its own)")
    head = inp.head()
    if b"<!ENTITY" in head:
        return inp.error(ENTITY_REASON)
    if b"\x00" in head[:1024]:
        return inp.error("binary content, unsupported format")
    suffix = inp.suffix or "(no extension)"
    return inp.error(f"unsupported format: no reader recognises this {suffix} file")


def _unsafe(name: str) -> bool:
    """Absolute paths, drive letters and '..' components may not come out of an archive."""
    posix = name.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    return posix.startswith("/") or (len(posix) > 1 and posix[1] == ":") or ".." in parts


def _archive_inputs(path: Path, collection: str, *, head_only: bool = False) -> Iterator[Input | SourceError]:
    """Members of a zip or tar archive as Inputs, streamed; bad members become SourceErrors."""
    if path.name.lower().endswith(".zip"):
        yield from _zip_inputs(path, collection, head_only=head_only)
    else:
        yield from _tar_inputs(path, collection, head_only=head_only)


def _zip_inputs(path: Path, collection: str, *, head_only: bool) -> Iterator[Input | SourceError]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield SourceError(str(path), f"not a readable zip archive ({exc})")
        return
    with archive:
        for info in archive.infolist():
            origin = f"{path}!{info.filename}"
            if info.is_dir():
                continue
            if _unsafe(info.filename):
                yield SourceError(origin, f"unsafe archive member path refused: {info.filename!r}")
                continue
            if PurePosixPath(info.filename).name.startswith("."):
                continue
            if head_only:  # a sample outlives the open archive: keep just the first bytes
                head = Input(info.filename, origin, collection, partial(_open_member, archive, info)).head()
                yield Input.from_bytes(head, name=info.filename, origin=origin, collection=collection)
                continue
            yield Input(
                name=info.filename,
                origin=origin,
                collection=collection,
                opener=partial(_open_member, archive, info),
                size=info.file_size,
            )


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryIO:
    return archive.open(info)  # type: ignore[return-value]


_CUT = "_medcite_cut"
#: How `tarfile` says a header is missing, cut short or damaged (it then ends the archive without a word).
_HEADER_CUTS = {
    "TruncatedHeaderError": "truncated archive: it ends inside a member header",
    "EmptyHeaderError": "truncated archive: it ends without its end-of-archive marker",
    "InvalidHeaderError": "corrupt archive: a damaged member header (bad checksum) stops the reading there",
}


class _WatchedTarInfo(tarfile.TarInfo):
    """Notes how an archive ended. Reading member after member, `tarfile` takes a header cut short
    (or no header at all) for the end of the archive and stops without a word; a whole archive
    ends with a block of zeros instead. The reason is kept on the archive for `_tar_inputs`."""

    @classmethod
    def fromtarfile(cls, archive: tarfile.TarFile) -> Self:
        try:
            return super().fromtarfile(archive)
        except tarfile.HeaderError as exc:
            reason = _HEADER_CUTS.get(type(exc).__name__)
            if reason:
                setattr(archive, _CUT, reason)
            raise


def _tar_inputs(path: Path, collection: str, *, head_only: bool) -> Iterator[Input | SourceError]:
    """Members of a tar archive, streamed. A cut archive (inside a header, inside a member's data,
    or before the end-of-archive marker) is reported as truncated after the members read before
    the cut, which are kept."""
    try:
        with tarfile.open(path, mode="r|*", tarinfo=_WatchedTarInfo) as archive:
            for member in archive:
                origin = f"{path}!{member.name}"
                if member.isdir():
                    continue
                if _unsafe(member.name):
                    yield SourceError(origin, f"unsafe archive member path refused: {member.name!r}")
                elif not member.isfile():
                    yield SourceError(origin, "links and special files in archives are not read")
                elif member.size > MAX_FILE_BYTES:
                    yield SourceError(
                        origin, f"file too large ({member.size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
                    )
                elif not PurePosixPath(member.name).name.startswith("."):
                    try:
                        stream = archive.extractfile(member)
                        data = stream.read(8192 if head_only else MAX_FILE_BYTES) if stream else b""
                    except tarfile.ReadError as exc:  # "unexpected end of data": the archive stops here
                        reason = f"truncated archive: it ends inside the data of {member.name} ({exc})"
                        yield SourceError(origin, reason)
                        return
                    yield Input.from_bytes(data, name=member.name, origin=origin, collection=collection)
            cut = getattr(archive, _CUT, None)
        if cut:
            yield SourceError(str(path), cut)
    except (tarfile.TarError, EOFError, OSError, zlib.error, TypeError, ValueError) as exc:
        # TypeError: CPython's tarfile reads a gzip header cut after 3 bytes with ord(b"").
        yield SourceError(str(path), f"truncated or corrupt archive ({exc.__class__.__name__}: {exc})")
